import AgendaTime

/// A validated record placed in time: its zone resolved and its start and end as instants.
/// This is what the writers consume.
public struct ScheduledEvent: Sendable {
    /// The record, kept in a box shared by copies until one of them changes it. An `EventRecord`
    /// is an 800-byte value with about 25 texts and lists: an event copied whole (the pipeline
    /// hands it from thread to thread, the feeds keep theirs) retained and later released each
    /// of them, a few times per event; boxed, a copy is one retain.
    @inlinable public var record: EventRecord {
        _read { yield storage.record }
        set { storage = RecordStorage(newValue) }
    }
    @usableFromInline var storage: RecordStorage
    public var origin: RecordOrigin
    public var zoneDecision: ZoneDecision
    public var zone: Zone { zoneDecision.zone }
    /// The start instant (local midnight in the zone for all-day events).
    public var start: Instant
    /// The end instant (for all-day events, midnight after the last day); nil when the record has
    /// no end and is not all-day.
    public var end: Instant?

    /// The venue position was flagged as implausible (outside its country); it is then left out
    /// of every output (the warning says so) rather than drawn in the wrong place.
    public var positionSuspect = false

    /// The venue's position as outputs should use it: nil when unknown or flagged.
    public var position: GeoPoint? { positionSuspect ? nil : record.venue?.geo }

    /// The UTC offset at the start, in seconds.
    public var startOffset: Int { zone.offset(at: start) }

    /// The exclusive end date of an all-day event (the day after the record's inclusive `end`).
    public var exclusiveEndDate: CivilDate { (record.end ?? record.start).civilDate.adding(days: 1) }

    init(record: consuming EventRecord, origin: RecordOrigin, zoneDecision: ZoneDecision, start: Instant, end: Instant?) {
        storage = RecordStorage(record)
        self.origin = origin
        self.zoneDecision = zoneDecision
        self.start = start
        self.end = end
    }
}

/// The box of `ScheduledEvent.record`, never changed: a new record gets a new box (only an
/// occurrence of a recurring event changes its record), and the writers read the record in place.
@usableFromInline final class RecordStorage: Sendable {
    @usableFromInline let record: EventRecord
    @usableFromInline init(_ record: consuming EventRecord) { self.record = record }
}

extension Scheduler {
    /// A venue position outside its country (by the shipped Natural Earth boxes) is suspicious,
    /// and a swapped pair is the usual cause: Cali as lat -76.53, lon 3.45 is in range but lies in
    /// Antarctica. Nil when the position is plausible or cannot be checked.
    ///
    /// The 1:50m boxes leave out small islands (Lord Howe, a part of Australia with its own zone),
    /// so a position near the principal location of the event's own zone (zone.tab) is plausible too.
    static func positionProblem(_ record: EventRecord, zoneID: String) -> String? {
        guard let g = record.venue?.geo, let cc = record.venue?.address?.countryCode,
              let boxes = CountryBoxes.table[cc] else { return nil }
        func inside(lat: Double, lon: Double) -> Bool {
            boxes.contains { lon >= $0.0 && lat >= $0.1 && lon <= $0.2 && lat <= $0.3 }
        }
        if inside(lat: g.latitude, lon: g.longitude) { return nil }
        if let z = TimeZoneData.location(ofZone: zoneID),
           TimeZoneData.zones(inCountry: cc).contains(zoneID),
           abs(z.latitude - g.latitude) <= 1.5, abs(z.longitude - g.longitude) <= 1.5 {
            return nil
        }
        let at = "lat \(GeoPoint.text(g.latitude)), lon \(GeoPoint.text(g.longitude))"
        if abs(g.longitude) <= 90, inside(lat: g.longitude, lon: g.latitude) {
            return "\(at) is outside \(cc) but lat \(GeoPoint.text(g.longitude)), lon \(GeoPoint.text(g.latitude)) is inside: latitude and longitude look swapped"
        }
        return "\(at) is outside \(cc) (venue.address.countryCode); check the coordinates"
    }
}

/// Places validated records in time.
public struct Scheduler: Sendable {
    /// The calling thread's memo of zones, if it has one.
    private let zones: ZoneMemo?

    public init(zones: ZoneMemo? = nil) { self.zones = zones }

    public struct Result: Sendable {
        public var event: ScheduledEvent?
        public var diagnostics: [Diagnostic]
    }

    public func schedule(_ record: consuming EventRecord, origin: RecordOrigin) -> Result {
        var diagnostics: [Diagnostic] = []
        let country = record.venue?.address?.countryCode
        let decision: ZoneDecision
        do {
            if let zones {
                decision = try zones.resolve(record.timeZone, country: country, near: record.start.localDateTime)
            } else {
                decision = try ZoneInput.resolve(record.timeZone, country: country, near: record.start.localDateTime)
            }
        } catch {
            diagnostics.append(origin.diagnostic(.error, field: "timeZone", error.description))
            return Result(event: nil, diagnostics: diagnostics)
        }
        for w in decision.warnings { diagnostics.append(origin.diagnostic(.warning, field: "timeZone", w)) }
        let zone = decision.zone

        func resolve(_ local: LocalDateTime, _ field: String) -> Instant {
            let r = zone.resolve(local)
            guard r.kind != .exact else { return r.instant }
            let actual = zone.localTime(at: r.instant)
            let offset = Instant.offsetString(zone.offset(at: r.instant), colon: true)
            switch r.kind {
            case .exact: break
            case .nonexistent:
                diagnostics.append(origin.diagnostic(.warning, field: field,
                    "\(local) does not exist in \(zone.id) (clocks move forward); read as \(actual) (\(offset)) as RFC 5545 prescribes"))
            case .ambiguous:
                diagnostics.append(origin.diagnostic(.warning, field: field,
                    "\(local) occurs twice in \(zone.id) (clocks move back); the first occurrence (\(offset)) is used"))
            }
            return r.instant
        }

        let start: Instant
        var end: Instant?
        if record.allDay {
            start = zone.resolve(record.start.localDateTime).instant
            let last = (record.end ?? record.start).civilDate.adding(days: 1)
            end = zone.resolve(LocalDateTime(date: last)).instant
        } else {
            start = resolve(record.start.localDateTime, "start")
            if let e = record.end { end = resolve(e.localDateTime, "end") }
        }
        if let e = end, e < start {
            diagnostics.append(origin.diagnostic(.error, field: "end", "ends before it starts once placed in \(zone.id)"))
            return Result(event: nil, diagnostics: diagnostics)
        }
        let positionProblem = Self.positionProblem(record, zoneID: zone.id)
        var event = ScheduledEvent(record: record, origin: origin, zoneDecision: decision, start: start, end: end)
        if let problem = positionProblem {
            diagnostics.append(origin.diagnostic(.warning, field: "venue.geo", problem + "; the position is left out of the outputs"))
            event.positionSuspect = true
        }
        return Result(event: event, diagnostics: diagnostics)
    }
}
