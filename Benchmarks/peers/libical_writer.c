/* libical_writer.c -- the libical (C) peer for the ICS benchmark: reads the flattened records
 * (to_tsv.py) twice, first to learn the zones, then streaming one VEVENT at a time to the output
 * with icalcomponent_as_ical_string, as a C program built for speed would. VTIMEZONEs come from
 * libical's zone data (icaltimezone_get_builtin_timezone).
 *
 * Build: cc -O2 libical_writer.c $(pkg-config --cflags --libs libical) -o libical_writer
 * Run:   libical_writer IN.tsv OUT.ics
 */
#include <libical/ical.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FIELDS 11

static int split(char *line, char **f) {
    int n = 0;
    f[n++] = line;
    for (char *p = line; *p && n < FIELDS; p++) {
        if (*p == '\t') { *p = 0; f[n++] = p + 1; }
    }
    char *nl = strchr(f[n - 1], '\n');
    if (nl) *nl = 0;
    return n;
}

int main(int argc, char **argv) {
    if (argc != 3) { fprintf(stderr, "usage: libical_writer IN.tsv OUT.ics\n"); return 2; }
    FILE *in = fopen(argv[1], "r"), *out = fopen(argv[2], "w");
    if (!in || !out) { perror("open"); return 2; }
    static char line[1 << 16];
    char *f[FIELDS];
    char zones[64][64];
    int zoneCount = 0;
    while (fgets(line, sizeof line, in)) {
        if (split(line, f) != FIELDS) continue;
        int known = 0;
        for (int i = 0; i < zoneCount; i++) known |= strcmp(zones[i], f[1]) == 0;
        if (!known && zoneCount < 64) snprintf(zones[zoneCount++], 64, "%s", f[1]);
    }
    fputs("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//peer//libical//ES\r\n", out);
    for (int i = 0; i < zoneCount; i++) {
        icaltimezone *tz = icaltimezone_get_builtin_timezone(zones[i]);
        if (!tz) { fprintf(stderr, "unknown zone %s\n", zones[i]); continue; }
        fputs(icalcomponent_as_ical_string(icaltimezone_get_component(tz)), out);
    }
    rewind(in);
    struct icaltimetype stamp = icaltime_from_string("20250102T000000Z");
    while (fgets(line, sizeof line, in)) {
        if (split(line, f) != FIELDS) continue;
        icaltimezone *tz = icaltimezone_get_builtin_timezone(f[1]);
        struct icaltimetype start = icaltime_from_string(f[2]), end = icaltime_from_string(f[3]);
        start = icaltime_set_timezone(&start, tz);
        end = icaltime_set_timezone(&end, tz);
        icalcomponent *ev = icalcomponent_new_vevent();
        char uid[256];
        snprintf(uid, sizeof uid, "%s@bench.example", f[0]);
        icalcomponent_add_property(ev, icalproperty_new_uid(uid));
        icalcomponent_add_property(ev, icalproperty_new_dtstamp(stamp));
        icalproperty *ds = icalproperty_new_dtstart(start), *de = icalproperty_new_dtend(end);
        icalproperty_add_parameter(ds, icalparameter_new_tzid(icaltimezone_get_tzid(tz)));
        icalproperty_add_parameter(de, icalparameter_new_tzid(icaltimezone_get_tzid(tz)));
        icalcomponent_add_property(ev, ds);
        icalcomponent_add_property(ev, de);
        icalcomponent_add_property(ev, icalproperty_new_summary(f[4]));
        icalcomponent_add_property(ev, icalproperty_new_description(f[5]));
        icalcomponent_add_property(ev, icalproperty_new_location(f[6]));
        struct icalgeotype geo;
        geo.lat = atof(f[7]);
        geo.lon = atof(f[8]);
        icalcomponent_add_property(ev, icalproperty_new_geo(geo));
        icalcomponent_add_property(ev, icalproperty_new_url(f[9]));
        icalcomponent_add_property(ev, icalproperty_new_categories(f[10]));
        char *text = icalcomponent_as_ical_string_r(ev);
        fputs(text, out);
        free(text);
        icalcomponent_free(ev);
    }
    fputs("END:VCALENDAR\r\n", out);
    fclose(out);
    fclose(in);
    return 0;
}
