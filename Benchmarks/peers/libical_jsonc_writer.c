/* libical_jsonc_writer.c -- the libical (C) peer for the ICS benchmark, end to end: reads the
 * same JSON Lines records Agenda reads, with json-c (the JSON library C programs on Debian
 * commonly use), and writes them with libical exactly as libical_writer.c does from the
 * pre-flattened TSV (both use libical_peer.h). The pair separates libical's writing from reading the records.
 * Like that peer it checks nothing: no schema, no language fallback, no DST gap handling.
 *
 * Build: cc -O2 libical_jsonc_writer.c $(pkg-config --cflags --libs libical json-c) -o libical_jsonc_writer
 * Run:   libical_jsonc_writer IN.jsonl OUT.ics
 */
#include "libical_peer.h"
#include <json-c/json.h>

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
    static struct peer_zones zones;
    /* First pass: the zones (VTIMEZONEs come before the events). */
    while (getline(&line, &cap, in) > 0) {
        json_object *r = json_tokener_parse(line);
        if (!r) continue;
        peer_note_zone(&zones, text(r, "timeZone"));
        json_object_put(r);
    }
    peer_write_head(out, &zones);
    rewind(in);
    struct icaltimetype stamp = icaltime_from_string("20250102T000000Z");
    while (getline(&line, &cap, in) > 0) {
        json_object *r = json_tokener_parse(line);
        if (!r) continue;
        char s[32], e[32];
        basic(text(r, "start"), s, sizeof s);
        basic(text(r, "end"), e, sizeof e);
        json_object *venue = member(r, "venue"), *geo = member(venue, "geo");
        char categories[1024] = "";
        json_object *list = member(r, "categories");
        for (size_t i = 0; list && i < json_object_array_length(list); i++) {
            if (i) strncat(categories, ",", sizeof categories - strlen(categories) - 1);
            strncat(categories, text(member(json_object_array_get_idx(list, i), "label"), "es"),
                    sizeof categories - strlen(categories) - 1);
        }
        struct peer_event ev = {
            .id = text(r, "id"), .zone = text(r, "timeZone"), .start = s, .end = e,
            .title = text(member(r, "title"), "es"), .description = text(member(r, "description"), "es"),
            .venue = text(member(venue, "name"), "es"), .url = text(r, "url"), .categories = categories,
            .lat = json_object_get_double(member(geo, "lat")), .lon = json_object_get_double(member(geo, "lon")),
        };
        peer_write_event(out, &ev, stamp);
        json_object_put(r);
    }
    fputs("END:VCALENDAR\r\n", out);
    free(line);
    fclose(out);
    fclose(in);
    return 0;
}
