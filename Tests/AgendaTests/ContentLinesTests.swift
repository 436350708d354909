import Testing
import CAgendaICU
import CAgendaScan

@testable import AgendaICS
@testable import AgendaTime

@Suite struct ContentLinesTests {
    /// Checks the physical-line rules on a folded buffer and returns the unfolded logical lines.
    func checkFolding(_ bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) -> [String] {
        var logical: [[UInt8]] = []
        var i = 0
        var start = 0
        while i + 1 < bytes.count {
            if bytes[i] == 0x0D && bytes[i + 1] == 0x0A {
                let line = Array(bytes[start..<i])
                #expect(line.count <= 75, "line of \(line.count) octets", sourceLocation: sourceLocation)
                #expect(!line.contains(0x0D) && !line.contains(0x0A), sourceLocation: sourceLocation)
                if line.first == 0x20 {
                    #expect(line.count > 1, "empty continuation line", sourceLocation: sourceLocation)
                    #expect(line.count < 2 || (line[1] & 0xC0) != 0x80, "fold inside a UTF-8 sequence", sourceLocation: sourceLocation)
                    logical[logical.count - 1] += line.dropFirst()
                } else {
                    logical.append(line)
                }
                i += 2
                start = i
            } else {
                #expect(bytes[i] != 0x0A, "bare LF", sourceLocation: sourceLocation)
                i += 1
            }
        }
        #expect(start == bytes.count, "missing final CRLF", sourceLocation: sourceLocation)
        return logical.map { String(decoding: $0, as: UTF8.self) }
    }

    /// Every UTF-8 length class and multi-scalar cluster, at every offset around the fold.
    static let hardCharacters = ["a", "é", "ñ", "€", "日", "𝄞", "😀", "e\u{301}", "a\u{301}\u{302}\u{303}", "👩🏽‍💻",
                                 "👨‍👩‍👧‍👦", "🇨🇴", "🏳️‍🌈", "क्षि", "\r\n"]

    @Test(arguments: hardCharacters)
    func foldingNeverSplitsACharacterOrCluster(_ hard: String) {
        for prefix in 55...80 {
            for name in ["SUMMARY", "X-LONG-PROPERTY-NAME"] {
                let value = String(repeating: "x", count: prefix) + hard + hard + "y" + String(repeating: hard, count: 30)
                var lines = ContentLines()
                lines.text(name, [("LANGUAGE", "es")], value)
                let logical = checkFolding(lines.bytes)
                #expect(logical.count == 1)
                #expect(logical.first == name + ";LANGUAGE=es:" + ContentLines.escapeText(value))
                // Each fold point is a grapheme cluster boundary (checked with Swift's own segmentation).
                let whole = Array(logical[0].utf8)
                var boundaries: Set<Int> = [0]
                var offset = 0
                for ch in logical[0] { offset += ch.utf8.count; boundaries.insert(offset) }
                var position = 0
                for (k, physical) in ContentLinesTests.physicalLines(lines.bytes).enumerated() {
                    position += k == 0 ? physical.count : physical.count - 1
                    if position < whole.count, hard.utf8.count <= 70 {
                        #expect(boundaries.contains(position), "fold inside \(hard.unicodeScalars.map { String($0.value, radix: 16) })")
                        // And each line is as full as it can be: the next cluster would not fit.
                        let next = boundaries.filter { $0 > position }.min() ?? whole.count
                        #expect(physical.count + (next - position) > 75, "line \(k) ends early at \(physical.count) octets")
                    }
                }
            }
        }
    }

    static func physicalLines(_ bytes: [UInt8]) -> [[UInt8]] {
        var result: [[UInt8]] = []
        var start = 0
        var i = 0
        while i + 1 < bytes.count {
            if bytes[i] == 0x0D && bytes[i + 1] == 0x0A {
                result.append(Array(bytes[start..<i]))
                i += 2
                start = i
            } else {
                i += 1
            }
        }
        return result
    }

    @Test func aClusterLongerThanALineIsSplitBetweenCharacters() {
        var lines = ContentLines()
        let monster = "a" + String(repeating: "\u{301}", count: 60)  // one cluster of 121 octets
        lines.text("SUMMARY", monster)
        let logical = checkFolding(lines.bytes)
        #expect(logical == ["SUMMARY:" + monster])
    }

    @Test func textEscaping() {
        #expect(ContentLines.escapeText("a,b;c\\d\ne\r\nf\rg") == "a\\,b\\;c\\\\d\\ne\\nf\\ng")
        #expect(ContentLines.escapeText("ctl\u{0}\u{1}\u{7F}\u{85}\u{FFFE}\u{FFFF}tab\tok") == "ctltab\tok")
        #expect(ContentLines.escapeText("colon: stays") == "colon: stays")
    }

    @Test func escapingRoundTrips() {
        let samples = ["", "plain", "a,b;c\\d", "line\nbreak", "\\n literal", "emoji 👩🏽‍💻, ok;", "RTL مرحبا ‮x‬", String(repeating: "é,", count: 100)]
        for s in samples {
            var lines = ContentLines()
            lines.text("DESCRIPTION", s)
            let parsed = ICSParser.lines(lines.bytes)
            #expect(parsed.count == 1)
            #expect(ICSParser.unescape(parsed[0].value) == s)
        }
    }

    @Test func parameterValues() {
        var lines = ContentLines()
        lines.property("ORGANIZER", [("CN", "Gobernación del Valle, Secretaría")], raw: "mailto:a@example.org")
        lines.property("ORGANIZER", [("CN", "Plain Name")], raw: "mailto:a@example.org")
        lines.property("ORGANIZER", [("CN", "He said \"hi\"\nnext ^ and ^n")], raw: "mailto:a@example.org")
        lines.property("X", [("P", "a:b")], raw: "v")
        let text = String(decoding: lines.bytes, as: UTF8.self)
        #expect(text == "ORGANIZER;CN=\"Gobernación del Valle, Secretaría\":mailto:a@example.org\r\n"
                + "ORGANIZER;CN=Plain Name:mailto:a@example.org\r\n"
                + "ORGANIZER;CN=He said ^'hi^'^nnext ^ and ^^n:mailto:a@example.org\r\n"
                + "X;P=\"a:b\":v\r\n")
        let parsed = ICSParser.lines(lines.bytes)
        #expect(parsed[0].params["CN"] == "Gobernación del Valle, Secretaría")
        #expect(parsed[2].params["CN"] == "He said \"hi\"\nnext ^ and ^n")
    }

    @Test func rawValuesCannotStartANewLine() {
        var lines = ContentLines()
        lines.property("URL", raw: "https://example.org/\r\nATTENDEE:mailto:x@example.org")
        #expect(String(decoding: lines.bytes, as: UTF8.self) == "URL:https://example.org/ATTENDEE:mailto:x@example.org\r\n")
    }
}

/// The byte scanners give the same answer as looking at each byte: the sixteen-byte ones in C
/// (CAgendaScan) and the NFC shortcut's eight-byte test.
@Suite struct ByteScannerTests {
    /// Each scanner stops exactly at the first byte its caller must look at (the JSON reader's
    /// string end, the escapers' stops): every byte value at every
    /// position of a 40-byte text (two vector blocks and a tail), and random texts of every
    /// length up to 80 with the bytes that stop them here and there.
    @Test func plainPrefixScannersStopAtTheFirstStop() {
        func ics(_ b: UInt8, text: Bool) -> Bool {
            b < 0x20 || b == 0x7F || b == 0xC2 || b == 0xEF || (text && (b == 0x5C || b == 0x3B || b == 0x2C))
        }
        func json(_ b: UInt8) -> Bool { b < 0x20 || b == 0x22 || b == 0x5C || b == 0xE2 }
        func parameter(_ b: UInt8) -> Bool {
            b < 0x20 || b == 0x7F || b == 0xC2 || b == 0xEF || b == 0x22 || b == 0x5E || b == 0x3A || b == 0x3B || b == 0x2C
        }
        func check(_ bytes: [UInt8]) {
            bytes.withUnsafeBufferPointer { p in
                let base = p.baseAddress ?? UnsafePointer(bitPattern: 1)!
                #expect(agenda_json_string_run(base, p.count) == bytes.firstIndex { $0 == 0x22 || $0 == 0x5C || $0 == 0x0A } ?? p.count,
                        "\(bytes)")
                #expect(agenda_json_plain_prefix(base, p.count) == bytes.firstIndex(where: json) ?? p.count, "\(bytes)")
                #expect(agenda_ics_parameter_plain_prefix(base, p.count) == bytes.firstIndex(where: parameter) ?? p.count, "\(bytes)")
                for text in [false, true] {
                    #expect(agenda_ics_plain_prefix(base, p.count, text ? 1 : 0) == bytes.firstIndex { ics($0, text: text) } ?? p.count,
                            "\(bytes) text: \(text)")
                }
            }
        }
        let quiet: [UInt8] = [0x61, 0x20, 0xC3, 0xA1, 0x7E, 0x80, 0xBF, 0xCB, 0x21, 0x2D]
        for value in 0...255 {
            for position in 0..<40 {
                var bytes = (0..<40).map { quiet[($0 + value) % quiet.count] }
                bytes[position] = UInt8(value)
                check(bytes)
            }
        }
        let mix: [UInt8] = quiet + [0x00, 0x09, 0x0A, 0x0D, 0x1F, 0x22, 0x2C, 0x3A, 0x3B, 0x5C, 0x5E, 0x7F, 0xC2, 0xE2, 0xEF]
        var state: UInt64 = 42
        for length in 0...80 {
            for _ in 0..<60 {
                let bytes = (0..<length).map { _ -> UInt8 in
                    state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                    // Mostly quiet bytes, so that stops fall anywhere, including past 16 and 32.
                    let pick = Int(state >> 33)
                    return pick % 8 == 0 ? mix[pick / 8 % mix.count] : quiet[pick / 8 % quiet.count]
                }
                check(bytes)
            }
        }
    }

    /// `agenda_utf8_shape` agrees with Swift on what is UTF-8, with the bytes on ASCII, and with
    /// the scalars on the NFC shortcut (below U+0300, or U+2002–U+207F), and text it calls plain
    /// is its own NFC. Every one- and two-byte sequence (lead bytes, cut and overlong forms),
    /// the edges of three- and four-byte forms (surrogates, U+FFFF, U+10FFFF and past it), each
    /// at every position among quiet neighbours (so in and out of sixteen-byte blocks), then
    /// random texts of such pieces.
    @Test func utf8ShapeAgreesWithSwift() {
        func check(_ bytes: [UInt8]) {
            let shape = bytes.withUnsafeBufferPointer { agenda_utf8_shape($0.baseAddress ?? UnsafePointer(bitPattern: 1)!, $0.count) }
            let swift = String(validating: bytes, as: UTF8.self)
            #expect((shape & Int32(AGENDA_UTF8_VALID) != 0) == (swift != nil), "\(bytes)")
            guard let swift else {
                #expect(shape == 0, "\(bytes)")
                return
            }
            #expect((shape & Int32(AGENDA_UTF8_ASCII) != 0) == bytes.allSatisfy { $0 < 0x80 }, "\(bytes)")
            let plain = swift.unicodeScalars.allSatisfy { $0.value < 0x300 || (0x2002...0x207F).contains($0.value) }
            #expect((shape & Int32(AGENDA_UTF8_NFC_PLAIN) != 0) == plain, "\(bytes)")
            // ICU, not Language.nfc (which trusts this very flag), says whether plain text is NFC.
            if plain {
                let isNFC = bytes.withUnsafeBufferPointer { $0.withMemoryRebound(to: CChar.self) { agenda_is_nfc($0.baseAddress, Int32($0.count)) } }
                #expect(isNFC == 1, "\(bytes)")
            }
        }
        var pieces: [[UInt8]] = (0...255).map { [UInt8($0)] }
        for lead in 0xC0...0xFF { for next in [0x00, 0x41, 0x7F, 0x80, 0x9F, 0xA0, 0xBF, 0xC0] { pieces.append([UInt8(lead), UInt8(next)]) } }
        pieces += [[0xE0, 0x9F, 0xBF], [0xE0, 0xA0, 0x80], [0xE1, 0x80, 0x80], [0xEC, 0xBF, 0xBF], [0xED, 0x9F, 0xBF],
                   [0xED, 0xA0, 0x80], [0xED, 0xBF, 0xBF], [0xEE, 0x80, 0x80], [0xEF, 0xBF, 0xBF], [0xE2, 0x80, 0x81],
                   [0xE2, 0x80, 0x82], [0xE2, 0x80, 0x9C], [0xE2, 0x81, 0xBF], [0xE2, 0x82, 0x80], [0xCC, 0x81], [0xCB, 0xBF],
                   [0xE2, 0x80], [0xF0, 0x8F, 0xBF, 0xBF], [0xF0, 0x90, 0x80, 0x80], [0xF3, 0xBF, 0xBF, 0xBF],
                   [0xF4, 0x8F, 0xBF, 0xBF], [0xF4, 0x90, 0x80, 0x80], [0xF0, 0x90, 0x80], [0xF5, 0x80, 0x80, 0x80]]
        let quiet: [UInt8] = [0x61, 0x20, 0xC3, 0xB1, 0x7E]
        for piece in pieces {
            for position in 0..<(36 - piece.count) {
                var bytes = (0..<36).map { quiet[$0 % 2 == 0 ? 0 : 1] }
                bytes.replaceSubrange(position..<position + piece.count, with: piece)
                check(bytes)
            }
        }
        var state: UInt64 = 7
        for _ in 0..<4000 {
            var bytes: [UInt8] = []
            while bytes.count < 60 {
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                let pick = Int(state >> 33)
                bytes += pick % 4 == 0 ? pieces[pick / 4 % pieces.count] : [quiet[pick / 4 % quiet.count]]
            }
            check(bytes)
        }
    }
}
