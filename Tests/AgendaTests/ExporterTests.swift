import Foundation
import Testing

@testable import Agenda

@Suite struct ExporterTests {
    static func examplesExport(to dir: String) throws -> ExportSummary {
        var options = ExportOptions(outputDirectory: dir)
        try ExportSettings.load(Paths.examples + "/agenda.yaml", into: &options)
        return try Exporter(options: options).run([RecordReader(path: Paths.examples + "/open-gov-week-2024.json")])
    }

    static func tree(_ dir: String) throws -> [String: Data] {
        var files: [String: Data] = [:]
        let e = FileManager.default.enumerator(atPath: dir)
        while let rel = e?.nextObject() as? String {
            var isDir: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: dir + "/" + rel, isDirectory: &isDir)
            if !isDir.boolValue { files[rel] = try Data(contentsOf: URL(fileURLWithPath: dir + "/" + rel)) }
        }
        return files
    }

    /// Feeds/ is what the README's first command writes from Examples/: regenerate it when this fails.
    @Test func feedsAreUpToDate() throws {
        let dir = try temporaryDirectory()
        let summary = try Self.examplesExport(to: dir)
        #expect(summary.exitCode == 0)
        let fresh = try Self.tree(dir)
        let committed = try Self.tree(Paths.feeds)
        #expect(Set(fresh.keys) == Set(committed.keys), "Feeds/ has other files than an export writes")
        for (name, data) in fresh {
            #expect(committed[name] == data, "Feeds/\(name) is stale: run the README's export command")
        }
    }

    @Test func layoutAndLanguages() throws {
        let dir = try temporaryDirectory()
        let summary = try Self.examplesExport(to: dir)
        #expect(summary.languages == ["en", "es"])
        #expect(summary.recordsAccepted == 19)
        let files = try Self.tree(dir).keys.sorted()
        #expect(files.contains("all.es.ics") && files.contains("all.en.ics"))
        #expect(files.contains("events/ogw2024-valle-participa.es.ics"))
        #expect(files.filter { $0.hasPrefix("events/") }.count == 38)
        for language in ["es", "en"] {
            for ext in ["ics", "rss", "atom", "json", "geojson", "geojsons"] { #expect(files.contains("all.\(language).\(ext)")) }
        }
    }

    @Test func outputsAreDeterministicAndRewrittenOnlyWhenChanged() throws {
        let a = try temporaryDirectory("a"), b = try temporaryDirectory("b")
        _ = try Self.examplesExport(to: a)
        _ = try Self.examplesExport(to: b)
        #expect(try Self.tree(a) == Self.tree(b))
        let path = a + "/all.es.ics"
        let before = try FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date
        Thread.sleep(forTimeInterval: 0.05)
        let again = try Self.examplesExport(to: a)
        let after = try FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date
        #expect(before == after)
        #expect(again.filesWritten.isEmpty && again.filesUnchanged.count == 51)  // 50 files and the manifest
        #expect(try FileManager.default.contentsOfDirectory(atPath: a).allSatisfy { !$0.hasSuffix(".tmp") })
    }

    @Test func staleInvitesAreRemovedAndSelectionsHonoured() throws {
        let dir = try temporaryDirectory()
        try write("stale", to: dir + "/unrelated.txt")
        _ = try Self.examplesExport(to: dir)
        try FileManager.default.createDirectory(atPath: dir + "/events", withIntermediateDirectories: true)
        try write("old", to: dir + "/events/gone.es.ics")
        let summary = try Self.examplesExport(to: dir)
        #expect(summary.filesRemoved == [dir + "/events/gone.es.ics"])
        #expect(FileManager.default.fileExists(atPath: dir + "/unrelated.txt"))

        let only = try temporaryDirectory("only")
        var options = ExportOptions(outputDirectory: only, formats: [.ics], languages: ["es"])
        try ExportSettings.load(Paths.examples + "/agenda.yaml", into: &options)
        _ = try Exporter(options: options).run([RecordReader(path: Paths.examples + "/open-gov-week-2024.csv")])
        #expect(try Self.tree(only).keys.sorted() == ["all.es.ics", "manifest.json"])
        // The CSV copy exports the same calendar as the JSON.
        let json = try temporaryDirectory("json")
        _ = try Self.examplesExport(to: json)
        #expect(try Data(contentsOf: URL(fileURLWithPath: only + "/all.es.ics")) == Data(contentsOf: URL(fileURLWithPath: json + "/all.es.ics")))
    }

    @Test func badRecordsAreSkippedGoodOnesExported() throws {
        let dir = try temporaryDirectory()
        try write("[" + DiagnosticTests.record() + ",\n" + DiagnosticTests.record().replacingOccurrences(of: "e1", with: "e2").replacingOccurrences(of: "America/Bogota", with: "Mars/Olympus") + "]", to: dir + "/in.json")
        let summary = try Exporter(options: ExportOptions(outputDirectory: dir + "/out")).run([RecordReader(path: dir + "/in.json")])
        #expect(summary.recordsAccepted == 1 && summary.recordsRejected == 1 && summary.exitCode == 1)
        let ics = try [UInt8](Data(contentsOf: URL(fileURLWithPath: dir + "/out/all.es.ics")))
        #expect(ICSParser.events(ics).map { $0.first("UID")?.value } == ["e1@agenda.localhost"])
    }

    @Test func settingsAreValidated() throws {
        let dir = try temporaryDirectory()
        var options = ExportOptions(outputDirectory: dir)
        try write("refreshInterval: 12 hours\n", to: dir + "/a.yaml")
        #expect(throws: ExportSettings.Problem.self) { try ExportSettings.load(dir + "/a.yaml", into: &options) }
        try write("colour: red\n", to: dir + "/b.yaml")
        #expect(throws: ExportSettings.Problem.self) { try ExportSettings.load(dir + "/b.yaml", into: &options) }
        #expect(ExportSettings.isDuration("PT12H") && ExportSettings.isDuration("P1W") && ExportSettings.isDuration("P1DT6H30M"))
        #expect(!ExportSettings.isDuration("PT") && !ExportSettings.isDuration("P1H") && !ExportSettings.isDuration("12H"))
    }
}
