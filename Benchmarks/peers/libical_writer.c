/* libical_writer.c -- the libical (C) peer for the ICS benchmark: reads the flattened records
 * (to_tsv.py) twice, first to learn the zones, then streaming one VEVENT at a time to the output
 * (libical_peer.h). VTIMEZONEs come from libical's zone data.
 *
 * Build: cc -O2 libical_writer.c $(pkg-config --cflags --libs libical) -o libical_writer
 * Run:   libical_writer IN.tsv OUT.ics
 */
#include "libical_peer.h"

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
    static struct peer_zones zones;
    while (fgets(line, sizeof line, in)) {
        if (split(line, f) == FIELDS) peer_note_zone(&zones, f[1]);
    }
    peer_write_head(out, &zones);
    rewind(in);
    struct icaltimetype stamp = icaltime_from_string("20250102T000000Z");
    while (fgets(line, sizeof line, in)) {
        if (split(line, f) != FIELDS) continue;
        struct peer_event e = {
            .id = f[0], .zone = f[1], .start = f[2], .end = f[3], .title = f[4], .description = f[5],
            .venue = f[6], .lat = atof(f[7]), .lon = atof(f[8]), .url = f[9], .categories = f[10],
        };
        peer_write_event(out, &e, stamp);
    }
    fputs("END:VCALENDAR\r\n", out);
    fclose(out);
    fclose(in);
    return 0;
}
