import Testing

@testable import AgendaTime

/// Dates and offsets are written into a fixed buffer; a number wider than its field falls back
/// to plain padding, never to a truncated or wrapped value.
@Suite struct FixedWidthTests {
    @Test func datesTimesAndOffsets() {
        let t = LocalDateTime(date: CivilDate(year: 2024, month: 5, day: 30), hour: 8, minute: 0, second: 7)
        #expect(t.basicFormat == "20240530T080007")
        #expect(CivilDate(year: 33, month: 1, day: 2).basicFormat == "00330102")
        #expect(CivilDate(year: 12345, month: 12, day: 31).basicFormat == "123451231")
        #expect(LocalDateTime(date: CivilDate(year: 10000, month: 1, day: 1)).basicFormat == "100000101T000000")
        let instant = Instant(secondsSince1970: 1_717_074_000)  // 2024-05-30T13:00:00Z
        #expect(instant.rfc3339(offsetSeconds: -18_000) == "2024-05-30T08:00:00-05:00")
        #expect(instant.rfc3339(offsetSeconds: 20_700) == "2024-05-30T18:45:00+05:45")
        #expect(instant.rfc3339(offsetSeconds: -(4 * 3600 + 56 * 60 + 16)) == "2024-05-30T08:03:44-04:56:16")
        #expect(Instant.offsetString(100 * 3600, colon: false) == "+10000")
        #expect(instant.basicFormat == "20240530T130000Z")
    }
}

@Suite struct LanguageTests {
    @Test(arguments: [
        ("es_co", "es-CO"), ("ES-co", "es-CO"), ("en", "en"), ("en_US", "en-US"), ("pt-br", "pt-BR"),
        ("iw", "he"), ("zh-hant-tw", "zh-Hant-TW"), ("sr_Latn_RS", "sr-Latn-RS"),
    ])
    func canonicalTags(input: String, expected: String) {
        #expect(Language.canonicalTag(input) == expected)
    }

    @Test(arguments: ["", "x", "español", "es co", "123"])
    func malformedTags(input: String) {
        #expect(Language.canonicalTag(input) == nil)
    }

    @Test func nfc() {
        let nfd = "Bogota\u{301} Espan\u{303}a"
        let nfc = Language.nfc(nfd)
        #expect(Array(nfc.unicodeScalars) == Array("Bogotá España".unicodeScalars))
        #expect(Array(Language.nfc("Ångström").unicodeScalars) == Array("Ångström".unicodeScalars))
        #expect(Language.nfc("plain ascii") == "plain ascii")
        // Typographic punctuation passes the quick check; U+2000 and U+2001 are not NFC (they
        // are singletons for U+2002 and U+2003), nor is a quote followed by a combining mark.
        let quoted = "“El Valle del Cauca participa a otro nivel” — 8:00–11:30 ‰"
        #expect(Array(Language.nfc(quoted).unicodeScalars) == Array(quoted.unicodeScalars))
        #expect(Array(Language.nfc("a\u{2000}b\u{2001}c").unicodeScalars) == Array("a\u{2002}b\u{2003}c".unicodeScalars))
        #expect(Array(Language.nfc("long enough to be read eight bytes at a time \u{2000}").unicodeScalars).last == "\u{2002}")
        #expect(Array(Language.nfc("“e\u{301}”").unicodeScalars) == Array("“é”".unicodeScalars))
    }

    @Test func spanishCollation() {
        let sorted = Language.sorted(["ñu", "nube", "oso", "Ñandú", "éxito", "exito", "zeta", "Nuño"], locale: "es")
        #expect(sorted == ["exito", "éxito", "nube", "Nuño", "Ñandú", "ñu", "oso", "zeta"])
        // English collation treats ñ as an accented n ("ñu" before "nube"); Spanish as its own letter.
        let english = Language.sorted(["ñu", "nube", "oso"], locale: "en")
        #expect(english == ["ñu", "nube", "oso"])
    }

    @Test func slugs() {
        #expect(Language.slug("Foro Gobierno Abierto: “El Valle del Cauca participa a otro nivel”")
                == "foro-gobierno-abierto-el-valle-del-cauca-participa-a-otro-nivel")
        #expect(Language.slug("Año Nuevo — Ñandú & Co.") == "ano-nuevo-nandu-co")
        #expect(Language.slug("Москва 2024") == "moskva-2024")
        #expect(Language.slug("ogw2024.valle_participa~1") == "ogw2024-valle-participa-1")
        let long = Language.slug(String(repeating: "palabra ", count: 30), maxLength: 40)
        #expect(long.utf8.count <= 40 && !long.hasSuffix("-") && long.hasPrefix("palabra-palabra"))
    }

    @Test func graphemeBoundariesMatchSwift() {
        let samples = ["a", "👩🏽‍💻x", "👨‍👩‍👧‍👦", "e\u{301}\u{302}x", "🇨🇴🇪🇸", "日本語", "\r\n", "ก่อน"]
        for s in samples {
            var bytes = Array(s.utf8)
            let icu = bytes.withUnsafeMutableBufferPointer { Language.graphemeBoundaries(UnsafeBufferPointer($0)) }
            var swift = [0]
            var offset = 0
            for ch in s { offset += ch.utf8.count; swift.append(offset) }
            #expect(icu == swift, "\(s)")
        }
    }
}

extension LanguageTests {
    /// Fold points are the last grapheme boundary before each limit. Most cuts are decided without
    /// ICU (characters below U+0300 on both sides); the texts mix those with combining marks,
    /// emoji, CJK, a soft hyphen and CR LF so that both paths and their seams are exercised,
    /// against boundaries from Swift's own Character segmentation.
    @Test func foldPointsAreGraphemeBoundaries() {
        let pool = ["a", "Z", " ", ",", "á", "ñ", "Ñ", "ü", "ß", "ł", "ɐ", "ˆ", "\u{AD}", "\u{301}", "\u{303}",
                    "e\u{301}", "👩🏽‍💻", "🇨🇴", "日本", "ก่", "\r\n", "\u{85}", "—", "ǅ"]
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next(_ n: Int) -> Int {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return Int((z ^ (z >> 31)) % UInt64(n))
        }
        for round in 0..<400 {
            // Mostly plain Latin, as real descriptions are, with the odd hard character.
            var s = ""
            for _ in 0..<(40 + next(300)) {
                s += next(4) == 0 ? pool[next(pool.count)] : pool[next(11)]
            }
            var bytes = Array(s.utf8)
            let cuts = bytes.withUnsafeMutableBufferPointer { Language.foldPoints(UnsafeBufferPointer($0), firstLimit: 75, limit: 74) }
            var boundaries: Set<Int> = [0]
            var offset = 0
            for ch in s { offset += ch.utf8.count; boundaries.insert(offset) }
            var expected: [Int] = []
            var start = 0, room = 75
            while bytes.count - start > room {
                var cut = start + room
                while cut > start && !boundaries.contains(cut) { cut -= 1 }
                if cut <= start {  // one cluster longer than a line: cut between UTF-8 sequences
                    cut = start + room
                    while cut > start + 1 && bytes[cut] & 0xC0 == 0x80 { cut -= 1 }
                }
                expected.append(cut)
                start = cut
                room = 74
            }
            #expect(cuts == expected, "round \(round): \(s.debugDescription)")
        }
    }
}

@Suite struct DateTextTests {
    let bogota = try! Zone.named("America/Bogota")
    var start: Instant { bogota.resolve(LocalDateTime(iso: "2024-05-30T08:00")!).instant }
    var end: Instant { bogota.resolve(LocalDateTime(iso: "2024-05-30T11:30")!).instant }

    @Test func caliForumInSpanishAndEnglish() {
        #expect(DateText.range(from: start, to: end, in: bogota, locale: "es")
                == "jueves, 30 de mayo de 2024, 8:00–11:30 (hora estándar de Colombia)")
        #expect(DateText.range(from: start, to: end, in: bogota, locale: "es-CO")
                == "jueves, 30 de mayo de 2024, 8:00 a 11:30\u{202F}a.\u{A0}m. (hora estándar de Colombia)")
        #expect(DateText.range(from: start, to: end, in: bogota, locale: "en")
                == "Thursday, May 30, 2024, 8:00\u{2009}–\u{2009}11:30\u{202F}AM (Colombia Standard Time)")
        #expect(DateText.range(from: start, to: end, in: bogota, locale: "en-US")
                == DateText.range(from: start, to: end, in: bogota, locale: "en"))
    }

    @Test func allDayAndMultiDay() {
        let d = CivilDate(iso: "2024-05-30")!
        #expect(DateText.range(from: d, through: d, locale: "es") == "jueves, 30 de mayo de 2024")
        #expect(DateText.range(from: d, through: CivilDate(iso: "2024-06-01")!, locale: "es")
                == "jueves, 30 de mayo\u{2009}–\u{2009}sábado, 1 de junio de 2024")
        #expect(DateText.range(from: d, through: CivilDate(iso: "2024-06-01")!, locale: "en")
                == "Thursday, May 30\u{2009}–\u{2009}Saturday, June 1, 2024")
        let madrid = try! Zone.named("Europe/Madrid")
        let s = madrid.resolve(LocalDateTime(iso: "2024-12-31T22:00")!).instant
        let e = madrid.resolve(LocalDateTime(iso: "2025-01-01T02:00")!).instant
        #expect(DateText.range(from: s, to: e, in: madrid, locale: "es")
                == "martes, 31 de diciembre de 2024, 22:00\u{2009}–\u{2009}miércoles, 1 de enero de 2025, 2:00 (hora de Europa central)")
    }

    @Test func rfc822IsAlwaysEnglishWithNumericZone() {
        #expect(DateText.rfc822(start, in: bogota) == "Thu, 30 May 2024 08:00:00 -0500")
        #expect(DateText.rfc822(start) == "Thu, 30 May 2024 13:00:00 +0000")
        let chatham = try! Zone.named("Pacific/Chatham")
        #expect(DateText.rfc822(Instant(rfc3339: "2025-01-15T00:00:00Z")!, in: chatham) == "Wed, 15 Jan 2025 13:45:00 +1345")
    }

    @Test func instantsParseAndPrint() {
        #expect(Instant(rfc3339: "2024-05-20T15:00:00Z")?.description == "2024-05-20T15:00:00Z")
        #expect(Instant(rfc3339: "2024-05-20T10:00:00-05:00") == Instant(rfc3339: "2024-05-20T15:00:00Z"))
        #expect(Instant(rfc3339: "2024-05-20T15:00:00.123Z") == Instant(rfc3339: "2024-05-20T15:00:00Z"))
        #expect(Instant(rfc3339: "2024-02-30T15:00:00Z") == nil)
        #expect(Instant(rfc3339: "2024-05-20 15:00:00") == nil)
        #expect(start.rfc3339(offsetSeconds: -18000) == "2024-05-30T08:00:00-05:00")
        #expect(CivilDate(iso: "2024-02-29") != nil && CivilDate(iso: "2023-02-29") == nil)
        #expect(CivilDate(iso: "2024-05-30")!.isoWeekday == 4)
        #expect(CivilDate(daysSinceEpoch: CivilDate(iso: "1969-12-31")!.daysSinceEpoch).description == "1969-12-31")
    }
}

/// The fixed-width date and time texts (built in one buffer) against a plain formatter.
@Suite struct DateTimeTextTests {
    static func padded(_ v: Int, _ width: Int) -> String {
        let s = String(v)
        return String(repeating: "0", count: max(0, width - s.count)) + s
    }

    @Test func matchesAPlainFormatter() {
        var seed: UInt64 = 42
        for _ in 0..<20_000 {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            // Years 1 to 9999, and offsets up to ±26 hours with odd minutes and seconds.
            let seconds = Int64(seed >> 20) % 315_537_000_000 - 62_135_596_800 + 86_400 * 2
            let offset = Int(Int64(bitPattern: seed) % 93_600)
            let instant = Instant(secondsSince1970: seconds)
            let l = instant.local(offsetSeconds: offset)
            let date = Self.padded(l.date.year, 4) + "-" + Self.padded(l.date.month, 2) + "-" + Self.padded(l.date.day, 2)
            let time = Self.padded(l.hour, 2) + ":" + Self.padded(l.minute, 2) + ":" + Self.padded(l.second, 2)
            let a = abs(offset)
            var zone = (offset < 0 ? "-" : "+") + Self.padded(a / 3600, 2) + ":" + Self.padded(a / 60 % 60, 2)
            if a % 60 != 0 { zone += ":" + Self.padded(a % 60, 2) }
            #expect(l.description == date + "T" + time)
            #expect(l.basicFormat == (date + "T" + time).filter { $0 != "-" && $0 != ":" })
            #expect(l.date.basicFormat == date.filter { $0 != "-" })
            #expect(instant.rfc3339(offsetSeconds: offset) == date + "T" + time + zone)
            #expect(Instant.offsetString(offset, colon: false) == zone.filter { $0 != ":" })
        }
        // Past the fixed width, the text grows as before.
        let far = LocalDateTime(date: CivilDate(year: 12_345, month: 1, day: 2), hour: 3, minute: 4, second: 5)
        #expect(far.description == "12345-01-02T03:04:05")
        #expect(far.basicFormat == "123450102T030405")
        #expect(Instant.offsetString(-(100 * 3600 + 30 * 60), colon: true) == "-100:30")
    }

    @Test func parsesWhatItWrites() {
        var seed: UInt64 = 5
        for _ in 0..<5_000 {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let t = Instant(secondsSince1970: Int64(seed >> 20) % 253_402_300_799 - 62_135_596_800 + 86_400 * 2)
            let offset = (Int(Int64(bitPattern: seed) % 1_680)) * 60  // whole minutes, ±28 h
            #expect(Instant(rfc3339: t.rfc3339(offsetSeconds: offset)) == t, "\(t) \(offset)")
            let local = t.local(offsetSeconds: 0)
            #expect(LocalDateTime(iso: local.description) == local)
            #expect(CivilDate(iso: local.date.description) == local.date)
        }
        #expect(Instant(rfc3339: "2024-05-30T13:00:00.250z") == Instant(rfc3339: "2024-05-30T08:00:00-05:00"))
        #expect(LocalDateTime(iso: "2024-05-30T08:00")?.second == 0)
        for bad in ["", "Z", "2024-05-30T13:00:00", "2024-05-30T13:00Z", "2024-05-30T13:00:00.Z", "2024-05-30T13:00:00.5xZ",
                    "2024-05-30t13:00:00Z", "2024-02-30T13:00:00Z", "2024-05-30T24:00:00Z", "2024-05-30T13:60:00Z",
                    "2024-05-30T13:00:60Z", "2024-05-30T13:00:00+0500", "2024-05-30T13:00:00+05-00", "+2024-05-30T13:00:00Z"] {
            #expect(Instant(rfc3339: bad) == nil, "\(bad)")
        }
        for bad in ["2024-5-30T08:00", "2024-05-30 08:00", "2024-05-30T8:00", "2024-05-30T08:00:0", "2024-13-01T08:00"] {
            #expect(LocalDateTime(iso: bad) == nil, "\(bad)")
        }
    }
}
