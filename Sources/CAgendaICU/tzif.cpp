// TZif (RFC 8536) → icu::RuleBasedTimeZone.
//
// Debian's ICU 72 carries tz data 2022e, which is wrong for several zones in 2024–2026; the system
// tzdata package is maintained. So every zone is rebuilt from its TZif file: each transition becomes
// part of a TimeArrayTimeZoneRule, and the footer's POSIX TZ string becomes the two AnnualTimeZoneRules
// ICU uses after the last transition. ICU then does offsets, formatting and VTIMEZONE from it.
#include <map>
#include <tuple>
#include <unicode/dtrule.h>
#include <unicode/rbtz.h>
#include <unicode/tzrule.h>

#include "internal.hpp"

using namespace icu;

namespace {

struct Reader {
    const std::vector<uint8_t> &b;
    size_t pos = 0;
    bool ok = true;
    bool need(size_t n) {
        if (pos + n > b.size()) ok = false;
        return ok;
    }
    int64_t be(size_t n) {
        if (!need(n)) return 0;
        uint64_t v = 0;
        for (size_t i = 0; i < n; i++) v = (v << 8) | b[pos + i];
        pos += n;
        if (n == 4) return int64_t(int32_t(uint32_t(v)));
        return int64_t(v);
    }
    uint8_t u8() {
        if (!need(1)) return 0;
        return b[pos++];
    }
};

struct LocalType {
    int32_t utoff;
    bool isdst;
    std::string abbr;
};

// ---- POSIX TZ strings ("CET-1CEST,M3.5.0,M10.5.0/3", "<-03>3", "IST-2IDT,M3.4.4/26,M10.5.0") ----

struct Posix {
    std::string stdName, dstName;
    int32_t stdOffset = 0, dstOffset = 0;  // seconds east of UTC
    bool hasDST = false;
    // rule: kind 'M' (month, week, day), 'J' (1-based day without Feb 29), 'N' (0-based day)
    struct When {
        char kind = 'M';
        int month = 0, week = 0, day = 0, julian = 0;
        int32_t time = 7200;  // seconds of local wall time, may be negative or > 24h
    } start, end;
};

bool parseName(const std::string &s, size_t &i, std::string &name) {
    if (i < s.size() && s[i] == '<') {
        size_t close = s.find('>', i);
        if (close == std::string::npos) return false;
        name = s.substr(i + 1, close - i - 1);
        i = close + 1;
        return !name.empty();
    }
    size_t b = i;
    while (i < s.size() && std::isalpha((unsigned char)s[i])) i++;
    name = s.substr(b, i - b);
    return name.size() >= 3;
}

bool parseHMS(const std::string &s, size_t &i, int32_t &seconds) {
    int sign = 1;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) sign = s[i++] == '-' ? -1 : 1;
    int32_t parts[3] = {0, 0, 0};
    int n = 0;
    while (n < 3) {
        size_t b = i;
        int32_t v = 0;
        while (i < s.size() && std::isdigit((unsigned char)s[i])) v = v * 10 + (s[i++] - '0');
        if (i == b) return false;
        parts[n++] = v;
        if (i < s.size() && s[i] == ':') i++;
        else break;
    }
    seconds = sign * (parts[0] * 3600 + parts[1] * 60 + parts[2]);
    return true;
}

bool parseWhen(const std::string &s, size_t &i, Posix::When &w) {
    auto number = [&](int &v) {
        size_t b = i;
        v = 0;
        while (i < s.size() && std::isdigit((unsigned char)s[i])) v = v * 10 + (s[i++] - '0');
        return i > b;
    };
    if (i >= s.size()) return false;
    if (s[i] == 'M') {
        i++;
        w.kind = 'M';
        if (!number(w.month) || i >= s.size() || s[i++] != '.') return false;
        if (!number(w.week) || i >= s.size() || s[i++] != '.') return false;
        if (!number(w.day)) return false;
        if (w.month < 1 || w.month > 12 || w.week < 1 || w.week > 5 || w.day > 6) return false;
    } else if (s[i] == 'J') {
        i++;
        w.kind = 'J';
        if (!number(w.julian) || w.julian < 1 || w.julian > 365) return false;
    } else {
        w.kind = 'N';
        if (!number(w.julian) || w.julian > 365) return false;
    }
    w.time = 7200;
    if (i < s.size() && s[i] == '/') {
        i++;
        if (!parseHMS(s, i, w.time)) return false;
    }
    return true;
}

bool parsePosix(const std::string &s, Posix &p) {
    size_t i = 0;
    if (!parseName(s, i, p.stdName)) return false;
    int32_t west;
    if (!parseHMS(s, i, west)) return false;
    p.stdOffset = -west;
    if (i == s.size()) return true;
    if (!parseName(s, i, p.dstName)) return false;
    p.hasDST = true;
    p.dstOffset = p.stdOffset + 3600;
    if (i < s.size() && s[i] != ',') {
        if (!parseHMS(s, i, west)) return false;
        p.dstOffset = -west;
    }
    if (i >= s.size() || s[i++] != ',') return false;
    if (!parseWhen(s, i, p.start)) return false;
    if (i >= s.size() || s[i++] != ',') return false;
    if (!parseWhen(s, i, p.end)) return false;
    return i == s.size();
}

DateTimeRule *dateTimeRule(const Posix::When &w) {
    int32_t millis = w.time * 1000;
    // POSIX allows times outside 0–24h ("M9.1.6/24": first Saturday at 24:00, i.e. the Sunday
    // after it; "M3.5.0/-1"). ICU computes those, but its VTIMEZONE writer would print them as
    // 23:59:59 on the wrong weekday, so move whole days into the date rule where it can be exact.
    int32_t shift = w.time >= 0 ? w.time / 86400 : -((-w.time + 86399) / 86400);
    if (w.kind == 'M' && shift != 0 && shift > -7 && shift < 7) {
        static const int monthDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
        int32_t rest = (w.time - shift * 86400) * 1000;
        int dow = ((w.day + shift) % 7 + 7) % 7 + 1;
        if (w.week < 5) {
            int dom = (w.week - 1) * 7 + 1 + shift;
            if (dom >= 1) return new DateTimeRule(w.month - 1, dom, dow, true, rest, DateTimeRule::WALL_TIME);
        } else if (shift > 0 && w.month < 12) {
            // the weekday on or before day `shift` of the next month
            return new DateTimeRule(w.month, shift, dow, false, rest, DateTimeRule::WALL_TIME);
        } else if (shift < 0 && w.month != 2) {
            return new DateTimeRule(w.month - 1, monthDays[w.month - 1] + shift, dow, false, rest,
                                    DateTimeRule::WALL_TIME);
        }
    }
    if (w.kind == 'M') {
        if (w.week == 5) return new DateTimeRule(w.month - 1, -1, w.day + 1, millis, DateTimeRule::WALL_TIME);
        return new DateTimeRule(w.month - 1, (w.week - 1) * 7 + 1, w.day + 1, true, millis,
                                DateTimeRule::WALL_TIME);
    }
    // Day-of-year forms; 'J' never counts February 29, 'N' does (approximated on a common year,
    // which current tz data never needs).
    static const int monthDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int day = w.kind == 'J' ? w.julian - 1 : w.julian;
    int month = 0;
    while (month < 11 && day >= monthDays[month]) day -= monthDays[month++];
    return new DateTimeRule(month, day + 1, millis, DateTimeRule::WALL_TIME);
}

int32_t civilYear(int64_t seconds) {
    // Howard Hinnant's days→civil algorithm.
    int64_t z = (seconds >= 0 ? seconds / 86400 : (seconds - 86399) / 86400) + 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    int64_t m = mp < 10 ? mp + 3 : mp - 9;
    return int32_t(yoe + era * 400 + (m <= 2 ? 1 : 0));
}

}  // namespace

namespace agenda {

BasicTimeZone *zoneFromTZif(const std::string &id, const std::vector<uint8_t> &bytes) {
    Reader r{bytes};
    if (bytes.size() < 44 || std::memcmp(bytes.data(), "TZif", 4) != 0) return nullptr;
    auto header = [&](int64_t c[6]) {
        r.pos += 20;  // magic, version, unused
        for (int k = 0; k < 6; k++) c[k] = r.be(4);
    };
    int64_t c[6];  // isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt
    char version = char(bytes[4]);
    header(c);
    size_t timeSize = 4;
    if (version >= '2') {
        r.pos += c[3] * 4 + c[3] + c[4] * 6 + c[5] + c[2] * 8 + c[1] + c[0];
        header(c);
        timeSize = 8;
    }
    if (!r.ok || c[4] < 1 || c[4] > 256 || c[3] < 0 || c[3] > 100000) return nullptr;
    std::vector<int64_t> times(c[3]);
    for (auto &t : times) t = r.be(timeSize);
    std::vector<uint8_t> index(c[3]);
    for (auto &x : index) x = r.u8();
    std::vector<LocalType> types(c[4]);
    std::vector<uint8_t> abbrIndex(c[4]);
    for (int64_t k = 0; k < c[4]; k++) {
        types[k].utoff = int32_t(r.be(4));
        types[k].isdst = r.u8() != 0;
        abbrIndex[k] = r.u8();
    }
    if (!r.need(c[5])) return nullptr;
    std::string chars(reinterpret_cast<const char *>(bytes.data() + r.pos), size_t(c[5]));
    r.pos += c[5];
    for (int64_t k = 0; k < c[4]; k++) {
        if (abbrIndex[k] >= chars.size()) return nullptr;
        types[k].abbr = std::string(chars.c_str() + abbrIndex[k]);
    }
    r.pos += c[2] * (timeSize + 4) + c[1] + c[0];
    std::string footer;
    if (timeSize == 8 && r.ok && r.pos < bytes.size() && bytes[r.pos] == '\n') {
        size_t end = r.pos + 1;
        while (end < bytes.size() && bytes[end] != '\n') end++;
        footer.assign(reinterpret_cast<const char *>(bytes.data() + r.pos + 1), end - r.pos - 1);
    }
    for (auto x : index)
        if (x >= types.size()) return nullptr;
    if (!r.ok) return nullptr;

    UErrorCode status = U_ZERO_ERROR;
    UnicodeString uid = UnicodeString::fromUTF8(id);
    const LocalType &first = types[0];
    auto *rbtz = new RuleBasedTimeZone(
        uid, new InitialTimeZoneRule(UnicodeString::fromUTF8(first.abbr), first.utoff * 1000, 0));

    // TZif gives only the total offset and a DST flag; ICU wants raw + savings. The raw offset of a
    // DST period is the standard offset next to it. A non-positive saving (Dublin's negative DST)
    // is kept as standard time with the exact total offset.
    std::map<std::tuple<std::string, int32_t, int32_t>, std::vector<UDate>> groups;
    auto stdNear = [&](size_t i) -> int64_t {
        for (size_t j = i; j-- > 0;)
            if (!types[index[j]].isdst) return types[index[j]].utoff;
        for (size_t j = i + 1; j < index.size(); j++)
            if (!types[index[j]].isdst) return types[index[j]].utoff;
        return INT64_MIN;
    };
    for (size_t i = 0; i < times.size(); i++) {
        const LocalType &t = types[index[i]];
        int32_t raw = t.utoff, save = 0;
        if (t.isdst) {
            int64_t s = stdNear(i);
            if (s == INT64_MIN) s = t.utoff - 3600;
            if (t.utoff - s > 0) {
                raw = int32_t(s);
                save = t.utoff - raw;
            }
        }
        groups[{t.abbr, raw * 1000, save * 1000}].push_back(double(times[i]) * 1000.0);
    }
    for (auto &g : groups) {
        auto &ts = g.second;
        rbtz->addTransitionRule(new TimeArrayTimeZoneRule(UnicodeString::fromUTF8(std::get<0>(g.first)),
                                                          std::get<1>(g.first), std::get<2>(g.first),
                                                          ts.data(), int32_t(ts.size()),
                                                          DateTimeRule::UTC_TIME),
                                status);
    }

    Posix p;
    if (!footer.empty() && parsePosix(footer, p) && p.hasDST && p.dstOffset != p.stdOffset) {
        int32_t startYear = times.empty() ? 1970 : civilYear(times.back());
        Posix::When dstStart = p.start, dstEnd = p.end;
        std::string dstName = p.dstName, stdName = p.stdName;
        int32_t raw = p.stdOffset, save = p.dstOffset - p.stdOffset;
        if (save < 0) {  // negative DST: the "DST" period is the lower offset; flip the roles
            std::swap(dstStart, dstEnd);
            std::swap(dstName, stdName);
            raw = p.dstOffset;
            save = -save;
        }
        rbtz->addTransitionRule(new AnnualTimeZoneRule(UnicodeString::fromUTF8(dstName), raw * 1000, save * 1000,
                                                       dateTimeRule(dstStart), startYear,
                                                       AnnualTimeZoneRule::MAX_YEAR),
                                status);
        rbtz->addTransitionRule(new AnnualTimeZoneRule(UnicodeString::fromUTF8(stdName), raw * 1000, 0,
                                                       dateTimeRule(dstEnd), startYear,
                                                       AnnualTimeZoneRule::MAX_YEAR),
                                status);
    }
    rbtz->complete(status);
    if (U_FAILURE(status)) {
        delete rbtz;
        return nullptr;
    }
    return rbtz;
}

}  // namespace agenda
