import AgendaTime

/// What every set of files (the whole export and each partition) writes the same for an event:
/// its VEVENT and its GeoJSON features in each output language. Made on the worker threads that
/// check records, so that the writing thread only routes and writes bytes.
///
/// A class, so that however many copies of a record's item the threads pass around, its buffers
/// have one owner, from which `EventRenderer.recycle` takes them back (unchecked `Sendable`: it is
/// changed only there, on the writing thread, once the worker that made it has handed it over).
final class RenderedEvent: @unchecked Sendable {
    /// The languages rendered, in the order of the two lists below (shared by every event).
    let languages: [String]
    /// By language; empty when no calendar is written.
    fileprivate(set) var vevents: [[UInt8]]
    /// By language; empty when no map is written.
    fileprivate(set) var features: [[[UInt8]]]
    /// The buffer pool its buffers came from, and go back to.
    fileprivate let pool: Int

    fileprivate init(languages: [String], vevents: [[UInt8]], features: [[[UInt8]]], pool: Int) {
        self.languages = languages
        self.vevents = vevents
        self.features = features
        self.pool = pool
    }

    /// Calls `body` with the VEVENT in `language`, lent where it is; false when it was not
    /// rendered. Lent, not returned: the writing thread's copy of an array retained and released
    /// a buffer the worker's core had last written.
    func withVEvent(in language: String, _ body: (UnsafeBufferPointer<UInt8>) throws -> Void) rethrows -> Bool {
        guard !vevents.isEmpty, let i = languages.firstIndex(of: language) else { return false }
        try vevents[i].withUnsafeBufferPointer(body)
        return true
    }

    /// Calls `body` with the features in `language`, lent where they are; false when they were
    /// not rendered.
    func withFeatures(in language: String, _ body: (UnsafeBufferPointer<[UInt8]>) throws -> Void) rethrows -> Bool {
        guard !features.isEmpty, let i = languages.firstIndex(of: language) else { return false }
        try features[i].withUnsafeBufferPointer(body)
        return true
    }
}

/// Makes `RenderedEvent`s with the writers `OutputSet` would use. Only the calendar name and the
/// feed title and links differ between sets, and neither appears in an event or a feature;
/// `BatchTests.onePassWritesWhatTwoPassesWrite` holds the two ways to the same bytes.
///
/// A class: the pipeline's closures hand it on for every record, and each copy of a struct of
/// two writers retained and released every text of their options.
final class EventRenderer: Sendable {
    /// The writers are kept whether or not their formats are written (`makes…` says): an
    /// optional one was copied to be used, retaining and releasing each of its options' texts
    /// for every event.
    private let calendar: ICalendarWriter
    private let geo: GeoJSONWriter
    private let makesVEvents: Bool
    private let makesFeatures: Bool
    /// What each worker renders with (by its number, modulo the count). Workers share nothing
    /// they change for every record: one pool of buffers for all had its lock and its array
    /// taken in turn by both cores twice a record, and one languages list, which each
    /// `RenderedEvent` keeps, was retained by both (each slot has its own copy).
    private let slots: [Slot]

    private final class Slot: Sendable {
        let buffers = BufferPool()
        let languages: [String]

        init(languages: [String]) {
            // A new array, not the same one shared (an array copy would be).
            self.languages = languages.map { $0 }
        }
    }

    init(options: ExportOptions, languages: [String]) {
        slots = (0..<16).map { _ in Slot(languages: languages) }
        calendar = ICalendarWriter(options: options.calendar)
        makesVEvents = options.formats.contains(.ics)
        geo = GeoJSONWriter(options: options.feeds, includeOnline: options.mapOnlineEvents)
        makesFeatures = options.formats.contains(.geojson) || options.formats.contains(.geojsons)
    }

    /// The event's VEVENTs and features, written into buffers from the pool of `worker`.
    func render(_ e: ScheduledEvent, worker: Int?) -> RenderedEvent {
        let pool = (worker ?? 0) % slots.count
        let slot = slots[pool]
        let buffers = slot.buffers
        let languages = slot.languages
        var vevents: [[UInt8]] = [], features: [[[UInt8]]] = []
        if makesVEvents {
            vevents.reserveCapacity(languages.count)
            for language in languages {
                // The buffer is handed over whole: `drain()` would keep an empty one of the same
                // size for a next event that never comes.
                var lines = ContentLines(reusing: buffers.take())
                calendar.event(e, language: language, method: .publish, into: &lines)
                vevents.append(lines.bytes)
            }
        }
        if makesFeatures {
            features.reserveCapacity(languages.count)
            for language in languages { features.append(geo.featureBytes(e, language: language, buffer: buffers.take)) }
        }
        return RenderedEvent(languages: languages, vevents: vevents, features: features, pool: pool)
    }

    /// Hands the buffers of an event's rendering, written out, back to the workers.
    func recycle(_ rendered: RenderedEvent) {
        // Moved out, never copied: a buffer still referenced twice would be copied when emptied.
        var vevents: [[UInt8]] = [], features: [[[UInt8]]] = []
        swap(&vevents, &rendered.vevents)
        swap(&features, &rendered.features)
        let buffers = slots[rendered.pool].buffers
        buffers.give(&vevents)
        while var some = features.popLast() { buffers.give(&some) }
    }
}
