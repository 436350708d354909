// Localized dates through ICU. Formatters are costly to create, so each thread keeps its own
// (ICU formatters are not thread-safe) keyed by locale and pattern, and re-targets the zone only
// when it changes.
#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <mutex>
#include <string_view>
#include <unordered_map>
#include <unicode/dtintrv.h>
#include <unicode/dtitvfmt.h>
#include <unicode/smpdtfmt.h>
#include <unicode/timezone.h>
#include <unicode/tznames.h>
#include <unicode/tztrans.h>
#include <unicode/ures.h>

#include "internal.hpp"

using namespace icu;

namespace {

/// Texts made, by a key that holds everything the text depends on. Bounded: it is cleared when
/// full, which costs only the re-formatting of what comes back.
struct TextMemo {
    std::unordered_map<std::string, std::string> texts;

    const std::string *find(const std::string &key) const {
        auto hit = texts.find(key);
        return hit == texts.end() ? nullptr : &hit->second;
    }

    const std::string &remember(std::string key, std::string text) {
        if (texts.size() >= 4096) texts.clear();
        return texts.insert_or_assign(std::move(key), std::move(text)).first->second;
    }
};

template <class Formatter>
struct Cached {
    std::unique_ptr<Formatter> formatter;
    uint64_t zoneSerial = ~uint64_t(0);
};


template <class Formatter>
bool setZone(Cached<Formatter> &c, const AgendaZone *zone) {
    uint64_t serial = zone ? zone->serial : 0;
    if (c.zoneSerial == serial) return true;
    if (zone) c.formatter->setTimeZone(*zone->tz);
    else c.formatter->adoptTimeZone(TimeZone::getGMT()->clone());
    c.zoneSerial = serial;
    return true;
}

}  // namespace

using agenda::copyOut;
using agenda::utf8;

/// The instant formatted with an ICU pattern, or false for a pattern ICU rejects.
static bool formatPattern(const AgendaZone *zone, const char *locale, const char *pattern, double utcSeconds,
                          std::string &text) {
    thread_local std::map<std::string, Cached<SimpleDateFormat>> cache;
    std::string key = std::string(locale) + "\x1f" + pattern;
    auto &c = cache[key];
    if (!c.formatter) {
        UErrorCode status = U_ZERO_ERROR;
        auto f = std::make_unique<SimpleDateFormat>(UnicodeString::fromUTF8(pattern), Locale(locale), status);
        if (U_FAILURE(status)) {
            cache.erase(key);
            return false;
        }
        c.formatter = std::move(f);
    }
    setZone(c, zone);
    UnicodeString s;
    c.formatter->format(utcSeconds * 1000.0, s);
    text = utf8(s);
    return true;
}

/// ICU's interval text for `skeleton` in `locale` (in `zone`, or UTC), not remembered; 0 or an
/// AGENDA_E_ code.
static int32_t formatInterval(const AgendaZone *zone, const char *locale, const char *skeleton, double startSeconds,
                              double endSeconds, std::string &text) {
    thread_local std::map<std::string, Cached<DateIntervalFormat>> cache;
    std::string key = std::string(locale) + "\x1f" + skeleton;
    auto &c = cache[key];
    if (!c.formatter) {
        UErrorCode status = U_ZERO_ERROR;
        std::unique_ptr<DateIntervalFormat> f(
            DateIntervalFormat::createInstance(UnicodeString::fromUTF8(skeleton), Locale(locale), status));
        if (U_FAILURE(status) || !f) {
            cache.erase(key);
            return AGENDA_E_ARGUMENT;
        }
        c.formatter = std::move(f);
    }
    setZone(c, zone);
    UErrorCode status = U_ZERO_ERROR;
    UnicodeString s;
    FieldPosition pos(FieldPosition::DONT_CARE);
    DateInterval interval(startSeconds * 1000.0, endSeconds * 1000.0);
    c.formatter->format(&interval, s, pos, status);
    if (U_FAILURE(status)) return AGENDA_E_ICU;
    text = utf8(s);
    return AGENDA_OK;
}

extern "C" {

int32_t agenda_format_pattern(const AgendaZone *zone, const char *locale, const char *pattern,
                              double utcSeconds, char *out, int32_t cap) {
    std::string text;
    if (!formatPattern(zone, locale, pattern, utcSeconds, text)) return AGENDA_E_ARGUMENT;
    return copyOut(text, out, cap);
}

int32_t agenda_format_interval(const AgendaZone *zone, const char *locale, const char *skeleton,
                               double startSeconds, double endSeconds, char *out, int32_t cap) {
    // In UTC (wall times, as the exporter asks) the text is a function of the locale, the
    // skeleton and the two instants alone, and ICU's interval formatting was a fifth of an
    // export's time: texts are remembered per thread. Events cluster on the same days and hours,
    // so a batch asks for far fewer distinct ranges than it has events. Bounded: cleared when full.
    thread_local TextMemo texts;
    std::string memoKey;
    if (!zone) {
        memoKey.reserve(64);
        memoKey.append(locale).append("\x1f").append(skeleton).append("\x1f");
        memoKey.append(reinterpret_cast<const char *>(&startSeconds), sizeof startSeconds);
        memoKey.append(reinterpret_cast<const char *>(&endSeconds), sizeof endSeconds);
        if (const std::string *hit = texts.find(memoKey)) return copyOut(*hit, out, cap);
    }
    std::string text;
    if (int32_t error = formatInterval(zone, locale, skeleton, startSeconds, endSeconds, text)) return error;
    if (!zone) return copyOut(texts.remember(std::move(memoKey), std::move(text)), out, cap);
    return copyOut(text, out, cap);
}

int32_t agenda_zone_display_name(const AgendaZone *zone, const char *locale, const char *style,
                                 double utcSeconds, char *out, int32_t cap) {
    return agenda_format_pattern(zone, locale, style, utcSeconds, out, cap);
}

}  // extern "C"

// ICU's generic non-location name (TZGNCore::formatGenericNonLocationName, tzgnames.cpp, ICU 72)
// depends on: the zone's metazone at the instant; its raw and DST offsets; when in standard time,
// whether a transition from or to daylight time lies within 184 days; and the offsets of the
// metazone's reference ("golden") zone for the locale's region at that wall time. The fallbacks
// (the zone's own generic name, its location, the GMT format) depend on the zone and the offset.
// Asking ICU for the name clones the zone twice (the formatter, then the DST check), which for a
// zone read from TZif costs far more than formatting.
//
// So a name is remembered with the span of instants over which all of that stays the same: a
// batch asks again and again within a few such spans (a zone's months of standard or daylight
// time), and an instant inside one is answered by a comparison. A name's key (`NameContext::key`)
// lets spans with the same inputs share one formatting.
namespace {

constexpr double dstCheckRange = 184.0 * 86400.0;  // kDstCheckRange in tzgnames.cpp
constexpr double infinity = std::numeric_limits<double>::infinity();

/// What the name at an instant depends on, and the instants around it with the same inputs.
struct NameContext {
    std::string key;
    double from = -infinity, to = infinity;  // [from, to)

    void narrow(double a, double b) {
        from = std::max(from, a);
        to = std::min(to, b);
    }
};

/// Seconds since 1970 of "yyyy-MM-dd HH:mm" (UTC), as CLDR's metazone mappings write their dates.
bool mappingDate(const UChar *text, int32_t length, double &seconds) {
    if (length != 16) return false;
    auto digits = [&](int at, int count) {
        int value = 0;
        for (int i = at; i < at + count; i++) {
            if (text[i] < u'0' || text[i] > u'9') return -1;
            value = value * 10 + (text[i] - u'0');
        }
        return value;
    };
    int y = digits(0, 4), m = digits(5, 2), d = digits(8, 2), hh = digits(11, 2), mm = digits(14, 2);
    if (y < 0 || m < 1 || m > 12 || d < 1 || hh < 0 || mm < 0) return false;
    // Days from the civil date (H. Hinnant's algorithm).
    int yy = m <= 2 ? y - 1 : y;
    int era = (yy >= 0 ? yy : yy - 399) / 400;
    int yoe = yy - era * 400;
    int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    double days = double(era) * 146097 + doe - 719468;
    seconds = days * 86400 + hh * 3600 + mm * 60;
    return true;
}

/// The metazone of a (CLDR canonical) zone at `t` with the span it holds, read from CLDR's
/// mappings ("metaZones" / "metazoneInfo", where ZoneMeta reads them): between mappings, or for a
/// zone without any, the metazone is none. False when the data cannot be read as expected.
bool metazoneSpan(const UnicodeString &canonical, double t, UnicodeString &metazone, double &from, double &to) {
    struct Closer {
        void operator()(UResourceBundle *r) const { ures_close(r); }
    };
    using Bundle = std::unique_ptr<UResourceBundle, Closer>;
    static const Bundle info = [] {
        UErrorCode status = U_ZERO_ERROR;
        Bundle root(ures_openDirect(nullptr, "metaZones", &status));
        Bundle table(U_SUCCESS(status) ? ures_getByKey(root.get(), "metazoneInfo", nullptr, &status) : nullptr);
        return U_SUCCESS(status) ? std::move(table) : Bundle();
    }();
    if (!info) return false;
    std::string key = utf8(canonical);
    std::replace(key.begin(), key.end(), '/', ':');
    metazone.remove();
    from = -infinity;
    to = infinity;
    UErrorCode status = U_ZERO_ERROR;
    Bundle mappings(ures_getByKey(info.get(), key.c_str(), nullptr, &status));
    if (status == U_MISSING_RESOURCE_ERROR) return true;  // no metazone, ever
    if (U_FAILURE(status)) return false;
    for (int32_t i = 0; i < ures_getSize(mappings.get()); i++) {
        Bundle mapping(ures_getByIndex(mappings.get(), i, nullptr, &status));
        if (U_FAILURE(status)) return false;
        int32_t size = ures_getSize(mapping.get()), length = 0;
        const UChar *id = ures_getStringByIndex(mapping.get(), 0, &length, &status);
        double start = 0, end = 253402300740.0;  // ZoneMeta's defaults: 1970-01-01 00:00, 9999-12-31 23:59
        if (size == 3) {
            int32_t fromLength = 0, toLength = 0;
            const UChar *fromText = ures_getStringByIndex(mapping.get(), 1, &fromLength, &status);
            const UChar *toText = ures_getStringByIndex(mapping.get(), 2, &toLength, &status);
            if (U_FAILURE(status) || !mappingDate(fromText, fromLength, start) || !mappingDate(toText, toLength, end))
                return false;
        } else if (size != 1 || U_FAILURE(status)) {
            return false;
        }
        if (start <= t && t < end) {  // ZoneMeta::getMetazoneID: from <= date && to > date
            metazone.setTo(id, length);
            from = start;
            to = end;
            return true;
        }
        if (end <= t) from = std::max(from, end);
        else to = std::min(to, start);
    }
    return true;
}

/// The offsets of ICU's `zone` for the wall time `wall`, read as ICU reads it (`local`), and the
/// wall times around it with the same answer. A transition at universal time T from offset a to b
/// falls, in wall time, somewhere in [T + min(a, b), T + max(a, b)] (where depends on how ICU
/// resolves skipped and repeated wall times), so the span stops a second short of that. False when
/// `wall` is inside such a stretch, or ICU cannot say.
bool wallOffsets(const TimeZone &zone, double wall, int32_t &raw, int32_t &savings, double &from, double &to) {
    UErrorCode status = U_ZERO_ERROR;
    zone.getOffset(wall * 1000.0, true, raw, savings, status);
    if (U_FAILURE(status)) return false;
    auto basic = dynamic_cast<const BasicTimeZone *>(&zone);
    if (!basic) return false;
    auto offsets = [](const TimeZoneTransition &t) {
        int32_t a = t.getFrom()->getRawOffset() + t.getFrom()->getDSTSavings();
        int32_t b = t.getTo()->getRawOffset() + t.getTo()->getDSTSavings();
        return std::make_pair(std::min(a, b) / 1000.0, std::max(a, b) / 1000.0);
    };
    // Walked back from two days after `wall` (further than any zone's offset): the first
    // transition after that, and those between whose stretch lies after `wall`, end the span; the
    // first whose stretch lies before it starts it.
    from = -infinity;
    to = infinity;
    TimeZoneTransition transition;
    double probe = (wall + 2 * 86400.0) * 1000.0;
    if (basic->getNextTransition(probe, false, transition))
        to = transition.getTime() / 1000.0 + offsets(transition).first;
    UBool inclusive = true;
    for (int steps = 0; basic->getPreviousTransition(probe, inclusive, transition); steps++) {
        double at = transition.getTime() / 1000.0;
        auto [low, high] = offsets(transition);
        if (at + high < wall) {
            from = std::nextafter(at + high, infinity);
            break;
        }
        if (at + low <= wall || steps == 16) return false;  // inside the stretch (or a zone gone odd)
        to = std::min(to, at + low);
        probe = transition.getTime();
        inclusive = false;
    }
    return from <= wall && wall < to;
}

}  // namespace

/// Everything the zone's generic name at `t` depends on, as `context.key`, and the span around
/// `t` with the same (empty when it cannot be told); false when ICU must be asked directly (too
/// close to the table's ends, or a locale ICU has no names for).
static bool nameContext(const AgendaZone *zone, const char *locale, double utcSeconds, NameContext &context) {
    const OffsetTable &table = zone->table;
    if (utcSeconds - dstCheckRange < OffsetTable::start || utcSeconds + dstCheckRange >= OffsetTable::end)
        return false;
    context.narrow(OffsetTable::start + dstCheckRange, OffsetTable::end - dstCheckRange);

    size_t n = table.count(utcSeconds);
    context.narrow(n == 0 ? -infinity : table.when[n - 1], n < table.when.size() ? table.when[n] : infinity);
    int32_t savings = table.savings(n);
    int32_t raw = (n == 0 ? table.initial : table.after[n - 1]) - savings;
    bool useStandard = false;
    if (savings == 0) {
        // getPreviousTransition(date, inclusive) and getNextTransition(date, exclusive), as ICU.
        bool dstBefore = false, dstAfter = false;
        if (n > 0 && table.savings(n - 1) != 0) {
            double edge = table.when[n - 1] + dstCheckRange;  // daylight time just before, until here
            dstBefore = utcSeconds < edge;
            if (dstBefore) context.narrow(-infinity, edge);
            else context.narrow(edge, infinity);
        }
        if (n < table.when.size() && table.savings(n + 1) != 0) {
            double edge = table.when[n] - dstCheckRange;  // daylight time just after, from past here
            dstAfter = utcSeconds > edge;
            double past = std::nextafter(edge, infinity);
            if (dstAfter) context.narrow(past, infinity);
            else context.narrow(-infinity, past);
        }
        useStandard = !dstBefore && !dstAfter;
    }

    // The reference zone of a metazone depends on the locale's region, so it is kept per locale.
    struct ReferenceZone {
        UnicodeString id;
        std::unique_ptr<TimeZone> zone;  // ICU's own, made when first needed
    };
    struct Names {
        std::unique_ptr<TimeZoneNames> names;
        std::string region;
        std::unordered_map<std::string, ReferenceZone> referenceZones;  // by metazone
    };
    thread_local std::map<std::string, Names> byLocale;
    auto &entry = byLocale[locale];
    if (!entry.names) {
        UErrorCode status = U_ZERO_ERROR;
        entry.names.reset(TimeZoneNames::createInstance(Locale(locale), status));
        if (U_FAILURE(status) || !entry.names) {
            byLocale.erase(locale);
            return false;
        }
        // TZGNCore's target region: the locale's, or its likely one.
        Locale l(locale);
        if (*l.getCountry() == 0) {
            UErrorCode likely = U_ZERO_ERROR;
            l.addLikelySubtags(likely);
        }
        entry.region = l.getCountry();
    }
    thread_local std::unordered_map<uint64_t, UnicodeString> canonicalIDs;
    auto known = canonicalIDs.find(zone->serial);
    if (known == canonicalIDs.end()) {
        UnicodeString id, canonical;
        zone->tz->getID(id);
        UErrorCode status = U_ZERO_ERROR;
        TimeZone::getCanonicalID(id, canonical, status);
        known = canonicalIDs.emplace(zone->serial, U_FAILURE(status) ? id : canonical).first;
    }
    const UnicodeString &canonical = known->second;
    UDate date = utcSeconds * 1000.0;
    UnicodeString metazone, mapped;
    entry.names->getMetaZoneID(canonical, date, metazone);
    if (metazone.isBogus()) metazone.remove();  // none
    // ICU's answer is the one used; the span read from the same data must agree with it, or
    // the name holds for this instant alone.
    double mappedFrom = 0, mappedTo = 0;
    if (metazoneSpan(canonical, utcSeconds, mapped, mappedFrom, mappedTo) && mapped == metazone)
        context.narrow(mappedFrom, mappedTo);
    else
        context.narrow(utcSeconds, utcSeconds);
    std::string metazoneName = utf8(metazone);
    context.key = std::to_string(zone->serial) + "|" + locale + "|" + metazoneName + "|" + std::to_string(raw) + "|" +
                  std::to_string(savings) + "|" + (useStandard ? "S" : "G");
    if (!metazone.isEmpty()) {
        auto &reference = entry.referenceZones[metazoneName];
        if (reference.id.isEmpty() && !reference.zone) {
            entry.names->getReferenceZoneID(metazone, entry.region.c_str(), reference.id);
        }
        if (!reference.id.isEmpty() && reference.id != canonical) {
            if (!reference.zone) reference.zone.reset(TimeZone::createTimeZone(reference.id));
            // ICU asks at the wall time read as local: date + (raw + savings) * 1000.
            int32_t offset = raw + savings, goldenRaw = 0, goldenSavings = 0;
            double wallFrom = 0, wallTo = 0;
            if (wallOffsets(*reference.zone, utcSeconds + offset, goldenRaw, goldenSavings, wallFrom, wallTo))
                context.narrow(wallFrom - offset, wallTo - offset);
            else
                context.narrow(utcSeconds, utcSeconds);
            context.key += "|" + std::to_string(goldenRaw / 1000) + "|" + std::to_string(goldenSavings / 1000);
        }
    }
    return true;
}

/// Names with the spans they hold, per zone and locale, for one thread. Bounded: a zone's list is
/// cleared when full.
struct NameSpans {
    struct Span {
        double from, to;
        std::string name;
    };
    std::vector<Span> spans;  // by `from`
    size_t last = 0;          // the span that answered last: a batch asks near it again

    const std::string *find(double t) {
        if (last < spans.size() && spans[last].from <= t && t < spans[last].to) return &spans[last].name;
        auto after = std::upper_bound(spans.begin(), spans.end(), t, [](double t, const Span &s) { return t < s.from; });
        if (after == spans.begin() || !(t < std::prev(after)->to)) return nullptr;
        last = size_t(std::prev(after) - spans.begin());
        return &spans[last].name;
    }

    const std::string &remember(double from, double to, std::string name) {
        if (spans.size() >= 512) spans.clear();
        auto at = std::upper_bound(spans.begin(), spans.end(), from, [](double f, const Span &s) { return f < s.from; });
        last = size_t(spans.insert(at, Span{from, to, std::move(name)}) - spans.begin());
        return spans[last].name;
    }
};

extern "C" {

int32_t agenda_zone_generic_name(const AgendaZone *zone, const char *locale, double utcSeconds, char *out, int32_t cap) {
    thread_local std::unordered_map<uint64_t, std::map<std::string, NameSpans, std::less<>>> spansByZone;
    auto &byLocale = spansByZone[zone->serial];
    auto spans = byLocale.find(std::string_view(locale));
    if (spans != byLocale.end()) {
        if (const std::string *hit = spans->second.find(utcSeconds)) return copyOut(*hit, out, cap);
    }
    NameContext context;
    if (!nameContext(zone, locale, utcSeconds, context)) {
        return agenda_format_pattern(zone, locale, "vvvv", utcSeconds, out, cap);
    }
    // The names themselves are shared by the threads: ICU's formatting of one (about a million
    // instructions, two zone clones) was otherwise done again on each worker and on each thread
    // that makes a feed at the end. Copied out under the lock, as a full memo is cleared.
    static std::mutex namesLock;
    static TextMemo names;
    std::string name;
    bool known = false;
    {
        std::lock_guard<std::mutex> guard(namesLock);
        if (const std::string *hit = names.find(context.key)) {
            name = *hit;
            known = true;
        }
    }
    if (!known) {
        if (!formatPattern(zone, locale, "vvvv", utcSeconds, name)) return AGENDA_E_ARGUMENT;
        std::lock_guard<std::mutex> guard(namesLock);
        names.remember(context.key, name);
    }
    if (!(context.from <= utcSeconds && utcSeconds < context.to)) return copyOut(name, out, cap);
    if (spans == byLocale.end()) spans = byLocale.emplace(locale, NameSpans()).first;
    return copyOut(spans->second.remember(context.from, context.to, std::move(name)), out, cap);
}

}  // extern "C"

/// A bridge call's text, the buffer grown until it fits; false when the call fails.
template <class Fill>
static bool textOf(Fill fill, std::string &text) {
    char small[256];
    int32_t needed = fill(small, int32_t(sizeof small));
    if (needed < 0) return false;
    if (needed < int32_t(sizeof small)) {
        text.assign(small, size_t(needed));
        return true;
    }
    std::string big(size_t(needed) + 1, '\0');
    if (fill(big.data(), needed + 1) != needed) return false;
    big.resize(size_t(needed));
    text = std::move(big);
    return true;
}

namespace {

/// What a "when" text depends on: the zone, the two instants, the locale and the skeleton (the
/// wall times follow from the zone and the instants).
struct WhenKey {
    uint64_t zone;
    double start, end;
    uint64_t names;  // the locale and skeleton, by their number in the thread's `WhenNames`

    bool operator==(const WhenKey &o) const {
        return zone == o.zone && start == o.start && end == o.end && names == o.names;
    }
};

/// The locale-and-skeleton pairs a thread has asked for, numbered (a handful: one per language).
struct WhenNames {
    std::vector<std::string> seen;

    uint64_t number(const char *locale, const char *skeleton) {
        size_t l = std::strlen(locale);
        for (size_t i = 0; i < seen.size(); i++) {
            const std::string &p = seen[i];  // compared in place: a joined key was a heap block a call
            if (p.size() > l && p.compare(0, l, locale) == 0 && p[l] == '\x1f' && p.compare(l + 1, p.npos, skeleton) == 0)
                return i;
        }
        seen.push_back(std::string(locale) + "\x1f" + skeleton);
        return seen.size() - 1;
    }
};

struct WhenKeyHash {
    size_t operator()(const WhenKey &k) const {
        uint64_t h = k.zone * 0x9E3779B97F4A7C15ull;
        uint64_t bits[2];
        std::memcpy(bits, &k.start, 8);
        std::memcpy(bits + 1, &k.end, 8);
        h = (h ^ bits[0]) * 0xFF51AFD7ED558CCDull;
        h = (h ^ bits[1]) * 0xC4CEB9FE1A85EC53ull;
        h = (h ^ k.names) * 0x100000001B3ull;
        return size_t(h ^ (h >> 29));
    }
};

}  // namespace

extern "C" {

int32_t agenda_format_when(const AgendaZone *zone, const char *locale, const char *skeleton, double startSeconds,
                           double endSeconds, char *out, int32_t cap) {
    // Every event's "when" text; a batch has far fewer distinct ones than events. Remembered
    // whole per thread, by a key on the stack: the two memos behind it were each a heap-allocated
    // key, a hash over it, a copy out and a Swift string, and the Swift side joined the two.
    // The interval is formatted without its own memo (`agenda_format_interval`'s): this one
    // answers for it, and the two together held twice the memory.
    thread_local std::unordered_map<WhenKey, std::string, WhenKeyHash> memo;
    thread_local WhenNames names;
    if (!zone) return AGENDA_E_ARGUMENT;
    WhenKey key{zone->serial, startSeconds, endSeconds, names.number(locale, skeleton)};
    auto hit = memo.find(key);
    if (hit != memo.end()) return copyOut(hit->second, out, cap);
    // The skeleton shows wall time only: the wall times are formatted in UTC (see
    // `DateText.range`), and worked out only here, for a text not yet remembered.
    double fromWall = startSeconds + agenda_zone_offset(zone, startSeconds, nullptr);
    double toWall = endSeconds + agenda_zone_offset(zone, endSeconds, nullptr);
    std::string text, name;
    if (int32_t error = formatInterval(nullptr, locale, skeleton, fromWall, toWall, text)) return error;
    if (!textOf([&](char *o, int32_t c) { return agenda_zone_generic_name(zone, locale, startSeconds, o, c); }, name))
        return AGENDA_E_ICU;
    std::string when = name.empty() ? std::move(text) : text + " (" + name + ")";
    if (memo.size() >= 4096) memo.clear();
    return copyOut(memo.emplace(key, std::move(when)).first->second, out, cap);
}

}  // extern "C"
