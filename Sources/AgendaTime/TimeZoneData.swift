import CAgendaICU
import Synchronization

/// Facts about the tz database that every zone computation uses.
///
/// Agenda reads the newest tz data on the machine: the system TZif tree (`/usr/share/zoneinfo`, or
/// `TZDIR` when set, which pins a copy) unless ICU's built-in data is newer. Debian 12's ICU 72
/// carries 2022e, which is wrong for Mexico City and Asunción in 2024–2026 and does not know
/// America/Ciudad_Juarez; the tzdata package is kept current.
public enum TimeZoneData {
    /// The tz version in use, e.g. "2025b".
    public static var version: String { bridgeString { agenda_tz_version($0, $1) } ?? "unknown" }
    /// The TZif directory in use, or "icu" when ICU's built-in data is used.
    public static var source: String { bridgeString { agenda_tz_source($0, $1) } ?? "unknown" }
    /// The ICU library version.
    public static var icuVersion: String { bridgeString { agenda_icu_version($0, $1) } ?? "unknown" }
    /// The tz version compiled into ICU (used only when it is the newest).
    public static var icuBuiltinVersion: String {
        bridgeString { agenda_icu_builtin_tz_version($0, $1) } ?? "unknown"
    }

    /// Re-reads `TZDIR` and forgets every loaded zone. For tests that pin a tzdata copy.
    public static func reload() {
        ZoneCache.shared.removeAll()
        canonicalCache.withLock { $0.removeAll() }
        locationCache.withLock { $0.removeAll() }
        countryCache.withLock { $0.removeAll() }
        agenda_tz_reset()
    }

    /// IANA zones of an ISO 3166-1 country, from the tz data in use (`zone.tab`).
    public static func zones(inCountry country: String) -> [String] {
        if let cached = countryCache.withLock({ $0[country] }) { return cached }
        let list = bridgeString { agenda_country_zones(country, $0, $1) } ?? ""
        let zones = list.split(separator: "\n").map(String.init)
        countryCache.withLock { cache in
            if cache.count > 1_000 { cache.removeAll() }  // codes come from input: keep it bounded
            cache[country] = zones
        }
        return zones
    }

    private static let countryCache = Mutex<[String: [String]]>([:])

    /// The principal location of a zone (`zone.tab`: Australia/Lord_Howe is at -31.55, 159.08), or
    /// nil when the tz data has none for it. Looked up once per zone.
    public static func location(ofZone id: String) -> (latitude: Double, longitude: Double)? {
        if let cached = locationCache.withLock({ $0[id] }) { return cached }
        var lat = 0.0, lon = 0.0
        let found = agenda_zone_location(id, &lat, &lon) == 0 ? (lat, lon) : nil
        locationCache.withLock { $0[id] = .some(found) }
        return found
    }

    private static let locationCache = Mutex<[String: (latitude: Double, longitude: Double)?]>([:])

    /// The IANA zone for a Windows zone name ("SA Pacific Standard Time" → "America/Bogota"),
    /// through CLDR's windowsZones data in ICU. `region` picks a territory-specific mapping.
    public static func ianaZone(forWindowsZone name: String, region: String? = nil) -> String? {
        bridgeString { agenda_windows_zone(name, region ?? "001", $0, $1) }
    }

    /// The canonical id of a zone link ("Asia/Calcutta" → "Asia/Kolkata").
    public static func canonicalID(_ id: String) -> String {
        if let cached = canonicalCache.withLock({ $0[id] }) { return cached }
        let result = bridgeString { agenda_canonical_zone(id, $0, $1) } ?? id
        canonicalCache.withLock { $0[id] = result }
        return result
    }

    private static let canonicalCache = Mutex<[String: String]>([:])
}
