import AgendaRecords
import AgendaTime

/// The zones a calendar references and the earliest instant each must cover, collected while
/// events stream past so the VTIMEZONEs can be written for exactly that span.
public struct ZoneSpans: Sendable {
    private var earliest: [String: (zone: Zone, from: Instant)] = [:]
    private var allZones: Set<String> = []
    private var eventCount = 0

    public init() {}

    /// Notes the zones an event's iCalendar form refers to with TZID.
    public mutating func include(_ event: ScheduledEvent) {
        eventCount += 1
        allZones.insert(event.zone.id)
        guard !event.record.allDay, !event.zone.isUTC else { return }
        var from = event.start
        // RDATE/EXDATE and recurrences are written in the event's zone as well; cover them too.
        for t in (event.record.recurrence?.rdates ?? []) + (event.record.recurrence?.exdates ?? []) {
            let i = event.zone.resolve(t.localDateTime).instant
            if i < from { from = i }
        }
        if let current = earliest[event.zone.id], current.from <= from { return }
        earliest[event.zone.id] = (event.zone, from)
    }

    /// Zones that need a VTIMEZONE, sorted by id, with the instant each must cover from.
    public var zones: [(zone: Zone, from: Instant)] {
        earliest.values.sorted { $0.zone.id < $1.zone.id }
    }

    /// The zone id when every event uses the same zone (X-WR-TIMEZONE), else nil.
    public var singleZoneID: String? { allZones.count == 1 ? allZones.first : nil }
}
