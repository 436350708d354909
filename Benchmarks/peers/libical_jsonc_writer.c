/* libical_jsonc_writer.c -- the libical (C) peer for the ICS benchmark, end to end: reads the
 * same JSON Lines records Agenda reads, with json-c (the JSON library C programs on Debian
 * commonly use), and writes them with libical exactly as libical_writer.c does from the
 * pre-flattened TSV. The pair separates libical's writing from reading the records.
 * Like that peer it checks nothing: no schema, no language fallback, no DST gap handling.
 *
 * Build: cc -O2 libical_jsonc_writer.c $(pkg-config --cflags --libs libical json-c) -o libical_jsonc_writer
 * Run:   libical_jsonc_writer IN.jsonl OUT.ics
 */
#include <json-c/json.h>
#include <libical/ical.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A member's string, or "" when it is missing or not a string. */
static const char *text(json_object *o, const char *key) {
    json_object *v;
    return json_object_object_get_ex(o, key, &v) && json_object_is_type(v, json_type_string) ? json_object_get_string(v) : "";
}

static json_object *member(json_object *o, const char *key) {
    json_object *v;
    return o && json_object_object_get_ex(o, key, &v) ? v : NULL;
}

/* "2025-01-01T08:00" -> "20250101T080000" (what icaltime_from_string reads). */
static void basic(const char *iso, char *out, size_t cap) {
    size_t n = 0;
    for (const char *p = iso; *p && n + 1 < cap; p++)
        if (*p != '-' && *p != ':') out[n++] = *p;
    if (n == 13 && n + 2 < cap) { out[n++] = '0'; out[n++] = '0'; }
    out[n] = 0;
}

int main(int argc, char **argv) {
    if (argc != 3) { fprintf(stderr, "usage: libical_jsonc_writer IN.jsonl OUT.ics\n"); return 2; }
    FILE *in = fopen(argv[1], "r"), *out = fopen(argv[2], "w");
    if (!in || !out) { perror("open"); return 2; }
    char *line = NULL;
    size_t cap = 0;
    char zones[64][64];
    int zoneCount = 0;
    /* First pass: the zones (VTIMEZONEs come before the events). */
    while (getline(&line, &cap, in) > 0) {
        json_object *r = json_tokener_parse(line);
        if (!r) continue;
        const char *zone = text(r, "timeZone");
        int known = 0;
        for (int i = 0; i < zoneCount; i++) known |= strcmp(zones[i], zone) == 0;
        if (!known && zoneCount < 64) snprintf(zones[zoneCount++], 64, "%s", zone);
        json_object_put(r);
    }
    fputs("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//peer//libical//ES\r\n", out);
    for (int i = 0; i < zoneCount; i++) {
        icaltimezone *tz = icaltimezone_get_builtin_timezone(zones[i]);
        if (!tz) { fprintf(stderr, "unknown zone %s\n", zones[i]); continue; }
        fputs(icalcomponent_as_ical_string(icaltimezone_get_component(tz)), out);
    }
    rewind(in);
    struct icaltimetype stamp = icaltime_from_string("20250102T000000Z");
    while (getline(&line, &cap, in) > 0) {
        json_object *r = json_tokener_parse(line);
        if (!r) continue;
        icaltimezone *tz = icaltimezone_get_builtin_timezone(text(r, "timeZone"));
        char s[32], e[32];
        basic(text(r, "start"), s, sizeof s);
        basic(text(r, "end"), e, sizeof e);
        struct icaltimetype start = icaltime_from_string(s), end = icaltime_from_string(e);
        start = icaltime_set_timezone(&start, tz);
        end = icaltime_set_timezone(&end, tz);
        icalcomponent *ev = icalcomponent_new_vevent();
        char uid[256];
        snprintf(uid, sizeof uid, "%s@bench.example", text(r, "id"));
        icalcomponent_add_property(ev, icalproperty_new_uid(uid));
        icalcomponent_add_property(ev, icalproperty_new_dtstamp(stamp));
        icalproperty *ds = icalproperty_new_dtstart(start), *de = icalproperty_new_dtend(end);
        if (tz) {
            icalproperty_add_parameter(ds, icalparameter_new_tzid(icaltimezone_get_tzid(tz)));
            icalproperty_add_parameter(de, icalparameter_new_tzid(icaltimezone_get_tzid(tz)));
        }
        icalcomponent_add_property(ev, ds);
        icalcomponent_add_property(ev, de);
        icalcomponent_add_property(ev, icalproperty_new_summary(text(member(r, "title"), "es")));
        icalcomponent_add_property(ev, icalproperty_new_description(text(member(r, "description"), "es")));
        json_object *venue = member(r, "venue"), *geo = member(venue, "geo");
        icalcomponent_add_property(ev, icalproperty_new_location(text(member(venue, "name"), "es")));
        struct icalgeotype g;
        g.lat = json_object_get_double(member(geo, "lat"));
        g.lon = json_object_get_double(member(geo, "lon"));
        icalcomponent_add_property(ev, icalproperty_new_geo(g));
        icalcomponent_add_property(ev, icalproperty_new_url(text(r, "url")));
        char categories[1024] = "";
        json_object *list = member(r, "categories");
        for (size_t i = 0; list && i < json_object_array_length(list); i++) {
            if (i) strncat(categories, ",", sizeof categories - strlen(categories) - 1);
            strncat(categories, text(member(json_object_array_get_idx(list, i), "label"), "es"),
                    sizeof categories - strlen(categories) - 1);
        }
        icalcomponent_add_property(ev, icalproperty_new_categories(categories));
        char *ical = icalcomponent_as_ical_string_r(ev);
        fputs(ical, out);
        free(ical);
        icalcomponent_free(ev);
        json_object_put(r);
    }
    fputs("END:VCALENDAR\r\n", out);
    free(line);
    fclose(out);
    fclose(in);
    return 0;
}
