// Zone database selection and zone math. One source of truth: the newest tz data on the machine.
#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <sstream>
#include <unicode/simpletz.h>
#include <unicode/strenum.h>
#include <unicode/timezone.h>
#include <unicode/tztrans.h>
#include <unicode/tzrule.h>
#include <unicode/uclean.h>
#include <unicode/uversion.h>
#include <unicode/vtzone.h>

#include "internal.hpp"

using namespace icu;

namespace {

std::mutex dbMutex;
std::unique_ptr<agenda::TzDatabase> db;
std::atomic<uint64_t> nextSerial{1};

bool readFile(const std::string &path, std::vector<uint8_t> &out) {
    std::ifstream f(path, std::ios::binary);
    if (!f) return false;
    out.assign(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
    return true;
}

/// "2025b" from tzdata.zi's first line ("# version 2025b") or a "+VERSION" file.
std::string directoryVersion(const std::string &dir) {
    std::ifstream zi(dir + "/tzdata.zi");
    std::string line;
    if (zi && std::getline(zi, line) && line.rfind("# version ", 0) == 0) return line.substr(10);
    std::ifstream v(dir + "/+VERSION");
    if (v && std::getline(v, line) && !line.empty()) return line;
    return "";
}

/// tz versions are a year and a letter run: "2022e" < "2025b" < "2025ba".
bool newer(const std::string &a, const std::string &b) {
    if (a.size() < 5) return false;
    if (b.size() < 5) return true;
    if (a.substr(0, 4) != b.substr(0, 4)) return a.substr(0, 4) > b.substr(0, 4);
    if (a.size() != b.size()) return a.size() > b.size();
    return a > b;
}

std::string icuTzVersion() {
    UErrorCode status = U_ZERO_ERROR;
    const char *v = TimeZone::getTZDataVersion(status);
    return U_SUCCESS(status) && v ? v : "";
}

bool validZoneName(const std::string &id) {
    if (id.empty() || id.size() > 128 || id[0] == '/' || id.find("..") != std::string::npos) return false;
    for (char ch : id)
        if (!(std::isalnum((unsigned char)ch) || ch == '/' || ch == '_' || ch == '-' || ch == '+')) return false;
    return true;
}

}  // namespace

namespace agenda {

const TzDatabase &tzDatabase() {
    std::lock_guard<std::mutex> lock(dbMutex);
    if (!db) {
        auto d = std::make_unique<TzDatabase>();
        const char *env = std::getenv("TZDIR");
        bool pinned = env && *env;
        d->directory = pinned ? env : "/usr/share/zoneinfo";
        std::string dirVersion = directoryVersion(d->directory);
        std::string builtin = icuTzVersion();
        // TZDIR pins the data (tests); otherwise take whichever is newer.
        if (pinned || newer(dirVersion, builtin) || (dirVersion.empty() && builtin.empty())) {
            d->version = dirVersion.empty() ? "unknown" : dirVersion;
        } else {
            d->useICU = true;
            d->version = builtin;
        }
        db = std::move(d);
    }
    return *db;
}

void resetTzDatabase() {
    std::lock_guard<std::mutex> lock(dbMutex);
    db.reset();
}

}  // namespace agenda

using agenda::copyOut;
using agenda::utf8;

// ICU's own walk (getNextTransition from 1800 on) copies the rules on both sides of every
// transition into the TimeZoneTransition, and a TimeArrayTimeZoneRule copy re-sorts all its start
// times: for a zone rebuilt from TZif, about 20,000 instructions a transition, 5 million a zone,
// most of the cost of opening one. `build` asks instead at the instants where some rule starts and
// keeps those where the offsets change, which is what ICU's walk reports; `buildByWalking` is the
// walk itself, for zones whose rules are not of the two kinds that need (and for the self-check).
void OffsetTable::build(const BasicTimeZone &tz) {
    if (!buildFromRules(tz)) buildByWalking(tz);
}

void OffsetTable::reset(const BasicTimeZone &tz, int32_t &raw, int32_t &dst) {
    UErrorCode status = U_ZERO_ERROR;
    tz.getOffset(start * 1000.0, false, raw, dst, status);
    initial = (raw + dst) / 1000;
    initialSavings = dst / 1000;
    when.clear();
    after.clear();
    savingsAfter.clear();
}

void OffsetTable::buildByWalking(const BasicTimeZone &tz) {
    int32_t raw = 0, dst = 0;
    reset(tz, raw, dst);
    TimeZoneTransition tr;
    double cursor = start * 1000.0;
    while (tz.getNextTransition(cursor, false, tr) && tr.getTime() < end * 1000.0) {
        cursor = tr.getTime();
        when.push_back(cursor / 1000.0);
        after.push_back((tr.getTo()->getRawOffset() + tr.getTo()->getDSTSavings()) / 1000);
        savingsAfter.push_back(tr.getTo()->getDSTSavings() / 1000);
    }
}

bool OffsetTable::buildFromRules(const BasicTimeZone &tz) {
    UErrorCode status = U_ZERO_ERROR;
    int32_t count = tz.countTransitionRules(status);
    if (U_FAILURE(status) || count < 0) return false;
    const InitialTimeZoneRule *initialRule = nullptr;
    std::vector<const TimeZoneRule *> rules(size_t(count) + 1);
    int32_t got = count;
    tz.getTimeZoneRules(initialRule, rules.data(), got, status);  // the zone's own rules, not copies
    if (U_FAILURE(status) || got != count) return false;
    // Every instant at which some rule starts within the table's span: a transition can only be
    // one of them.
    std::vector<double> candidates;
    std::vector<const AnnualTimeZoneRule *> annual;
    for (int32_t k = 0; k < count; k++) {
        if (auto *times = dynamic_cast<const TimeArrayTimeZoneRule *>(rules[k])) {
            if (times->getTimeType() != DateTimeRule::UTC_TIME) return false;
            for (int32_t i = 0, n = times->countStartTimes(); i < n; i++) {
                UDate t;
                if (!times->getStartTimeAt(i, t)) return false;
                candidates.push_back(t);
            }
        } else if (auto *yearly = dynamic_cast<const AnnualTimeZoneRule *>(rules[k])) {
            annual.push_back(yearly);
        } else {
            return false;
        }
    }
    // ICU's final rules come in pairs, each starting from the other's offsets (as
    // RuleBasedTimeZone and OlsonTimeZone compute them).
    if (!annual.empty()) {
        if (annual.size() != 2) return false;
        int32_t firstYear = 1799, lastYear = 2200;
        for (size_t a = 0; a < 2; a++) {
            const AnnualTimeZoneRule *rule = annual[a], *other = annual[1 - a];
            for (int32_t year = std::max(rule->getStartYear(), firstYear); year <= std::min(rule->getEndYear(), lastYear); year++) {
                UDate t;
                if (rule->getStartInYear(year, other->getRawOffset(), other->getDSTSavings(), t)) candidates.push_back(t);
            }
        }
    }
    std::sort(candidates.begin(), candidates.end());
    candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());
    int32_t raw = 0, dst = 0;  // in force before the candidate at hand
    reset(tz, raw, dst);
    for (UDate t : candidates) {
        if (t <= start * 1000.0 || t >= end * 1000.0) continue;
        int32_t r = 0, d = 0;
        tz.getOffset(t, false, r, d, status);
        if (U_FAILURE(status)) return false;
        if (r == raw && d == dst) continue;  // a name change alone: ICU's walk skips it too
        raw = r;
        dst = d;
        when.push_back(t / 1000.0);
        after.push_back((r + d) / 1000);
        savingsAfter.push_back(d / 1000);
    }
    return true;
}

bool OffsetTable::operator==(const OffsetTable &o) const {
    return initial == o.initial && initialSavings == o.initialSavings && when == o.when && after == o.after &&
           savingsAfter == o.savingsAfter;
}

size_t OffsetTable::count(double t) const {
    return size_t(std::upper_bound(when.begin(), when.end(), t) - when.begin());
}

int32_t OffsetTable::offset(double t, int32_t *isDST) const {
    size_t n = count(t);
    if (isDST) *isDST = savings(n) != 0;
    return n == 0 ? initial : after[n - 1];
}

// zone.tab: one zone per line, "CO\t+0436-07405\tAmerica/Bogota", comments after '#'. Calls
// `line(code, coordinates, zone)` for each until it returns false (nothing when it cannot be read).
template <class Body>
static void forEachZoneTabLine(const std::string &directory, Body line) {
    std::ifstream tab(directory + "/zone.tab");
    std::string text;
    while (std::getline(tab, text)) {
        if (text.empty() || text[0] == '#') continue;
        std::istringstream fields(text);
        std::string code, coords, zone;
        std::getline(fields, code, '\t');
        std::getline(fields, coords, '\t');
        std::getline(fields, zone, '\t');
        if (!line(code, coords, zone)) break;
    }
}

extern "C" {

int32_t agenda_tz_version(char *out, int32_t cap) { return copyOut(agenda::tzDatabase().version, out, cap); }

int32_t agenda_tz_source(char *out, int32_t cap) {
    const auto &d = agenda::tzDatabase();
    return copyOut(d.useICU ? std::string("icu") : d.directory, out, cap);
}

int32_t agenda_icu_builtin_tz_version(char *out, int32_t cap) { return copyOut(icuTzVersion(), out, cap); }

int32_t agenda_icu_version(char *out, int32_t cap) {
    UVersionInfo v;
    char s[U_MAX_VERSION_STRING_LENGTH];
    u_getVersion(v);
    u_versionToString(v, s);
    return copyOut(s, out, cap);
}

void agenda_tz_reset(void) { agenda::resetTzDatabase(); }

int32_t agenda_country_zones(const char *country, char *out, int32_t cap) {
    std::string cc = country ? country : "", result;
    const auto &d = agenda::tzDatabase();
    if (!d.useICU) {
        forEachZoneTabLine(d.directory, [&](const std::string &code, const std::string &, const std::string &zone) {
            if (code == cc) result += zone + "\n";
            return true;
        });
        if (!result.empty()) return copyOut(result, out, cap);
    }
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<StringEnumeration> zones(
        TimeZone::createTimeZoneIDEnumeration(UCAL_ZONE_TYPE_CANONICAL_LOCATION, cc.c_str(), nullptr, status));
    if (U_FAILURE(status)) return AGENDA_E_ICU;
    while (const UnicodeString *z = zones->snext(status)) result += utf8(*z) + "\n";
    return copyOut(result, out, cap);
}

// zone.tab writes a location as ±DDMM±DDDMM or ±DDMMSS±DDDMMSS (ISO 6709).
static double iso6709(const std::string &s, size_t degreeDigits) {
    if (s.size() < 1 + degreeDigits + 2) return 0;
    double sign = s[0] == '-' ? -1 : 1;
    double deg = std::stod(s.substr(1, degreeDigits));
    double min = std::stod(s.substr(1 + degreeDigits, 2));
    double sec = s.size() >= 1 + degreeDigits + 4 ? std::stod(s.substr(1 + degreeDigits + 2, 2)) : 0;
    return sign * (deg + min / 60 + sec / 3600);
}

int32_t agenda_zone_location(const char *zone, double *latitude, double *longitude) {
    const auto &d = agenda::tzDatabase();
    if (d.useICU || !zone) return AGENDA_E_UNKNOWN_ZONE;
    std::string wanted = zone;
    int32_t result = AGENDA_E_UNKNOWN_ZONE;
    forEachZoneTabLine(d.directory, [&](const std::string &, const std::string &coords, const std::string &id) {
        if (id != wanted) return true;
        size_t split = coords.find_first_of("+-", 1);
        if (split == std::string::npos) return false;
        try {
            *latitude = iso6709(coords.substr(0, split), 2);
            *longitude = iso6709(coords.substr(split), 3);
            result = 0;
        } catch (...) {
        }
        return false;
    });
    return result;
}

int32_t agenda_windows_zone(const char *windowsId, const char *region, char *out, int32_t cap) {
    UErrorCode status = U_ZERO_ERROR;
    UnicodeString id;
    TimeZone::getIDForWindowsID(UnicodeString::fromUTF8(windowsId), region, id, status);
    if (U_FAILURE(status)) return AGENDA_E_ICU;
    if (id.isEmpty()) return AGENDA_E_UNKNOWN_ZONE;
    return copyOut(utf8(id), out, cap);
}

int32_t agenda_canonical_zone(const char *id, char *out, int32_t cap) {
    // tz "backward" links are symlinks or hard links in the TZif tree; ICU knows the CLDR aliases.
    // ICU's canonical ids are CLDR ids (Asia/Calcutta); prefer the tz link target when the tree has one.
    std::string name = id ? id : "";
    const auto &d = agenda::tzDatabase();
    if (!d.useICU && validZoneName(name)) {
        char buf[4096];
        std::string path = d.directory + "/" + name;
        if (char *real = realpath(path.c_str(), buf)) {
            std::string target = real;
            std::string root = d.directory;
            char rootBuf[4096];
            if (char *rr = realpath(root.c_str(), rootBuf)) root = rr;
            if (target.rfind(root + "/", 0) == 0 && target != path) return copyOut(target.substr(root.size() + 1), out, cap);
        }
    }
    UErrorCode status = U_ZERO_ERROR;
    UnicodeString canonical;
    UBool isSystem = false;
    TimeZone::getCanonicalID(UnicodeString::fromUTF8(name), canonical, isSystem, status);
    if (U_SUCCESS(status) && isSystem) return copyOut(utf8(canonical), out, cap);
    return copyOut(name, out, cap);
}

static int32_t icuOffset(const BasicTimeZone &tz, double utcSeconds, int32_t *isDST) {
    UErrorCode status = U_ZERO_ERROR;
    int32_t raw = 0, dst = 0;
    tz.getOffset(utcSeconds * 1000.0, false, raw, dst, status);
    if (isDST) *isDST = dst != 0;
    return (raw + dst) / 1000;
}

static int32_t icuLocalToUTC(const BasicTimeZone &tz, double localSeconds, double *utcSeconds);

static AgendaZone *withTable(AgendaZone *zone) {
    zone->table.build(*zone->tz);
    return zone;
}

AgendaZone *agenda_zone_open(const char *cid, int32_t *error) {
    std::string id = cid ? cid : "";
    *error = AGENDA_OK;
    const auto &d = agenda::tzDatabase();
    BasicTimeZone *tz = nullptr;
    if (d.useICU) {
        TimeZone *t = TimeZone::createTimeZone(UnicodeString::fromUTF8(id));
        if (!t || *t == TimeZone::getUnknown()) {
            delete t;
            *error = AGENDA_E_UNKNOWN_ZONE;
            return nullptr;
        }
        tz = dynamic_cast<BasicTimeZone *>(t);
        if (!tz) {
            delete t;
            *error = AGENDA_E_ICU;
            return nullptr;
        }
    } else {
        std::vector<uint8_t> bytes;
        if (!validZoneName(id) || !readFile(d.directory + "/" + id, bytes)) {
            *error = AGENDA_E_UNKNOWN_ZONE;
            return nullptr;
        }
        tz = agenda::zoneFromTZif(id, bytes);
        if (!tz) {
            *error = bytes.size() >= 4 && std::memcmp(bytes.data(), "TZif", 4) == 0 ? AGENDA_E_BAD_TZIF
                                                                                   : AGENDA_E_UNKNOWN_ZONE;
            return nullptr;
        }
    }
    return withTable(new AgendaZone{std::unique_ptr<BasicTimeZone>(tz), nextSerial++, {}});
}

AgendaZone *agenda_zone_open_fixed(const char *id, int32_t offsetSeconds, int32_t *error) {
    *error = AGENDA_OK;
    auto *tz = new SimpleTimeZone(offsetSeconds * 1000, UnicodeString::fromUTF8(id ? id : "UTC"));
    return withTable(new AgendaZone{std::unique_ptr<BasicTimeZone>(tz), nextSerial++, {}});
}

void agenda_zone_close(AgendaZone *zone) { delete zone; }

int32_t agenda_zone_offset(const AgendaZone *zone, double utcSeconds, int32_t *isDST) {
    if (utcSeconds >= OffsetTable::start && utcSeconds < OffsetTable::end) return zone->table.offset(utcSeconds, isDST);
    return icuOffset(*zone->tz, utcSeconds, isDST);
}

int32_t agenda_zone_local_to_utc(const AgendaZone *zone, double localSeconds, double *utcSeconds) {
    // Within the table: the transitions within two days of the wall time are the only ones that
    // can make it ambiguous or nonexistent (no offset is a day or more).
    const OffsetTable &t = zone->table;
    if (localSeconds - 2 * 86400 >= OffsetTable::start && localSeconds + 2 * 86400 < OffsetTable::end) {
        size_t last = t.count(localSeconds + 2 * 86400);
        for (size_t k = t.count(localSeconds - 2 * 86400); k < last; k++) {
            int32_t before = k == 0 ? t.initial : t.after[k - 1], after = t.after[k];
            double lo = t.when[k] + std::min(before, after), hi = t.when[k] + std::max(before, after);
            if (localSeconds >= lo && localSeconds < hi) {
                // FORMER, as below: the offset before the change, for a gap and for an overlap.
                *utcSeconds = localSeconds - before;
                return before < after ? AGENDA_LOCAL_GAP : AGENDA_LOCAL_OVERLAP;
            }
        }
        int32_t guess = t.offset(localSeconds, nullptr);
        int32_t actual = t.offset(localSeconds - guess, nullptr);
        *utcSeconds = localSeconds - actual;
        return AGENDA_LOCAL_OK;
    }
    return icuLocalToUTC(*zone->tz, localSeconds, utcSeconds);
}

int32_t agenda_icu_zone_table_agrees(const char *id) {
    std::unique_ptr<TimeZone> t(TimeZone::createTimeZone(UnicodeString::fromUTF8(id ? id : "")));
    auto *tz = dynamic_cast<const BasicTimeZone *>(t.get());
    if (!tz || *t == TimeZone::getUnknown()) return -1;
    OffsetTable fromRules, walked;
    fromRules.build(*tz);
    walked.buildByWalking(*tz);
    return fromRules == walked ? 1 : 0;
}

int32_t agenda_zone_check_table(const AgendaZone *zone, double from, double to, double step) {
    int32_t mismatches = 0;
    // The table's transitions are exactly those of ICU's own walk.
    OffsetTable walked;
    walked.buildByWalking(*zone->tz);
    if (!(walked == zone->table)) mismatches++;
    for (double t = from; t < to; t += step) {
        int32_t d1 = 0, d2 = 0;
        if (agenda_zone_offset(zone, t, &d1) != icuOffset(*zone->tz, t, &d2) || d1 != d2) mismatches++;
        double u1 = 0, u2 = 0;
        if (agenda_zone_local_to_utc(zone, t, &u1) != icuLocalToUTC(*zone->tz, t, &u2) || u1 != u2) mismatches++;
    }
    // Around every transition, where mistakes would hide.
    const OffsetTable &table = zone->table;
    for (double w : table.when) {
        if (w < from || w >= to) continue;
        for (double d : {-7201.0, -3601.0, -1.0, 0.0, 1.0, 1799.0, 3599.0, 3600.0, 7199.0}) {
            int32_t d1 = 0, d2 = 0;
            if (agenda_zone_offset(zone, w + d, &d1) != icuOffset(*zone->tz, w + d, &d2) || d1 != d2) mismatches++;
            for (double local : {w + d + table.initial, w + d - 3600, w + d + 3600, w + d + 10800, w + d - 10800}) {
                double u1 = 0, u2 = 0;
                if (agenda_zone_local_to_utc(zone, local, &u1) != icuLocalToUTC(*zone->tz, local, &u2) || u1 != u2)
                    mismatches++;
            }
        }
    }
    return mismatches;
}

static int32_t icuLocalToUTC(const BasicTimeZone &tz, double localSeconds, double *utcSeconds) {
    UErrorCode status = U_ZERO_ERROR;
    int32_t raw = 0, dst = 0, raw2 = 0, dst2 = 0;
    double local = localSeconds * 1000.0;
    // FORMER: a nonexistent time is read with the offset before the gap (RFC 5545 §3.3.5) and an
    // ambiguous time as its first occurrence. LATTER tells whether the time sits at a transition.
    tz.getOffsetFromLocal(local, UCAL_TZ_LOCAL_FORMER, UCAL_TZ_LOCAL_FORMER, raw, dst, status);
    tz.getOffsetFromLocal(local, UCAL_TZ_LOCAL_LATTER, UCAL_TZ_LOCAL_LATTER, raw2, dst2, status);
    int32_t former = raw + dst, latter = raw2 + dst2;
    *utcSeconds = (local - former) / 1000.0;
    if (former == latter) return AGENDA_LOCAL_OK;
    return former < latter ? AGENDA_LOCAL_GAP : AGENDA_LOCAL_OVERLAP;
}

int32_t agenda_zone_next_transition(const AgendaZone *zone, double utcSeconds, double *when,
                                    int32_t *offsetBefore, int32_t *offsetAfter) {
    TimeZoneTransition tr;
    if (!zone->tz->getNextTransition(utcSeconds * 1000.0, false, tr)) return 0;
    *when = tr.getTime() / 1000.0;
    *offsetBefore = (tr.getFrom()->getRawOffset() + tr.getFrom()->getDSTSavings()) / 1000;
    *offsetAfter = (tr.getTo()->getRawOffset() + tr.getTo()->getDSTSavings()) / 1000;
    return 1;
}

int32_t agenda_zone_previous_transition(const AgendaZone *zone, double utcSeconds, double *when,
                                        int32_t *offsetBefore, int32_t *offsetAfter) {
    TimeZoneTransition tr;
    if (!zone->tz->getPreviousTransition(utcSeconds * 1000.0, true, tr)) return 0;
    *when = tr.getTime() / 1000.0;
    *offsetBefore = (tr.getFrom()->getRawOffset() + tr.getFrom()->getDSTSavings()) / 1000;
    *offsetAfter = (tr.getTo()->getRawOffset() + tr.getTo()->getDSTSavings()) / 1000;
    return 1;
}

int32_t agenda_zone_vtimezone(const AgendaZone *zone, double startSeconds, char *out, int32_t cap) {
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<VTimeZone> vtz(VTimeZone::createVTimeZoneFromBasicTimeZone(*zone->tz, status));
    if (U_FAILURE(status) || !vtz) return AGENDA_E_ICU;
    UnicodeString text;
    vtz->write(startSeconds * 1000.0, text, status);  // never write(): ICU-22132
    if (U_FAILURE(status)) return AGENDA_E_ICU;
    return copyOut(utf8(text), out, cap);
}

}  // extern "C"
