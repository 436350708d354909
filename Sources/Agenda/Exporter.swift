@_exported import AgendaFeeds
@_exported import AgendaICS
@_exported import AgendaRecords
@_exported import AgendaTime
import Foundation

/// The batch exporter. Given the output languages and the export's "now" (`timestamp`), it reads
/// its inputs once, checking and writing each record as it comes; otherwise it reads them once to
/// validate and learn both, then again to write. Either way memory is bounded by a few records in
/// flight, one buffer per output file, the items kept for each feed (`FeedOptions.limit`) and the
/// table of accepted ids (`IDTable`, about 25 bytes a record).
///
/// Output layout (see README.md, "Output layout"):
/// - `all.<lang>.ics` — a subscription calendar per language;
/// - `events/<slug>.<lang>.ics` — an invite per event and language (`<slug>` from the record id);
/// - `all.<lang>.rss`, `all.<lang>.atom`, `all.<lang>.json` — RSS, Atom and JSON Feed per language;
/// - `all.<lang>.geojson`, `all.<lang>.geojsons` — GeoJSON and RFC 8142 text sequences per language;
/// - the same set (invites aside) in `by-category/<slug>/`, `by-country/<cc>/`, `upcoming/`,
///   `past/` and `<from>_<to>/` for the partitions asked for;
/// - `manifest.json` — every file above with its format, language, partition, events, size and SHA-256.
public struct Exporter: Sendable {
    public static let version = "1.0.0"

    public var options: ExportOptions
    /// Called now and then (about every 1,000 records and after each phase) with the counts so far.
    public var progress: (@Sendable (ExportProgress) -> Void)?

    public init(options: ExportOptions, progress: (@Sendable (ExportProgress) -> Void)? = nil) {
        self.options = options
        self.progress = progress
    }

    /// Validates only: the diagnostics `export` would report, no files. `jobs` threads check the
    /// records (default: one per core); the summary is the same whatever their number.
    public static func validate(_ inputs: [RecordReader], strict: Bool, jobs: Int? = nil) throws -> ExportSummary {
        var summary = ExportSummary()
        var pipeline = RecordPipeline(inputs: inputs, strict: strict)
        try pipeline.scan(&summary, workers: jobs) { _, _, _ in }
        return summary
    }

    public func run(_ inputs: [RecordReader]) throws -> ExportSummary {
        guard !inputs.isEmpty else { throw ExportError.noInput }
        var summary = ExportSummary()
        var pipeline = RecordPipeline(inputs: inputs, strict: options.strict)
        var report = ProgressReporter(progress)
        for path in OutputFile.removeAbandonedTemporaries(in: options.outputDirectory) {
            summary.diagnostics.append(Diagnostic(.note, file: path, message: "removed a temporary file left by a killed run"))
        }
        let source = inputs[0].displayName
        Self.allowManyOpenFiles()

        // With the languages and "now" given, one pass does it all: each record is read, checked
        // and written once, on worker threads; calendar bodies are spooled until their heads (the
        // VTIMEZONEs) are known.
        if let languages = options.languages, let now = options.timestamp {
            let options = self.options.with(now: now)
            summary.languages = languages
            var router = Router(options: options, languages: languages, now: now, source: source)
            do {
                try router.open(whole: .whole, spooled: true, &summary)
                let renderer = EventRenderer(options: options, languages: languages)
                try pipeline.scan(&summary, renderer: renderer, workers: options.jobs,
                                  afterEach: progress == nil ? nil : { report.tick(.writing, $0) }) { e, rendered, summary in
                    try router.add(e, rendered, &summary)
                    if let rendered { renderer.recycle(rendered) }
                }
                try router.finish(&summary)
            } catch {
                router.discard()
                throw error
            }
            report.phase(.writing, summary)
            return try close(router, now: now, &summary)
        }

        // Pass 1: validate, and learn the languages, the partitions, and the span each zone must cover.
        var languagesSeen: [String] = []
        var whole = Partition.whole
        var keyed: [String: Partition] = [:]  // categories and countries, by name
        var dated: [String: Partition] = [:]  // date ranges, by name
        var newest: Instant?
        var earliest: Instant?
        let schemes = options.partitions
        try pipeline.scan(&summary, workers: options.jobs,
                          afterEach: progress == nil ? nil : { report.tick(.checking, $0) }) { e, _, _ in
            for p in Self.keys(of: e, schemes) {
                keyed[p.name, default: p].include(e)
            }
            for scheme in schemes {
                if case .dates = scheme, scheme.contains(e, now: e.start) {
                    let p = Partition.window(scheme)
                    dated[p.name, default: p].include(e)
                }
            }
            whole.include(e)
            if let t = e.record.updated ?? e.record.created, newest.map({ t > $0 }) ?? true { newest = t }
            if earliest.map({ e.start < $0 }) ?? true { earliest = e.start }
            for l in e.record.languages where !languagesSeen.contains(l) { languagesSeen.append(l) }
        }
        report.phase(.checking, summary)
        let languages = options.languages ?? languagesSeen.sorted()
        summary.languages = languages
        if summary.recordsAccepted == 0 && summary.recordsRead == 0 { return summary }

        // The export's "now" comes from the settings or from the data, never from the clock.
        let now = options.timestamp ?? newest ?? earliest ?? Instant(secondsSince1970: 0)
        let options = self.options.with(now: now)

        // Pass 2: write. Upcoming and past members are known only now, so they are spooled.
        var router = Router(options: options, languages: languages, now: now, source: source)
        do {
            try router.open(whole: whole, spooled: false, &summary)
            for p in keyed.values.sorted(by: { $0.name < $1.name }) { try router.open(keyed: p, &summary) }
            for scheme in schemes where scheme.isWindow {
                let p = Partition.window(scheme)
                try router.open(window: scheme, dated[p.name] ?? p, spooled: scheme.dependsOnNow, &summary)
            }
            let renderer = EventRenderer(options: options, languages: languages)
            try pipeline.replay(renderer: renderer, workers: options.jobs) { e, rendered in
                try router.add(e, rendered, &summary)
                if let rendered { renderer.recycle(rendered) }
                if progress != nil { report.tick(.writing, summary) }
            }
            try router.finish(&summary)
        } catch {
            router.discard()
            throw error
        }
        report.phase(.writing, summary)
        return try close(router, now: now, &summary)
    }

    /// After the files: stale invites and files go, the manifest is written.
    private func close(_ router: Router, now: Instant, _ summary: inout ExportSummary) throws -> ExportSummary {
        if options.formats.contains(.invites) { router.invites.removeStale(&summary) }
        try writeManifest(now: now, &summary)
        return summary
    }

    /// Each partition keeps a few files open while events stream (calendars and maps in every
    /// language), so a batch with hundreds of categories needs more than the usual soft limit of
    /// 1,024 descriptors: it is raised to the hard limit.
    static func allowManyOpenFiles() {
        var limit = rlimit()
        guard getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit) == 0, limit.rlim_cur < limit.rlim_max else { return }
        limit.rlim_cur = limit.rlim_max
        _ = setrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit)
    }

    /// The category and country partitions an event belongs to (empty unless asked for).
    static func keys(of e: ScheduledEvent, _ schemes: [PartitionScheme]) -> [Partition] {
        var result: [Partition] = []
        if schemes.contains(.category) {
            var seen: Set<String> = []
            for c in e.record.categories {
                let p = Partition.category(c)
                if seen.insert(p.name).inserted { result.append(p) }
            }
        }
        if schemes.contains(.country), let cc = e.record.venue?.address?.countryCode {
            result.append(.country(cc))
        }
        return result
    }

    /// Writes `manifest.json`, after removing the files the previous manifest listed that this
    /// export no longer produces (a category that is gone, a partition left empty), so the
    /// output tree never serves stale files.
    private func writeManifest(now: Instant, _ summary: inout ExportSummary) throws {
        let manifest = Manifest(generator: "agenda \(Self.version)", tzdata: TimeZoneData.version,
                                generated: now.rfc3339(offsetSeconds: 0), entries: summary.files)
        let path = options.outputDirectory + "/manifest.json"
        if let previous = Manifest.paths(inFileAt: path) {
            let current = Set(summary.files.map(\.path))
            for relative in previous.sorted() where !current.contains(relative) && Manifest.isSafe(relative) {
                let stale = options.outputDirectory + "/" + relative
                if unlink(stale) == 0 {
                    summary.filesRemoved.append(stale)
                    // And the folders it leaves empty (rmdir refuses any that is not).
                    var folder = (relative as NSString).deletingLastPathComponent
                    while !folder.isEmpty, rmdir(options.outputDirectory + "/" + folder) == 0 {
                        folder = (folder as NSString).deletingLastPathComponent
                    }
                }
            }
        }
        let file = try OutputFile(path: path)
        try file.write(manifest.json)
        if try file.commit() { summary.filesWritten.append(file.path) } else { summary.filesUnchanged.append(file.path) }
    }
}

extension Partition {
    mutating func include(_ e: ScheduledEvent) {
        spans.include(e)
        if let g = e.position, e.record.attendanceMode != .online { box.include(g) }
    }
}

/// The export's progress, for a terminal display.
public struct ExportProgress: Sendable {
    public enum Phase: Sendable { case checking, writing }
    public var phase: Phase
    /// Records handled in this phase (read and checked, or written).
    public var processed: Int
    public var recordsRead: Int
    public var recordsAccepted: Int
    public var recordsRejected: Int
    public var filesWritten: Int
    /// Seconds since the export started.
    public var elapsed: Double
    /// Whether the phase is over.
    public var finished: Bool
}

/// Calls the progress closure at most every 1,000 records.
struct ProgressReporter {
    let body: (@Sendable (ExportProgress) -> Void)?
    let start = ContinuousClock.now
    var count = 0

    init(_ body: (@Sendable (ExportProgress) -> Void)?) { self.body = body }

    mutating func tick(_ phase: ExportProgress.Phase, _ summary: ExportSummary) {
        guard body != nil else { return }
        count += 1
        if count % 1000 == 0 { send(phase, summary, finished: false) }
    }

    mutating func phase(_ phase: ExportProgress.Phase, _ summary: ExportSummary) {
        send(phase, summary, finished: true)
        count = 0
    }

    private func send(_ phase: ExportProgress.Phase, _ summary: ExportSummary, finished: Bool) {
        guard let body else { return }
        let d = ContinuousClock.now - start
        body(ExportProgress(phase: phase, processed: count, recordsRead: summary.recordsRead, recordsAccepted: summary.recordsAccepted,
                            recordsRejected: summary.recordsRejected,
                            filesWritten: summary.filesWritten.count + summary.filesUnchanged.count,
                            elapsed: Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18,
                            finished: finished))
    }
}
