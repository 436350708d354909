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

/// What `agenda_utf8_shape` finds in a text.
enum {
    /// Well-formed UTF-8 (as Swift's `String(validating:)` takes it: no overlong forms, no
    /// surrogates, nothing above U+10FFFF).
    AGENDA_UTF8_VALID = 1,
    /// Only bytes below 0x80.
    AGENDA_UTF8_ASCII = 2,
    /// Only scalars below U+0300 or in U+2002–U+207F (typographic spaces, quotes and dashes):
    /// text that is in NFC without a look at the normalization tables (`Language.nfc`).
    AGENDA_UTF8_NFC_PLAIN = 4,
};

/// The `AGENDA_UTF8_*` flags of `bytes` in one pass (0 when it is not UTF-8): the JSON reader
/// checks every text of every record for them, and Swift's own check was as slow for the
/// Spanish texts as all the rest of reading them.
int agenda_utf8_shape(const uint8_t *bytes, size_t count);

/// The length of the JSON object that `bytes` starts with (its first byte `{`, its last the
/// `}` that closes it, strings and their escapes stepped over), with a 64-bit hash of those bytes
/// in `hash`; 0 when `bytes` does not start with `{` or the object does not end within `count`
/// bytes. Only the structure is followed, nothing is checked: the decoder that reads the object
/// checks it. For the decoder's memo of objects that many records share (a category, an
/// organizer, a venue), keyed by their exact bytes.
size_t agenda_json_object_extent(const uint8_t *bytes, size_t count, uint64_t *hash);

#ifdef __cplusplus
}
#endif

#endif
