import AgendaTime

/// What every set of files (the whole export and each partition) writes the same for an event:
/// its VEVENT and its GeoJSON features in each output language. Made on the worker threads that
/// check records, so that the writing thread only routes and writes bytes.
struct RenderedEvent: Sendable {
    /// By language, in the renderer's order; empty when no calendar is written.
    var vevents: [[UInt8]]
    /// By language, in the renderer's order; empty when no map is written.
    var features: [[[UInt8]]]
}

/// Makes `RenderedEvent`s with the writers `OutputSet` would use. Only the calendar name and the
/// feed title and links differ between sets, and neither appears in an event or a feature;
/// `BatchTests.onePassWritesWhatTwoPassesWrite` holds the two ways to the same bytes.
struct EventRenderer: Sendable {
    let languages: [String]
    private let calendar: ICalendarWriter?
    private let geo: GeoJSONWriter?

    init(options: ExportOptions, languages: [String]) {
        self.languages = languages
        calendar = options.formats.contains(.ics) ? ICalendarWriter(options: options.calendar) : nil
        let maps = options.formats.contains(.geojson) || options.formats.contains(.geojsons)
        geo = maps ? GeoJSONWriter(options: options.feeds, includeOnline: options.mapOnlineEvents) : nil
    }

    func render(_ e: ScheduledEvent) -> RenderedEvent {
        RenderedEvent(
            vevents: calendar.map { writer in
                languages.map { language in
                    var lines = ContentLines()
                    writer.event(e, language: language, method: .publish, into: &lines)
                    return lines.drain()
                }
            } ?? [],
            features: geo.map { writer in languages.map { writer.featureBytes(e, language: $0) } } ?? [])
    }
}
