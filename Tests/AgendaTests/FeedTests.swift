import Foundation
import Testing

#if canImport(FoundationXML)
import FoundationXML
#endif

@testable import Agenda
@testable import AgendaFeeds

/// Collects element texts of an XML document (and fails on malformed XML).
final class XMLTexts: NSObject, XMLParserDelegate {
    var texts: [(path: String, text: String, attributes: [String: String])] = []
    private var stack: [(String, String, [String: String])] = []

    static func parse(_ bytes: [UInt8]) -> XMLTexts? {
        let parser = XMLParser(data: Data(bytes))
        let collector = XMLTexts()
        parser.delegate = collector
        return parser.parse() ? collector : nil
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        stack.append((name, "", attributes))
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if !stack.isEmpty { stack[stack.count - 1].1 += string }
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        let (n, text, attributes) = stack.removeLast()
        texts.append(((stack.map(\.0) + [n]).joined(separator: "/"), text, attributes))
    }

    func all(_ path: String) -> [String] { texts.filter { $0.path == path }.map(\.text) }
    func first(_ path: String) -> String? { all(path).first }
}

@Suite struct FeedTests {
    static func options() throws -> FeedOptions { try ICalendarWriterTests.exportOptions().feeds }

    @Test(arguments: ["es", "en"])
    func caliForumGoldens(language: String) throws {
        let cali = try ICalendarWriterTests.event("ogw2024-valle-participa")
        let o = try Self.options()
        try expectGolden(RSSWriter(options: o).feed([cali], language: language), "cali-forum.\(language).rss")
        try expectGolden(AtomWriter(options: o).feed([cali], language: language), "cali-forum.\(language).atom")
        try expectGolden(JSONFeedWriter(options: o).feed([cali], language: language), "cali-forum.\(language).json")
    }

    @Test func rssCarriesTheEvent() throws {
        let cali = try ICalendarWriterTests.event("ogw2024-valle-participa")
        let xml = try #require(XMLTexts.parse(RSSWriter(options: try Self.options()).feed([cali], language: "es")))
        #expect(xml.first("rss/channel/language") == "es")
        #expect(xml.first("rss/channel/link") == "https://opengovweek.example.org/")
        #expect(xml.first("rss/channel/item/title") == "Foro Gobierno Abierto: “El Valle del Cauca participa a otro nivel”")
        #expect(xml.first("rss/channel/item/pubDate") == "Mon, 20 May 2024 15:00:00 +0000", "the record's update time, not its start")
        #expect(xml.first("rss/channel/item/ev:startdate") == "2024-05-30T08:00:00-05:00")
        #expect(xml.first("rss/channel/item/ev:enddate") == "2024-05-30T11:30:00-05:00")
        #expect(xml.first("rss/channel/item/georss:point") == "3.43 -76.54", "GeoRSS is lat lon")
        let description = try #require(xml.first("rss/channel/item/description"))
        #expect(description.hasPrefix("<p>jueves, 30 de mayo de 2024, 8:00–11:30 (hora estándar de Colombia) · Biblioteca Departamental Jorge Garcés Borrero, Santiago de Cali</p>"))
        #expect(xml.texts.first { $0.path == "rss/channel/item/guid" }?.attributes["isPermaLink"] == "false")
        #expect(xml.all("rss/channel/item/category") == ["Participación pública", "Seminario/Panel"])
    }

    @Test func cancelledEventsSayItInTheTitle() throws {
        let quito = try ICalendarWriterTests.event("ogw2024-quito-feria")
        let o = try Self.options()
        let es = try #require(XMLTexts.parse(RSSWriter(options: o).feed([quito], language: "es")))
        #expect(es.first("rss/channel/item/title") == "Cancelado: Feria de participación ciudadana en Quito")
        let en = try #require(XMLTexts.parse(AtomWriter(options: o).feed([quito], language: "en")))
        #expect(en.first("feed/entry/title") == "Cancelled: Citizen participation fair in Quito")
        let json = try JSONSerialization.jsonObject(with: Data(JSONFeedWriter(options: o).feed([quito], language: "es"))) as? [String: Any]
        let item = try #require((json?["items"] as? [[String: Any]])?.first)
        #expect(item["title"] as? String == "Cancelado: Feria de participación ciudadana en Quito")
        #expect((item["_event"] as? [String: Any])?["status"] as? String == "cancelled")
    }

    @Test func hostileTextStaysTextInEveryFormat() throws {
        var r = try ICalendarWriterTests.event("ogw2024-valle-participa").record
        let hostile = "]]> <script>alert('x')</script> & &amp; \u{1}\u{FFFE} 👩🏽‍💻 مرحبا"
        r.title = LocalizedText([("es", hostile)])
        r.description = LocalizedText([("es", hostile + "\nline two")])
        let e = schedule([r])
        let o = try Self.options()
        let rss = RSSWriter(options: o).feed(e, language: "es")
        let text = String(decoding: rss, as: UTF8.self)
        #expect(!text.contains("]]>") && !text.contains("<script") && !text.contains("\u{1}") && !text.contains("\u{FFFE}"))
        let xml = try #require(XMLTexts.parse(rss))
        let title = try #require(xml.first("rss/channel/item/title"))
        #expect(title.replacingOccurrences(of: "\u{2060}", with: "") == "]]> <script>alert('x')</script> & &amp;  👩🏽‍💻 مرحبا")
        let description = try #require(xml.first("rss/channel/item/description"))
        #expect(!description.contains("<script") && description.contains("<\u{2060}script>") && description.contains("<br>line two"))
        #expect(XMLTexts.parse(AtomWriter(options: o).feed(e, language: "es")) != nil)
        let json = try JSONSerialization.jsonObject(with: Data(JSONFeedWriter(options: o).feed(e, language: "es"))) as? [String: Any]
        let item = try #require((json?["items"] as? [[String: Any]])?.first)
        #expect(item["title"] as? String == hostile.precomposedStringWithCanonicalMapping)
    }

    @Test func orderAndLimit() throws {
        let events = try ICalendarWriterTests.examples()
        var o = try Self.options()
        func ids(_ order: FeedOrder, limit: Int = 0, language: String = "es") -> [String] {
            o.order = order
            o.limit = limit
            var s = FeedSelection(options: o, language: language)
            for e in events { s.offer(e) }
            return s.events().map(\.record.id)
        }
        let upcoming = ids(.upcoming)
        #expect(upcoming.count == events.count)
        #expect(upcoming.first == "ogw2024-madrid-jornada", "the first event after the export's now (2024-05-20)")
        let byStart = ids(.start)
        let starts = byStart.map { id in events.first { $0.record.id == id }!.start }
        #expect(starts == starts.sorted())
        #expect(ids(.start, limit: 5) == Array(byStart.prefix(5)))
        // Spanish collation of the titles.
        let titles = ids(.title).map { id in events.first { $0.record.id == id }!.record.title.text("es", fallback: "es") }
        #expect(titles == Language.sorted(titles, locale: "es"))
        // Past events go after upcoming ones, most recent first.
        o.now = Instant(rfc3339: "2024-05-23T00:00:00Z")!
        let later = ids(.upcoming)
        let firstPast = later.firstIndex { id in (events.first { $0.record.id == id }!.end ?? .init(secondsSince1970: 0)) < o.now }!
        #expect(later[..<firstPast].allSatisfy { id in events.first { $0.record.id == id }!.end! >= o.now })
    }

    @Test func markupRules() {
        #expect(Markup.xml("a & b < c > d ]]> \u{0}\u{8}\u{B}\u{1F}\u{7F}\u{85}\u{FFFE}\u{FFFF}ok\t\n") == "a &amp; b &lt; c &gt; d ]]&gt; ok\t\n")
        #expect(Markup.xml("\"q\"\n", attribute: true) == "&quot;q&quot;&#10;")
        #expect(Markup.htmlText("a<b & c<3 &amp; x</p> &#1;") == "a<\u{2060}b & c<3 &\u{2060}amp; x<\u{2060}/p> &\u{2060}#1;")
        #expect(Markup.json("a\"b\\c\n\u{1}\u{2028}é") == "\"a\\\"b\\\\c\\n\\u0001\\u2028é\"")
        // Other characters that start with the byte of U+2028 (E2) pass through; DEL is kept.
        #expect(Markup.json("—\u{2029}\r\t\u{7F}“”") == "\"—\\u2029\\r\\t\u{7F}“”\"")
        // Escapes at every position of the eight-byte words the fast scan skips.
        for k in 0..<17 {
            let pad = String(repeating: "a", count: k)
            #expect(Markup.json(pad + "\"" + pad + "\u{2028}é\n") == "\"" + pad + "\\\"" + pad + "\\u2028é\\n\"")
        }
    }
}

/// The byte-level paragraph split gives what a Character-level split on "\n" gives.
@Suite struct ParagraphSplitTests {
    static func reference(_ s: String) -> [String] {
        var result: [String] = [], current: [Substring] = []
        for line in s.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.allSatisfy({ $0 == " " || $0 == "\t" || $0 == "\r" }) {
                if !current.isEmpty { result.append(current.joined(separator: "\n")) }
                current = []
            } else {
                current.append(line)
            }
        }
        if !current.isEmpty { result.append(current.joined(separator: "\n")) }
        return result
    }

    @Test func matchesACharacterSplit() {
        let pieces = ["a", "é", " ", "\t", "\r", "\n", "\r\n", "\n\n", " \n", "\u{2028}", "👩🏽‍💻", "e\u{301}"]
        var seed: UInt64 = 3
        for _ in 0..<5_000 {
            var s = ""
            for _ in 0..<Int(seed % 12) {
                seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                s += pieces[Int(seed >> 33) % pieces.count]
            }
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            #expect(s.components(separatedByBlankLines: ()) == Self.reference(s), "\(Array(s.unicodeScalars))")
        }
    }
}
