import Agenda
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// One line of progress on standard error, redrawn in place: only on a terminal, never in CI
/// logs (where `CI` is set), unless asked with `--progress`.
struct ProgressDisplay: Sendable {
    let enabled: Bool

    static var isInteractive: Bool {
        isatty(STDERR_FILENO) == 1 && ProcessInfo.processInfo.environment["CI"] == nil
    }

    func show(_ p: ExportProgress) {
        let rate = p.elapsed > 0 ? Int(Double(p.processed) / p.elapsed) : 0
        let line: String
        switch p.phase {
        case .checking:
            line = "checking: \(p.recordsRead) read, \(p.recordsRejected) rejected (\(rate) records/s)"
        case .writing:
            line = "writing: \(p.processed) of \(p.recordsAccepted) events, \(p.filesWritten) files done"
        }
        FileHandle.standardError.write(Data(("\r\u{1B}[K" + line).utf8))
    }

    /// Erases the progress line before the diagnostics and the summary are printed.
    func clear() {
        if enabled { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }
}

/// `--report report.json`: the counts, every diagnostic and every file, for scripts.
struct ExportReport: Encodable {
    var recordsRead: Int
    var recordsAccepted: Int
    var recordsRejected: Int
    var warnings: Int
    var exitCode: Int32
    var languages: [String]
    var tzdata: String
    var diagnostics: [Diagnostic]
    var filesWritten: [String]
    var filesUnchanged: [String]
    var filesRemoved: [String]

    init(_ s: ExportSummary) {
        recordsRead = s.recordsRead
        recordsAccepted = s.recordsAccepted
        recordsRejected = s.recordsRejected
        warnings = s.diagnostics.filter { $0.severity == .warning }.count
        exitCode = s.exitCode
        languages = s.languages
        tzdata = TimeZoneData.version
        diagnostics = s.diagnostics
        filesWritten = s.filesWritten
        filesUnchanged = s.filesUnchanged
        filesRemoved = s.filesRemoved
    }

    func write(to path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try (encoder.encode(self) + Data("\n".utf8)).write(to: URL(fileURLWithPath: path), options: .atomic)
    }
}
