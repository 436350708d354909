import Foundation
import Testing

@testable import AgendaRecords

/// `DirectDecoder` may only answer for records that `RecordDecoder` accepts without a word, and
/// then with the very same record; anything else it must leave to `RecordDecoder`.
@Suite struct DirectDecoderTests {
    /// What the long way says of a line: the record and every diagnostic (syntax errors included).
    static func longWay(_ line: String) -> (record: EventRecord?, diagnostics: [String]) {
        let pending = PendingLine(bytes: Array(line.utf8), line: 1, index: 1, input: InputName("x.jsonl"))
        switch pending.parse() {
        case .problem(let d): return (nil, [d.description])
        case .record(let raw):
            let result = RecordDecoder().decode(raw)
            return (result.record, result.diagnostics.map(\.description))
        }
    }

    /// Checks the contract on one line; true when the direct way answered.
    @discardableResult
    static func check(_ line: String, sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
        guard let direct = DirectDecoder.record(Array(line.utf8)) else { return false }
        let long = longWay(line)
        #expect(long.diagnostics.isEmpty, "direct accepted what the long way reports: \(long.diagnostics)\n\(line)",
                sourceLocation: sourceLocation)
        // Compared in full, text maps in their order too (`==` on a language map ignores order).
        #expect(long.record.map(dumped) == dumped(direct), "records differ for\n\(line)", sourceLocation: sourceLocation)
        return true
    }

    static func dumped(_ r: EventRecord) -> String {
        var s = ""
        dump(r, to: &s)
        return s
    }

    @Test func acceptsTheUsualRecordsAsTheLongWayDoes() throws {
        // The Cali forum and the other examples, one line each, keys in the examples' order.
        let data = try Data(contentsOf: URL(fileURLWithPath: Paths.examples + "/open-gov-week-2024.json"))
        let records = try #require(JSONSerialization.jsonObject(with: data) as? [Any])
        var direct = 0
        for record in records {
            let line = try String(decoding: JSONSerialization.data(withJSONObject: record, options: [.withoutEscapingSlashes, .sortedKeys]), as: UTF8.self)
            if Self.check(line) { direct += 1 }
        }
        // Those without the fields left to the long way (recurrence, images, offers…) go direct.
        #expect(direct >= 12, "only \(direct) of \(records.count) examples were read directly")
        #expect(Self.check(DiagnosticTests.record()))
    }

    @Test func diagnosticCasesGoTheLongWay() {
        // (Some of these records pass the decoder and are rejected later, by the scheduler.)
        for (_, line, _) in DiagnosticTests.cases where !line.contains("\n") { Self.check(line) }
    }

    /// Random records, mostly valid, with every kind of unusual value, key and spelling: both ways
    /// must agree whenever the direct one answers, and it must answer for many.
    @Test func randomRecordsAgree() {
        var generator = RecordGenerator(seed: 0x5EED)
        var direct = 0, accepted = 0
        let count = 6000
        for _ in 0..<count {
            let line = generator.record()
            if Self.check(line) { direct += 1 }
            if Self.longWay(line).diagnostics.isEmpty { accepted += 1 }
        }
        // About one in eight is valid; most of those go direct (the rest have an escaped key or
        // a field left to the long way). With seed 0x5EED: 766 accepted, 562 of them directly.
        #expect(accepted > count / 10 && direct * 3 > accepted * 2,
                "the long way accepted \(accepted) of \(count) random records, the direct one \(direct)")
    }

    /// Both decoders share the URI rule, so their agreement cannot catch a change in it: the rule
    /// itself, on the one-pass ASCII path and on the general one (non-ASCII text).
    @Test func uriRule() {
        let good = ["https://example.org/e/1", "HTTPS://Example.org", "mailto:a@b.co", "http://ab", "Http://x.org/?q=1",
                    "http://ñ.example/ü", "https://例え.jp/パス"]
        let bad = ["http://a", "https:/", "ftp://x.org", "https://a b.org", "https://x.org/\t", "https://x.org/\u{7F}",
                   "https://x.org/\u{2028}", "https://ñ.org/\u{A0}", "https://ñ.org/ ", " https://x.org", "", "mailto:",
                   "httpx://x.org", "http://ñ"]
        for s in good { #expect(FieldRules.isURI(s), "\(s)") }
        for s in bad { #expect(!FieldRules.isURI(s), "\(s)") }
    }
}

/// Keys and language tags are looked up by their bytes: every name is found at its position,
/// and no other spelling is, however close (the same first eight bytes, one byte more or less).
@Suite struct NameTableTests {
    @Test func findsEveryNameAndNothingElse() {
        let names = ["e", "es", "en", "es-419", "abcdefgh", "abcdefgi", "description", "descriptionFormat",
                     "descriptionFormaX", "previousStart", "defaultLanguage"]
        let table = NameTable(names)
        func index(_ key: String) -> Int? { Array(key.utf8).withUnsafeBufferPointer { table.index(of: $0) } }
        for (i, name) in names.enumerated() { #expect(index(name) == i, "\(name)") }
        for miss in ["", "E", "ex", "es-41", "es-4190", "abcdefgj", "abcdefg", "abcdefghi", "descriptionFormat ",
                     "descriptionFormaY", "descriptionformat", "Xescription", "previousStarT", "defaultLanguagf"] {
            #expect(index(miss) == nil, "\(miss)")
        }
    }
}

/// Short numbers are read without strtod (`ShortDecimal`); the value must be strtod's to the bit.
@Suite struct ShortDecimalTests {
    static func agree(_ text: String) -> Bool {
        let fast = Array(text.utf8).withUnsafeBufferPointer(ShortDecimal.value)
        guard let fast else { return true }  // left to strtod
        return fast.bitPattern == Double(text)!.bitPattern
    }

    @Test func edgesAgreeWithStrtod() {
        let cases = ["0", "-0", "0.0", "-0.0", "1", "-1", "0.1", "0.2", "0.3", "3.45", "-76.53", "4.66308", "-74.14967",
                     "179.999999", "-89.9999995", "0.000000000000001", "999999999999999", "99999999999999.9",
                     "0.123456789012345", "123456789012345", "9007199254740.991", "1.7976931348623", "5e-324", "1e22"]
        for text in cases { #expect(Self.agree(text), "\(text)") }
        // Past 15 digits, or with an exponent, strtod decides.
        for text in ["1234567890123456", "0.1234567890123456", "1e5", "2.5E-3"] {
            #expect(Array(text.utf8).withUnsafeBufferPointer(ShortDecimal.value) == nil, "\(text)")
        }
        #expect(Array("-0".utf8).withUnsafeBufferPointer(ShortDecimal.value)?.sign == .minus)
    }

    /// Random decimals of 1 to 15 digits with the point anywhere, as JSON writes them.
    @Test func randomDecimalsAgreeWithStrtod() {
        var generator = RecordGenerator(seed: 0xDEC1)
        var checked = 0
        for _ in 0..<200_000 {
            let count = Int(generator.next() % 15) + 1
            var digits = String(generator.next() % 9 + 1)
            for _ in 1..<count { digits += String(generator.next() % 10) }
            let point = Int(generator.next() % UInt64(count + 1))
            var text = point == count ? digits : (point == 0 ? "0." + digits : String(digits.prefix(point)) + "." + digits.dropFirst(point))
            if generator.chance(50) { text = "-" + text }
            if Array(text.utf8).withUnsafeBufferPointer(ShortDecimal.value) != nil { checked += 1 }
            #expect(Self.agree(text), "\(text)")
        }
        #expect(checked > 150_000)
    }
}

/// Builds JSON Lines records from a seed: the fields of the schema with valid values most of the
/// time, and now and then a null, a wrong type, an invalid value, an escape, a repeated or
/// unknown key, or a missing field.
struct RecordGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    /// SplitMix64.
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func chance(_ percent: UInt64) -> Bool { next() % 100 < percent }

    mutating func pick<T>(_ items: [T]) -> T { items[Int(next() % UInt64(items.count))] }

    /// A member name, now and then written with an escape.
    mutating func key(_ s: String) -> String {
        chance(1) ? quoted(s, escaping: 100) : "\"" + s + "\""
    }

    /// A JSON string, sometimes written with escapes that mean the same text.
    mutating func quoted(_ s: String, escaping percent: UInt64 = 2) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            default:
                if scalar.value < 0x20 {
                    out += String(format: "\\u%04X", scalar.value)
                } else if scalar.value < 0x10000, chance(percent) {
                    out += String(format: "\\u%04x", scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    /// A value that is not what the field wants, or is unusual.
    mutating func odd() -> String {
        pick(["null", "true", "1", "-0.5", "1e3", "\"\"", "\"  \"", "{}", "[]", "[null]", "{\"es\": null}",
              "\"\\ud800\"", "\"x\\u0000y\""])
    }

    /// One of `usual` (valid values) most of the time, else one of `rare` (unusual or invalid).
    mutating func either(_ usual: [String], _ rare: [String]) -> String {
        chance(85) ? pick(usual) : pick(usual + rare)
    }

    /// Text of the field's kind, usually valid.
    mutating func value(_ kind: String) -> String {
        if chance(2) { return odd() }
        switch kind {
        case "id": return quoted(either(["e1", "bench-0000001", "a.b_c~d-e"], ["a b", "", "é", String(repeating: "x", count: 129)]))
        case "defaultTag": return quoted(either(["es"], ["ES", "es_CO", "en"]))
        case "tag": return quoted(either(["en", "pt-BR", "zh-Hant-TW", "es-co"], ["es", "ES", "español", "e", "x-private"]))
        case "text": return quoted(either(["Foro “Valle”", "Café", "T", "Línea 1\nLínea 2", "a\"b\\c", "ñandú 🎉"], ["Cafe\u{301}", "\u{212B}ngström", " "]))
        case "zone": return quoted(either(["America/Bogota", "Europe/Madrid", "UTC"], ["  ", "", "America/Nowhere"]))
        case "start": return quoted(either(["2024-05-30T08:00", "2024-05-30T08:00:00"], ["2024-05-30", "2024-02-30T08:00", "2024-05-30T08:00Z", "2024-05-30T08:00-05:00", "30/05/2024"]))
        case "end": return quoted(either(["2024-05-30T11:30", "2024-05-30T08:00"], ["2024-05-29T08:00", "2024-05-31", "2024-05-30T08:00Z"]))
        case "date": return quoted(either(["2024-05-30", "2024-06-01"], ["2024-05-29", "2024-05-30T08:00", "2024-13-01"]))
        case "instant": return quoted(either(["2025-01-01T00:00:00Z", "2025-01-01T00:00:00.5Z"], ["2025-01-01T00:00:00+01:00", "2025-13-01T00:00:00Z", "yesterday"]))
        case "uri": return quoted(either(["https://example.org/e/1", "HTTPS://Example.org", "mailto:a@b.co", "http://ñ.example/ü"], ["ftp://x.org", "https://a b.org", "https:/", "https://x.org/\u{2028}"]))
        case "status": return quoted(either(["scheduled", "tentative", "cancelled", "movedOnline"], ["postponed", "rescheduled", "done", "Cancelled"]))
        case "mode": return quoted(either(["offline"], ["mixed", "online", "hybrid"]))
        case "format": return quoted(either(["text", "markdown", "html"], ["rtf"]))
        case "bool": return either(["false", "true"], ["\"true\""])
        case "count": return either(["0", "1", "3", "1.0"], ["1.5", "-1", "1e20", "\"1\""])
        case "version": return either(["1", "1.0", "10e-1"], ["2", "\"1\""])
        case "lat": return either(["4.66308", "-33.45", "90", "-90", "0"], ["90.0001", "1e3", "\"4.6\""])
        case "lon": return either(["-74.14967", "180", "-180", "2.17"], ["-181", "1e3"])
        case "meters": return either(["10", "0", "2.5"], ["-1"])
        case "slug": return quoted(either(["public-participation", "seminar-panel", "a1"], ["A", "-a", "a--b", "a-", ""]))
        case "country": return quoted(either(["CO", "ES"], ["co", "COL", "C"]))
        case "region": return quoted(either(["CO-VAC", "ES-M"], ["ES-MD1x", "co-vac", "CO-", "COVAC"]))
        case "email": return quoted(either(["a@b.co", "x@example.org"], ["a@b", "a b@c.d", "@b.co"]))
        case "kind": return quoted(either(["organization", "person"], ["robot"]))
        case "feature": return quoted(either(["audio", "video", "chat", "screen", "phone"], ["hologram"]))
        default: return quoted(either(["Cali", "Calle 1 # 2-3", "760001", "Valle del Cauca", "ogp-theme"], ["", "x\u{85}"]))
        }
    }

    mutating func localized() -> String {
        if chance(2) { return odd() }
        var members: [String] = []
        members.append("\(key("es")): \(value("text"))")
        if chance(50) { members.append("\(value("tag")): \(value("text"))") }
        if chance(1) { members.removeAll() }
        if chance(20) { members.shuffle(using: &self) }
        return "{" + members.joined(separator: ", ") + "}"
    }

    mutating func object(_ fields: [(String, (inout RecordGenerator) -> String)], required: Set<String> = []) -> String {
        var members: [String] = []
        for (key, make) in fields where required.contains(key) ? !chance(1) : chance(55) {
            members.append("\(self.key(key)): \(make(&self))")
        }
        if chance(1) { members.append("\(key(pick(["extra", "Title", "títle"]))): \(value("text"))") }
        if chance(1), let first = members.first { members.append(first) }  // a repeated key
        if chance(30) { members.shuffle(using: &self) }
        return "{" + members.joined(separator: pick([", ", ",", " , "])) + "}"
    }

    mutating func list(_ make: (inout RecordGenerator) -> String) -> String {
        if chance(2) { return odd() }
        let n = Int(next() % 3)
        return "[" + (0..<n).map { _ in make(&self) }.joined(separator: ", ") + "]"
    }

    mutating func party() -> String {
        object([("kind", { $0.value("kind") }), ("name", { $0.localized() }), ("url", { $0.value("uri") }),
                ("email", { $0.value("email") })], required: ["name"])
    }

    mutating func record() -> String {
        let allDay = chance(15)
        let fields: [(String, (inout RecordGenerator) -> String)] = [
            ("schemaVersion", { $0.value("version") }), ("id", { $0.value("id") }),
            ("sequence", { $0.value("count") }), ("status", { $0.value("status") }),
            ("previousStart", { $0.value("start") }), ("defaultLanguage", { $0.value("defaultTag") }),
            ("title", { $0.localized() }), ("summary", { $0.localized() }), ("description", { $0.localized() }),
            ("descriptionFormat", { $0.value("format") }), ("url", { $0.value("uri") }),
            ("timeZone", { $0.value("zone") }), ("allDay", { allDay ? "true" : $0.either(["false"], ["true", "\"false\""]) }),
            ("start", { $0.value(allDay ? "date" : "start") }), ("end", { $0.value(allDay ? "date" : "end") }),
            ("attendanceMode", { $0.value("mode") }),
            ("online", { g in g.object([("url", { $0.value("uri") }), ("label", { $0.localized() }),
                                         ("features", { g in g.list { $0.value("feature") } })], required: ["url"]) }),
            ("venue", { g in g.object([
                ("id", { $0.value("other") }), ("name", { $0.localized() }), ("room", { $0.localized() }),
                ("url", { $0.value("uri") }),
                ("address", { g in g.object([("street", { $0.value("other") }), ("locality", { $0.value("other") }),
                                             ("region", { $0.value("other") }), ("regionCode", { $0.value("region") }),
                                             ("postalCode", { $0.value("other") }), ("countryCode", { $0.value("country") })]) }),
                ("geo", { g in g.object([("lat", { $0.value("lat") }), ("lon", { $0.value("lon") }),
                                         ("accuracyMeters", { $0.value("meters") })], required: ["lat", "lon"]) }),
            ], required: ["name"]) }),
            ("organizer", { $0.party() }), ("partners", { g in g.list { $0.party() } }),
            ("categories", { g in g.list { g in g.object([("slug", { $0.value("slug") }), ("label", { $0.localized() }),
                                                           ("scheme", { $0.value("other") })], required: ["slug", "label"]) } }),
            ("keywords", { g in g.list { $0.value("text") } }),
            ("created", { $0.value("instant") }), ("updated", { $0.value("instant") }),
            ("recurrence", { g in g.object([("rrule", { _ in "\"FREQ=WEEKLY;COUNT=2\"" })]) }),
            ("offers", { g in g.object([("isAccessibleForFree", { $0.value("bool") })]) }),
        ]
        // Required fields nearly always, others about half the time; the venue usually, as
        // offline events need one.
        var required: Set<String> = ["schemaVersion", "id", "defaultLanguage", "title", "timeZone", "start", "venue"]
        if allDay { required.insert("allDay") }
        var members: [String] = []
        for (key, make) in fields where required.contains(key) ? !chance(1) : chance(key == "recurrence" || key == "offers" ? 5 : 40) {
            members.append("\(self.key(key)): \(make(&self))")
        }
        if chance(1) { members.append("\"unknown\": 1") }
        if chance(1), let first = members.first { members.append(first) }
        if chance(30) { members.shuffle(using: &self) }
        var line = "{" + members.joined(separator: ", ") + "}"
        if chance(1) { line += " {}" }
        if chance(1) { line.removeLast() }
        return line
    }
}

extension RecordGenerator: RandomNumberGenerator {}
