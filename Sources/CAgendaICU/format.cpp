// Localized dates through ICU. Formatters are costly to create, so each thread keeps its own
// (ICU formatters are not thread-safe) keyed by locale and pattern, and re-targets the zone only
// when it changes.
#include <map>
#include <unordered_map>
#include <unicode/dtintrv.h>
#include <unicode/dtitvfmt.h>
#include <unicode/smpdtfmt.h>
#include <unicode/timezone.h>
#include <unicode/tznames.h>

#include "internal.hpp"

using namespace icu;

namespace {

/// Texts a thread has made, by a key that holds everything the text depends on. Bounded: it is
/// cleared when full, which costs only the re-formatting of what comes back.
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
    std::string text = utf8(s);
    if (!zone) return copyOut(texts.remember(std::move(memoKey), std::move(text)), out, cap);
    return copyOut(text, out, cap);
}

int32_t agenda_zone_display_name(const AgendaZone *zone, const char *locale, const char *style,
                                 double utcSeconds, char *out, int32_t cap) {
    return agenda_format_pattern(zone, locale, style, utcSeconds, out, cap);
}

// ICU's generic non-location name (TZGNCore::formatGenericNonLocationName, tzgnames.cpp, ICU 72)
// depends on: the zone's metazone at the instant; its raw and DST offsets; when in standard time,
// whether a transition from or to daylight time lies within 184 days; and the offsets of the
// metazone's reference ("golden") zone for the locale's region at that wall time. The fallbacks
// (the zone's own generic name, its location, the GMT format) depend on the zone and the offset.
// Asking ICU for the name clones the zone twice (the formatter, then the DST check), which for a
// zone read from TZif costs far more than formatting; the key costs a few lookups.
static bool nameContext(const AgendaZone *zone, const char *locale, double utcSeconds, std::string &key) {
    static constexpr double dstCheckRange = 184.0 * 86400.0;  // kDstCheckRange
    const OffsetTable &table = zone->table;
    if (utcSeconds - dstCheckRange < OffsetTable::start || utcSeconds + dstCheckRange >= OffsetTable::end)
        return false;

    size_t n = table.count(utcSeconds);
    int32_t savings = table.savings(n);
    int32_t raw = (n == 0 ? table.initial : table.after[n - 1]) - savings;
    bool useStandard = false;
    if (savings == 0) {
        // getPreviousTransition(date, inclusive) and getNextTransition(date, exclusive), as ICU.
        bool dstBefore = n > 0 && utcSeconds - table.when[n - 1] < dstCheckRange && table.savings(n - 1) != 0;
        bool dstAfter = n < table.when.size() && table.when[n] - utcSeconds < dstCheckRange && table.savings(n + 1) != 0;
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
    UnicodeString metazone;
    entry.names->getMetaZoneID(canonical, date, metazone);
    std::string metazoneName = utf8(metazone);
    key = std::to_string(zone->serial) + "|" + locale + "|" + metazoneName + "|" + std::to_string(raw) + "|" +
          std::to_string(savings) + "|" + (useStandard ? "S" : "G");
    if (!metazone.isEmpty()) {
        auto &reference = entry.referenceZones[metazoneName];
        if (reference.id.isEmpty() && !reference.zone) {
            entry.names->getReferenceZoneID(metazone, entry.region.c_str(), reference.id);
        }
        if (!reference.id.isEmpty() && reference.id != canonical) {
            if (!reference.zone) reference.zone.reset(TimeZone::createTimeZone(reference.id));
            int32_t goldenRaw = 0, goldenSavings = 0;
            UErrorCode s = U_ZERO_ERROR;
            reference.zone->getOffset(date + (raw + savings) * 1000.0, true, goldenRaw, goldenSavings, s);
            key += "|" + std::to_string(goldenRaw / 1000) + "|" + std::to_string(goldenSavings / 1000);
        }
    }
    return true;
}

int32_t agenda_zone_generic_name(const AgendaZone *zone, const char *locale, double utcSeconds, char *out, int32_t cap) {
    std::string key;
    if (!nameContext(zone, locale, utcSeconds, key)) {
        return agenda_format_pattern(zone, locale, "vvvv", utcSeconds, out, cap);
    }
    thread_local TextMemo names;
    if (const std::string *hit = names.find(key)) return copyOut(*hit, out, cap);
    std::string name;
    if (!formatPattern(zone, locale, "vvvv", utcSeconds, name)) return AGENDA_E_ARGUMENT;
    return copyOut(names.remember(std::move(key), std::move(name)), out, cap);
}

}  // extern "C"
