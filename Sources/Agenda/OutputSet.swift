import AgendaTime
import Foundation
import Synchronization

/// The files of one partition (or of the whole export) in every language: calendars and maps are
/// streamed as events arrive; feeds keep their chosen items and are written at the end.
///
/// A calendar starts with a VTIMEZONE for each zone it uses. When those are known before writing
/// (a first pass collected them) the head is written first; otherwise (`spooled`: a single-pass
/// export, or upcoming/past, whose members are known only while writing) the body goes to a
/// `Spool` and the head is written once the body is complete. Both ways give the same bytes. A
/// map's bbox comes after its features, so maps are always written straight to their files.
///
/// A large spooled body does not wait to the end, though: copying it after its head and hashing
/// it all then was most of what a one-pass export did after its last event, on one core. Once the
/// body reaches `ExportOptions.earlyHeadBytes` the head is made from the zones seen so far and
/// written to the file, the spool copied after it, and the rest of the body goes (and is hashed)
/// straight there. At the end the head is made again (ICU's VTIMEZONEs are remembered, so this is
/// cheap): when it is the same, as in an input whose zones all show up early and whose earliest
/// events come first, the file is done; when it differs, the file is made again, the new head
/// followed by the body copied from the first file, which is what the spool would have cost.
struct OutputSet {
    private(set) var partition: Partition
    private let directory: String
    private let formats: Set<OutputFormat>
    private let spooled: Bool
    private let calendarWriter: ICalendarWriter
    private let feedOptions: FeedOptions
    private let geo: GeoJSONWriter
    private var calendars: [Stream] = []
    private var maps: [Stream] = []
    private var selections: [FeedSelection] = []
    /// The input that notes about skipped files name (the first one), like every diagnostic.
    private let source: String
    /// Events added so far.
    private var added = 0
    /// `ExportOptions.earlyHeadBytes`.
    private let earlyHeadBytes: Int

    /// One streamed file: straight to its `OutputFile`, or to a spool first.
    private struct Stream {
        let language: String
        let format: OutputFormat
        let path: String
        var file: OutputFile?
        var spool: Spool?
        /// The head written early to `file`, before the body that follows it there.
        var early: [UInt8]?
        var lines = ContentLines()
        var events = 0

        /// `mutating` only so that `maps[i].write(…)` works on the element in place: as a plain
        /// method it was called on a copy of the stream (retaining and releasing each of its
        /// references), three times per event and map.
        mutating func write(_ bytes: [UInt8]) throws {
            try bytes.withUnsafeBufferPointer { try write($0) }
        }

        mutating func write(_ bytes: UnsafeBufferPointer<UInt8>) throws {
            if let spool { try spool.write(bytes) } else { try file!.write(bytes) }
        }
    }

    init(_ partition: Partition, options: ExportOptions, languages: [String], spooled: Bool, source: String,
         summary: inout ExportSummary) throws
    {
        self.partition = partition
        self.source = source
        self.spooled = spooled
        earlyHeadBytes = options.earlyHeadBytes
        self.directory = options.outputDirectory + "/" + partition.folder
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
                var c = try open(.ics, language)
                if !spooled {
                    calendarWriter.header(language: language, method: .publish, zones: partition.spans, into: &c.lines)
                }
                calendars.append(c)
            }
        }
        let mapFormats = [OutputFormat.geojson, .geojsons].filter { formats.contains($0) }
        if !mapFormats.isEmpty && !spooled && partition.box.isEmpty {
            noMapNote(&summary)
        } else {
            for language in languages {
                for format in mapFormats {
                    var m = try open(format, language)
                    if format == .geojson { try m.write(geo.head(language: language)) }
                    maps.append(m)
                }
                // A language's map and GeoJSON sequence hold the same features: hashed together.
                if mapFormats.count == 2, let a = maps[maps.count - 2].file, let b = maps[maps.count - 1].file {
                    OutputFile.pair(a, b)
                }
            }
        }
        if formats.contains(.rss) || formats.contains(.atom) || formats.contains(.jsonfeed) {
            selections = languages.map { FeedSelection(options: feeds, language: $0) }
        }
    }

    private func open(_ format: OutputFormat, _ language: String) throws -> Stream {
        let path = directory + "all.\(language).\(format.fileExtension)"
        // Only a calendar's head (its VTIMEZONEs) depends on the events; maps never wait.
        return spooled && format == .ics
            ? Stream(language: language, format: format, path: path, spool: try Spool(beside: path))
            : Stream(language: language, format: format, path: path, file: try OutputFile(path: path))
    }

    /// Adds an event to the set's files; `rendered` (made by an `EventRenderer`) saves making its
    /// VEVENTs and features here.
    mutating func add(_ e: ScheduledEvent, _ rendered: RenderedEvent?) throws {
        added += 1
        if spooled { partition.include(e) }
        for i in selections.indices { selections[i].offer(e) }
        // GeoJSON and GeoJSON sequences of a language share their features: made once (on the
        // worker, when it rendered the event). The worker's bytes are lent to the files, not
        // copied into locals: each copy retained and released an array the other core had made.
        var madeHere: (language: String, features: [[UInt8]])?
        for i in maps.indices {
            let language = maps[i].language
            if try rendered?.withFeatures(in: language, { try writeFeatures($0, to: i) }) ?? false { continue }
            if madeHere?.language != language { madeHere = (language, geo.featureBytes(e, language: language)) }
            try madeHere!.features.withUnsafeBufferPointer { try writeFeatures($0, to: i) }
        }
        for i in calendars.indices {
            let written = try rendered?.withVEvent(in: calendars[i].language) { vevent in
                // Written as it came from the worker (after any lines made here, to keep the order).
                if !calendars[i].lines.bytes.isEmpty { try calendars[i].write(calendars[i].lines.drain()) }
                try calendars[i].write(vevent)
            } ?? false
            if !written {
                calendarWriter.event(e, language: calendars[i].language, method: .publish, into: &calendars[i].lines)
                if calendars[i].lines.bytes.count > 1 << 16 { try calendars[i].write(calendars[i].lines.drain()) }
            }
            calendars[i].events += 1
            if let spool = calendars[i].spool, spool.size >= earlyHeadBytes { try writeHeadEarly(i) }
        }
    }

    /// Writes `features` to map `i`, each in the framing of its format and place.
    private mutating func writeFeatures(_ features: UnsafeBufferPointer<[UInt8]>, to i: Int) throws {
        for k in features.indices {
            let (before, after) = GeoJSONWriter.framing(sequence: maps[i].format == .geojsons, first: maps[i].events == 0)
            try maps[i].write(before.utf8Bytes)
            try features[k].withUnsafeBufferPointer { try maps[i].write($0) }
            if after.utf8CodeUnitCount > 0 { try maps[i].write(after.utf8Bytes) }
            maps[i].events += 1
        }
    }

    /// A calendar's head for the zones in `spans`.
    private static func head(_ writer: ICalendarWriter, _ language: String, _ spans: ZoneSpans) -> [UInt8] {
        var lines = ContentLines()
        writer.header(language: language, method: .publish, zones: spans, into: &lines)
        return lines.drain()
    }

    /// Ends the spooling of calendar `i`: its head now, then the spool, and from here on its body
    /// straight to the file (any lines not yet written follow, in order, at the next write).
    private mutating func writeHeadEarly(_ i: Int) throws {
        guard let spool = calendars[i].spool else { return }
        let early = Self.head(calendarWriter, calendars[i].language, partition.spans)
        let file = try OutputFile(path: calendars[i].path, readable: true)
        try file.write(early)
        try spool.copy(into: file)
        calendars[i].file = file
        calendars[i].early = early
        calendars[i].spool = nil  // removed as it goes
    }

    mutating func finish(_ summary: inout ExportSummary) throws {
        // The maps are finished on other threads, each on its own: no flush of one may reach
        // the other now.
        for m in maps { m.file?.unpair() }
        // Nothing to show: RFC 5545 requires a calendar to hold a component, and feed readers and
        // GDAL report empty feeds and maps as broken, so no file is written (a stale one from an
        // earlier run goes, through the manifest).
        if added == 0 {
            summary.diagnostics.append(Diagnostic(.note, file: source, message: "no accepted event\(scope); no file is written for it"))
            discard()
            return
        }
        // A map file with no position at all is of no use to map tools (GDAL reads it as a layer
        // without extent): it is not written, and the summary says why.
        if spooled && !maps.isEmpty && partition.box.isEmpty {
            noMapNote(&summary)
            for m in maps { m.file?.discard() }
            maps = []
        }
        // The streamed files are finished on every core together with the feeds: a spooled body
        // is copied after its head and every byte is hashed, which is most of the end of a
        // one-pass export, and the feeds are made meanwhile.
        var jobs: [Assembly] = []
        for m in maps {
            let geojson = m.format == .geojson
            jobs.append(Assembly(m, head: nil, tail: geojson ? GeoJSONWriter.tail(bbox: partition.box, empty: m.events == 0) : []))
        }
        for i in calendars.indices {
            calendarWriter.footer(into: &calendars[i].lines)
            try calendars[i].write(calendars[i].lines.drain())
            // A spooled calendar's head (its VTIMEZONEs, ICU's slowest work at the end), or the
            // check of one written early, is made in its job, beside the feeds, not here on one
            // core before any job starts.
            var head: (@Sendable () -> [UInt8])?
            if calendars[i].spool != nil || calendars[i].early != nil {
                let (writer, language, spans) = (calendarWriter, calendars[i].language, partition.spans)
                head = { Self.head(writer, language, spans) }
            }
            jobs.append(Assembly(calendars[i], head: head, tail: []))
        }
        let feedFormats = [OutputFormat.rss, .atom, .jsonfeed].filter { formats.contains($0) }
        let feeds = selections.indices.flatMap { i in
            let events = selections[i].events()
            return feedFormats.map { (language: selections[i].language, format: $0, events: events) }
        }
        let options = feedOptions
        let made = Mutex([[UInt8]](repeating: [], count: feeds.count))
        let assemblies = Assembly.longestFirst(jobs)
        DispatchQueue.concurrentPerform(iterations: assemblies.count + feeds.count) { k in
            guard k >= assemblies.count else { return assemblies[k].build() }
            let (language, format, events) = feeds[k - assemblies.count]
            let bytes: [UInt8]
            switch format {
            case .rss: bytes = RSSWriter(options: options).feed(events, language: language)
            case .atom: bytes = AtomWriter(options: options).feed(events, language: language)
            default: bytes = JSONFeedWriter(options: options).feed(events, language: language)
            }
            made.withLock { $0[k - assemblies.count] = bytes }
        }
        for (k, feed) in feeds.enumerated() {
            let file = try OutputFile(path: directory + "all.\(feed.language).\(feed.format.fileExtension)")
            // Taken out, so that each feed's bytes are freed once written.
            try file.write(made.withLock { feeds in
                var bytes: [UInt8] = []
                swap(&bytes, &feeds[k])
                return bytes
            })
            file.eventCount = feed.events.count
            try commit(file, feed.format, feed.language, &summary)
        }
        if let error = jobs.lazy.compactMap(\.error).first { throw error }
        for j in jobs {
            if let remade = j.remade { if remade { summary.headsMadeAgain += 1 } else { summary.headsKept += 1 } }
            try commit(j.file!, j.format, j.language, &summary)
        }
    }

    /// One streamed file being finished: head, spooled body and tail, hashed and flushed to disk.
    /// Each is built on its own thread, so they must not share anything mutable.
    private final class Assembly: @unchecked Sendable {
        let format: OutputFormat
        let language: String
        private let path: String
        private let spool: Spool?
        /// The head already in `file`, if it was written early.
        private let early: [UInt8]?
        /// Makes the bytes before a spooled body, or those an early head must equal.
        private let head: (@Sendable () -> [UInt8])?
        private let tail: [UInt8]
        private let events: Int
        private(set) var file: OutputFile?

        init(_ s: Stream, head: (@Sendable () -> [UInt8])?, tail: [UInt8]) {
            format = s.format
            language = s.language
            path = s.path
            spool = s.spool
            early = s.early
            file = s.file
            self.head = head
            self.tail = tail
            events = s.events
        }

        /// The order to start jobs in: the longest first, as a spooled body's copy is most of the
        /// end, and started last (after two maps' flushes) it ran alone while the other core idled.
        static func longestFirst(_ jobs: [Assembly]) -> [Assembly] {
            jobs.sorted { ($0.mayCopy ? 1 : 0, $0.events) > ($1.mayCopy ? 1 : 0, $1.events) }
        }

        /// Whether the job may copy a whole body (a head written early may turn out wrong).
        private var mayCopy: Bool { spool != nil || early != nil }

        /// Set when `build()` failed.
        private(set) var error: (any Error)?
        /// For a head written early: whether the file had to be made again.
        private(set) var remade: Bool?

        func build() {
            do {
                if let spool {
                    let f = try OutputFile(path: path)
                    file = f
                    try f.write(head?() ?? [])
                    try spool.copy(into: f)
                } else if let early, let head, let first = file {
                    let right = head()
                    remade = right != early
                    if remade == true {
                        let f = try OutputFile(path: path, tag: ".remade")
                        file = f
                        try f.write(right)
                        try f.append(bodyOf: first, after: early.count)
                        first.discard()
                    }
                }
                try file!.write(tail)
                file!.eventCount = events
                try file!.finishWriting()
            } catch {
                self.error = error
            }
        }
    }

    private func noMapNote(_ summary: inout ExportSummary) {
        summary.diagnostics.append(Diagnostic(.note, file: source,
            message: "no accepted event\(scope) has a venue position; the GeoJSON files are not written"))
    }

    /// " in past/" for a partition, nothing for the whole export.
    private var scope: String { partition.folder.isEmpty ? "" : " in \(partition.folder)" }

    func discard() {
        for s in calendars + maps { s.file?.discard() }
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

/// Sends each event to the output sets it belongs to: the whole export, its category and country
/// partitions (opened on first sight in a single-pass export), the time windows that hold it, and
/// its invites.
struct Router {
    let options: ExportOptions
    let languages: [String]
    let now: Instant
    let source: String
    private(set) var invites: InviteWriter
    private var sets: [OutputSet] = []
    private var keyedIndex: [String: Int] = [:]
    private var windows: [(scheme: PartitionScheme, index: Int)] = []
    /// Partitions not opened beforehand are opened, spooled, when their first event comes.
    private var openLazily = false

    init(options: ExportOptions, languages: [String], now: Instant, source: String) {
        self.options = options
        self.languages = languages
        self.now = now
        self.source = source
        invites = InviteWriter(options: options, languages: languages)
    }

    /// Opens the whole export's set; with `spooled` (one pass) every other set is opened, spooled,
    /// here (windows) or on first sight (categories, countries).
    mutating func open(whole: Partition, spooled: Bool, _ summary: inout ExportSummary) throws {
        sets.append(try OutputSet(whole, options: options, languages: languages, spooled: spooled, source: source, summary: &summary))
        guard spooled else { return }
        openLazily = true
        for scheme in options.partitions where scheme.isWindow {
            try open(window: scheme, .window(scheme), spooled: true, &summary)
        }
    }

    mutating func open(keyed p: Partition, _ summary: inout ExportSummary) throws {
        keyedIndex[p.name] = sets.count
        sets.append(try OutputSet(p, options: options, languages: languages, spooled: false, source: source, summary: &summary))
    }

    mutating func open(window scheme: PartitionScheme, _ p: Partition, spooled: Bool, _ summary: inout ExportSummary) throws {
        windows.append((scheme, sets.count))
        sets.append(try OutputSet(p, options: options, languages: languages, spooled: spooled, source: source, summary: &summary))
    }

    mutating func add(_ e: ScheduledEvent, _ rendered: RenderedEvent?, _ summary: inout ExportSummary) throws {
        try sets[0].add(e, rendered)
        for p in Exporter.keys(of: e, options.partitions) {
            if let i = keyedIndex[p.name] {
                try sets[i].add(e, rendered)
            } else if openLazily {
                keyedIndex[p.name] = sets.count
                sets.append(try OutputSet(p, options: options, languages: languages, spooled: true, source: source, summary: &summary))
                try sets[sets.count - 1].add(e, rendered)
            }
        }
        for w in windows where w.scheme.contains(e, now: now) { try sets[w.index].add(e, rendered) }
        if options.formats.contains(.invites) { try invites.write(e, &summary) }
    }

    mutating func finish(_ summary: inout ExportSummary) throws {
        for i in sets.indices { try sets[i].finish(&summary) }
    }

    func discard() {
        for s in sets { s.discard() }
    }
}
