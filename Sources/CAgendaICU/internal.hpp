// Shared pieces of the ICU bridge (C++ only; never exposed to Swift).
#pragma once
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <vector>
#include <unicode/basictz.h>
#include <unicode/unistr.h>

#include "agenda_icu.h"

/// Every offset change of a zone between 1800 and 2200, read once from ICU when the zone opens.
/// ICU's RuleBasedTimeZone answers each offset query by walking its rules (the profile showed it
/// as the single largest cost of an export); a binary search over this table gives the same answer,
/// since the table is made from the same zone. Outside the range, ICU is asked directly.
struct OffsetTable {
    static constexpr double start = -5364662400.0;  // 1800-01-01T00:00:00Z
    static constexpr double end = 7258118400.0;     // 2200-01-01T00:00:00Z
    std::vector<double> when;                       // transition instants, seconds, ascending
    std::vector<int32_t> after;                     // total offset from that instant on
    std::vector<int32_t> savingsAfter;              // daylight saving part of it (0: standard time)
    int32_t initial = 0;                            // offset before the first transition
    int32_t initialSavings = 0;

    void build(const icu::BasicTimeZone &tz);
    /// ICU's getNextTransition walk, the reference `build` must equal (see zones.cpp).
    void buildByWalking(const icu::BasicTimeZone &tz);
    bool operator==(const OffsetTable &other) const;
    /// The index of the last transition at or before `t` plus one (0: before every transition).
    size_t count(double t) const;
    int32_t offset(double t, int32_t *isDST) const;
    /// Daylight saving seconds in effect after transition `k - 1` (before every one when 0).
    int32_t savings(size_t k) const { return k == 0 ? initialSavings : savingsAfter[k - 1]; }

  private:
    bool buildFromRules(const icu::BasicTimeZone &tz);
    /// Empties the table and sets the offsets before its span, also given back in milliseconds.
    void reset(const icu::BasicTimeZone &tz, int32_t &raw, int32_t &dst);
};

struct AgendaZone {
    std::unique_ptr<icu::BasicTimeZone> tz;
    uint64_t serial;  // unique per opened zone, so per-thread formatter caches never trust a reused pointer
    OffsetTable table;
};

namespace agenda {

/// Copies `s` into (out, cap) with a NUL when it fits; returns the length the result needs.
inline int32_t copyOut(const std::string &s, char *out, int32_t cap) {
    if (out && cap > 0) {
        size_t n = s.size() < size_t(cap) ? s.size() : size_t(cap - 1);
        std::memcpy(out, s.data(), n);
        out[n] = '\0';
    }
    return int32_t(s.size());
}

inline std::string utf8(const icu::UnicodeString &u) {
    std::string s;
    u.toUTF8String(s);
    return s;
}

/// Builds an ICU RuleBasedTimeZone from the bytes of a TZif file (RFC 8536), including the footer's
/// POSIX rule for times after the last transition. Returns nullptr when the data is not TZif.
icu::BasicTimeZone *zoneFromTZif(const std::string &id, const std::vector<uint8_t> &bytes);

/// The tz database in use: a TZif directory, or ICU's built-in data when that is newer.
struct TzDatabase {
    bool useICU = false;
    std::string directory;
    std::string version;
};
const TzDatabase &tzDatabase();
void resetTzDatabase();

}  // namespace agenda
