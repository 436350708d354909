import CAgendaICU
import Synchronization

/// Why a zone could not be used.
public enum ZoneError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Not in the tz database in use (never silently treated as UTC).
    case unknown(String, tzVersion: String)
    /// The zone file exists but is damaged.
    case unreadable(String)

    public var description: String {
        switch self {
        case .unknown(let id, let version): "unknown time zone '\(id)' (tz data \(version))"
        case .unreadable(let id): "the tz data file for '\(id)' cannot be read"
        }
    }
}

/// An IANA time zone loaded from the tz data in use. Immutable and shareable across threads.
///
/// The id is kept as the user wrote it (`Asia/Calcutta` stays `Asia/Calcutta` in TZID); the
/// rules come from the tz database, where links resolve to their target's rules.
public final class Zone: @unchecked Sendable, Hashable, CustomStringConvertible {
    public let id: String
    /// The fixed offset in seconds when this is not a tz database zone.
    public let fixedOffset: Int?
    let handle: OpaquePointer
    /// `vtimezone(from:)` by the moment ICU was given.
    private let vtimezones = Mutex<[Int64: String]>([:])

    /// UTC at all times: its times are written with `Z` and need no VTIMEZONE. Decided once, as
    /// it is asked several times for every event written (a set lookup hashed the id each time).
    public let isUTC: Bool

    private init(id: String, fixedOffset: Int?, handle: OpaquePointer) {
        self.id = id
        self.fixedOffset = fixedOffset
        self.handle = handle
        isUTC = fixedOffset.map { $0 == 0 } ?? Self.utcNames.contains(id)
    }

    private static let utcNames: Set<String> = ["UTC", "Etc/UTC", "Etc/UCT", "UCT", "Etc/Universal", "Universal", "Etc/Zulu",
                                                "Zulu", "GMT", "Etc/GMT", "Etc/GMT0", "Etc/GMT+0", "Etc/GMT-0", "GMT0", "Etc/Greenwich"]

    deinit { agenda_zone_close(handle) }

    /// The zone with this IANA id, from a process-wide cache (one ICU object per zone, not per event).
    public static func named(_ id: String) throws(ZoneError) -> Zone {
        try ZoneCache.shared.zone(id)
    }

    static func load(_ id: String) throws(ZoneError) -> Zone {
        var error: Int32 = 0
        guard let handle = agenda_zone_open(id, &error) else {
            if error == AGENDA_E_BAD_TZIF { throw .unreadable(id) }
            throw .unknown(id, tzVersion: TimeZoneData.version)
        }
        return Zone(id: id, fixedOffset: nil, handle: handle)
    }

    /// A zone with a constant offset (seconds east of UTC), e.g. for `UTC-05:00` input.
    public static func fixed(offsetSeconds: Int) -> Zone {
        let name = offsetSeconds == 0 ? "UTC" : "UTC" + Instant.offsetString(offsetSeconds, colon: true)
        var error: Int32 = 0
        let handle = agenda_zone_open_fixed(name, Int32(offsetSeconds), &error)!
        return Zone(id: name, fixedOffset: offsetSeconds, handle: handle)
    }

    /// UTC offset in seconds at an instant.
    public func offset(at instant: Instant) -> Int {
        Int(agenda_zone_offset(handle, Double(instant.secondsSince1970), nil))
    }

    /// Whether daylight saving time is in effect at an instant.
    public func isDaylightTime(at instant: Instant) -> Bool {
        var dst: Int32 = 0
        _ = agenda_zone_offset(handle, Double(instant.secondsSince1970), &dst)
        return dst != 0
    }

    /// The wall time at an instant.
    public func localTime(at instant: Instant) -> LocalDateTime {
        instant.local(offsetSeconds: offset(at: instant))
    }

    /// Resolves a wall time to an instant. A time in a spring-forward gap is read with the offset
    /// before the gap (RFC 5545 §3.3.5: 02:30 becomes 03:30 daylight time); a time in a fall-back
    /// overlap takes its first occurrence. Either case is reported in `kind`.
    public func resolve(_ local: LocalDateTime) -> ResolvedTime {
        var utc: Double = 0
        let kind = agenda_zone_local_to_utc(handle, Double(local.secondsAsIfUTC), &utc)
        let instant = Instant(secondsSince1970: Int64(utc.rounded()))
        switch Int(kind) {
        case AGENDA_LOCAL_GAP: return ResolvedTime(instant: instant, kind: .nonexistent)
        case AGENDA_LOCAL_OVERLAP: return ResolvedTime(instant: instant, kind: .ambiguous)
        default: return ResolvedTime(instant: instant, kind: .exact)
        }
    }

    /// The next offset change strictly after `instant`.
    public func nextTransition(after instant: Instant) -> Transition? {
        transition(instant, agenda_zone_next_transition)
    }

    /// The last offset change at or before `instant`.
    public func previousTransition(atOrBefore instant: Instant) -> Transition? {
        transition(instant, agenda_zone_previous_transition)
    }

    private typealias TransitionQuery = (
        OpaquePointer?, Double, UnsafeMutablePointer<Double>?, UnsafeMutablePointer<Int32>?, UnsafeMutablePointer<Int32>?
    ) -> Int32

    private func transition(_ instant: Instant, _ query: TransitionQuery) -> Transition? {
        var when: Double = 0
        var before: Int32 = 0
        var after: Int32 = 0
        guard query(handle, Double(instant.secondsSince1970), &when, &before, &after) == 1 else { return nil }
        return Transition(instant: Instant(secondsSince1970: Int64(when)), offsetBefore: Int(before),
                          offsetAfter: Int(after))
    }

    /// Offset changes in [from, to).
    public func transitions(from: Instant, to: Instant) -> [Transition] {
        var result: [Transition] = []
        var cursor = Instant(secondsSince1970: from.secondsSince1970 - 1)
        while let t = nextTransition(after: cursor), t.instant < to {
            result.append(t)
            cursor = t.instant
        }
        return result
    }

    /// RFC 5545 VTIMEZONE text (CRLF lines, not yet folded) that covers every instant from
    /// `start` on; the zone's current rule is written as RRULEs, which Outlook needs.
    ///
    /// ICU's `write(start)` gives each observance its first onset *after* the instant it is given,
    /// which would leave `start` itself before every onset; so it is given the moment just before
    /// the transition that began the observance in force at `start`.
    ///
    /// Remembered by that moment: every calendar of an export (each language, each partition)
    /// writes the same VTIMEZONEs, and ICU takes millions of instructions for each.
    public func vtimezone(from start: Instant) -> String {
        var from = start.secondsSince1970
        if let t = previousTransition(atOrBefore: start) { from = t.instant.secondsSince1970 - 1 }
        if let known = vtimezones.withLock({ $0[from] }) { return known }
        let text = bridgeString { agenda_zone_vtimezone(handle, Double(from), $0, $1) } ?? ""
        vtimezones.withLock { $0[from] = text }
        return text
    }

    public static func == (a: Zone, b: Zone) -> Bool { a === b }
    public func hash(into hasher: inout Hasher) { hasher.combine(ObjectIdentifier(self)) }
    public var description: String { id }
}

/// A wall time resolved in a zone.
public struct ResolvedTime: Hashable, Sendable {
    public enum Kind: Hashable, Sendable {
        case exact
        /// In a spring-forward gap; shifted forward by the gap's length.
        case nonexistent
        /// In a fall-back overlap; the first occurrence was taken.
        case ambiguous
    }
    public var instant: Instant
    public var kind: Kind
}

/// An offset change of a zone.
public struct Transition: Hashable, Sendable {
    public var instant: Instant
    public var offsetBefore: Int
    public var offsetAfter: Int
}

/// Process-wide zone cache: zones are built once from TZif and then shared.
final class ZoneCache: Sendable {
    static let shared = ZoneCache()
    private let zones = Mutex<[String: Zone]>([:])

    func zone(_ id: String) throws(ZoneError) -> Zone {
        if let z = zones.withLock({ $0[id] }) { return z }
        let z = try Zone.load(id)
        return zones.withLock { cache in
            if let existing = cache[id] { return existing }
            cache[id] = z
            return z
        }
    }

    func removeAll() { zones.withLock { $0.removeAll() } }
}
