import AgendaTime
import Foundation

/// The files of one partition (or of the whole export) in every language: calendars and maps are
/// streamed as events arrive; feeds keep their chosen items and are written at the end.
struct OutputSet {
    let partition: Partition
    private let directory: String
    private let languages: [String]
    private let formats: Set<OutputFormat>
    private let calendarWriter: ICalendarWriter
    private let feedOptions: FeedOptions
    private let geo: GeoJSONWriter
    private var calendars: [(language: String, file: OutputFile, lines: ContentLines)] = []
    private var maps: [(language: String, file: OutputFile, sequence: Bool)] = []
    private var selections: [FeedSelection] = []
    /// The map's bbox when it is not known before writing (upcoming, past).
    private var box = GeoBox()
    /// The input that notes about skipped files name (the first one), like every diagnostic.
    private let source: String

    init(_ partition: Partition, options: ExportOptions, languages: [String], source: String,
         summary: inout ExportSummary) throws
    {
        self.partition = partition
        self.source = source
        self.directory = options.outputDirectory + "/" + partition.folder
        self.languages = languages
        self.formats = options.formats
        var calendarOptions = options.calendar
        calendarOptions.calendarName = partition.titled(calendarOptions.calendarName)
        calendarWriter = ICalendarWriter(options: calendarOptions)
        var feeds = options.feeds
        feeds.title = partition.titled(feeds.title)
        feeds.feedBaseURL = (feeds.feedBaseURL.hasSuffix("/") ? feeds.feedBaseURL : feeds.feedBaseURL + "/") + partition.folder
        feedOptions = feeds
        geo = GeoJSONWriter(options: feeds, includeOnline: options.mapOnlineEvents)

        if formats.contains(.ics) {
            for language in languages {
                let file = try OutputFile(path: directory + "all.\(language).ics")
                var lines = ContentLines()
                calendarWriter.header(language: language, method: .publish, zones: partition.spans, into: &lines)
                calendars.append((language, file, lines))
            }
        }
        // A map file with no position at all is of no use to map tools (GDAL reads it as a layer
        // without extent): it is not written, and the summary says why.
        let mapFormats = [OutputFormat.geojson, .geojsons].filter { formats.contains($0) }
        if !mapFormats.isEmpty && partition.knownInFirstPass && partition.box.isEmpty {
            summary.diagnostics.append(Diagnostic(.note, file: source,
                message: "no accepted event\(scope) has a venue position; the GeoJSON files are not written"))
        } else {
            for language in languages {
                for format in mapFormats {
                    let file = try OutputFile(path: directory + "all.\(language).\(format.fileExtension)")
                    if format == .geojson {
                        // Streamed: the head (with the bbox from the first pass), features as they come, the tail.
                        try file.write(geo.head(bbox: partition.knownInFirstPass ? partition.box : nil, language: language))
                    }
                    maps.append((language, file, format == .geojsons))
                }
            }
        }
        if formats.contains(.rss) || formats.contains(.atom) || formats.contains(.jsonfeed) {
            selections = languages.map { FeedSelection(options: feeds, language: $0) }
        }
    }

    mutating func add(_ e: ScheduledEvent) throws {
        for i in selections.indices { selections[i].offer(e) }
        if !maps.isEmpty, let g = e.position, e.record.attendanceMode != .online { box.include(g) }
        for i in maps.indices {
            for feature in geo.features(e, language: maps[i].language) {
                if maps[i].sequence {
                    try maps[i].file.write(GeoJSONWriter.sequenceRecord(feature))
                } else {
                    try maps[i].file.write(GeoJSONWriter.member(feature, first: maps[i].file.eventCount == 0))
                }
                maps[i].file.eventCount += 1
            }
        }
        for i in calendars.indices {
            calendarWriter.event(e, language: calendars[i].language, method: .publish, into: &calendars[i].lines)
            calendars[i].file.eventCount += 1
            if calendars[i].lines.bytes.count > 1 << 16 { try calendars[i].file.write(calendars[i].lines.drain()) }
        }
    }

    mutating func finish(_ summary: inout ExportSummary) throws {
        let feedFormats = [OutputFormat.rss, .atom, .jsonfeed].filter { formats.contains($0) }
        for i in selections.indices {
            let language = selections[i].language
            let events = selections[i].events()
            // A feed without items is valid RSS, but feed readers report it as broken; it is left
            // out (a stale one from an earlier run goes, through the manifest).
            if events.isEmpty {
                if i == 0 {
                    summary.diagnostics.append(Diagnostic(.note, file: source,
                        message: "no accepted event\(scope); its RSS, Atom and JSON feeds are not written"))
                }
                continue
            }
            for format in feedFormats {
                let bytes: [UInt8]
                switch format {
                case .rss: bytes = RSSWriter(options: feedOptions).feed(events, language: language)
                case .atom: bytes = AtomWriter(options: feedOptions).feed(events, language: language)
                default: bytes = JSONFeedWriter(options: feedOptions).feed(events, language: language)
                }
                let file = try OutputFile(path: directory + "all.\(language).\(format.fileExtension)")
                try file.write(bytes)
                file.eventCount = events.count
                try commit(file, format, language, &summary)
            }
        }
        if !partition.knownInFirstPass && !maps.isEmpty && box.isEmpty {
            for m in maps { m.file.discard() }
            summary.diagnostics.append(Diagnostic(.note, file: source,
                message: "no accepted event\(scope) has a venue position; the GeoJSON files are not written"))
            maps = []
        }
        for m in maps {
            if !m.sequence {
                // Upcoming and past learn their bbox while writing, so it ends the object instead.
                try m.file.write(GeoJSONWriter.tail(empty: m.file.eventCount == 0, bbox: partition.knownInFirstPass ? nil : box))
            }
            try commit(m.file, m.sequence ? .geojsons : .geojson, m.language, &summary)
        }
        for i in calendars.indices {
            calendarWriter.footer(into: &calendars[i].lines)
            try calendars[i].file.write(calendars[i].lines.drain())
            try commit(calendars[i].file, .ics, calendars[i].language, &summary)
        }
    }

    /// " in past/" for a partition, nothing for the whole export.
    private var scope: String { partition.folder.isEmpty ? "" : " in \(partition.folder)" }

    func discard() {
        for c in calendars { c.file.discard() }
        for m in maps { m.file.discard() }
    }

    private func commit(_ file: OutputFile, _ format: OutputFormat, _ language: String, _ summary: inout ExportSummary) throws {
        try summary.commit(file, format: format.rawValue, language: language, partition: partition.name,
                           relativeTo: partition.folder)
    }
}

/// Invites: one file per event and language in `events/`, named after the record id.
struct InviteWriter {
    private let options: ExportOptions
    private let languages: [String]
    private let writer: ICalendarWriter
    private var usedSlugs: Set<String> = []
    private var paths: Set<String> = []

    init(options: ExportOptions, languages: [String]) {
        self.options = options
        self.languages = languages
        writer = ICalendarWriter(options: options.calendar)
    }

    mutating func write(_ e: ScheduledEvent, _ summary: inout ExportSummary) throws {
        let slug = Partition.folderName(e.record.id, otherwise: "event")
        var candidate = slug
        var n = 2
        while usedSlugs.contains(candidate) { candidate = "\(slug)-\(n)"; n += 1 }
        usedSlugs.insert(candidate)
        for language in languages {
            let path = "\(options.outputDirectory)/events/\(candidate).\(language).ics"
            let file = try OutputFile(path: path)
            try file.write(writer.invite(e, language: language).bytes)
            file.eventCount = 1
            try summary.commit(file, format: "invite", language: language, partition: "all", relativeTo: "events/")
            paths.insert(path)
        }
    }

    /// Invites of events no longer in the input are removed, so a subscriber never finds a stale one.
    func removeStale(_ summary: inout ExportSummary) {
        let dir = options.outputDirectory + "/events"
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: dir) else { return }
        for name in names.sorted() where name.hasSuffix(".ics") && !paths.contains(dir + "/" + name) {
            if (try? FileManager.default.removeItem(atPath: dir + "/" + name)) != nil {
                summary.filesRemoved.append(dir + "/" + name)
            }
        }
    }
}

extension ExportSummary {
    /// Commits a finished file and lists it (written or unchanged) for the summary and the manifest.
    mutating func commit(_ file: OutputFile, format: String, language: String, partition: String, relativeTo folder: String) throws {
        if try file.commit() { filesWritten.append(file.path) } else { filesUnchanged.append(file.path) }
        files.append(Manifest.Entry(path: folder + (file.path as NSString).lastPathComponent, format: format,
                                    language: language, partition: partition, events: file.eventCount,
                                    bytes: file.byteCount, sha256: file.sha256, tzdata: TimeZoneData.version))
    }
}
