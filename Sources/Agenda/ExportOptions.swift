import AgendaFeeds
import AgendaICS
import AgendaRecords

/// The files an export can produce.
public enum OutputFormat: String, Sendable, CaseIterable {
    /// One subscription calendar per language: `all.<lang>.ics`.
    case ics
    /// One invite per event and language: `events/<slug>.<lang>.ics`.
    case invites
    /// RSS 2.0 per language: `all.<lang>.rss`.
    case rss
    /// Atom per language: `all.<lang>.atom`.
    case atom
    /// JSON Feed 1.1 per language: `all.<lang>.json`.
    case jsonfeed
    /// GeoJSON FeatureCollection per language: `all.<lang>.geojson`.
    case geojson
    /// GeoJSON Text Sequence (RFC 8142) per language: `all.<lang>.geojsons`.
    case geojsons

    var fileExtension: String {
        switch self {
        case .ics, .invites: "ics"
        case .rss: "rss"
        case .atom: "atom"
        case .jsonfeed: "json"
        case .geojson: "geojson"
        case .geojsons: "geojsons"
        }
    }
}

/// What `agenda export` does.
public struct ExportOptions: Sendable {
    public var outputDirectory: String
    public var formats: Set<OutputFormat>
    /// Output languages; nil means every language present in the accepted records.
    public var languages: [String]?
    /// Warnings count as errors: the record is rejected.
    public var strict: Bool
    public var calendar: ICalendarOptions
    public var feeds: FeedOptions
    /// GeoJSON: online-only events as features without geometry (true) or left out.
    public var mapOnlineEvents = true
    /// The export's "now": DTSTAMP for records without `updated`/`created`, the reference for
    /// upcoming-first feeds and the map's occurrence window. Nil: taken from the data (the newest
    /// `updated`/`created`, else the earliest start), so the same input always gives the same files.
    public var timestamp: Instant?
    /// Extra feed sets in folders of their own, besides the whole export (see `PartitionScheme`).
    public var partitions: [PartitionScheme] = []
    /// Threads that parse, check and render records, in each pass (nil: one per core). The
    /// files and diagnostics are the same whatever the number.
    public var jobs: Int?
    /// A spooled calendar's head is written as soon as its body reaches this size, from the zones
    /// seen so far, and the body then goes straight after it (see `OutputSet`). Internal: the
    /// tests set it low to take both ways (the head still right at the end, or made again).
    var earlyHeadBytes = 8 << 20

    public init(outputDirectory: String, formats: Set<OutputFormat> = Set(OutputFormat.allCases),
                languages: [String]? = nil, strict: Bool = false, calendar: ICalendarOptions = ICalendarOptions(),
                feeds: FeedOptions = FeedOptions())
    {
        self.outputDirectory = outputDirectory
        self.formats = formats
        self.languages = languages
        self.strict = strict
        self.calendar = calendar
        self.feeds = feeds
    }
}

extension ExportOptions {
    /// The options with the export's "now" in every place that uses it.
    func with(now: Instant) -> ExportOptions {
        var o = self
        o.calendar.fallbackTimestamp = now
        o.feeds.now = now
        return o
    }
}

/// Why an export stopped (exit code 2); problems with single records are diagnostics instead.
public enum ExportError: Error, CustomStringConvertible, Sendable {
    case cannotWrite(path: String, reason: String)
    case noInput

    public var description: String {
        switch self {
        case .cannotWrite(let path, let reason): "\(path): cannot write: \(reason)"
        case .noInput: "no input files given"
        }
    }
}

/// What an export or validation found and did.
public struct ExportSummary: Sendable {
    public var recordsRead = 0
    public var recordsAccepted = 0
    public var recordsRejected = 0
    public var diagnostics: [Diagnostic] = []
    public var languages: [String] = []
    /// Paths written (changed) and left as they were (same bytes).
    public var filesWritten: [String] = []
    public var filesUnchanged: [String] = []
    public var filesRemoved: [String] = []
    /// Every file of the export (written or unchanged), as listed in `manifest.json`.
    public var files: [Manifest.Entry] = []
    /// Calendars whose head was written early and was right (`headsKept`), or was not and was
    /// made again with the body copied after it (`headsMadeAgain`): for the tests.
    var headsKept = 0, headsMadeAgain = 0

    /// 0 all good; 1 some records rejected or problems found (outputs still written).
    public var exitCode: Int32 {
        recordsRejected > 0 || diagnostics.contains { $0.severity == .error } ? 1 : 0
    }

    public var summaryLine: String {
        let warnings = diagnostics.filter { $0.severity == .warning }.count
        var s = "\(recordsRead) records read, \(recordsAccepted) accepted, \(recordsRejected) rejected, \(warnings) warnings"
        if !filesWritten.isEmpty || !filesUnchanged.isEmpty {
            s += "; \(filesWritten.count) files written, \(filesUnchanged.count) unchanged"
        }
        if !filesRemoved.isEmpty { s += ", \(filesRemoved.count) removed" }
        return s
    }
}
