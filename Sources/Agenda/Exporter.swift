@_exported import AgendaFeeds
@_exported import AgendaICS
@_exported import AgendaRecords
@_exported import AgendaTime
import Foundation

/// The batch exporter: reads every input once to validate and learn what to write, then again to
/// stream the outputs. Memory stays bounded by one record plus one output buffer per file.
///
/// Output layout (see README.md, "Output layout"):
/// - `all.<lang>.ics` — a subscription calendar per language;
/// - `events/<slug>.<lang>.ics` — an invite per event and language (`<slug>` from the record id);
/// - `all.<lang>.rss`, `all.<lang>.atom`, `all.<lang>.json` — RSS, Atom and JSON Feed per language;
/// - `all.<lang>.geojson`, `all.<lang>.geojsons` — GeoJSON and RFC 8142 text sequences per language.
public struct Exporter: Sendable {
    public var options: ExportOptions

    public init(options: ExportOptions) { self.options = options }

    /// Validates only: the diagnostics `export` would report, no files.
    public static func validate(_ inputs: [RecordReader], strict: Bool) throws -> ExportSummary {
        var summary = ExportSummary()
        var pipeline = RecordPipeline(inputs: inputs, strict: strict)
        try pipeline.scan(&summary) { _ in }
        return summary
    }

    public func run(_ inputs: [RecordReader]) throws -> ExportSummary {
        guard !inputs.isEmpty else { throw ExportError.noInput }
        var summary = ExportSummary()
        var pipeline = RecordPipeline(inputs: inputs, strict: options.strict)

        // Pass 1: validate, and learn the languages and the span each zone must cover.
        var languagesSeen: [String] = []
        var spans = ZoneSpans()
        var box = GeoBox()
        var newest: Instant?
        var earliest: Instant?
        try pipeline.scan(&summary) { e in
            spans.include(e)
            if let t = e.record.updated ?? e.record.created, newest.map({ t > $0 }) ?? true { newest = t }
            if earliest.map({ e.start < $0 }) ?? true { earliest = e.start }
            if let g = e.position, e.record.attendanceMode != .online { box.include(g) }
            for l in e.record.languages where !languagesSeen.contains(l) { languagesSeen.append(l) }
        }
        let languages = options.languages ?? languagesSeen.sorted()
        summary.languages = languages
        if summary.recordsAccepted == 0 && summary.recordsRead == 0 { return summary }

        // The export's "now" comes from the settings or from the data, never from the clock.
        var options = self.options
        let now = options.timestamp ?? newest ?? earliest ?? Instant(secondsSince1970: 0)
        options.calendar.fallbackTimestamp = now
        options.feeds.now = now

        // Pass 2: write.
        let writer = ICalendarWriter(options: options.calendar)
        let out = options.outputDirectory
        var calendars: [(language: String, file: OutputFile, lines: ContentLines)] = []
        let feedFormats = [OutputFormat.rss, .atom, .jsonfeed].filter { options.formats.contains($0) }
        var selections = feedFormats.isEmpty ? [] : languages.map { FeedSelection(options: options.feeds, language: $0) }
        var invitePaths: Set<String> = []
        let geo = GeoJSONWriter(options: options.feeds, includeOnline: options.mapOnlineEvents)
        var maps: [(language: String, file: OutputFile, first: Bool, sequence: Bool)] = []
        var usedSlugs: Set<String> = []
        do {
            if options.formats.contains(.ics) {
                for language in languages {
                    let file = try OutputFile(path: "\(out)/all.\(language).ics")
                    var lines = ContentLines()
                    writer.header(language: language, method: .publish, zones: spans, into: &lines)
                    calendars.append((language, file, lines))
                }
            }
            // A map file with no position at all is of no use to map tools (GDAL reads it as a layer
            // without extent): it is not written, and the summary says why.
            let mapFormats = [OutputFormat.geojson, .geojsons].filter { options.formats.contains($0) }
            if !mapFormats.isEmpty && box.isEmpty {
                summary.diagnostics.append(Diagnostic(.note, file: inputs[0].displayName,
                    message: "no accepted event has a venue position; the GeoJSON files are not written"))
            }
            for language in languages where !box.isEmpty {
                for format in mapFormats {
                    let file = try OutputFile(path: "\(out)/all.\(language).\(format.fileExtension)")
                    if format == .geojson {
                        // Streamed: the head (with the bbox from the first pass), features as they come, the tail.
                        try file.write(geo.head(bbox: box.isEmpty ? nil : box, language: language))
                    }
                    maps.append((language, file, true, format == .geojsons))
                }
            }
            try pipeline.replay { e in
                for i in selections.indices { selections[i].offer(e) }
                for i in maps.indices {
                    for feature in geo.features(e, language: maps[i].language) {
                        if maps[i].sequence {
                            try maps[i].file.write(GeoJSONWriter.sequenceRecord(feature))
                        } else {
                            try maps[i].file.write(GeoJSONWriter.member(feature, first: maps[i].first))
                            maps[i].first = false
                        }
                    }
                }
                for i in calendars.indices {
                    writer.event(e, language: calendars[i].language, method: .publish, into: &calendars[i].lines)
                    if calendars[i].lines.bytes.count > 1 << 20 { try calendars[i].file.write(calendars[i].lines.drain()) }
                }
                if options.formats.contains(.invites) {
                    var slug = Language.slug(e.record.id)
                    if slug.isEmpty { slug = "event" }
                    var candidate = slug
                    var n = 2
                    while usedSlugs.contains(candidate) { candidate = "\(slug)-\(n)"; n += 1 }
                    usedSlugs.insert(candidate)
                    for language in languages {
                        let path = "\(out)/events/\(candidate).\(language).ics"
                        let file = try OutputFile(path: path)
                        try file.write(writer.invite(e, language: language).bytes)
                        try record(file, &summary)
                        invitePaths.insert(path)
                    }
                }
            }
            for i in selections.indices {
                let language = selections[i].language
                let events = selections[i].events()
                for format in feedFormats {
                    let bytes: [UInt8]
                    switch format {
                    case .rss: bytes = RSSWriter(options: options.feeds).feed(events, language: language)
                    case .atom: bytes = AtomWriter(options: options.feeds).feed(events, language: language)
                    default: bytes = JSONFeedWriter(options: options.feeds).feed(events, language: language)
                    }
                    let file = try OutputFile(path: "\(out)/all.\(language).\(format.fileExtension)")
                    try file.write(bytes)
                    try record(file, &summary)
                }
            }
            for m in maps {
                if !m.sequence { try m.file.write(GeoJSONWriter.tail(empty: m.first)) }
                try record(m.file, &summary)
            }
            for i in calendars.indices {
                writer.footer(into: &calendars[i].lines)
                try calendars[i].file.write(calendars[i].lines.drain())
                try record(calendars[i].file, &summary)
            }
        } catch {
            for c in calendars { c.file.discard() }
            for m in maps { m.file.discard() }
            throw error
        }
        if options.formats.contains(.invites) { removeStaleInvites(keeping: invitePaths, &summary) }
        return summary
    }

    private func record(_ file: OutputFile, _ summary: inout ExportSummary) throws {
        if try file.commit() { summary.filesWritten.append(file.path) } else { summary.filesUnchanged.append(file.path) }
    }

    /// Invites of events no longer in the input are removed, so a subscriber never finds a stale one.
    private func removeStaleInvites(keeping: Set<String>, _ summary: inout ExportSummary) {
        let dir = options.outputDirectory + "/events"
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: dir) else { return }
        for name in names.sorted() where name.hasSuffix(".ics") && !keeping.contains(dir + "/" + name) {
            if (try? FileManager.default.removeItem(atPath: dir + "/" + name)) != nil {
                summary.filesRemoved.append(dir + "/" + name)
            }
        }
    }
}
