// agenda_icu.h — the only door to ICU.
//
// Plain C types only (int32_t, double, char buffers): Swift modules import this header, and they
// must never see ICU's own headers, because Foundation ships a second ICU whose types clash with the
// system's. The C++ implementation also gets ICU's versioned symbol names (ucal_open_72) for free.
//
// Conventions: text is UTF-8. Functions that produce text take (out, cap) and return the number of
// bytes the full result needs (excluding the NUL); when that is >= cap the caller grows the buffer
// and calls again. A negative return is an error (AGENDA_E_*).
#ifndef AGENDA_ICU_H
#define AGENDA_ICU_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

enum {
    AGENDA_OK = 0,
    AGENDA_E_UNKNOWN_ZONE = -1,   // no such zone id in the tz database in use
    AGENDA_E_BAD_TZIF = -2,       // a zone file exists but cannot be read as TZif
    AGENDA_E_ICU = -3,            // ICU reported a failure
    AGENDA_E_ARGUMENT = -4,       // invalid argument (bad locale, bad tag, …)
};

// ---- tz database -------------------------------------------------------------------------------
/// Version of the tz data actually used for all zone math (e.g. "2025b").
int32_t agenda_tz_version(char *out, int32_t cap);
/// Where that data comes from: a directory of TZif files, or "icu" for ICU's built-in data.
int32_t agenda_tz_source(char *out, int32_t cap);
/// Version of ICU's built-in zone data (e.g. "2022e"), for diagnostics.
int32_t agenda_icu_builtin_tz_version(char *out, int32_t cap);
/// ICU library version (e.g. "72.1").
int32_t agenda_icu_version(char *out, int32_t cap);
/// Re-read TZDIR and drop every cached zone (tests pin a tzdata copy this way).
void agenda_tz_reset(void);
/// Zones of an ISO 3166 country, one per line, from the tz data in use (zone.tab).
int32_t agenda_country_zones(const char *country, char *out, int32_t cap);
/// The principal location of a zone from zone.tab, in degrees; 0 on success, AGENDA_E_UNKNOWN_ZONE
/// when the zone is not listed (or the data in use is ICU's, which has no locations).
int32_t agenda_zone_location(const char *zone, double *latitude, double *longitude);
/// IANA id for a Windows zone name (CLDR windowsZones via ICU), region "001" for the default.
int32_t agenda_windows_zone(const char *windowsId, const char *region, char *out, int32_t cap);
/// The canonical IANA id of `id` when it is a link (Asia/Calcutta -> Asia/Kolkata), else `id`.
int32_t agenda_canonical_zone(const char *id, char *out, int32_t cap);

// ---- zones -------------------------------------------------------------------------------------
typedef struct AgendaZone AgendaZone;

/// Opens a zone by IANA id. Returns NULL and sets *error on failure. Thread-safe to use afterwards
/// from any thread for the read-only calls below; close it once.
AgendaZone *agenda_zone_open(const char *id, int32_t *error);
/// A zone with a fixed offset from UTC (seconds east), named `id` in output.
AgendaZone *agenda_zone_open_fixed(const char *id, int32_t offsetSeconds, int32_t *error);
void agenda_zone_close(AgendaZone *zone);

/// UTC offset in seconds at a UTC instant (seconds since 1970); *isDST set to 1 in daylight time.
int32_t agenda_zone_offset(const AgendaZone *zone, double utcSeconds, int32_t *isDST);

enum { AGENDA_LOCAL_OK = 0, AGENDA_LOCAL_GAP = 1, AGENDA_LOCAL_OVERLAP = 2 };
/// Converts a local wall time (seconds since 1970 as if the wall clock were UTC) to a UTC instant.
/// Nonexistent times use the offset before the gap (RFC 5545 §3.3.5); ambiguous ones take the first
/// occurrence. Returns AGENDA_LOCAL_* and writes the instant.
int32_t agenda_zone_local_to_utc(const AgendaZone *zone, double localSeconds, double *utcSeconds);

/// Next transition strictly after `utcSeconds`; returns 1 and fills the out values, 0 if none.
int32_t agenda_zone_next_transition(const AgendaZone *zone, double utcSeconds, double *when,
                                    int32_t *offsetBefore, int32_t *offsetAfter);

/// Last transition at or before `utcSeconds`; returns 1 and fills the out values, 0 if none.
int32_t agenda_zone_previous_transition(const AgendaZone *zone, double utcSeconds, double *when,
                                        int32_t *offsetBefore, int32_t *offsetAfter);

/// Self-check of the other data path (ICU's built-in zones, used when ICU's tz data is newer
/// than the system's): 1 when the offset table of ICU's own zone `id` equals ICU's transition
/// walk, 0 when not, -1 when ICU does not know the zone.
int32_t agenda_icu_zone_table_agrees(const char *id);

/// Self-check: compares the zone's offset table with ICU's own transitions (one mismatch when they
/// differ at all) and answers (offsets, DST flags, local to UTC) every `step` seconds in [from, to)
/// and around each transition; returns the mismatches.
int32_t agenda_zone_check_table(const AgendaZone *zone, double from, double to, double step);
/// RFC 5545 VTIMEZONE (CRLF lines, unfolded) valid from `startSeconds` on, with RRULEs for the
/// zone's current rule. Never ICU's full-history write() (ICU-22132).
int32_t agenda_zone_vtimezone(const AgendaZone *zone, double startSeconds, char *out, int32_t cap);

// ---- formatting --------------------------------------------------------------------------------
/// Formats the instant with an ICU pattern (e.g. "EEE, dd MMM yyyy HH:mm:ss Z" in en_US_POSIX).
/// zone NULL means UTC.
int32_t agenda_format_pattern(const AgendaZone *zone, const char *locale, const char *pattern,
                              double utcSeconds, char *out, int32_t cap);
/// Localized interval "jueves, 30 de mayo de 2024, 8:00–11:30 a. m." for a skeleton
/// (e.g. "yMMMMEEEEdjmm"). zone NULL means UTC (used for all-day dates).
int32_t agenda_format_interval(const AgendaZone *zone, const char *locale, const char *skeleton,
                               double startSeconds, double endSeconds, char *out, int32_t cap);
/// Localized zone name at an instant ("hora de Colombia"); style is an ICU zone pattern letter
/// run such as "vvvv" or "zzzz".
int32_t agenda_zone_display_name(const AgendaZone *zone, const char *locale, const char *style,
                                 double utcSeconds, char *out, int32_t cap);

/// The zone's generic long name at an instant, as `agenda_zone_display_name(zone, locale, "vvvv", …)`
/// gives it, remembered per thread by everything ICU's choice depends on (see format.cpp).
int32_t agenda_zone_generic_name(const AgendaZone *zone, const char *locale, double utcSeconds, char *out, int32_t cap);

/// "jueves, 30 de mayo de 2024, 8:00–11:30 (hora estándar de Colombia)": the interval of the
/// wall times in `zone` at the two instants (`agenda_format_interval` of them in UTC) and, in
/// parentheses, the zone's generic name at `startSeconds` (`agenda_zone_generic_name`; left out
/// when empty). Remembered per thread. Negative when either fails.
int32_t agenda_format_when(const AgendaZone *zone, const char *locale, const char *skeleton, double startSeconds,
                           double endSeconds, char *out, int32_t cap);

// ---- language ----------------------------------------------------------------------------------
/// BCP 47 canonical form of a language tag ("es_co" -> "es-CO"); AGENDA_E_ARGUMENT if malformed.
int32_t agenda_language_canonical(const char *tag, char *out, int32_t cap);
/// 1 if the UTF-8 text is already in NFC (fast check), else 0.
int32_t agenda_is_nfc(const char *text, int32_t length);
/// NFC normalization of UTF-8 text.
int32_t agenda_nfc(const char *text, int32_t length, char *out, int32_t cap);
/// Collation sort key for a locale; compare keys with memcmp.
int32_t agenda_sort_key(const char *locale, const char *text, int32_t length, uint8_t *out, int32_t cap);
/// ASCII slug: transliterated to Latin ASCII, lower case, runs of other characters as one '-'.
int32_t agenda_slug(const char *text, int32_t length, char *out, int32_t cap);
/// Where to fold a line: byte offsets of the cuts so that the first piece has at most `firstLimit`
/// bytes and the others at most `limit`, each cut at the last grapheme boundary that fits (between
/// UTF-8 sequences when one cluster is longer than a line). Returns the number of cuts.
int32_t agenda_fold_points(const char *text, int32_t length, int32_t firstLimit, int32_t limit, int32_t *out,
                           int32_t cap);
/// Byte offsets (UTF-8) of grapheme cluster boundaries, 0 and length included. Returns the count.
int32_t agenda_grapheme_boundaries(const char *text, int32_t length, int32_t *out, int32_t cap);

#ifdef __cplusplus
}
#endif
#endif
