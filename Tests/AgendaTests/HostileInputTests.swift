import Foundation
import Testing

@testable import Agenda

/// Hostile input never crashes the batch or breaks an output: every rejected record is explained
/// (file, line or record, and field where there is one) and every acceptable record is in every
/// output it belongs to. CI also runs ../shared/validators/check-all over these exports.
@Suite struct HostileInputTests {
    static let corpus = Paths.root + "/Tests/AgendaTests/Hostile"
    static var files: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: corpus)) ?? []).sorted()
    }

    /// The ids an export must contain: records that decode and schedule without error, first id wins.
    static func acceptable(_ path: String) throws -> [EventRecord] {
        var seen: Set<String> = []
        var result: [EventRecord] = []
        let decoder = RecordDecoder()
        try RecordReader(path: path).read { event in
            guard case .record(let raw) = event, let r = decoder.decode(raw).record,
                  Scheduler().schedule(r, origin: raw.origin).event != nil, seen.insert(r.id).inserted else { return }
            result.append(r)
        }
        return result
    }

    static func export(_ path: String, to dir: String) throws -> ExportSummary {
        var options = ExportOptions(outputDirectory: dir)
        options.feeds.limit = 0
        options.calendar.uidDomain = "hostile.example"
        return try Exporter(options: options).run([RecordReader(path: path)])
    }

    @Test(arguments: files)
    func everyRecordIsExportedOrExplained(file: String) throws {
        let path = Self.corpus + "/" + file
        let dir = try temporaryDirectory("hostile-" + file)
        let summary = try Self.export(path, to: dir)
        let expected = try Self.acceptable(path)
        #expect(summary.recordsAccepted == expected.count, "\(file)")
        // Every rejection is explained, and every diagnostic points at the file and a place in it.
        #expect(summary.recordsRejected <= summary.diagnostics.filter { $0.severity == .error }.count, "\(file)")
        for d in summary.diagnostics where d.severity != .note {
            #expect(d.file == path && (d.line != nil || d.record != nil), "\(d)")
            #expect(!d.description.contains("\n") && !d.description.contains("\r"), "one line per problem: \(d)")
        }
        for language in summary.languages {
            let ics = try [UInt8](Data(contentsOf: URL(fileURLWithPath: "\(dir)/all.\(language).ics")))
            let uids = Set(ICSParser.events(ics).compactMap { $0.first("UID")?.value })
            #expect(uids == Set(expected.map { $0.id + "@hostile.example" }), "\(file) \(language) ics")
            let rss = try #require(XMLTexts.parse([UInt8](Data(contentsOf: URL(fileURLWithPath: "\(dir)/all.\(language).rss")))), "\(file): RSS is XML")
            #expect(Set(rss.all("rss/channel/item/guid")) == Set(expected.map { "tag:agenda.localhost,2024:event/" + $0.id }), "\(file) rss")
            let atom = try [UInt8](Data(contentsOf: URL(fileURLWithPath: "\(dir)/all.\(language).atom")))
            #expect(XMLTexts.parse(atom) != nil, "\(file): Atom is XML")
            let feed = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: "\(dir)/all.\(language).json"))) as? [String: Any]
            #expect((feed?["items"] as? [Any])?.count == expected.count, "\(file) json feed")
            // GeoJSON is written when at least one accepted event has a position.
            if let data = FileManager.default.contents(atPath: "\(dir)/all.\(language).geojson") {
                let geo = try JSONSerialization.jsonObject(with: data) as? [String: Any]
                let ids = Set(((geo?["features"] as? [[String: Any]]) ?? []).compactMap { ($0["properties"] as? [String: Any])?["event_id"] as? String })
                #expect(ids == Set(expected.map(\.id)), "\(file) geojson")
            } else {
                #expect(summary.diagnostics.contains { $0.message.hasPrefix("no accepted event has a venue position") }, "\(file)")
            }
        }
    }

    @Test func injectedLinesStayText() throws {
        let dir = try temporaryDirectory()
        _ = try Self.export(Self.corpus + "/injection.json", to: dir)
        let ics = String(decoding: try Data(contentsOf: URL(fileURLWithPath: dir + "/all.es.ics")), as: UTF8.self)
        let unfolded = ics.replacingOccurrences(of: "\r\n ", with: "")
        #expect(!unfolded.contains("\r\nATTENDEE:mailto:x@example.com"), "the title's CRLF never starts a property")
        #expect(!unfolded.contains("\r\nLOCATION:otra") && !unfolded.contains("\r\nX-INJECT"))
        #expect(unfolded.components(separatedBy: "\r\nBEGIN:VEVENT\r\n").count == 4, "three events, no forged one")
        let lines = ICSParser.events(Array(ics.utf8))
        #expect(lines.contains { ICSParser.unescape($0.first("SUMMARY")?.value ?? "") == "Título ATTENDEE:mailto:x@example.com END:VEVENT BEGIN:VEVENT" })
        #expect(lines.contains { $0.first("ORGANIZER")?.params["CN"] == "Org \"citada\"; con, todo: salto" })
    }

    @Test func markupNeverReachesReadersAsMarkup() throws {
        let dir = try temporaryDirectory()
        _ = try Self.export(Self.corpus + "/markup.json", to: dir)
        for ext in ["rss", "atom"] {
            let text = String(decoding: try Data(contentsOf: URL(fileURLWithPath: "\(dir)/all.es.\(ext)")), as: UTF8.self)
            #expect(!text.contains("]]>") && !text.contains("<script") && !text.contains("&lt;script"), "\(ext)")
        }
        let geo = String(decoding: try Data(contentsOf: URL(fileURLWithPath: dir + "/all.es.geojson")), as: UTF8.self)
        #expect(geo.contains("<script>alert('x')</script>"), "GeoJSON keeps the text as text; the map page inserts it as text")
        let page = try String(contentsOfFile: Paths.examples + "/map/index.html", encoding: .utf8)
        #expect(!page.contains("innerHTML") && !page.contains("bindPopup(p.") && page.contains("textContent"))
    }

    @Test func controlCharactersAndBidi() throws {
        let dir = try temporaryDirectory()
        _ = try Self.export(Self.corpus + "/controls.json", to: dir)
        let ics = try [UInt8](Data(contentsOf: URL(fileURLWithPath: dir + "/all.es.ics")))
        #expect(!ics.contains { $0 < 0x20 && $0 != 0x0D && $0 != 0x0A && $0 != 0x09 })
        let rss = String(decoding: try Data(contentsOf: URL(fileURLWithPath: dir + "/all.es.rss")), as: UTF8.self)
        #expect(!rss.unicodeScalars.contains { ($0.value < 0x20 && $0 != "\n" && $0 != "\t") || $0.value == 0xFFFE || $0.value == 0xFFFF })
        // Bidi controls are text: kept, but always inside a value, after the property's name.
        let summary = ICSParser.events(ics).compactMap { $0.first("SUMMARY")?.value }.first { $0.contains("Bidi") }
        #expect(summary?.contains("\u{202E}") == true)
        #expect(String(decoding: ics, as: UTF8.self).split(separator: "\r\n").allSatisfy { !($0.first.map { "\u{202E}\u{2066}\u{200F}".contains($0) } ?? false) })
    }

    @Test func hugeAndDeepInputsAreBoundedErrors() throws {
        let dir = try temporaryDirectory()
        // A 20 MB description: refused for its record, the next record still exported.
        let big = String(repeating: "a", count: 20 << 20)
        let good = DiagnosticTests.record()
        try write("[" + DiagnosticTests.record("\"description\": {\"es\": \"\(big)\"}").replacingOccurrences(of: "e1", with: "big")
                  + ",\n" + good + "]", to: dir + "/big.json")
        let summary = try Exporter.validate([RecordReader(path: dir + "/big.json")], strict: false)
        #expect(summary.recordsAccepted == 1 && summary.recordsRejected == 1)
        #expect(summary.diagnostics.map(\.message) == ["the text is longer than 8 MiB, the limit for one field"])
        #expect(summary.diagnostics.first?.field == "description.es")
        // The same as one JSON Lines record: the line is over the limit and skipped.
        try write(DiagnosticTests.record("\"description\": {\"es\": \"\(big)\(big)\"}") + "\n" + good + "\n", to: dir + "/big.jsonl")
        let lines = try Exporter.validate([RecordReader(path: dir + "/big.jsonl")], strict: false)
        #expect(lines.recordsAccepted == 1 && lines.recordsRejected == 1)
        // 10,000 categories are fine.
        let categories = (0..<10_000).map { "{\"slug\": \"c\($0)\", \"label\": {\"es\": \"C \($0)\"}}" }.joined(separator: ",")
        try write(DiagnosticTests.record("\"categories\": [\(categories)]"), to: dir + "/cats.json")
        let cats = try Self.export(dir + "/cats.json", to: dir + "/cats")
        #expect(cats.recordsAccepted == 1)
        let ics = try [UInt8](Data(contentsOf: URL(fileURLWithPath: dir + "/cats/all.es.ics")))
        #expect(ICSParser.list(ICSParser.events(ics)[0].first("CATEGORIES")?.value ?? "").count == 10_000)
    }
}

/// The minimized fuzzing corpus, replayed through the same harness (without the fuzzer): every
/// input that once found a bug, and the inputs that cover the most code, stay regression tests.
@Suite struct FuzzCorpusTests {
    @Test(arguments: ["json", "jsonl", "yaml", "csv", "ics", "feeds", "geojson"])
    func seedsReplayCleanly(target: String) throws {
        let seeds = Paths.root + "/Tests/Fuzz/seeds/" + target
        try #require(FileManager.default.fileExists(atPath: seeds), "no seeds for \(target)")
        let binary = (Paths.agendaBinary as NSString).deletingLastPathComponent + "/agenda-fuzz"
        let result = try run(binary, [target, seeds], environment: ["SWIFT_BACKTRACE": "enable=no"])
        #expect(result.status == 0, "\(result.err.suffix(2000))")
        #expect(result.out.contains("no failure"))
    }
}
