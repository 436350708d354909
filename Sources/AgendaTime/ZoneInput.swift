/// How a record's `timeZone` text became a zone, for diagnostics and `agenda zones`.
public struct ZoneDecision: Sendable {
    public enum Kind: Sendable, Hashable {
        /// An IANA id of the tz database in use.
        case iana
        /// An IANA link (`Asia/Calcutta`), kept as written; its rules are the target's.
        case alias(canonical: String)
        /// A Windows zone name mapped through CLDR (`SA Pacific Standard Time` → `America/Bogota`).
        case windows(name: String)
        /// A fixed offset (`UTC-5`) matched to the one zone of the venue's country with that offset.
        case offsetMatched(offset: Int, country: String)
        /// A fixed offset kept as such (no daylight saving time).
        case fixedOffset(Int)
    }

    public var zone: Zone
    public var kind: Kind
    /// What a user should hear about (worth fixing in the input).
    public var warnings: [String] = []
    /// What happened, for `agenda zones`. For a plain IANA id (nearly every record) it is made
    /// when asked: every record's zone is decided, and only that command says how.
    public var explanation: String {
        get { detail ?? "IANA zone \(zone.id)" }
        set { detail = newValue }
    }
    private var detail: String?

    init(zone: Zone, kind: Kind, warnings: [String] = [], explanation: String?) {
        self.zone = zone
        self.kind = kind
        self.warnings = warnings
        detail = explanation
    }
}

/// One thread's memo of the zones its records name. `ZoneInput.resolve` looks an id up in the
/// process-wide caches, under their locks, for every record: with two workers, the locks and the
/// cached entries passed from core to core for every record. Only decisions that depend on the
/// text alone are kept (IANA ids and links); a fixed offset or a Windows name, which depend on
/// the venue's country and the date, is resolved every time.
///
/// Not for sharing: one per thread (unchecked `Sendable`, so that a worker can be given its own).
public final class ZoneMemo: @unchecked Sendable {
    private var decisions: [String: ZoneDecision] = [:]

    public init() {}

    /// `ZoneInput.resolve(text, country:, near:)`, remembered when it depends on `text` alone.
    public func resolve(_ text: String, country: String?, near local: LocalDateTime) throws(ZoneError) -> ZoneDecision {
        if let known = decisions[text] { return known }
        let decision = try ZoneInput.resolve(text, country: country, near: local)
        switch decision.kind {
        case .iana, .alias: if decisions.count < 4096 { decisions[text] = decision }
        default: break
        }
        return decision
    }
}

/// Reading the zone a record names.
public enum ZoneInput {
    /// Resolves `text` to a zone. IANA ids are validated against the tz data in use (unknown ids
    /// are an error, never UTC); fixed offsets such as `GMT-05:00` or `UTC-5` are matched to the
    /// venue country's zone when exactly one of its zones has that offset at `local`; Windows zone
    /// names go through CLDR's mapping.
    public static func resolve(_ text: String, country: String? = nil, near local: LocalDateTime) throws(ZoneError)
        -> ZoneDecision
    {
        let id = text.trimmingSpaces
        if let offset = fixedOffset(id) {
            return matchOffset(offset, written: id, country: country, near: local)
        }
        // Bytes, not `String.contains`: a substring search cost more than the rest of the lookup.
        if id.utf8.contains(0x20) || id.hasSuffix("Standard Time") {
            guard let iana = TimeZoneData.ianaZone(forWindowsZone: id, region: country)
                ?? TimeZoneData.ianaZone(forWindowsZone: id)
            else { throw .unknown(id, tzVersion: TimeZoneData.version) }
            let zone = try Zone.named(iana)
            return ZoneDecision(zone: zone, kind: .windows(name: id),
                                warnings: ["'\(id)' is a Windows zone name; read as the IANA zone \(iana)"],
                                explanation: "Windows zone '\(id)' → \(iana) (CLDR windowsZones)")
        }
        let zone = try Zone.named(id)
        let canonical = TimeZoneData.canonicalID(id)
        if canonical != id {
            return ZoneDecision(zone: zone, kind: .alias(canonical: canonical),
                                explanation: "\(id) is a link to \(canonical); kept as written, rules of \(canonical)")
        }
        return ZoneDecision(zone: zone, kind: .iana, explanation: nil)  // "IANA zone \(id)", when asked
    }

    /// Seconds east of UTC for `UTC-5`, `GMT-05:00`, `UTC+0530`, `UTC+5:45`; nil for anything else.
    /// (`UTC` and `GMT` alone are IANA zones.)
    public static func fixedOffset(_ text: String) -> Int? {
        // Most zones are IANA ids; only those starting with U or G can be offsets.
        guard let first = text.utf8.first, first | 0x20 == 0x75 || first | 0x20 == 0x67 else { return nil }
        let upper = text.uppercased()
        guard upper.hasPrefix("UTC") || upper.hasPrefix("GMT") else { return nil }
        let rest = Array(upper.dropFirst(3))
        guard rest.count >= 2, rest[0] == "+" || rest[0] == "-" else { return nil }
        let sign = rest[0] == "-" ? -1 : 1
        let body = rest.dropFirst()
        var hours = 0, minutes = 0
        let parts = body.split(separator: ":", omittingEmptySubsequences: false)
        if parts.count == 2 {
            guard (1...2).contains(parts[0].count), parts[1].count == 2, let h = Int(String(parts[0])),
                  let m = Int(String(parts[1])) else { return nil }
            (hours, minutes) = (h, m)
        } else if body.count <= 2, let h = Int(String(body)) {
            hours = h
        } else if body.count == 4, let h = Int(String(body.prefix(2))), let m = Int(String(body.suffix(2))) {
            (hours, minutes) = (h, m)
        } else {
            return nil
        }
        guard hours <= 14, minutes < 60 else { return nil }
        return sign * (hours * 3600 + minutes * 60)
    }

    static func matchOffset(_ offset: Int, written: String, country: String?, near local: LocalDateTime) -> ZoneDecision {
        let instant = Instant(secondsSince1970: local.secondsAsIfUTC - Int64(offset))
        let label = offset == 0 ? "UTC" : "UTC" + Instant.offsetString(offset, colon: true)
        var candidates: [String] = []
        if let country {
            candidates = TimeZoneData.zones(inCountry: country).filter { id in
                (try? Zone.named(id))?.offset(at: instant) == offset
            }
            if candidates.count == 1, let zone = try? Zone.named(candidates[0]) {
                return ZoneDecision(
                    zone: zone, kind: .offsetMatched(offset: offset, country: country),
                    warnings: ["'\(written)' is a fixed offset; read as \(candidates[0]), the only zone of \(country) at \(label) then"],
                    explanation: "fixed offset \(label) → \(candidates[0]) (only zone of \(country) with that offset at \(local))")
            }
        }
        let why: String
        if country == nil {
            why = "the venue has no countryCode to pick a zone from"
        } else if candidates.isEmpty {
            why = "no zone of \(country!) has that offset then"
        } else {
            why = "several zones of \(country!) match (\(candidates.joined(separator: ", ")))"
        }
        return ZoneDecision(
            zone: Zone.fixed(offsetSeconds: offset), kind: .fixedOffset(offset),
            warnings: ["'\(written)' is a fixed offset and \(why); kept as \(label) without daylight saving time — give an IANA zone"],
            explanation: "fixed offset \(label) (\(why))")
    }
}

extension String {
    var trimmingSpaces: String {
        // The usual id has no space at either end: nothing to copy.
        if let first = utf8.first, let last = utf8.last, first > 0x20 && first < 0x80 && last > 0x20 && last < 0x80 {
            return self
        }
        var s = Substring(self)
        while s.first?.isWhitespace == true { s = s.dropFirst() }
        while s.last?.isWhitespace == true { s = s.dropLast() }
        return String(s)
    }
}
