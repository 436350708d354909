import Foundation
import Testing

@testable import Agenda

/// Paths and helpers shared by the tests.
enum Paths {
    /// The package root (this file is Tests/AgendaTests/Support.swift).
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path
    static let examples = root + "/Examples"
    static let feeds = root + "/Feeds"
    static let golden = root + "/Tests/AgendaTests/Golden"
    /// ../shared next to the checkout (the project's contract and real-world data).
    static let shared = root + "/../shared"
    static var hasShared: Bool { FileManager.default.fileExists(atPath: shared + "/spec/event-record.schema.json") }

    /// The `agenda` executable built next to the test bundle.
    static var agendaBinary: String {
        let dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for candidate in [dir, dir.deletingLastPathComponent()] {
            let path = candidate.appendingPathComponent("agenda").path
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return root + "/.build/debug/agenda"
    }
}

/// The directory every test's temporary directories are made in, one per test process, removed
/// with all it holds when the process exits: left behind, each `swift test` added a hundred
/// directories (half a gigabyte with the large exports) to the machine's /tmp. Set
/// `AGENDA_KEEP_TEST_FILES=1` to keep them, to look at what a failing test wrote.
private let testFilesRoot: String = {
    let path = NSTemporaryDirectory() + "agenda-tests-\(getpid())"
    try? FileManager.default.removeItem(atPath: path)  // a pid reused from an earlier kept run
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    if ProcessInfo.processInfo.environment["AGENDA_KEEP_TEST_FILES"] == nil {
        atexit { try? FileManager.default.removeItem(atPath: testFilesRoot) }
    }
    return path
}()

/// A fresh temporary directory, inside `testFilesRoot`.
func temporaryDirectory(_ name: String = #function) throws -> String {
    let safe = name.filter { $0.isLetter || $0.isNumber }
    let path = testFilesRoot + "/\(safe)-\(UUID().uuidString.prefix(8))"
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

func write(_ text: String, to path: String) throws {
    try Data(text.utf8).write(to: URL(fileURLWithPath: path))
}

/// Runs a program and returns its exit status, standard output and standard error.
@discardableResult
func run(_ executable: String, _ arguments: [String], environment: [String: String]? = nil, stdin: String? = nil)
    throws -> (status: Int32, out: String, err: String)
{
    let p = Process()
    p.executableURL = URL(fileURLWithPath: executable)
    p.arguments = arguments
    if let environment {
        p.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    }
    let out = Pipe(), err = Pipe(), input = Pipe()
    p.standardOutput = out
    p.standardError = err
    p.standardInput = input
    try p.run()
    if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
    try input.fileHandleForWriting.close()
    let o = out.fileHandleForReading.readDataToEndOfFile()
    let e = err.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return (p.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
}

/// Reads every record of an input, decoding each; returns records and all diagnostics.
func load(_ path: String, format: InputFormat? = nil) throws -> (records: [EventRecord], diagnostics: [Diagnostic]) {
    var records: [EventRecord] = []
    var diagnostics: [Diagnostic] = []
    let decoder = RecordDecoder()
    try RecordReader(path: path, format: format).read { event in
        switch event {
        case .problem(let d): diagnostics.append(d)
        case .record(let raw):
            let r = decoder.decode(raw)
            diagnostics += r.diagnostics
            if let rec = r.record { records.append(rec) }
        }
    }
    return (records, diagnostics)
}

/// Decodes records from text written to a temporary file named `name` (its extension picks the format).
func load(text: String, name: String) throws -> (records: [EventRecord], diagnostics: [String]) {
    let dir = try temporaryDirectory(name)
    let path = dir + "/" + name
    try write(text, to: path)
    let (records, diagnostics) = try load(path)
    return (records, diagnostics.map { $0.description.replacingOccurrences(of: dir + "/", with: "") })
}

/// Schedules records, failing the test on any error.
func schedule(_ records: [EventRecord], file: String = "test.json") -> [ScheduledEvent] {
    records.enumerated().compactMap { i, r in
        let result = Scheduler().schedule(r, origin: RecordOrigin(file: file, line: 1, index: i + 1))
        #expect(result.event != nil, "\(r.id): \(result.diagnostics)")
        return result.event
    }
}

/// Compares bytes with a golden file; with AGENDA_UPDATE_GOLDEN=1 the golden file is rewritten.
func expectGolden(_ bytes: [UInt8], _ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
    let path = Paths.golden + "/" + name
    if ProcessInfo.processInfo.environment["AGENDA_UPDATE_GOLDEN"] == "1" {
        try FileManager.default.createDirectory(atPath: Paths.golden, withIntermediateDirectories: true)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }
    let expected = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
    #expect(bytes == expected, "output differs from \(name); rerun with AGENDA_UPDATE_GOLDEN=1 and review the diff",
            sourceLocation: sourceLocation)
}
