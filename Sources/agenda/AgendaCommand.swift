import Agenda
import ArgumentParser
import Foundation

/// `agenda`: a thin command-line layer over the Agenda library.
@main
struct AgendaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agenda",
        abstract: "Export event records to iCalendar, RSS, Atom, JSON Feed and GeoJSON.",
        discussion: """
            Exit codes: 0 all records exported; 1 some records rejected (the others are still \
            exported); 2 usage error or unreadable input.
            """,
        version: VersionInfo.text,
        subcommands: [Export.self, Validate.self, Zones.self]
    )

    /// Runs the command and maps every failure to the documented exit codes (ArgumentParser's
    /// own usage failures would otherwise exit 64).
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let code as ExitCode {
            Foundation.exit(code.rawValue)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                print(fullMessage(for: error))
                Foundation.exit(0)
            }
            FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
            Foundation.exit(2)
        }
    }
}

enum VersionInfo {
    static var text: String {
        "agenda \(Exporter.version) (ICU \(TimeZoneData.icuVersion); tz data \(TimeZoneData.version) from \(TimeZoneData.source); ICU built-in tz data \(TimeZoneData.icuBuiltinVersion))"
    }
}

/// Input files shared by the subcommands.
struct InputOptions: ParsableArguments {
    @Argument(help: "Record files (.json, .jsonl, .yaml, .csv), globs, or - for standard input.")
    var inputs: [String]

    @Option(help: "Input format when it cannot be told from the file name (json, jsonl, yaml, csv).")
    var format: String?

    func readers() throws -> [RecordReader] {
        var format: InputFormat?
        if let f = self.format {
            guard let parsed = InputFormat(rawValue: f) else {
                throw ValidationError("unknown --format '\(f)' (json, jsonl, yaml, csv)")
            }
            format = parsed
        }
        var readers: [RecordReader] = []
        for pattern in inputs {
            for path in expand(pattern) {
                if path != "-" && !FileManager.default.isReadableFile(atPath: path) {
                    throw CLIError("\(path): no such readable file")
                }
                do { readers.append(try RecordReader(path: path, format: format)) } catch { throw CLIError(error.description) }
            }
        }
        if readers.isEmpty { throw ValidationError("no input files") }
        return readers
    }

    /// Globs the shell did not expand (quoted patterns, Windows-style invocations).
    private func expand(_ pattern: String) -> [String] {
        guard pattern != "-", pattern.contains(where: { "*?[".contains($0) }) else { return [pattern] }
        var g = glob_t()
        defer { globfree(&g) }
        guard glob(pattern, 0, nil, &g) == 0 else { return [pattern] }
        return (0..<Int(g.gl_pathc)).compactMap { g.gl_pathv[$0].map { String(cString: $0) } }.sorted()
    }
}

struct CLIError: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}

func printDiagnostics(_ summary: ExportSummary) {
    var err = ""
    for d in summary.diagnostics { err += d.description + "\n" }
    err += "agenda: " + summary.summaryLine + "\n"
    FileHandle.standardError.write(Data(err.utf8))
}

struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Write calendars, invites and feeds for the records.")

    @OptionGroup var input: InputOptions

    @Option(name: .shortAndLong, help: "Output directory.")
    var output: String

    @Option(help: "Comma-separated formats: \(OutputFormat.allCases.map(\.rawValue).joined(separator: ", ")) (default: all).")
    var formats: String?

    @Option(help: "Comma-separated output languages, e.g. es,en (default: every language in the records).")
    var languages: String?

    @Option(help: "Export settings file (YAML or JSON), e.g. Examples/agenda.yaml: uidDomain, calendarName, publisher, siteURL, timestamp…")
    var config: String?

    @Option(help: "Domain for UIDs (<id>@<domain>); overrides the settings file.")
    var uidDomain: String?

    @Option(help: "Items per RSS/Atom/JSON feed (default \(FeedOptions.defaultLimit); 0 for no limit). Calendars are never limited.")
    var feedLimit: Int?

    @Option(help: "Feed item order: upcoming (default), start or title.")
    var feedOrder: String?

    @Flag(help: "Leave online-only events out of GeoJSON (by default they are features with geometry null).")
    var mapWithoutOnline = false

    @Flag(help: "Treat warnings as errors (the record is rejected).")
    var strict = false

    @Option(help: ArgumentHelp("Extra feed sets, comma-separated: category (by-category/<slug>/), country (by-country/<cc>/), upcoming, past, or a date range such as 2024-05-01..2024-06-30.", valueName: "partitions"))
    var partition: [String] = []

    @Option(help: ArgumentHelp("The export's \"now\" (DTSTAMP fallback, upcoming/past, feed dates): an RFC 3339 instant, or 'now' for the clock. Default: the settings file, else the newest updated/created in the data.", valueName: "instant"))
    var timestamp: String?

    @Option(help: ArgumentHelp("Also write every diagnostic, the counts and the files to this JSON file.", valueName: "report.json"))
    var report: String?

    @Flag(inversion: .prefixedNo, help: "Progress on standard error (default: on when it is a terminal and CI is not set).")
    var progress: Bool?

    @Option(name: .shortAndLong, help: ArgumentHelp("Threads that parse, check and render records (default: one per core). The files are the same whatever the number.", valueName: "n"))
    var jobs: Int?

    func run() throws {
        var options = ExportOptions(outputDirectory: output, strict: strict)
        if let config {
            do { try ExportSettings.load(config, into: &options) } catch { throw CLIError("\(error)") }
        }
        if let uidDomain {
            options.calendar.uidDomain = uidDomain
            options.feeds.idAuthority = uidDomain
        }
        options.mapOnlineEvents = !mapWithoutOnline
        if let jobs {
            guard jobs >= 1 else { throw ValidationError("--jobs must be 1 or more") }
            options.jobs = jobs
        }
        if let feedLimit {
            guard feedLimit >= 0 else { throw ValidationError("--feed-limit must be 0 (no limit) or more") }
            options.feeds.limit = feedLimit
        }
        if let feedOrder {
            guard let order = FeedOrder(rawValue: feedOrder) else {
                throw ValidationError("unknown --feed-order '\(feedOrder)' (\(FeedOrder.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            options.feeds.order = order
        }
        if let formats {
            var set: Set<OutputFormat> = []
            for f in formats.split(separator: ",") {
                guard let parsed = OutputFormat(rawValue: String(f)) else {
                    throw ValidationError("unknown format '\(f)' (\(OutputFormat.allCases.map(\.rawValue).joined(separator: ", ")))")
                }
                set.insert(parsed)
            }
            options.formats = set
        }
        if let languages {
            var list: [String] = []
            for l in languages.split(separator: ",") {
                guard let tag = Language.canonicalTag(String(l)) else { throw ValidationError("'\(l)' is not a language tag") }
                list.append(tag)
            }
            options.languages = list
        }
        for list in partition {
            for item in list.split(separator: ",") {
                guard let scheme = PartitionScheme(argument: String(item)) else {
                    throw ValidationError("unknown partition '\(item)' (category, country, upcoming, past, or FROM..TO dates such as 2024-05-01..2024-06-30)")
                }
                if !options.partitions.contains(scheme) { options.partitions.append(scheme) }
            }
        }
        if let timestamp {
            if timestamp == "now" {
                options.timestamp = Instant(secondsSince1970: Int64(Date().timeIntervalSince1970))
            } else if let instant = Instant(rfc3339: timestamp) {
                options.timestamp = instant
            } else {
                throw ValidationError("--timestamp: expected an RFC 3339 instant such as 2024-05-20T00:00:00Z, or 'now'")
            }
            options.calendar.fallbackTimestamp = options.timestamp!
            options.feeds.now = options.timestamp!
        }
        let display = ProgressDisplay(enabled: progress ?? ProgressDisplay.isInteractive)
        let summary: ExportSummary
        do {
            var exporter = Exporter(options: options)
            if display.enabled { exporter.progress = { @Sendable p in display.show(p) } }
            summary = try exporter.run(try input.readers())
        } catch let e as ValidationError {
            throw e
        } catch {
            display.clear()
            throw CLIError("\(error)")
        }
        display.clear()
        printDiagnostics(summary)
        if let report {
            do { try ExportReport(summary).write(to: report) } catch { throw CLIError("--report: \(report): \(error.localizedDescription)") }
        }
        throw ExitCode(summary.exitCode)
    }
}

struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Check records and report every problem; writes nothing.")

    @OptionGroup var input: InputOptions

    @Flag(help: "Treat warnings as errors.")
    var strict = false

    @Option(name: .shortAndLong, help: ArgumentHelp("Threads that parse and check records (default: one per core). The report is the same whatever the number.", valueName: "n"))
    var jobs: Int?

    func run() throws {
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be 1 or more") }
        let summary: ExportSummary
        do { summary = try Exporter.validate(try input.readers(), strict: strict, jobs: jobs) } catch let e as ValidationError {
            throw e
        } catch {
            throw CLIError("\(error)")
        }
        printDiagnostics(summary)
        throw ExitCode(summary.exitCode)
    }
}
