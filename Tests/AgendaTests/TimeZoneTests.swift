import Foundation
import Testing
import CAgendaICU

@testable import AgendaTime

/// Zone math against independent oracles: `zdump` (tzcode/glibc reading the same TZif files) and
/// the date-holidays fixtures (UTC instants of local midnights in 45 countries).
@Suite struct TimeZoneTests {
    static let requiredZones = [
        "America/Asuncion", "America/Mexico_City", "America/Ciudad_Juarez", "America/Santiago", "Europe/Madrid",
        "Africa/Casablanca", "Australia/Lord_Howe", "Pacific/Chatham", "America/Bogota",
    ]

    @Test func usesTheNewestTzDataOnTheMachine() throws {
        let zi = try String(contentsOfFile: "/usr/share/zoneinfo/tzdata.zi", encoding: .utf8)
        let systemVersion = String(zi.split(separator: "\n")[0].dropFirst("# version ".count))
        #expect(TimeZoneData.version == systemVersion)
        #expect(TimeZoneData.source == "/usr/share/zoneinfo")
        #expect(TimeZoneData.icuBuiltinVersion < systemVersion, "ICU's own data is older; the system data must win")
    }

    /// Offset changes in 2024–2026 must be exactly the ones `zdump -v` reports.
    @Test(arguments: requiredZones)
    func transitionsMatchZdump(zone id: String) throws {
        let zdump = try run("/usr/bin/zdump", ["-v", "-c", "2024,2027", id])
        #expect(zdump.status == 0)
        // Lines come in pairs around each change: "... UT = ... isdst=0 gmtoff=-18000".
        var expected: [(String, Int, Int)] = []
        let lines = zdump.out.split(separator: "\n").filter { $0.contains("gmtoff=") }
        var i = 0
        while i + 1 < lines.count {
            let before = Int(lines[i].split(separator: "gmtoff=")[1])!
            let after = Int(lines[i + 1].split(separator: "gmtoff=")[1])!
            if before != after {
                let utc = lines[i + 1].split(separator: " = ")[0].split(separator: " ", omittingEmptySubsequences: true)
                expected.append((utc.suffix(6).joined(separator: " "), before, after))
            }
            i += 2
        }
        let zone = try Zone.named(id)
        let ours = zone.transitions(from: Instant(rfc3339: "2024-01-01T00:00:00Z")!, to: Instant(rfc3339: "2027-01-01T00:00:00Z")!)
            .filter { $0.offsetBefore != $0.offsetAfter }
        let formatted = ours.map { t in
            (DateText.format(t.instant, pattern: "EEE MMM d HH:mm:ss yyyy 'UT'", locale: "en_US_POSIX")
                .replacingOccurrences(of: "  ", with: " "), t.offsetBefore, t.offsetAfter)
        }
        let normalize = { (s: String) in s.split(separator: " ").joined(separator: " ") }
        #expect(formatted.map { normalize($0.0) } == expected.map { normalize($0.0) }, "\(id)")
        #expect(formatted.map(\.1) == expected.map(\.1))
        #expect(formatted.map(\.2) == expected.map(\.2))
    }

    /// Every zone of the system's zone.tab.
    static func zoneTabIDs() throws -> [String] {
        let tab = try String(contentsOfFile: "/usr/share/zoneinfo/zone.tab", encoding: .utf8)
        return tab.split(separator: "\n").filter { !$0.hasPrefix("#") }.map { String($0.split(separator: "\t")[2]) }
    }

    /// Offsets and wall-time resolution come from a table built from each ICU zone when it opens
    /// (for speed); it must hold exactly the transitions of ICU's own walk (the table is made from
    /// the zone's rules instead, see zones.cpp) and give ICU's own answers for every zone in
    /// zone.tab, every 3 days 49 min (so every hour of the day comes up) from 1900 to 2100, and
    /// around every transition.
    @Test func offsetTablesAgreeWithICU() throws {
        let ids = try Self.zoneTabIDs()
        #expect(ids.count > 300)
        var checked = 0
        for id in ids + ["UTC", "Etc/GMT+5"] {
            let zone = try Zone.named(id)
            let mismatches = withExtendedLifetime(zone) { agenda_zone_check_table(zone.handle, -2_208_988_800, 4_102_444_800, 262_147) }
            #expect(mismatches == 0, "\(id): \(mismatches) answers differ from ICU")
            checked += 1
        }
        #expect(checked == ids.count + 2)
        let fixed = Zone.fixed(offsetSeconds: -18_000)
        withExtendedLifetime(fixed) { #expect(agenda_zone_check_table(fixed.handle, 0, 2_000_000_000, 86_399) == 0) }
    }

    /// The same for ICU's built-in zones (OlsonTimeZone, not rebuilt from TZif), which an export
    /// uses when ICU's tz data is newer than the system's: every zone in zone.tab that ICU knows.
    @Test func offsetTablesOfICUsOwnZonesAgreeWithItsWalk() throws {
        let ids = try Self.zoneTabIDs()
        var known = 0
        for id in ids + ["UTC", "Etc/GMT+5", "Europe/Dublin", "Africa/Casablanca"] {
            let answer = agenda_icu_zone_table_agrees(id)
            #expect(answer != 0, "\(id): the table differs from ICU's walk")
            if answer == 1 { known += 1 }
        }
        #expect(known > 300)
    }

    /// Zone names are cached by what ICU's choice depends on; in any order of asking, the cached
    /// name must be ICU's own. (A cache by offset alone named Cairo's April events, when Egypt's
    /// clocks differ from Bucharest's, as its November ones, depending on which came first.)
    @Test func cachedZoneNamesAreICUsOwn() throws {
        let ids = try Self.zoneTabIDs()
        var cases: [(String, Int64, String)] = []
        for id in ids + ["America/Ciudad_Juarez", "UTC"] {
            for locale in ["es", "en"] {
                for k in 0..<21 { cases.append((id, 1_704_067_200 + Int64(k) * 53 * 86_400 + Int64(k % 24) * 3_600, locale)) }
            }
        }
        var seed: UInt64 = 7
        for i in stride(from: cases.count - 1, to: 0, by: -1) {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            cases.swapAt(i, Int(seed >> 33) % (i + 1))
        }
        var mismatches: [String] = []
        for (id, seconds, locale) in cases {
            let zone = try Zone.named(id), t = Instant(secondsSince1970: seconds)
            let cached = DateText.zoneName(zone, at: t, locale: locale)
            let icu = DateText.uncachedZoneName(zone, at: t, locale: locale)
            if cached != icu { mismatches.append("\(id) \(t) \(locale): \(cached) ≠ \(icu)") }
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(5))")
        let cairo = try Zone.named("Africa/Cairo")
        #expect(DateText.zoneName(cairo, at: Instant(rfc3339: "2025-11-08T15:00:00Z")!, locale: "es") == "hora de Europa oriental")
        #expect(DateText.zoneName(cairo, at: Instant(rfc3339: "2025-04-08T15:00:00Z")!, locale: "es") == "hora de Europa oriental (Egipto)")
    }

    /// A remembered name answers every instant of its span, so the spans' edges are where a wrong
    /// span would show: each transition and the 184 days either side of it (ICU's daylight-time
    /// check), a second and an hour each way, asked in time order (so answers come from spans made
    /// for earlier instants) and then backwards. The zones include ones whose metazone's reference
    /// zone keeps other clocks (Cairo, Casablanca, Santiago, Lord Howe, Chatham, Kiev's rename), ones
    /// whose metazone changed (Khartoum, Juba, Pyongyang, Metlakatla, Whitehorse) or ended (Punta
    /// Arenas, Famagusta), and the ones ICU 72's own data has wrong.
    @Test func zoneNamesHoldOverTheirWholeSpan() throws {
        let ids = ["Africa/Cairo", "Africa/Casablanca", "America/Santiago", "America/Sao_Paulo", "Australia/Lord_Howe",
                   "Pacific/Chatham", "Europe/Kyiv", "Europe/Moscow", "America/Mexico_City", "America/Asuncion",
                   "America/Ciudad_Juarez", "America/Bogota", "Asia/Tehran", "Europe/Dublin", "America/Godthab",
                   "Pacific/Apia", "Asia/Gaza", "Africa/Khartoum", "Africa/Juba", "Asia/Pyongyang", "America/Metlakatla",
                   "America/Whitehorse", "America/Punta_Arenas", "Asia/Famagusta", "America/Costa_Rica", "America/Panama",
                   "America/Puerto_Rico", "America/Regina"]
        // Zones without daylight time named after a metazone whose reference zone has it.
        let references = ["America/Costa_Rica": "America/Chicago", "America/Regina": "America/Chicago",
                          "America/Panama": "America/New_York", "America/Puerto_Rico": "America/Halifax",
                          "Africa/Cairo": "Europe/Bucharest", "Asia/Gaza": "Europe/Bucharest"]
        let from = Instant(rfc3339: "2010-01-01T00:00:00Z")!, to = Instant(rfc3339: "2027-12-31T00:00:00Z")!
        var mismatches: [String] = []
        var asked = 0
        for id in ids {
            let zone = try Zone.named(id)
            var edges: Set<Int64> = []
            for t in zone.transitions(from: from, to: to) {
                for edge in [t.instant.secondsSince1970, t.instant.secondsSince1970 + 184 * 86_400,
                             t.instant.secondsSince1970 - 184 * 86_400] {
                    for delta in [-3_600, -1, 0, 1, 3_600] as [Int64] { edges.insert(edge + delta) }
                }
            }
            // Where the metazone's reference zone changes its clocks: from a second to hours either
            // side of its transitions (ICU compares at the zone's wall time).
            if let golden = references[id] {
                for t in try Zone.named(golden).transitions(from: Instant(rfc3339: "2024-01-01T00:00:00Z")!, to: to) {
                    for delta in stride(from: -6 * 3_600, through: 6 * 3_600, by: 1_800) {
                        for second in [-1, 0, 1] { edges.insert(t.instant.secondsSince1970 + Int64(delta + second)) }
                    }
                }
            }
            let ordered = edges.sorted()
            for locale in ["es", "en"] {
                for seconds in ordered + ordered.reversed() {
                    let t = Instant(secondsSince1970: seconds)
                    let cached = DateText.zoneName(zone, at: t, locale: locale)
                    let icu = DateText.uncachedZoneName(zone, at: t, locale: locale)
                    asked += 1
                    if cached != icu { mismatches.append("\(id) \(t) \(locale): \(cached) ≠ \(icu)") }
                }
            }
        }
        #expect(asked > 5_000)
        #expect(mismatches.isEmpty, "\(mismatches.count) mismatches: \(mismatches.prefix(5))")
    }

    /// The "when" text is remembered whole, per thread, by zone, instants, locale and skeleton:
    /// the same instants in other zones and languages, asked in between, must not answer for one
    /// another, and a remembered text must be the one its parts make.
    @Test func rememberedWhenTextsAreTheirPartsJoined() throws {
        let zones = try ["America/Bogota", "America/Mexico_City", "Europe/Madrid", "Africa/Cairo", "Asia/Tokyo",
                         "America/Ciudad_Juarez", "Australia/Lord_Howe", "UTC"].map { try Zone.named($0) }
        var cases: [(Zone, Instant, Instant, String)] = []
        for k in 0..<40 {
            let start = Instant(secondsSince1970: 1_704_067_200 + Int64(k % 10) * 37 * 86_400 + Int64(k % 7) * 5_400)
            let end = Instant(secondsSince1970: start.secondsSince1970 + Int64(1 + k % 3) * 3_600 + Int64(k / 20) * 86_400)
            for zone in zones { for locale in ["es", "en", "pt-BR"] { cases.append((zone, start, end, locale)) } }
        }
        var mismatches: [String] = []
        for round in 0..<2 {  // the second round is answered from the memo
            for (zone, start, end, locale) in round == 0 ? cases : cases.reversed() {
                let remembered = DateText.range(from: start, to: end, in: zone, locale: locale)
                let made = DateText.composedRange(from: start, to: end, in: zone, locale: locale)
                if remembered != made { mismatches.append("\(zone.id) \(start)–\(end) \(locale): \(remembered) ≠ \(made)") }
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.count) mismatches: \(mismatches.prefix(3))")
        let cali = DateText.range(from: Instant(rfc3339: "2024-05-30T13:00:00Z")!, to: Instant(rfc3339: "2024-05-30T16:30:00Z")!,
                                  in: try Zone.named("America/Bogota"), locale: "es")
        #expect(cali == "jueves, 30 de mayo de 2024, 8:00–11:30 (hora estándar de Colombia)")
    }

    @Test func mexicoAndAsuncionAreRightWhereIcu72IsWrong() throws {
        let july2025 = Instant(rfc3339: "2025-07-15T12:00:00Z")!
        #expect(try Zone.named("America/Mexico_City").offset(at: july2025) == -6 * 3600)
        #expect(try Zone.named("America/Asuncion").offset(at: july2025) == -3 * 3600)
        #expect(try Zone.named("America/Ciudad_Juarez").offset(at: july2025) == -6 * 3600)
        #expect(try Zone.named("America/Ciudad_Juarez").offset(at: Instant(rfc3339: "2025-01-15T12:00:00Z")!) == -7 * 3600)
    }

    @Test func unknownZonesAreErrorsNeverUTC() {
        #expect(throws: ZoneError.unknown("America/Nowhere", tzVersion: TimeZoneData.version)) {
            try Zone.named("America/Nowhere")
        }
        #expect(throws: ZoneError.self) { try Zone.named("../../etc/passwd") }
        #expect(throws: ZoneError.self) { try Zone.named("zone.tab") }
        let message = ZoneError.unknown("America/Nowhere", tzVersion: "2025b").description
        #expect(message == "unknown time zone 'America/Nowhere' (tz data 2025b)")
    }

    @Test func gapIsShiftedForwardAndOverlapTakesTheFirst() throws {
        let madrid = try Zone.named("Europe/Madrid")
        let gap = madrid.resolve(LocalDateTime(iso: "2025-03-30T02:30")!)
        #expect(gap.kind == .nonexistent)
        #expect(gap.instant == Instant(rfc3339: "2025-03-30T01:30:00Z"))
        #expect(madrid.localTime(at: gap.instant) == LocalDateTime(iso: "2025-03-30T03:30"))
        let overlap = madrid.resolve(LocalDateTime(iso: "2025-10-26T02:30")!)
        #expect(overlap.kind == .ambiguous)
        #expect(overlap.instant == Instant(rfc3339: "2025-10-26T00:30:00Z"))
        let normal = madrid.resolve(LocalDateTime(iso: "2025-06-01T12:00")!)
        #expect(normal.kind == .exact)
        #expect(normal.instant == Instant(rfc3339: "2025-06-01T10:00:00Z"))
        // 30-minute DST at Lord Howe; Chatham at +13:45.
        let lh = try Zone.named("Australia/Lord_Howe").resolve(LocalDateTime(iso: "2025-10-05T02:15")!)
        #expect(lh.kind == .nonexistent)
        #expect(lh.instant == Instant(rfc3339: "2025-10-04T15:45:00Z"))
        #expect(try Zone.named("Pacific/Chatham").offset(at: Instant(rfc3339: "2025-01-15T00:00:00Z")!) == 13 * 3600 + 45 * 60)
    }

    /// Local midnight → UTC for every holiday in the date-holidays fixtures (45 countries/regions).
    @Test func holidaysOracle() throws {
        let dir = "\(Paths.shared)/data/events/date-holidays/fixtures"
        try #require(Paths.hasShared)
        let zones: [String: String] = [
            "AR": "America/Argentina/Buenos_Aires", "AU": "Australia/Sydney", "AU-NSW": "Australia/Sydney",
            "BO": "America/La_Paz", "BR": "America/Sao_Paulo", "CA": "America/Toronto", "CL": "America/Santiago",
            "CO": "America/Bogota", "CR": "America/Costa_Rica", "CU": "America/Havana", "DE": "Europe/Berlin",
            "DO": "America/Santo_Domingo", "EC": "America/Guayaquil", "EG": "Africa/Cairo", "ES": "Europe/Madrid",
            "ES-AN": "Europe/Madrid", "ES-CN": "Atlantic/Canary", "ES-CT": "Europe/Madrid", "ES-GA": "Europe/Madrid",
            "ES-IB": "Europe/Madrid", "ES-MD": "Europe/Madrid", "ES-PV": "Europe/Madrid", "FR": "Europe/Paris",
            "GB": "Europe/London", "GQ": "Africa/Malabo", "GT": "America/Guatemala", "HN": "America/Tegucigalpa",
            "IL": "Asia/Jerusalem", "IN": "Asia/Kolkata", "IR": "Asia/Tehran", "JP": "Asia/Tokyo",
            "MA": "Africa/Casablanca", "MX": "America/Mexico_City", "NI": "America/Managua", "NZ": "Pacific/Auckland",
            // date-holidays computes the Chatham Islands' holidays in the country zone, not Pacific/Chatham.
            "NZ-CIT": "Pacific/Auckland", "PA": "America/Panama", "PE": "America/Lima", "PR": "America/Puerto_Rico",
            "PT": "Europe/Lisbon", "PY": "America/Asuncion", "SV": "America/El_Salvador", "US": "America/New_York",
            "UY": "America/Montevideo", "VE": "America/Caracas",
        ]
        var checked = 0
        var mismatches: [String] = []
        for file in try FileManager.default.contentsOfDirectory(atPath: dir).sorted() where file.hasSuffix(".json") {
            let code = String(file.dropLast("-2025.json".count))
            let zone = try Zone.named(try #require(zones[code], "no zone for \(code)"))
            let data = try Data(contentsOf: URL(fileURLWithPath: dir + "/" + file))
            let list = try #require(try JSONSerialization.jsonObject(with: data) as? [[String: Any]])
            for h in list {
                // A few holidays carry their own offset ("2024-04-10 00:00:00 -0600"): not a zone question.
                guard let date = h["date"] as? String, date.count == 19, let start = h["start"] as? String else { continue }
                let local = try #require(LocalDateTime(iso: date.replacingOccurrences(of: " ", with: "T")))
                let expected = try #require(Instant(rfc3339: start))
                let ours = zone.resolve(local).instant
                checked += 1
                if ours != expected { mismatches.append("\(file) \(date) \(zone.id): \(ours) ≠ \(expected)") }
            }
        }
        #expect(checked > 2000)
        #expect(mismatches.isEmpty, "\(mismatches.prefix(10))")
    }

    @Test func tzdirPinsAnotherDatabase() throws {
        try #require(Paths.hasShared)
        let source = "\(Paths.shared)/data/tz/tzdata2025c"
        let dir = try temporaryDirectory()
        let files = ["africa", "northamerica", "southamerica", "europe", "australasia", "asia", "backward", "etcetera"]
        let zic = try run("/usr/sbin/zic", ["-d", dir] + files.map { source + "/" + $0 })
        #expect(zic.status == 0, "\(zic.err)")
        try FileManager.default.copyItem(atPath: source + "/zone.tab", toPath: dir + "/zone.tab")
        try write("2025c\n", to: dir + "/+VERSION")
        let version = try run(Paths.agendaBinary, ["--version"], environment: ["TZDIR": dir])
        #expect(version.status == 0)
        #expect(version.out.contains("tz data 2025c from \(dir)"), "\(version.out)")
    }

    @Test func aliasesKeepTheUsersSpelling() throws {
        let d = try ZoneInput.resolve("Asia/Calcutta", near: LocalDateTime(iso: "2024-05-24T11:00")!)
        #expect(d.zone.id == "Asia/Calcutta")
        #expect(d.kind == .alias(canonical: "Asia/Kolkata"))
        #expect(d.warnings.isEmpty)
        #expect(d.zone.offset(at: Instant(rfc3339: "2024-05-24T05:30:00Z")!) == 19800)
    }

    @Test func fixedOffsetsMatchTheCountrysOnlyZone() throws {
        let may = LocalDateTime(iso: "2024-05-30T08:00")!
        let co = try ZoneInput.resolve("UTC-5", country: "CO", near: may)
        #expect(co.zone.id == "America/Bogota")
        #expect(co.kind == .offsetMatched(offset: -18000, country: "CO"))
        let gmt = try ZoneInput.resolve("GMT-05:00", country: "CO", near: may)
        #expect(gmt.zone.id == "America/Bogota")
        // Several Mexican zones are at -06:00: kept as a fixed offset, with a warning.
        let mx = try ZoneInput.resolve("UTC-6", country: "MX", near: LocalDateTime(iso: "2025-01-15T10:00")!)
        #expect(mx.kind == .fixedOffset(-21600))
        #expect(mx.zone.id == "UTC-06:00")
        #expect(mx.warnings.count == 1)
        #expect(mx.warnings[0].hasPrefix("'UTC-6' is a fixed offset and several zones of MX match (America/Mexico_City, "))
        #expect(mx.warnings[0].hasSuffix("kept as UTC-06:00 without daylight saving time — give an IANA zone"))
        #expect(ZoneInput.fixedOffset("UTC+05:30") == 19800)
        #expect(ZoneInput.fixedOffset("UTC+0545") == 20700)
        #expect(ZoneInput.fixedOffset("GMT") == nil)
        #expect(ZoneInput.fixedOffset("UTC+25") == nil)
    }

    @Test func windowsZoneNames() throws {
        let d = try ZoneInput.resolve("SA Pacific Standard Time", near: LocalDateTime(iso: "2024-05-30T08:00")!)
        #expect(d.zone.id == "America/Bogota")
        #expect(d.kind == .windows(name: "SA Pacific Standard Time"))
        let m = try ZoneInput.resolve("Central Standard Time (Mexico)", country: "MX", near: LocalDateTime(iso: "2025-07-01T08:00")!)
        #expect(m.zone.id == "America/Mexico_City")
        #expect(throws: ZoneError.self) { try ZoneInput.resolve("Nowhere Standard Time", near: LocalDateTime(iso: "2025-07-01T08:00")!) }
    }

    /// A worker's memo answers as `ZoneInput.resolve` does, asked twice, in any order: texts
    /// whose answer depends on the country or the date (offsets, Windows names) are not kept,
    /// so the same text with another country still gets its own answer, and unknown ids throw.
    @Test func zoneMemoAnswersAsResolveDoes() throws {
        let memo = ZoneMemo()
        let may = LocalDateTime(iso: "2024-05-30T08:00")!, january = LocalDateTime(iso: "2025-01-15T10:00")!
        let asks: [(String, String?, LocalDateTime)] = [
            ("America/Bogota", "CO", may), ("Asia/Calcutta", nil, may), ("UTC-5", "CO", may), ("UTC-6", "MX", january),
            ("UTC-5", "PE", may), ("SA Pacific Standard Time", nil, may), ("Central Standard Time (Mexico)", "MX", may),
            ("America/Ciudad_Juarez", "MX", january), (" Europe/Madrid ", "ES", may), ("UTC", nil, may),
        ]
        for (text, country, local) in asks + asks.reversed() + asks {
            let expected = try ZoneInput.resolve(text, country: country, near: local)
            let memoized = try memo.resolve(text, country: country, near: local)
            #expect(memoized.zone.id == expected.zone.id && memoized.kind == expected.kind, "\(text) \(country ?? "-")")
            #expect(memoized.warnings == expected.warnings, "\(text)")
        }
        #expect(try memo.resolve("UTC-5", country: "PE", near: may).kind == .offsetMatched(offset: -18000, country: "PE"))
        for _ in 0..<2 {
            #expect(throws: ZoneError.self) { try memo.resolve("Mars/Olympus_Mons", country: nil, near: may) }
        }
    }

    @Test(arguments: requiredZones)
    func vtimezoneCoversFromTheFirstEvent(zone id: String) throws {
        let zone = try Zone.named(id)
        let start = Instant(rfc3339: "2024-05-30T13:00:00Z")!
        let text = zone.vtimezone(from: start)
        #expect(text.hasPrefix("BEGIN:VTIMEZONE\r\nTZID:\(id)\r\n"))
        #expect(text.hasSuffix("END:VTIMEZONE\r\n"))
        // The observance in force at `start` must have an onset at or before it.
        let onsets = text.split(separator: "\r\n").filter { $0.hasPrefix("DTSTART:") }.map { String($0.dropFirst(8)) }
        let local = zone.localTime(at: start).basicFormat
        #expect(onsets.contains { $0 <= local }, "\(id): no observance starts before \(local)")
    }

    @Test func vtimezoneWritesWholeDayRulesExactly() throws {
        // Santiago's rule is "first Saturday at 24:00": the Sunday after, at midnight.
        let text = try Zone.named("America/Santiago").vtimezone(from: Instant(rfc3339: "2040-01-01T00:00:00Z")!)
        #expect(text.contains("RRULE:FREQ=YEARLY;BYMONTH=9;BYDAY=SU;BYMONTHDAY=2,3,4,5,6,7,8"))
        #expect(!text.contains("235959"))
    }
}
