import CAgendaICU

/// Human-readable and protocol date strings, all through ICU and the zone data in use.
public enum DateText {
    /// Skeletons for ICU's date-interval formatting: weekday, day, month, year, and the locale's
    /// preferred hour cycle (`j`).
    static let timedSkeleton = "yMMMMEEEEdjmm"
    static let dateSkeleton = "yMMMMEEEEd"

    /// "jueves, 30 de mayo de 2024, 8:00–11:30 (hora de Colombia)".
    ///
    /// The zone's localized generic name follows in parentheses, so readers elsewhere see which
    /// clock is meant. Multi-day ranges repeat the date on both sides.
    public static func range(from start: Instant, to end: Instant, in zone: Zone, locale: String) -> String {
        // The skeleton shows wall time only, so ICU formats the wall times in UTC: switching an ICU
        // formatter's zone clones the zone, which for a batch cycling through 50 zones cost more
        // than the formatting itself.
        // Both parts and their joining in one call, remembered whole (`agenda_format_when`);
        // the way below when it fails, which says what failed.
        if let when = withCStrings(locale, timedSkeleton, { locale, skeleton in
            bridgeString {
                agenda_format_when(zone.handle, locale, skeleton, Double(start.secondsSince1970),
                                   Double(end.secondsSince1970), $0, $1)
            }
        }) {
            return when
        }
        return composedRange(from: start, to: end, in: zone, locale: locale)
    }

    /// `range(from:to:in:locale:)` made from its two parts each time (the tests compare the two).
    static func composedRange(from start: Instant, to end: Instant, in zone: Zone, locale: String) -> String {
        let (from, to) = (Double(wallSeconds(start, zone)), Double(wallSeconds(end, zone)))
        let text = withCStrings(locale, timedSkeleton) { locale, skeleton in
            bridgeString { agenda_format_interval(nil, locale, skeleton, from, to, $0, $1) }
        } ?? ""
        let name = zoneName(zone, at: start, locale: locale)
        guard !name.isEmpty else { return text }
        // The whole text written once into a string of its size (this runs for every event;
        // four appends cost more than the copy).
        return text.withUTF8Bytes { t in
            name.withUTF8Bytes { n in
                String(unsafeUninitializedCapacity: t.count + n.count + 3) { out in
                    var i = out.initialize(fromContentsOf: t)
                    out[i] = UInt8(ascii: " ")
                    out[i + 1] = UInt8(ascii: "(")
                    i += 2
                    i += UnsafeMutableBufferPointer(rebasing: out[i...]).initialize(fromContentsOf: n)
                    out[i] = UInt8(ascii: ")")
                    return i + 1
                }
            }
        }
    }

    /// "jueves, 30 de mayo de 2024" or "30 de mayo – 1 de junio de 2024": an all-day range with an
    /// inclusive last day.
    public static func range(from first: CivilDate, through last: CivilDate, locale: String) -> String {
        let s = Double(first.daysSinceEpoch) * 86400 + 43200
        let e = Double(last.daysSinceEpoch) * 86400 + 43200
        return bridgeString { agenda_format_interval(nil, locale, dateSkeleton, s, e, $0, $1) } ?? first.description
    }

    /// The zone's localized generic name ("hora de Colombia", "Colombia Time"), or its GMT form
    /// for zones CLDR has no name for.
    public static func zoneName(_ zone: Zone, at instant: Instant, locale: String) -> String {
        // Asking ICU costs two clones of the zone, so names are remembered by everything ICU's
        // choice depends on (see `agenda_zone_generic_name`): never by offset alone, which gave
        // Cairo's April events the name of its November ones, depending on which came first.
        locale.withCString { locale in
            bridgeString { agenda_zone_generic_name(zone.handle, locale, Double(instant.secondsSince1970), $0, $1) }
        } ?? zone.id
    }

    /// ICU's answer, asked every time (the tests compare it with the cached one).
    static func uncachedZoneName(_ zone: Zone, at instant: Instant, locale: String) -> String {
        bridgeString {
            agenda_zone_display_name(zone.handle, locale, "vvvv", Double(instant.secondsSince1970), $0, $1)
        } ?? zone.id
    }

    /// The wall time at an instant, counted in seconds as if it were UTC.
    private static func wallSeconds(_ instant: Instant, _ zone: Zone) -> Int64 {
        instant.secondsSince1970 + Int64(zone.offset(at: instant))
    }

    /// RFC 822 date for RSS: English names, four-digit year, numeric zone, always `en_US_POSIX`
    /// whatever the feed's language ("Thu, 30 May 2024 08:00:00 -0500").
    public static func rfc822(_ instant: Instant, in zone: Zone? = nil) -> String {
        bridgeString {
            agenda_format_pattern(zone?.handle, "en_US_POSIX", "EEE, dd MMM yyyy HH:mm:ss xx",
                                  Double(instant.secondsSince1970), $0, $1)
        } ?? ""
    }

    /// Any ICU date pattern in a locale and zone.
    public static func format(_ instant: Instant, pattern: String, locale: String, in zone: Zone? = nil) -> String {
        if let zone, !pattern.contains(where: { "zZvVOXx".contains($0) }) {
            // Wall-time fields only: format the wall time in UTC (see `range(from:to:in:locale:)`).
            return bridgeString {
                agenda_format_pattern(nil, locale, pattern, Double(wallSeconds(instant, zone)), $0, $1)
            } ?? ""
        }
        return bridgeString {
            agenda_format_pattern(zone?.handle, locale, pattern, Double(instant.secondsSince1970), $0, $1)
        } ?? ""
    }
}

/// `body` with the C strings of `a` and `b`. Passing a `String` straight to a C parameter made a
/// new array for it on every call when it was a short one (a language tag, a skeleton), kept in
/// the string itself; `withCString` puts those on the stack.
func withCStrings<R>(_ a: String, _ b: String, _ body: (UnsafePointer<CChar>, UnsafePointer<CChar>) -> R) -> R {
    a.withCString { a in b.withCString { b in body(a, b) } }
}
