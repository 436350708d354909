#include "agenda_scan.h"

static inline int stringStop(uint8_t b) { return b == '"' || b == '\\' || b == '\n'; }

static inline int jsonStop(uint8_t b) { return b < 0x20 || b == '"' || b == '\\' || b == 0xE2; }

// What no content line holds as it is: C0 controls, DEL, and the lead bytes of the C1 controls
// and of U+FFFE and U+FFFF. TEXT values and parameter values each stop at a few more.
static inline int contentStop(uint8_t b) { return b < 0x20 || b == 0x7F || b == 0xC2 || b == 0xEF; }

static inline int icsStop(uint8_t b, int text) {
    return contentStop(b) || (text && (b == '\\' || b == ';' || b == ','));
}

static inline int parameterStop(uint8_t b) {
    return contentStop(b) || b == '"' || b == '^' || b == ':' || b == ';' || b == ',';
}

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

int agenda_utf8_shape(const uint8_t *b, size_t n) {
    size_t i = 0;
    int ascii = 1, plain = 1;
    while (i < n) {
#if defined(__SSE2__)
        // ASCII sixteen bytes at a time; else straight to the first byte from 0x80.
        if (i + 16 <= n) {
            unsigned mask = (unsigned)_mm_movemask_epi8(_mm_loadu_si128((const __m128i *)(b + i)));
            if (mask == 0) {
                i += 16;
                continue;
            }
            i += (size_t)__builtin_ctz(mask);
        }
#endif
        uint8_t c = b[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        ascii = 0;
        uint32_t scalar;
        if (c >= 0xC2 && c <= 0xDF) {
            if (i + 1 >= n || (b[i + 1] & 0xC0) != 0x80) return 0;
            scalar = ((uint32_t)(c & 0x1F) << 6) | (b[i + 1] & 0x3F);
            i += 2;
        } else if (c >= 0xE0 && c <= 0xEF) {
            if (i + 2 >= n) return 0;
            uint8_t c1 = b[i + 1], c2 = b[i + 2];
            if ((c1 & 0xC0) != 0x80 || (c2 & 0xC0) != 0x80) return 0;
            if ((c == 0xE0 && c1 < 0xA0) || (c == 0xED && c1 > 0x9F)) return 0;  // overlong; surrogate
            scalar = ((uint32_t)(c & 0x0F) << 12) | ((uint32_t)(c1 & 0x3F) << 6) | (c2 & 0x3F);
            i += 3;
        } else if (c >= 0xF0 && c <= 0xF4) {
            if (i + 3 >= n) return 0;
            uint8_t c1 = b[i + 1], c2 = b[i + 2], c3 = b[i + 3];
            if ((c1 & 0xC0) != 0x80 || (c2 & 0xC0) != 0x80 || (c3 & 0xC0) != 0x80) return 0;
            if ((c == 0xF0 && c1 < 0x90) || (c == 0xF4 && c1 > 0x8F)) return 0;  // overlong; past U+10FFFF
            scalar = 0x10000;
            i += 4;
        } else {
            return 0;  // a continuation byte first, C0, C1, or F5 and above
        }
        if (!(scalar < 0x300 || (scalar >= 0x2002 && scalar <= 0x207F))) plain = 0;
    }
    return AGENDA_UTF8_VALID | (ascii ? AGENDA_UTF8_ASCII : 0) | (plain ? AGENDA_UTF8_NFC_PLAIN : 0);
}

#if defined(__SSE2__)

// Bytes below 0x20 are those equal to their minimum with 0x1F (SSE2 has no unsigned compare).
static inline __m128i below20(__m128i v) { return _mm_cmpeq_epi8(_mm_min_epu8(v, _mm_set1_epi8(0x1F)), v); }

static inline __m128i equal(__m128i v, uint8_t c) { return _mm_cmpeq_epi8(v, _mm_set1_epi8((char)c)); }

// `contentStop` for sixteen bytes.
static inline __m128i contentStops(__m128i v) {
    return _mm_or_si128(_mm_or_si128(below20(v), equal(v, 0x7F)), _mm_or_si128(equal(v, 0xC2), equal(v, 0xEF)));
}

size_t agenda_json_string_run(const uint8_t *bytes, size_t count) {
    size_t i = 0;
    for (; i + 16 <= count; i += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(bytes + i));
        __m128i stops = _mm_or_si128(_mm_or_si128(equal(v, '"'), equal(v, '\\')), equal(v, '\n'));
        unsigned mask = (unsigned)_mm_movemask_epi8(stops);
        if (mask) return i + (size_t)__builtin_ctz(mask);
    }
    for (; i < count; i++)
        if (stringStop(bytes[i])) return i;
    return count;
}

size_t agenda_json_plain_prefix(const uint8_t *bytes, size_t count) {
    size_t i = 0;
    for (; i + 16 <= count; i += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(bytes + i));
        __m128i stops = _mm_or_si128(_mm_or_si128(below20(v), equal(v, '"')), _mm_or_si128(equal(v, '\\'), equal(v, 0xE2)));
        unsigned mask = (unsigned)_mm_movemask_epi8(stops);
        if (mask) return i + (size_t)__builtin_ctz(mask);
    }
    for (; i < count; i++)
        if (jsonStop(bytes[i])) return i;
    return count;
}

size_t agenda_ics_plain_prefix(const uint8_t *bytes, size_t count, int text) {
    size_t i = 0;
    for (; i + 16 <= count; i += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(bytes + i));
        __m128i stops = contentStops(v);
        if (text) stops = _mm_or_si128(stops, _mm_or_si128(equal(v, '\\'), _mm_or_si128(equal(v, ';'), equal(v, ','))));
        unsigned mask = (unsigned)_mm_movemask_epi8(stops);
        if (mask) return i + (size_t)__builtin_ctz(mask);
    }
    for (; i < count; i++)
        if (icsStop(bytes[i], text)) return i;
    return count;
}

size_t agenda_ics_parameter_plain_prefix(const uint8_t *bytes, size_t count) {
    size_t i = 0;
    for (; i + 16 <= count; i += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(bytes + i));
        __m128i stops = _mm_or_si128(contentStops(v), _mm_or_si128(equal(v, '"'), equal(v, '^')));
        stops = _mm_or_si128(stops, _mm_or_si128(equal(v, ':'), _mm_or_si128(equal(v, ';'), equal(v, ','))));
        unsigned mask = (unsigned)_mm_movemask_epi8(stops);
        if (mask) return i + (size_t)__builtin_ctz(mask);
    }
    for (; i < count; i++)
        if (parameterStop(bytes[i])) return i;
    return count;
}

#else

size_t agenda_json_string_run(const uint8_t *bytes, size_t count) {
    for (size_t i = 0; i < count; i++)
        if (stringStop(bytes[i])) return i;
    return count;
}

size_t agenda_json_plain_prefix(const uint8_t *bytes, size_t count) {
    for (size_t i = 0; i < count; i++)
        if (jsonStop(bytes[i])) return i;
    return count;
}

size_t agenda_ics_plain_prefix(const uint8_t *bytes, size_t count, int text) {
    for (size_t i = 0; i < count; i++)
        if (icsStop(bytes[i], text)) return i;
    return count;
}

size_t agenda_ics_parameter_plain_prefix(const uint8_t *bytes, size_t count) {
    for (size_t i = 0; i < count; i++)
        if (parameterStop(bytes[i])) return i;
    return count;
}

#endif

// Eight bytes at a time, multiplied and mixed (the last word padded with zeros, the length mixed
// in): equal bytes give equal hashes, which is all the memo needs; it compares the bytes too.
static uint64_t hashBytes(const uint8_t *bytes, size_t count) {
    uint64_t h = 0x9E3779B97F4A7C15ull ^ (uint64_t)count;
    size_t i = 0;
    for (; i + 8 <= count; i += 8) {
        uint64_t w;
        __builtin_memcpy(&w, bytes + i, 8);
        h = (h ^ w) * 0xFF51AFD7ED558CCDull;
        h ^= h >> 32;
    }
    if (i < count) {
        uint64_t w = 0;
        __builtin_memcpy(&w, bytes + i, count - i);
        h = (h ^ w) * 0xFF51AFD7ED558CCDull;
    }
    h ^= h >> 33;
    h *= 0xC4CEB9FE1A85EC53ull;
    return h ^ (h >> 33);
}

// One stop byte (a quote, backslash or brace) of `agenda_json_object_extent`'s object, at `at`:
// 1 when the object ends there, -1 when the bytes are not JSON, 0 to go on. The byte after a
// backslash in a string is escaped (`escapedAt`), whatever it is: a stop byte there is stepped
// over, and an ordinary one is never seen.
static inline int structureStep(uint8_t c, size_t at, int *inString, size_t *depth, size_t *escapedAt) {
    if (at == *escapedAt) return 0;
    if (*inString) {
        if (c == '\\') *escapedAt = at + 1;
        else if (c == '"') *inString = 0;
        return 0;
    }
    if (c == '"') *inString = 1;
    else if (c == '{') ++*depth;
    else if (c == '}') return --*depth == 0 ? 1 : 0;
    else return -1;  // a backslash outside a string
    return 0;
}

static inline int structureStop(uint8_t b) { return b == '"' || b == '\\' || b == '{' || b == '}'; }

size_t agenda_json_object_extent(const uint8_t *bytes, size_t count, uint64_t *hash) {
    if (count == 0 || bytes[0] != '{') return 0;
    int inString = 0;
    size_t depth = 0, i = 0, escapedAt = (size_t)-1;
#if defined(__SSE2__)
    // Sixteen bytes at a time, then only their stop bytes, one bit each: an object of a record
    // is mostly text between its quotes.
    for (; i + 16 <= count; i += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(bytes + i));
        __m128i stops = _mm_or_si128(_mm_or_si128(equal(v, '"'), equal(v, '\\')), _mm_or_si128(equal(v, '{'), equal(v, '}')));
        unsigned mask = (unsigned)_mm_movemask_epi8(stops);
        while (mask) {
            size_t at = i + (size_t)__builtin_ctz(mask);
            mask &= mask - 1;
            int step = structureStep(bytes[at], at, &inString, &depth, &escapedAt);
            if (step < 0) return 0;
            if (step > 0) {
                *hash = hashBytes(bytes, at + 1);
                return at + 1;
            }
        }
    }
#endif
    for (; i < count; i++) {
        if (!structureStop(bytes[i])) continue;
        int step = structureStep(bytes[i], i, &inString, &depth, &escapedAt);
        if (step < 0) return 0;
        if (step > 0) {
            *hash = hashBytes(bytes, i + 1);
            return i + 1;
        }
    }
    return 0;
}
