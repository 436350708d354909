import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

@testable import Agenda
@testable import AgendaRecords
import CAgendaDigest

/// The batch exporter as cron and CI use it: manifest, partitions, stale files, kills, reports.
@Suite struct BatchTests {
    static let partitions: [PartitionScheme] = [.category, .country, .upcoming, .past,
                                                 .dates(CivilDate(year: 2024, month: 5, day: 21), CivilDate(year: 2024, month: 5, day: 23))]

    static func export(to dir: String, partitions: [PartitionScheme] = partitions, timestamp: String? = nil) throws -> ExportSummary {
        var options = ExportOptions(outputDirectory: dir)
        try ExportSettings.load(Paths.examples + "/agenda.yaml", into: &options)
        options.partitions = partitions
        if let timestamp { options.timestamp = Instant(rfc3339: timestamp) }
        return try Exporter(options: options).run([RecordReader(path: Paths.examples + "/open-gov-week-2024.json")])
    }

    static func manifest(_ dir: String) throws -> [[String: Any]] {
        let data = try Data(contentsOf: URL(fileURLWithPath: dir + "/manifest.json"))
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(object["tzdata"] as? String == TimeZoneData.version)
        return try #require(object["files"] as? [[String: Any]])
    }

    /// UIDs of the VEVENTs in a calendar.
    static func uids(_ path: String) throws -> Set<String> {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        return Set(text.split(separator: "\r\n").filter { $0.hasPrefix("UID:") }.map { String($0.dropFirst(4)) })
    }

    @Test func sha256MatchesTheStandardVectors() {
        func digest(_ bytes: [UInt8], splitAt cuts: [Int] = []) -> String {
            var h = SHA256()
            var start = 0
            for cut in cuts + [bytes.count] {
                h.update(Array(bytes[start..<cut]))
                start = cut
            }
            return h.finalize()
        }
        #expect(digest([]) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(digest(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        let two = Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)
        #expect(digest(two) == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(digest(two, splitAt: [1, 3, 55]) == digest(two))
        let million = [UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)
        #expect(digest(million, splitAt: [63, 64, 129, 500_001]) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    /// The SHA-instruction block function and the portable one agree, block run by block run, on
    /// pseudo-random data (the vectors above exercise only whichever one this CPU selects).
    @Test func sha256HardwareAndPortableBlocksAgree() {
        var seed: UInt64 = 0x9E37_79B9_7F4A_7C15
        let data = (0..<64 * 257).map { _ -> UInt8 in
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return UInt8(truncatingIfNeeded: seed >> 33)
        }
        for blocks in [1, 2, 3, 16, 257] {
            var fast: [UInt32] = [1, 2, 3, 4, 5, 6, 7, 8], slow = fast
            data.withUnsafeBufferPointer { bytes in
                agenda_sha256_blocks(&fast, bytes.baseAddress!, blocks)
                agenda_sha256_blocks_portable(&slow, bytes.baseAddress!, blocks)
            }
            #expect(fast == slow, "\(blocks) blocks")
        }
        #if arch(x86_64)
        // This project's machines have the SHA extensions; say so if a CI machine does not.
        if agenda_sha256_uses_hardware() == 0 { print("note: this CPU has no SHA instructions; only the portable path ran") }
        #endif
    }

    /// Two messages hashed together, in pieces of every shape (whole blocks, partial blocks left
    /// pending on either side, one side empty), give each the digest it has alone; so do the
    /// two-stream block function and two calls of the one-stream one.
    @Test func sha256OfTwoStreamsAtOnceIsEachOnesOwn() {
        var seed: UInt64 = 0x2545_F491_4F6C_DD1D
        func next() -> Int {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(truncatingIfNeeded: seed >> 33)
        }
        let data = (0..<64 * 300).map { _ in UInt8(truncatingIfNeeded: next()) }
        for blocks in [1, 2, 5, 64] {
            var a: [UInt32] = [1, 2, 3, 4, 5, 6, 7, 8], b: [UInt32] = [8, 7, 6, 5, 4, 3, 2, 1]
            var a1 = a, b1 = b
            data.withUnsafeBufferPointer { bytes in
                agenda_sha256_blocks_x2(&a, bytes.baseAddress!, &b, bytes.baseAddress! + 64 * 100, blocks)
                agenda_sha256_blocks(&a1, bytes.baseAddress!, blocks)
                agenda_sha256_blocks(&b1, bytes.baseAddress! + 64 * 100, blocks)
            }
            #expect(a == a1 && b == b1, "\(blocks) blocks")
        }
        for round in 0..<200 {
            var together = (SHA256(), SHA256()), alone = (SHA256(), SHA256())
            var x = 0, y = 64 * 150
            for _ in 0..<6 {
                // Piece lengths from 0 to a few blocks, often not whole blocks.
                let p = round % 3 == 0 ? 64 * (next() % 4) : next() % 300
                let q = round % 5 == 0 ? 0 : next() % 300
                data.withUnsafeBufferPointer { bytes in
                    let px = UnsafeBufferPointer(rebasing: bytes[x..<min(x + p, 64 * 150)])
                    let qy = UnsafeBufferPointer(rebasing: bytes[y..<min(y + q, bytes.count)])
                    SHA256.update(&together.0, px, &together.1, qy)
                    alone.0.update(px)
                    alone.1.update(qy)
                    x += px.count
                    y += qy.count
                }
            }
            #expect(together.0.finalize() == alone.0.finalize() && together.1.finalize() == alone.1.finalize(), "round \(round)")
        }
    }

    /// A spooled body larger than several hashing windows, and not a multiple of one, lands after
    /// the head byte for byte, with the hash `sha256sum` gives; so does the copy made without
    /// `sendfile`.
    @Test func spooledBodyIsCopiedAndHashedWhole() throws {
        let dir = try temporaryDirectory()
        let random = try #require(FileHandle(forReadingAtPath: "/dev/urandom"))
        let head = [UInt8](random.readData(ofLength: 1000)), body = [UInt8](random.readData(ofLength: (5 << 20) + 12_345))
        let file = try OutputFile(path: dir + "/out.bin")
        let spool = try Spool(beside: dir + "/out.bin")
        try file.write(head)
        for start in stride(from: 0, to: body.count, by: 100_000) { try spool.write(Array(body[start..<min(start + 100_000, body.count)])) }
        try spool.copy(into: file)
        try file.commit()
        #expect(file.byteCount == head.count + body.count)
        #expect(try [UInt8](Data(contentsOf: URL(fileURLWithPath: dir + "/out.bin"))) == head + body)
        let sum = try run("/usr/bin/sha256sum", [dir + "/out.bin"])
        #expect(sum.out.prefix(64) == file.sha256)

        let source = open(dir + "/out.bin", O_RDONLY), target = open(dir + "/copy.bin", O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        defer { close(source) }
        #expect(OutputFile.copyByReading(source, from: 0, upTo: head.count + body.count, to: target, path: dir + "/copy.bin") == nil)
        close(target)
        #expect(try Data(contentsOf: URL(fileURLWithPath: dir + "/copy.bin")) == Data(head + body))
    }

    /// A file made again from another's body (a calendar whose early head was wrong): the body
    /// starts after a head that does not end on a page and spans several hashing windows; it lands
    /// after the new head byte for byte, with the hash `sha256sum` gives, and the first file goes.
    @Test func aBodyIsCopiedFromAfterAnotherFilesHead() throws {
        let dir = try temporaryDirectory()
        let random = try #require(FileHandle(forReadingAtPath: "/dev/urandom"))
        let oldHead = [UInt8](random.readData(ofLength: 4097)), newHead = [UInt8](random.readData(ofLength: 123))
        let body = [UInt8](random.readData(ofLength: (5 << 20) + 777))
        let first = try OutputFile(path: dir + "/out.bin", readable: true)
        try first.write(oldHead)
        for start in stride(from: 0, to: body.count, by: 300_000) { try first.write(Array(body[start..<min(start + 300_000, body.count)])) }
        let again = try OutputFile(path: dir + "/out.bin", tag: ".remade")
        try again.write(newHead)
        try again.append(bodyOf: first, after: oldHead.count)
        first.discard()
        try again.commit()
        #expect(again.byteCount == newHead.count + body.count)
        #expect(try [UInt8](Data(contentsOf: URL(fileURLWithPath: dir + "/out.bin"))) == newHead + body)
        let sum = try run("/usr/bin/sha256sum", [dir + "/out.bin"])
        #expect(sum.out.prefix(64) == again.sha256)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["out.bin"])
    }

    /// Every file is listed with its true size, SHA-256 (checked with `sha256sum`), event count,
    /// format, language and partition, and nothing else is in the tree.
    @Test func manifestDescribesEveryFile() throws {
        let dir = try temporaryDirectory()
        let summary = try Self.export(to: dir)
        #expect(summary.exitCode == 0)
        let entries = try Self.manifest(dir)
        let tree = try ExporterTests.tree(dir)
        #expect(Set(entries.compactMap { $0["path"] as? String }) == Set(tree.keys).subtracting(["manifest.json"]))
        let paths = entries.compactMap { $0["path"] as? String }
        let sums = try run("/usr/bin/sha256sum", paths, environment: nil, in: dir)
        #expect(sums.status == 0)
        var expected: [String: String] = [:]
        for line in sums.out.split(separator: "\n") {
            let parts = line.split(separator: " ", maxSplits: 1)
            expected[String(parts[1].drop { $0 == " " || $0 == "*" })] = String(parts[0])
        }
        for e in entries {
            let path = try #require(e["path"] as? String)
            let data = try #require(tree[path])
            #expect(e["bytes"] as? Int == data.count, "\(path)")
            #expect(e["sha256"] as? String == expected[path], "\(path)")
            #expect(e["tzdata"] as? String == TimeZoneData.version)
            let text = String(decoding: data, as: UTF8.self)
            let count: Int
            switch e["format"] as? String {
            case "ics", "invite": count = text.components(separatedBy: "BEGIN:VEVENT").count - 1
            case "rss": count = text.components(separatedBy: "<item>").count - 1
            case "atom": count = text.components(separatedBy: "<entry>").count - 1
            case "jsonfeed":
                let json = try JSONSerialization.jsonObject(with: data) as? [String: Any]
                count = (json?["items"] as? [Any])?.count ?? -1
            case "geojson":
                let json = try JSONSerialization.jsonObject(with: data) as? [String: Any]
                count = (json?["features"] as? [Any])?.count ?? -1
            case "geojsons": count = data.filter { $0 == 0x1E }.count
            default: Issue.record("unknown format in \(e)"); count = -1
            }
            #expect(e["events"] as? Int == count, "\(path)")
            let language = try #require(e["language"] as? String)
            #expect(path.contains(".\(language)."))
            let partition = try #require(e["partition"] as? String)
            switch partition {
            case "all": #expect(!path.contains("by-"))
            case let p where p.hasPrefix("category/"): #expect(path.hasPrefix("by-category/" + p.dropFirst(9) + "/"))
            case let p where p.hasPrefix("country/"): #expect(path.hasPrefix("by-country/" + p.dropFirst(8) + "/"))
            default: #expect(path.hasPrefix(partition + "/"))
            }
        }
    }

    /// Each partition holds exactly the events it should, by UID.
    @Test func partitionsHoldTheirEvents() throws {
        let dir = try temporaryDirectory()
        _ = try Self.export(to: dir)
        let events = try ICalendarWriterTests.examples()
        let domain = "opengovweek.example.org"  // Examples/agenda.yaml
        func uids(_ keep: (ScheduledEvent) -> Bool) -> Set<String> { Set(events.filter(keep).map { "\($0.record.id)@\(domain)" }) }
        #expect(try Self.uids(dir + "/all.es.ics") == uids { _ in true })
        #expect(try Self.uids(dir + "/by-category/open-data/all.es.ics") == uids { $0.record.categories.contains { $0.slug == "open-data" } })
        #expect(try Self.uids(dir + "/by-country/co/all.en.ics") == uids { $0.record.venue?.address?.countryCode == "CO" })
        let now = try #require(Instant(rfc3339: "2024-05-20T00:00:00Z"))  // Examples/agenda.yaml
        let upcoming = try Self.uids(dir + "/upcoming/all.es.ics")
        #expect(upcoming == uids { ($0.end ?? $0.start) >= now })
        // Nothing is over at the settings' timestamp: an empty calendar is invalid (RFC 5545 wants a
        // component), so the partition has no files at all.
        #expect(uids { ($0.end ?? $0.start) < now }.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: dir + "/past/all.es.ics"))
        let range = try Self.uids(dir + "/2024-05-21_2024-05-23/all.es.ics")
        #expect(range == uids { e in
            let day = e.record.allDay ? e.record.start.civilDate : e.zone.localTime(at: e.start).date
            return day >= CivilDate(year: 2024, month: 5, day: 21) && day <= CivilDate(year: 2024, month: 5, day: 23)
        })
        #expect(!range.isEmpty && range.count < events.count)
        // Partition titles say which part they are.
        let rss = try String(contentsOfFile: dir + "/by-category/open-data/all.es.rss", encoding: .utf8)
        #expect(rss.contains("· Datos abiertos</title>"))
        #expect(rss.contains("by-category/open-data/all.es.rss"))

        // Later, past has events; the partitions no longer asked for are removed, folders too.
        let past = try Self.export(to: dir, partitions: [.past], timestamp: "2024-05-25T00:00:00Z")
        #expect(try Self.uids(dir + "/past/all.es.ics") == uids { ($0.end ?? $0.start) < Instant(rfc3339: "2024-05-25T00:00:00Z")! })
        #expect(past.filesRemoved.contains(dir + "/by-category/open-data/all.es.ics"))
        #expect(!FileManager.default.fileExists(atPath: dir + "/by-category"), "emptied folders go too")
    }

    /// Given the languages and the timestamp, the export reads its input once (spooling calendar
    /// and map bodies until their heads are known); it must write exactly what two passes write.
    @Test func onePassWritesWhatTwoPassesWrite() throws {
        let two = try temporaryDirectory("two"), one = try temporaryDirectory("one")
        _ = try Self.export(to: two)
        var options = ExportOptions(outputDirectory: one)
        try ExportSettings.load(Paths.examples + "/agenda.yaml", into: &options)
        options.partitions = Self.partitions
        options.languages = ["en", "es"]
        #expect(options.timestamp != nil)
        let summary = try Exporter(options: options).run([RecordReader(path: Paths.examples + "/open-gov-week-2024.json")])
        #expect(summary.recordsAccepted == 19)
        let a = try ExporterTests.tree(two), b = try ExporterTests.tree(one)
        #expect(a.keys.sorted() == b.keys.sorted())
        for (path, data) in a where b[path] != data { Issue.record("\(path) differs between one and two passes") }
        #expect(a.count > 100)
        // Nothing is left behind by the spools.
        #expect(b.keys.allSatisfy { !($0 as NSString).lastPathComponent.hasPrefix(".") })
    }

    /// A one-pass export writes a calendar's head early, once its body is large enough, and checks
    /// it at the end. Whether the head was right (all zones seen, the earliest events first: the
    /// generated events after 80 KB) or had to be made again (after the first event, with 49 zones
    /// still to come), the files are those of a spool kept to the end, and the manifest's hashes
    /// are those of the files.
    @Test func calendarHeadsWrittenEarlyGiveTheSameFiles() throws {
        let base = try temporaryDirectory()
        let input = base + "/events.jsonl"
        let generated = try run("/usr/bin/python3", [Paths.root + "/Benchmarks/generate_events.py", "600", input])
        #expect(generated.status == 0, "\(generated.err)")
        func export(_ name: String, earlyHeadBytes: Int) throws -> (summary: ExportSummary, tree: [String: Data]) {
            var options = ExportOptions(outputDirectory: base + "/" + name)
            options.languages = ["en", "es"]
            options.timestamp = Instant(rfc3339: "2025-06-01T00:00:00Z")
            options.partitions = [.country, .upcoming]
            options.earlyHeadBytes = earlyHeadBytes
            let summary = try Exporter(options: options).run([RecordReader(path: input)])
            #expect(summary.exitCode == 0)
            return (summary, try ExporterTests.tree(base + "/" + name))
        }
        let spooled = try export("spooled", earlyHeadBytes: .max)
        #expect(spooled.summary.headsKept == 0 && spooled.summary.headsMadeAgain == 0)
        let right = try export("right", earlyHeadBytes: 80_000)
        #expect(right.summary.headsKept >= 2 && right.summary.headsMadeAgain == 0)
        let wrong = try export("wrong", earlyHeadBytes: 1)
        #expect(wrong.summary.headsMadeAgain >= 2)
        for (name, other) in [("right", right), ("wrong", wrong)] {
            #expect(other.tree.keys.sorted() == spooled.tree.keys.sorted(), "\(name): no temporary is left")
            for (path, data) in spooled.tree where other.tree[path] != data { Issue.record("\(path) differs in \(name)") }
            for entry in other.summary.files where entry.format == "ics" {
                var hasher = SHA256()
                hasher.update([UInt8](other.tree[entry.path] ?? Data()))
                #expect(hasher.finalize() == entry.sha256, "\(name)/\(entry.path)")
            }
        }
    }

    /// The files do not depend on how many threads check and render the records, nor on which
    /// thread gets which record: 1, 2 and 5 threads, and the two-pass export that renders on the
    /// writing thread, give the same bytes for 600 generated events over 50 zones. (A zone-name
    /// cache that depended on which event came first showed up exactly here.)
    @Test func filesDoNotDependOnTheThreads() throws {
        let base = try temporaryDirectory()
        let input = base + "/events.jsonl"
        let generated = try run("/usr/bin/python3", [Paths.root + "/Benchmarks/generate_events.py", "600", input])
        #expect(generated.status == 0, "\(generated.err)")
        // Separate processes, so that no cache of one export serves the next.
        func export(_ name: String, _ arguments: [String]) throws -> [String: Data] {
            let result = try run(Paths.agendaBinary, ["export", input, "--output", base + "/" + name, "--timestamp",
                                                      "2025-06-01T00:00:00Z", "--partition", "country,upcoming", "--no-progress"] + arguments)
            #expect(result.status == 0, "\(result.err)")
            return try ExporterTests.tree(base + "/" + name)
        }
        let twoPasses = try export("two", [])
        #expect(twoPasses.count > 50)
        for (jobs, arguments) in [(1, ["--languages", "en,es"]), (2, ["--languages", "en,es"]), (5, ["--languages", "en,es"]), (1, []), (5, [])] {
            let name = (arguments.isEmpty ? "two-" : "one-") + "jobs-\(jobs)"
            let tree = try export(name, arguments + ["--jobs", "\(jobs)"])
            #expect(tree.keys.sorted() == twoPasses.keys.sorted())
            for (path, data) in twoPasses where tree[path] != data { Issue.record("\(path) differs in \(name)") }
        }
    }

    /// A batch with a broken line, a rejected record, a warning and a duplicate id between good
    /// records: `validate` and both passes of an export check it on worker threads, and the
    /// second pass must count records exactly as the first did to keep the first of two equal
    /// ids (and only records the first pass accepted). Reports, messages and files are the same
    /// with 1, 2 and 5 threads, and the files hold what the first pass accepted, in input order.
    @Test func aMessyBatchReadsTheSameOnAnyThreads() throws {
        let base = try temporaryDirectory()
        let input = base + "/messy.jsonl"
        func record(_ id: String, title: String, _ extra: String = "") -> String {
            DiagnosticTests.record(extra).replacingOccurrences(of: "\"e1\"", with: "\"\(id)\"")
                .replacingOccurrences(of: "{\"es\": \"T\"}", with: "{\"es\": \"\(title)\"}")
        }
        var lines: [String] = []
        for i in 0..<90 {
            switch i % 9 {
            case 2: lines.append("{\"id\": \"cut-\(i)\", \"title\":")  // not JSON
            case 4: lines.append(record("e\(i - 3)", title: "Duplicado \(i)"))  // the id of the record two lines up
            case 6: lines.append(record("late-\(i)", title: "Tarde \(i)").replacingOccurrences(of: "11:30", with: "07:00"))  // ends before it starts
            case 7: lines.append(record("warned-\(i)", title: "Aviso \(i)", "\"unknownField\": 1"))
            default: lines.append(record("e\(i)", title: "Evento \(i)"))
            }
        }
        try write(lines.joined(separator: "\n") + "\n", to: input)

        var validations: [(status: Int32, err: String)] = []
        var exports: [(status: Int32, report: String, tree: [String: Data])] = []
        for jobs in [1, 2, 5] {
            let v = try run(Paths.agendaBinary, ["validate", input, "--jobs", "\(jobs)"])
            validations.append((v.status, v.err))
            let out = base + "/out-\(jobs)", report = base + "/report-\(jobs).json"
            // No --languages nor --timestamp: two passes.
            let e = try run(Paths.agendaBinary, ["export", input, "--output", out, "--formats", "ics,geojson,rss",
                                                 "--report", report, "--no-progress", "--jobs", "\(jobs)"])
            var text = try String(contentsOfFile: report, encoding: .utf8)
            text = text.replacingOccurrences(of: out, with: "OUT")
            exports.append((e.status, text, try ExporterTests.tree(out)))
        }
        // Errors: 10 broken lines, 10 duplicates, 10 reversed ranges.
        #expect(validations[0].status == 1 && exports[0].status == 1)
        #expect(validations[0].err.components(separatedBy: "duplicate id").count - 1 == 10)
        #expect(validations[0].err.contains("messy.jsonl:3:"))
        for (v, e) in zip(validations.dropFirst(), exports.dropFirst()) {
            #expect(v.status == validations[0].status && v.err == validations[0].err)
            #expect(e.status == exports[0].status && e.report == exports[0].report)
            #expect(e.tree.keys.sorted() == exports[0].tree.keys.sorted())
            for (path, data) in exports[0].tree where e.tree[path] != data { Issue.record("\(path) differs with the threads") }
        }
        let report = try #require(try JSONSerialization.jsonObject(with: Data(exports[0].report.utf8)) as? [String: Any])
        #expect(report["recordsAccepted"] as? Int == 60 && report["recordsRejected"] as? Int == 30)
        let calendar = try #require(exports[0].tree.first { $0.key.hasSuffix("all.es.ics") }?.value)
        let ics = String(decoding: calendar, as: UTF8.self)
        #expect(!ics.contains("Duplicado") && !ics.contains("Tarde"))
        let uids = ics.components(separatedBy: "\r\n").filter { $0.hasPrefix("UID:") }.map { $0.dropFirst(4).prefix { $0 != "@" } }
        let expected = (0..<90).compactMap { i -> String? in
            switch i % 9 {
            case 2, 4, 6: nil
            case 7: "warned-\(i)"
            default: "e\(i)"
            }
        }
        #expect(uids.map(String.init) == expected)
    }

    /// Files a previous run listed and this one does not write are removed; a manifest edited to
    /// point outside the output directory deletes nothing there.
    @Test func filesNoLongerProducedAreRemoved() throws {
        let dir = try temporaryDirectory()
        _ = try Self.export(to: dir)
        #expect(FileManager.default.fileExists(atPath: dir + "/by-category/open-data/all.es.rss"))
        let second = try Self.export(to: dir, partitions: [])
        #expect(second.filesRemoved.contains(dir + "/by-category/open-data/all.es.rss"))
        #expect(try ExporterTests.tree(dir).keys.allSatisfy { !$0.contains("/") || $0.hasPrefix("events/") })
        #expect(try ExporterTests.tree(dir) == ExporterTests.tree({ let d = try temporaryDirectory("fresh"); _ = try Self.export(to: d, partitions: []); return d }()))

        let outside = try temporaryDirectory("outside")
        try write("keep", to: outside + "/keep.txt")
        var manifest = try String(contentsOfFile: dir + "/manifest.json", encoding: .utf8)
        manifest = manifest.replacingOccurrences(of: "\"files\": [", with: "\"files\": [\n    {\"path\": \"../\((outside as NSString).lastPathComponent)/keep.txt\"},")
        try write(manifest, to: dir + "/manifest.json")
        _ = try Self.export(to: dir, partitions: [])
        #expect(FileManager.default.fileExists(atPath: outside + "/keep.txt"))
        #expect(!Manifest.isSafe("../x") && !Manifest.isSafe("/etc/passwd") && !Manifest.isSafe("a/.hidden") && Manifest.isSafe("by-country/co/all.es.ics"))
    }

    /// Kill -9 in the middle of a run that changes every file: each file is then either its old or
    /// its new complete version, never a mix, and the next run finishes the job and clears the
    /// temporaries the killed one left.
    @Test func aKilledRunLeavesOldOrNewFilesOnly() throws {
        let base = try temporaryDirectory()
        let v1 = base + "/v1.jsonl", v2 = base + "/v2.jsonl"
        let generated = try run("/usr/bin/python3", [Paths.root + "/Benchmarks/generate_events.py", "300", v1])
        #expect(generated.status == 0, "\(generated.err)")
        let text = try String(contentsOfFile: v1, encoding: .utf8)
        try write(text.replacingOccurrences(of: "Foro “", with: "Foro (v2) “"), to: v2)
        let arguments = ["--languages", "es", "--timestamp", "2025-06-01T00:00:00Z", "--no-progress"]
        func export(_ input: String, _ out: String) throws -> (status: Int32, out: String, err: String) {
            try run(Paths.agendaBinary, ["export", input, "--output", out] + arguments)
        }
        #expect(try export(v1, base + "/old").status == 0)
        let started = Date()
        #expect(try export(v2, base + "/new").status == 0)
        let duration = Date().timeIntervalSince(started)
        let old = try ExporterTests.tree(base + "/old"), new = try ExporterTests.tree(base + "/new")
        #expect(old.keys.sorted() == new.keys.sorted() && old.keys.allSatisfy { old[$0] != new[$0] })

        var sawAMix = false
        for fraction in [0.3, 0.5, 0.7, 0.8, 0.9] {
            let work = base + "/work-\(fraction)"
            try FileManager.default.copyItem(atPath: base + "/old", toPath: work)
            let p = Process()
            p.executableURL = URL(fileURLWithPath: Paths.agendaBinary)
            p.arguments = ["export", v2, "--output", work] + arguments
            p.standardError = FileHandle.nullDevice
            p.environment = ProcessInfo.processInfo.environment.merging(["SWIFT_BACKTRACE": "enable=no"]) { $1 }
            try p.run()
            Thread.sleep(forTimeInterval: duration * fraction)
            kill(p.processIdentifier, SIGKILL)
            p.waitUntilExit()
            var newer = 0
            for (path, data) in try ExporterTests.tree(work) where !(path as NSString).lastPathComponent.hasPrefix(".") {
                #expect(data == old[path] || data == new[path], "\(path) is neither the old nor the new file")
                if data == new[path] && data != old[path] { newer += 1 }
            }
            if newer > 0 && newer < new.count { sawAMix = true }
            let finish = try export(v2, work)
            #expect(finish.status == 0)
            #expect(try ExporterTests.tree(work) == new, "the run after the kill must finish the job")
        }
        #expect(sawAMix, "no kill landed while files were being replaced; the test proved nothing")
    }

    @Test func reportListsEveryDiagnostic() throws {
        let dir = try temporaryDirectory()
        let input = dir + "/mixed.json"
        try write("[" + DiagnosticTests.record() + ", {\"id\": \"broken\"}]", to: input)
        let result = try run(Paths.agendaBinary, ["export", input, "--output", dir + "/out", "--report", dir + "/report.json"])
        #expect(result.status == 1)
        let data = try Data(contentsOf: URL(fileURLWithPath: dir + "/report.json"))
        let report = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(report["recordsRead"] as? Int == 2 && report["recordsAccepted"] as? Int == 1 && report["recordsRejected"] as? Int == 1)
        #expect(report["exitCode"] as? Int == 1)
        let diagnostics = try #require(report["diagnostics"] as? [[String: Any]])
        let errors = diagnostics.filter { $0["severity"] as? String == "error" }
        #expect(!errors.isEmpty && errors.allSatisfy { $0["file"] as? String == input && $0["line"] != nil })
        // Every line the terminal got is in the report.
        for d in diagnostics {
            #expect(result.err.contains(d["message"] as? String ?? "?"))
        }
        #expect((report["filesWritten"] as? [String])?.contains(dir + "/out/manifest.json") == true)
        // No progress line in a captured (non-terminal) stderr.
        #expect(!result.err.contains("\r"))
    }
}

/// Runs a program in a directory (through `env -C`, so relative paths resolve there).
func run(_ executable: String, _ arguments: [String], environment: [String: String]?, in directory: String) throws
    -> (status: Int32, out: String, err: String)
{
    try run("/usr/bin/env", ["-C", directory, executable] + arguments, environment: environment)
}

/// The buffers that go between the workers and the writing thread.
@Suite struct RecyclingTests {
    /// A buffer given back comes out empty with its room, and is not shared with the bytes the
    /// writing thread still holds (emptying a shared buffer would allocate, the thing avoided).
    @Test func givenBuffersComeBackEmptyWithTheirRoom() {
        let pool = BufferPool()
        #expect(pool.take().isEmpty)
        var given: [[UInt8]] = [Array(repeating: 7, count: 3000), Array(repeating: 9, count: 5000)]
        let capacities = Set(given.map(\.capacity))
        pool.give(&given)
        #expect(given.isEmpty)
        let a = pool.take(), b = pool.take()
        #expect(a.isEmpty && b.isEmpty)
        #expect(Set([a.capacity, b.capacity]) == capacities)
        #expect(pool.take().capacity == 0)
    }

    /// The reader reads each JSON Lines record into a buffer the decoding side gave back, and
    /// every line still arrives whole: lines of different lengths, the longest in the middle.
    @Test func lineBuffersGoBackToTheReader() throws {
        let dir = try temporaryDirectory()
        let lines = (0..<200).map { i in #"{"id": "r\#(i)", "text": "\#(String(repeating: "é", count: i == 100 ? 3000 : i % 17))"}"# }
        try write(lines.joined(separator: "\n") + "\n", to: dir + "/in.jsonl")
        let pool = BufferPool(limit: 512)
        var read: [String] = []
        try RecordReader(path: dir + "/in.jsonl").read(deferringLines: { item in
            guard case .line(var line) = item else { Issue.record("not a line: \(item)"); return }
            read.append(String(decoding: line.bytes, as: UTF8.self))
            pool.give(line.takeBytes())
        }, recycling: pool)
        #expect(read == lines)
        // The reader took each buffer back for the next line, so only the last line's is left;
        // without, all 200 would be. (Counted in the pool, not by address: a buffer given back
        // while still shared is emptied into a new block, and malloc hands the old address out
        // again.)
        var spare = 0
        while pool.take().capacity > 0 { spare += 1 }
        #expect(spare <= 1)
    }
}
