import CAgendaScan
import Testing

@testable import AgendaRecords

/// `DecodeMemo` may only save work: a record decoded with it is the record decoded without it.
@Suite struct DecodeMemoTests {
    /// The object `agenda_json_object_extent` finds at the start of `text`, or nil.
    static func extent(_ text: String) -> String? {
        let bytes = Array(text.utf8)
        var hash: UInt64 = 0
        let n = agenda_json_object_extent(bytes, bytes.count, &hash)
        return n == 0 ? nil : String(decoding: bytes[..<n], as: UTF8.self)
    }

    @Test func objectExtentsFollowStringsAndEscapes() {
        #expect(Self.extent(#"{"slug": "a", "label": {"es": "x"}}, "more": 1}"#) == #"{"slug": "a", "label": {"es": "x"}}"#)
        // Braces and quotes inside strings, an escaped quote, an escaped backslash just before
        // the closing quote.
        #expect(Self.extent(#"{"a": "} and {", "b": "say \"hi\"", "c": "\\"}tail"#) == #"{"a": "} and {", "b": "say \"hi\"", "c": "\\"}"#)
        #expect(Self.extent(#"{"a": {"b": {"c": "}}}"}}}, {}"#) == #"{"a": {"b": {"c": "}}}"}}}"#)
        // Escapes on both sides of a sixteen-byte boundary, in a long object.
        for pad in 0..<20 {
            let object = #"{"k": ""# + String(repeating: "x", count: pad) + #"\"{\\\"}", "n": {"m": "\u00e9"}}"#
            #expect(Self.extent(object + #", "rest": "}""#) == object, "padding \(pad)")
        }
        #expect(Self.extent(#"{"a": "unterminated"#) == nil)
        #expect(Self.extent(#"{"a": 1 \ }"#) == nil, "a backslash outside a string")
        #expect(Self.extent(#"["not", "an object"]"#) == nil)
        #expect(Self.extent("") == nil)
    }

    @Test func equalBytesHashEqually() {
        var a: UInt64 = 0, b: UInt64 = 0, c: UInt64 = 0
        let one = Array(#"{"slug": "open-data"} x"#.utf8), two = Array(#"{"slug": "open-data"} y"#.utf8)
        let other = Array(#"{"slug": "open-date"}"#.utf8)
        #expect(agenda_json_object_extent(one, one.count, &a) == agenda_json_object_extent(two, two.count, &b))
        _ = agenda_json_object_extent(other, other.count, &c)
        #expect(a == b && a != c)
    }

    /// Random records, each read three times in a row and again later, through one memo: every
    /// record the same as without it, and the shared objects found.
    @Test func recordsAreTheSameWithTheMemo() {
        var generator = RecordGenerator(seed: 0xD1CE)
        let lines = (0..<1500).map { _ in generator.record() }
        let memo = DecodeMemo()
        var direct = 0
        for (i, line) in lines.enumerated() {
            for again in [line, line, line, lines[i / 2]] {
                let bytes = Array(again.utf8)
                let plain = DirectDecoder.record(bytes), remembered = DirectDecoder.record(bytes, memo: memo)
                #expect(plain.map(DirectDecoderTests.dumped) == remembered.map(DirectDecoderTests.dumped), "\(again)")
                if plain != nil { direct += 1 }
            }
        }
        #expect(direct > 300, "\(direct) of \(lines.count * 4) read directly")
        #expect(memo.hits > 500, "found \(memo.hits) objects")
    }

    /// The benchmark's records: six categories among many, distinct venues and organizers.
    @Test func sharedCategoriesAreFoundAndDistinctVenuesLeftAlone() {
        let memo = DecodeMemo()
        for n in 0..<3000 {
            let line = DiagnosticTests.record(#""id": "m\#(n)", "venue": {"name": {"es": "Sala \#(n)"}}, "categories": [{"slug": "c\#(n % 6)", "label": {"es": "Tema \#(n % 6)"}}]"#, drop: ["id", "venue"])
            let bytes = Array(line.utf8)
            let remembered = DirectDecoder.record(bytes, memo: memo)
            #expect(remembered != nil && remembered.map(DirectDecoderTests.dumped) == DirectDecoder.record(bytes).map(DirectDecoderTests.dumped))
        }
        #expect(memo.categories.hits > 2900)
        #expect(memo.venues.hits == 0)
    }
}
