import Agenda
import Foundation

#if canImport(FoundationXML)
import FoundationXML
#endif

/// One fuzz target: bytes in, a crash or a failed invariant (trap) on a bug.
typealias FuzzTarget = @Sendable ([UInt8]) -> Void

/// The targets, by name. Readers get the bytes as a file of their format; writers get a record
/// built from the bytes (text fields, zone, times) and must produce output our strict checks accept.
let targets: [String: FuzzTarget] = [
    "json": { readAndExport($0, ext: "json") },
    "jsonl": { readAndExport($0, ext: "jsonl") },
    "yaml": { readAndExport($0, ext: "yaml") },
    "csv": { readAndExport($0, ext: "csv") },
    "ics": { bytes in checkICS(bytes) },
    "feeds": { bytes in checkFeeds(bytes) },
    "geojson": { bytes in checkGeoJSON(bytes) },
]

func check(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String) {
    if !condition() {
        FileHandle.standardError.write(Data(("invariant failed: " + message() + "\n").utf8))
        abort()
    }
}

/// The run's own directory, removed when the fuzzer exits (each run left one behind).
let scratch: String = {
    let dir = NSTemporaryDirectory() + "agenda-fuzz-\(getpid())"
    try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    atexit { try? FileManager.default.removeItem(atPath: scratch) }
    return dir
}()

/// Reads the bytes as an input file, validates and exports every format; every record is either
/// exported or explained by a diagnostic that names the file.
func readAndExport(_ bytes: [UInt8], ext: String) {
    let path = scratch + "/input." + ext
    _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
    var options = ExportOptions(outputDirectory: scratch + "/out", formats: [.ics, .rss, .geojson])
    options.feeds.limit = 50
    guard let reader = try? RecordReader(path: path),
          let summary = try? Exporter(options: options).run([reader]) else { return }
    check(summary.recordsAccepted + summary.recordsRejected <= summary.recordsRead, "record counts add up")
    for d in summary.diagnostics { check(d.file == path, "diagnostic names the file: \(d)") }
    if summary.recordsRejected > 0 { check(summary.diagnostics.contains { $0.severity == .error }, "a rejection is explained") }
    for language in summary.languages where summary.recordsAccepted > 0 {
        if let ics = FileManager.default.contents(atPath: options.outputDirectory + "/all.\(language).ics") {
            checkContentLines([UInt8](ics))
        }
        if let rss = FileManager.default.contents(atPath: options.outputDirectory + "/all.\(language).rss") {
            check(XMLParser(data: rss).parse(), "RSS is well-formed XML")
        }
        if let geo = FileManager.default.contents(atPath: options.outputDirectory + "/all.\(language).geojson") {
            check((try? JSONSerialization.jsonObject(with: geo)) != nil, "GeoJSON is valid JSON")
        }
    }
}

/// A record whose texts, zone and times come from the fuzz input.
func record(from bytes: [UInt8]) -> ScheduledEvent? {
    let text = String(decoding: bytes, as: UTF8.self)
    let parts = text.split(separator: "\u{0}", maxSplits: 3, omittingEmptySubsequences: false).map(String.init)
    let title = parts.first.flatMap { $0.isEmpty ? nil : $0 } ?? "x"
    let zones = ["America/Bogota", "Europe/Madrid", "Australia/Lord_Howe", "Pacific/Chatham", "UTC", "America/Santiago"]
    let zone = zones[Int(bytes.first ?? 0) % zones.count]
    let day = 1 + Int(bytes.last ?? 0) % 28
    var r = EventRecord(id: "fuzz", defaultLanguage: "es", title: LocalizedText([("es", Language.nfc(title))]), timeZone: zone,
                        start: .dateTime(LocalDateTime(iso: "2025-03-\(day < 10 ? "0" : "")\(day)T02:30")!))
    r.end = .dateTime(LocalDateTime(iso: "2025-04-01T10:00")!)
    if parts.count > 1 { r.description = LocalizedText([("es", Language.nfc(parts[1].isEmpty ? "d" : parts[1]))]) }
    r.venue = Venue(name: LocalizedText([("es", Language.nfc(parts.count > 2 && !parts[2].isEmpty ? parts[2] : "v"))]),
                    geo: GeoPoint(latitude: Double(Int(bytes.first ?? 0)) - 90, longitude: Double(Int(bytes.last ?? 0)) - 128))
    r.organizer = Party(name: LocalizedText([("es", Language.nfc(parts.count > 3 && !parts[3].isEmpty ? parts[3] : "o"))]), email: "o@example.org")
    r.categories = [Category(slug: "c", label: LocalizedText([("es", Language.nfc(title))]))]
    return Scheduler().schedule(r, origin: RecordOrigin(file: "fuzz", line: 1, index: 1)).event
}

/// Physical lines: CRLF, at most 75 octets, never empty continuations or folds inside UTF-8;
/// no control characters; the unfolded text is valid UTF-8.
func checkContentLines(_ bytes: [UInt8]) {
    var start = 0
    var logical: [UInt8] = []
    var i = 0
    while i < bytes.count {
        if bytes[i] == 0x0D {
            check(i + 1 < bytes.count && bytes[i + 1] == 0x0A, "CR only before LF")
            let line = bytes[start..<i]
            check(line.count <= 75, "line of \(line.count) octets")
            if line.first == 0x20 {
                check(line.count > 1, "empty continuation line")
                check((line[line.startIndex + 1] & 0xC0) != 0x80, "fold inside a UTF-8 sequence")
                logical += line.dropFirst()
            } else {
                check(String(validating: logical, as: UTF8.self) != nil, "unfolded line is UTF-8")
                logical = Array(line)
            }
            i += 2
            start = i
            continue
        }
        check(bytes[i] != 0x0A, "bare LF")
        check(bytes[i] >= 0x20 || bytes[i] == 0x09, "control character \(bytes[i])")
        i += 1
    }
    check(start == bytes.count, "ends with CRLF")
}

/// Unescapes a TEXT value (RFC 5545 §3.3.11).
func unescape(_ s: Substring) -> String {
    var out = ""
    var escaped = false
    for c in s {
        if escaped { out.append(c == "n" || c == "N" ? "\n" : c); escaped = false } else if c == "\\" { escaped = true } else { out.append(c) }
    }
    return out
}

func checkICS(_ bytes: [UInt8]) {
    guard let e = record(from: bytes) else { return }
    let ics = ICalendarWriter().calendar([e], language: "es")
    checkContentLines(ics)
    // The title survives escaping and folding: same text, minus what content lines cannot hold.
    // Work on bytes: a combining mark after ':' would join it into one Character.
    let unfolded = String(decoding: ics, as: UTF8.self).replacingOccurrences(of: "\r\n ", with: "")
    guard let line = unfolded.utf8.split(separator: 0x0A).first(where: { $0.starts(with: "SUMMARY;".utf8) }),
          let colon = line.firstIndex(of: 0x3A)
    else { return check(false, "SUMMARY written") }
    let value = Substring(String(decoding: line[line.index(after: colon)...].dropLast(), as: UTF8.self))
    var expected: [UInt8] = []
    ContentLines.appendSafeForTesting(e.record.title.text("es", fallback: "es").replacingLineBreaks(with: " "), to: &expected)
    check(unescape(value) == String(decoding: expected, as: UTF8.self), "SUMMARY round-trips")
}

func checkFeeds(_ bytes: [UInt8]) {
    guard let e = record(from: bytes) else { return }
    let options = FeedOptions()
    for xml in [RSSWriter(options: options).feed([e], language: "es"), AtomWriter(options: options).feed([e], language: "es")] {
        check(XMLParser(data: Data(xml)).parse(), "feed is well-formed XML")
        check(!String(decoding: xml, as: UTF8.self).contains("]]>"), "no ]]>")
    }
    let json = JSONFeedWriter(options: options).feed([e], language: "es")
    let parsed = (try? JSONSerialization.jsonObject(with: Data(json))) as? [String: Any]
    let title = ((parsed?["items"] as? [[String: Any]])?.first?["title"] as? String)
    check(title == e.record.title.text("es", fallback: "es").replacingLineBreaks(with: " "), "JSON Feed title round-trips")
}

func checkGeoJSON(_ bytes: [UInt8]) {
    guard let e = record(from: bytes) else { return }
    let w = GeoJSONWriter(options: FeedOptions())
    let data = w.collection(w.features(e, language: "es"), bbox: nil, language: "es")
    let parsed = (try? JSONSerialization.jsonObject(with: Data(data))) as? [String: Any]
    let feature = (parsed?["features"] as? [[String: Any]])?.first
    check(feature != nil, "GeoJSON parses")
    let props = feature?["properties"] as? [String: Any]
    check(props?["title"] as? String == e.record.title.text("es", fallback: "es").replacingLineBreaks(with: " "), "GeoJSON title round-trips")
}
