/* libical_peer.h -- what the two libical peers share, so that they differ only in how they read
 * the records: the calendar head with libical's VTIMEZONE for each zone seen, and one VEVENT built
 * with libical's API and streamed with icalcomponent_as_ical_string_r, as a C program built for
 * speed would. */
#include <libical/ical.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PEER_MAX_ZONES 64

struct peer_zones {
    char names[PEER_MAX_ZONES][64];
    int count;
};

/* Remembers a zone the first time it is seen. */
static void peer_note_zone(struct peer_zones *z, const char *zone) {
    for (int i = 0; i < z->count; i++)
        if (strcmp(z->names[i], zone) == 0) return;
    if (z->count < PEER_MAX_ZONES) snprintf(z->names[z->count++], 64, "%s", zone);
}

/* BEGIN:VCALENDAR and the VTIMEZONEs from libical's zone data. */
static void peer_write_head(FILE *out, const struct peer_zones *z) {
    fputs("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//peer//libical//ES\r\n", out);
    for (int i = 0; i < z->count; i++) {
        icaltimezone *tz = icaltimezone_get_builtin_timezone(z->names[i]);
        if (!tz) { fprintf(stderr, "unknown zone %s\n", z->names[i]); continue; }
        fputs(icalcomponent_as_ical_string(icaltimezone_get_component(tz)), out);
    }
}

/* One record's fields; times as YYYYMMDDTHHMMSS wall time in the zone. */
struct peer_event {
    const char *id, *zone, *start, *end, *title, *description, *venue, *url, *categories;
    double lat, lon;
};

static void peer_write_event(FILE *out, const struct peer_event *e, struct icaltimetype stamp) {
    icaltimezone *tz = icaltimezone_get_builtin_timezone(e->zone);
    struct icaltimetype start = icaltime_from_string(e->start), end = icaltime_from_string(e->end);
    start = icaltime_set_timezone(&start, tz);
    end = icaltime_set_timezone(&end, tz);
    icalcomponent *ev = icalcomponent_new_vevent();
    char uid[256];
    snprintf(uid, sizeof uid, "%s@bench.example", e->id);
    icalcomponent_add_property(ev, icalproperty_new_uid(uid));
    icalcomponent_add_property(ev, icalproperty_new_dtstamp(stamp));
    icalproperty *ds = icalproperty_new_dtstart(start), *de = icalproperty_new_dtend(end);
    if (tz) {
        icalproperty_add_parameter(ds, icalparameter_new_tzid(icaltimezone_get_tzid(tz)));
        icalproperty_add_parameter(de, icalparameter_new_tzid(icaltimezone_get_tzid(tz)));
    }
    icalcomponent_add_property(ev, ds);
    icalcomponent_add_property(ev, de);
    icalcomponent_add_property(ev, icalproperty_new_summary(e->title));
    icalcomponent_add_property(ev, icalproperty_new_description(e->description));
    icalcomponent_add_property(ev, icalproperty_new_location(e->venue));
    struct icalgeotype geo;
    geo.lat = e->lat;
    geo.lon = e->lon;
    icalcomponent_add_property(ev, icalproperty_new_geo(geo));
    icalcomponent_add_property(ev, icalproperty_new_url(e->url));
    icalcomponent_add_property(ev, icalproperty_new_categories(e->categories));
    char *text = icalcomponent_as_ical_string_r(ev);
    fputs(text, out);
    free(text);
    icalcomponent_free(ev);
}
