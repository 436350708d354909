// Byte scanning for the escapers (Sources/AgendaICS/ContentLines.swift, Sources/AgendaFeeds/Markup.swift):
// how much of a text can be copied as it is before the first byte that needs a look. In C with
// SSE2, sixteen bytes at a time: Swift's SIMD types compile to one lane at a time on Linux, and
// the texts of the events are most of the bytes of a calendar and a map.
#ifndef AGENDA_SCAN_H
#define AGENDA_SCAN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// The number of leading bytes of `bytes` (`count` of them) that a JSON string holds as they are:
/// none below 0x20, no `"` or `\`, and no 0xE2 (the lead byte of U+2028 and U+2029, which are
/// escaped so that the JSON is safe in a script too).
size_t agenda_json_plain_prefix(const uint8_t *bytes, size_t count);

/// The number of leading bytes of `bytes` that an RFC 5545 content line holds as they are: none
/// below 0x20, no DEL, and no 0xC2 or 0xEF (the lead bytes of the C1 controls and of U+FFFE and
/// U+FFFF, which are dropped); with `text` nonzero (TEXT values), no `\`, `;` or `,` either.
size_t agenda_ics_plain_prefix(const uint8_t *bytes, size_t count, int text);

#ifdef __cplusplus
}
#endif

#endif
