// Byte scanning for the paths every text of every record takes: how far a text goes before the
// first byte that needs a look: the JSON reader's strings (Sources/AgendaRecords/JSONParser.swift)
// and the escapers (Sources/AgendaICS/ContentLines.swift, Sources/AgendaFeeds/Markup.swift). In C with SSE2,
// sixteen bytes at a time: Swift's SIMD types compile to one lane at a time on Linux, and the
// texts are most of the bytes read and written.
#ifndef AGENDA_SCAN_H
#define AGENDA_SCAN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// The number of leading bytes of `bytes` (`count` of them) inside a JSON string before one that
/// ends it or needs decoding: `"`, `\`, or a line feed (which ends a JSON Lines record).
size_t agenda_json_string_run(const uint8_t *bytes, size_t count);

/// The number of leading bytes of `bytes` that a JSON string holds as they are:
/// none below 0x20, no `"` or `\`, and no 0xE2 (the lead byte of U+2028 and U+2029, which are
/// escaped so that the JSON is safe in a script too).
size_t agenda_json_plain_prefix(const uint8_t *bytes, size_t count);

/// The number of leading bytes of `bytes` that an RFC 5545 content line holds as they are: none
/// below 0x20, no DEL, and no 0xC2 or 0xEF (the lead bytes of the C1 controls and of U+FFFE and
/// U+FFFF, which are dropped); with `text` nonzero (TEXT values), no `\`, `;` or `,` either.
size_t agenda_ics_plain_prefix(const uint8_t *bytes, size_t count, int text);
/// The number of leading bytes of `bytes` that a parameter value holds with nothing to look at:
/// none below 0x20, no DEL, no 0xC2 or 0xEF (see above), no `"` or `^` (which are encoded), and
/// no `:`, `;` or `,` (which need quotes).
size_t agenda_ics_parameter_plain_prefix(const uint8_t *bytes, size_t count);

#ifdef __cplusplus
}
#endif

#endif
