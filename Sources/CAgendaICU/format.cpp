// Localized dates through ICU. Formatters are costly to create, so each thread keeps its own
// (ICU formatters are not thread-safe) keyed by locale and pattern, and re-targets the zone only
// when it changes.
#include <map>
#include <unicode/dtintrv.h>
#include <unicode/dtitvfmt.h>
#include <unicode/smpdtfmt.h>
#include <unicode/timezone.h>

#include "internal.hpp"

using namespace icu;

namespace {

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

extern "C" {

int32_t agenda_format_pattern(const AgendaZone *zone, const char *locale, const char *pattern,
                              double utcSeconds, char *out, int32_t cap) {
    thread_local std::map<std::string, Cached<SimpleDateFormat>> cache;
    std::string key = std::string(locale) + "\x1f" + pattern;
    auto &c = cache[key];
    if (!c.formatter) {
        UErrorCode status = U_ZERO_ERROR;
        auto f = std::make_unique<SimpleDateFormat>(UnicodeString::fromUTF8(pattern), Locale(locale), status);
        if (U_FAILURE(status)) {
            cache.erase(key);
            return AGENDA_E_ARGUMENT;
        }
        c.formatter = std::move(f);
    }
    setZone(c, zone);
    UnicodeString s;
    c.formatter->format(utcSeconds * 1000.0, s);
    return copyOut(utf8(s), out, cap);
}

int32_t agenda_format_interval(const AgendaZone *zone, const char *locale, const char *skeleton,
                               double startSeconds, double endSeconds, char *out, int32_t cap) {
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
    return copyOut(utf8(s), out, cap);
}

int32_t agenda_zone_display_name(const AgendaZone *zone, const char *locale, const char *style,
                                 double utcSeconds, char *out, int32_t cap) {
    return agenda_format_pattern(zone, locale, style, utcSeconds, out, cap);
}

}  // extern "C"
