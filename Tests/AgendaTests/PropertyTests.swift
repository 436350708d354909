import Foundation
import PropertyBased
import Testing

#if canImport(FoundationXML)
import FoundationXML
#endif

@testable import Agenda
@testable import AgendaFeeds

/// Round trips over random text drawn from the characters that break exporters: separators and
/// escapes, line breaks, controls, noncharacters, accents and combining marks, emoji sequences,
/// CJK and right-to-left text.
@Suite struct PropertyTests {
    static let pool: [String] = [
        "a", "Z", "0", " ", ",", ";", ":", "\\", "\"", "'", "^", "<", ">", "&", "]", "\n", "\r\n", "\t", "\u{1}", "\u{7F}",
        "\u{85}", "\u{9F}", "\u{A0}", "\u{FFFE}", "\u{FFFF}", "\u{FFFD}", "é", "ñ", "e\u{301}", "a\u{301}\u{302}", "€", "日", "𝄞", "😀", "👩🏽‍💻", "👨‍👩‍👧‍👦", "🇨🇴",
        "مر", "ש", "\u{202E}", "\u{2028}", "\u{2060}",
    ]
    static let text = Gen.element(of: pool).array(of: 0...160).map { $0.compactMap { $0 }.joined() }

    /// What a content line can carry of a text (controls and noncharacters dropped).
    static func carried(_ s: String) -> String {
        var out: [UInt8] = []
        ContentLines.appendSafeForTesting(s, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    @Test func foldingAndEscapingRoundTrip() async {
        await propertyCheck(count: 300, input: Self.text) { s in
            var lines = ContentLines()
            lines.text("DESCRIPTION", [("LANGUAGE", "es")], s)
            let physical = ContentLinesTests.physicalLines(lines.bytes)
            #expect(physical.allSatisfy { $0.count <= 75 })
            #expect(physical.dropFirst().allSatisfy { $0.count > 1 && $0.first == 0x20 && ($0[1] & 0xC0) != 0x80 })
            let parsed = ICSParser.lines(lines.bytes)
            #expect(parsed.count == 1)
            #expect(ICSParser.unescape(parsed.first?.value ?? "") == Self.carried(s))
        }
    }

    @Test func parameterValuesRoundTrip() async {
        await propertyCheck(count: 300, input: Self.text) { s in
            var lines = ContentLines()
            lines.property("ORGANIZER", [("CN", s)], raw: "mailto:a@example.org")
            let parsed = ICSParser.lines(lines.bytes)
            #expect(parsed.count == 1)
            let expected = Self.carried(s.replacingLineBreaks(with: "\n"))
            #expect(parsed.first?.params["CN"] == expected)
            #expect(parsed.first?.value == "mailto:a@example.org")
        }
    }

    @Test func xmlEscapingRoundTrips() async {
        await propertyCheck(count: 300, input: Self.text) { s in
            let doc = "<r a=\"" + Markup.xml(s, attribute: true) + "\">" + Markup.xml(s) + "</r>"
            let collected = XMLTexts.parse(Array(doc.utf8))
            #expect(collected != nil, "well-formed")
            let allowed = String(String.UnicodeScalarView(s.unicodeScalars.filter { Markup.isAllowed($0.value) }))
            // CR is written as &#13;, so even CRLF survives XML's line-end normalization.
            #expect(collected?.first("r") == allowed)
            #expect(collected?.texts.first?.attributes["a"] == allowed)
        }
    }

    @Test func jsonEscapingRoundTrips() async {
        await propertyCheck(count: 300, input: Self.text) { s in
            let parsed = try? JSONSerialization.jsonObject(with: Data(("[" + Markup.json(s) + "]").utf8)) as? [String]
            #expect(parsed?.first == s)
        }
    }

    @Test func inertHTMLNeverOpensATag() async {
        await propertyCheck(count: 300, input: Self.text) { s in
            let scalars = Array(Markup.inertText(s).unicodeScalars)
            for (i, u) in scalars.enumerated().dropLast() where u == "<" || u == "&" {
                let next = scalars[i + 1]
                #expect(!(next.properties.isAlphabetic || next == "#" || (u == "<" && (next == "/" || next == "!" || next == "?"))))
            }
            #expect(String(String.UnicodeScalarView(scalars.filter { $0 != "\u{2060}" })) == s.replacingLineBreaks(with: " ")
                    || s.unicodeScalars.contains("\u{2060}"))
        }
    }
}
