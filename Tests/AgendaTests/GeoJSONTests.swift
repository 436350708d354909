import Foundation
import Testing

@testable import Agenda
@testable import AgendaFeeds
@testable import AgendaRecords

@Suite struct RecurrenceTests {
    /// RFC 5545 §3.8.5.3 examples (America/New_York), first occurrences.
    static let rfcExamples: [(String, String, [String])] = [
        ("19970902T090000", "FREQ=DAILY;COUNT=10",
         ["0902", "0903", "0904", "0905", "0906", "0907", "0908", "0909", "0910", "0911"]),
        ("19970902T090000", "FREQ=WEEKLY;COUNT=10",
         ["0902", "0909", "0916", "0923", "0930", "1007", "1014", "1021", "1028", "1104"]),
        ("19970901T090000", "FREQ=WEEKLY;INTERVAL=2;UNTIL=19971224T000000Z;WKST=SU;BYDAY=MO,WE,FR",
         ["0901", "0903", "0905", "0915", "0917", "0919", "0929", "1001", "1003", "1013", "1015", "1017", "1027", "1029",
          "1031", "1110", "1112", "1114", "1124", "1126", "1128", "1208", "1210", "1212", "1222"]),
        ("19970905T090000", "FREQ=MONTHLY;COUNT=10;BYDAY=1FR",
         ["0905", "1003", "1107", "1205", "0102", "0206", "0306", "0403", "0501", "0605"]),
        ("19970922T090000", "FREQ=MONTHLY;COUNT=6;BYDAY=-2MO", ["0922", "1020", "1117", "1222", "0119", "0216"]),
        ("19970930T090000", "FREQ=MONTHLY;COUNT=7;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1",
         ["0930", "1031", "1128", "1231", "0130", "0227", "0331"]),
        ("19970610T090000", "FREQ=YEARLY;COUNT=10;BYMONTH=6,7",
         ["0610", "0710", "0610", "0710", "0610", "0710", "0610", "0710", "0610", "0710"]),
        ("19970512T090000", "FREQ=YEARLY;COUNT=3;BYWEEKNO=20;BYDAY=MO", ["0512", "0511", "0517"]),
        ("19970519T090000", "FREQ=YEARLY;COUNT=3;BYDAY=20MO", ["0519", "0518", "0517"]),
        ("19970313T090000", "FREQ=YEARLY;COUNT=8;BYMONTH=3;BYDAY=TH",
         ["0313", "0320", "0327", "0305", "0312", "0319", "0326", "0304"]),
        ("19970902T090000", "FREQ=MONTHLY;COUNT=5;BYDAY=FR;BYMONTHDAY=13", ["0902", "0213", "0313", "1113", "0813"]),
        ("20070115T090000", "FREQ=MONTHLY;COUNT=5;BYMONTHDAY=15,30", ["0115", "0130", "0215", "0315", "0330"]),
    ]

    @Test(arguments: rfcExamples.indices)
    func rfc5545Examples(_ i: Int) throws {
        let (start, rule, expected) = Self.rfcExamples[i]
        let iso = String(start.prefix(4)) + "-" + start.dropFirst(4).prefix(2) + "-" + start.dropFirst(6).prefix(2) + "T09:00"
        var r = EventRecord(id: "r", defaultLanguage: "en", title: LocalizedText([("en", "R")]), timeZone: "America/New_York",
                            start: .dateTime(LocalDateTime(iso: iso)!))
        r.recurrence = Recurrence(rrule: rule)
        let zone = try Zone.named("America/New_York")
        let got = RecurrenceExpander().occurrences(of: r, zone: zone, until: Instant(rfc3339: "2010-01-01T00:00:00Z")!)
        #expect(got.map { String($0.date.basicFormat.suffix(4)) } == expected, "\(rule)")
        #expect(got.allSatisfy { $0.hour == 9 && $0.minute == 0 }, "wall time kept across DST")
    }

    @Test func exdatesRdatesAndWindow() throws {
        let clinic = try ICalendarWriterTests.event("ogw2024-madrid-clinica-datos")
        let got = RecurrenceExpander().occurrences(of: clinic.record, zone: clinic.zone, until: Instant(rfc3339: "2030-01-01T00:00:00Z")!)
        #expect(got.map(\.description) == ["2024-05-23T18:00:00", "2024-05-30T18:00:00", "2024-06-13T18:00:00", "2024-06-20T18:00:00", "2024-06-27T18:00:00"])
        let short = RecurrenceExpander().occurrences(of: clinic.record, zone: clinic.zone, until: Instant(rfc3339: "2024-06-01T00:00:00Z")!)
        #expect(short.count == 2)
        // An unbounded rule stops at the window, and at the hard cap whatever the window.
        var r = clinic.record
        r.recurrence = Recurrence(rrule: "FREQ=SECONDLY")
        let capped = RecurrenceExpander().occurrences(of: r, zone: clinic.zone, until: Instant(rfc3339: "2100-01-01T00:00:00Z")!)
        #expect(capped.count == RecurrenceExpander.maxOccurrences)
    }
}

@Suite struct GeoJSONTests {
    static func writer() throws -> GeoJSONWriter { GeoJSONWriter(options: try FeedTests.options()) }

    @Test(arguments: ["es", "en"])
    func caliForumGolden(language: String) throws {
        let cali = try ICalendarWriterTests.event("ogw2024-valle-participa")
        let w = try Self.writer()
        var box = GeoBox()
        box.include(cali.record.venue!.geo!)
        try expectGolden(w.collection(w.features(cali, language: language), bbox: box, language: language), "cali-forum.\(language).geojson")
    }

    @Test func featurePropertiesAndGeometry() throws {
        let cali = try ICalendarWriterTests.event("ogw2024-valle-participa")
        let text = try Self.writer().features(cali, language: "es")[0]
        let f = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(f["id"] as? String == "ogw2024-valle-participa")
        let g = try #require(f["geometry"] as? [String: Any])
        #expect(g["coordinates"] as? [Double] == [-76.54, 3.43], "GeoJSON is [lon, lat]")
        let p = try #require(f["properties"] as? [String: Any])
        #expect(p["start"] as? String == "2024-05-30T08:00:00-05:00")
        #expect(p["end"] as? String == "2024-05-30T11:30:00-05:00")
        #expect(p["when"] as? String == "jueves, 30 de mayo de 2024, 8:00–11:30 (hora estándar de Colombia)")
        #expect((p["title_i18n"] as? [String: String])?["en"] == "Open Government Forum: “Valle del Cauca participates at another level”")
        #expect(p["country"] as? String == "CO")
        #expect(p["categories"] as? String == "public-participation,seminar-panel")
        #expect((p["marker-color"] as? String)?.hasPrefix("#") == true)
        #expect(p["name"] as? String == p["title"] as? String)
        #expect(f["crs"] == nil)
    }

    /// The status and attendance mode are written as literals: they must be the schema's names
    /// (the raw values `RecordDecoder` reads), every one of them.
    @Test func vocabularyLiteralsAreTheSchemasNames() {
        for s in EventStatus.allCases { #expect("\(GeoJSONWriter.name(s))" == s.rawValue) }
        for m in AttendanceMode.allCases { #expect("\(GeoJSONWriter.name(m))" == m.rawValue) }
    }

    @Test func onlineRecurringAndSequences() throws {
        let w = try Self.writer()
        let online = try ICalendarWriterTests.event("ogw2024-kickoff-online")
        let feature = try #require(try JSONSerialization.jsonObject(with: Data(w.features(online, language: "en")[0].utf8)) as? [String: Any])
        #expect(feature["geometry"] is NSNull, "online-only events have geometry null")
        var hidden = w
        hidden.includeOnline = false
        #expect(hidden.features(online, language: "en").isEmpty)
        let clinic = try ICalendarWriterTests.event("ogw2024-madrid-clinica-datos")
        let occurrences = w.features(clinic, language: "es").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        #expect(occurrences.map { $0["id"] as? String } == ["ogw2024-madrid-clinica-datos@20240523T180000", "ogw2024-madrid-clinica-datos@20240530T180000",
                                                            "ogw2024-madrid-clinica-datos@20240613T180000", "ogw2024-madrid-clinica-datos@20240620T180000",
                                                            "ogw2024-madrid-clinica-datos@20240627T180000"])
        #expect((occurrences[2]["properties"] as? [String: Any])?["start"] as? String == "2024-06-13T18:00:00+02:00")
        #expect((occurrences[2]["properties"] as? [String: Any])?["end"] as? String == "2024-06-13T19:30:00+02:00")
        // RFC 8142: RS before each record, LF after it; in a collection, a comma before all but the first.
        func framing(sequence: Bool, first: Bool) -> [[UInt8]] {
            let (before, after) = GeoJSONWriter.framing(sequence: sequence, first: first)
            return [Array(before.utf8Bytes), Array(after.utf8Bytes)]
        }
        #expect(framing(sequence: true, first: true) == [[0x1E], [0x0A]])
        #expect(framing(sequence: true, first: false) == [[0x1E], [0x0A]])
        #expect(framing(sequence: false, first: true) == [[0x0A], []])
        #expect(framing(sequence: false, first: false) == [[0x2C, 0x0A], []])
    }

    @Test func swappedCoordinatesAreCaught() throws {
        var r = try ICalendarWriterTests.event("ogw2024-valle-participa").record
        r.venue?.geo = GeoPoint(latitude: -76.54, longitude: 3.43)  // in range, but in Antarctica
        let result = Scheduler().schedule(r, origin: RecordOrigin(file: "x.json", line: 3, index: 1))
        #expect(result.diagnostics.map(\.description) == [
            "x.json:3: warning: venue.geo: lat -76.54, lon 3.43 is outside CO but lat 3.43, lon -76.54 is inside: latitude and longitude look swapped; the position is left out of the outputs",
        ])
        r.venue?.geo = GeoPoint(latitude: 40.4, longitude: -3.7)  // Madrid, declared in Colombia
        let elsewhere = Scheduler().schedule(r, origin: RecordOrigin(file: "x.json", line: 3, index: 1))
        #expect(elsewhere.diagnostics.map(\.message) == ["lat 40.4, lon -3.7 is outside CO (venue.address.countryCode); check the coordinates; the position is left out of the outputs"])
        #expect(elsewhere.event?.position == nil && elsewhere.event?.positionSuspect == true)
        let suspect = try #require(elsewhere.event)
        #expect(!String(decoding: ICalendarWriter().calendar([suspect], language: "es"), as: UTF8.self).contains("GEO:"))
        #expect(try GeoJSONTests.writer().features(suspect, language: "es")[0].contains("\"geometry\": null"))
        // Every example venue is inside its country.
        for e in try ICalendarWriterTests.examples() { #expect(Scheduler.positionProblem(e.record, zoneID: e.zone.id) == nil, "\(e.record.id)") }
    }

    /// Natural Earth's 1:50m boxes leave Lord Howe Island out of Australia; the zone's own location
    /// (zone.tab) vouches for it, but not for a point far from it in the same zone.
    @Test func smallIslandsNearTheirZoneAreNotFlagged() throws {
        var r = try ICalendarWriterTests.event("ogw2024-valle-participa").record
        r.venue?.address?.countryCode = "AU"
        r.venue?.geo = GeoPoint(latitude: -31.53, longitude: 159.11)
        #expect(Scheduler.positionProblem(r, zoneID: "Australia/Lord_Howe") == nil)
        #expect(Scheduler.positionProblem(r, zoneID: "Australia/Sydney") != nil)
        r.venue?.geo = GeoPoint(latitude: -25.0, longitude: 165.0)  // open sea, 6° from Lord Howe
        #expect(Scheduler.positionProblem(r, zoneID: "Australia/Lord_Howe") != nil)
        let lordHowe = try #require(TimeZoneData.location(ofZone: "Australia/Lord_Howe"))
        #expect(abs(lordHowe.latitude - -31.55) < 0.01 && abs(lordHowe.longitude - 159.0833) < 0.01)
    }
}

/// Coordinates as text: the digit buffer against the plain String version it replaced.
@Suite struct CoordinateTextTests {
    static func reference(_ v: Double) -> String {
        let scaled = (abs(v) * 1_000_000).rounded()
        let whole = Int(scaled / 1_000_000)
        var frac = String(Int(scaled.truncatingRemainder(dividingBy: 1_000_000)))
        frac = String(repeating: "0", count: 6 - frac.count) + frac
        while frac.hasSuffix("0") { frac.removeLast() }
        let sign = v < 0 && scaled != 0 ? "-" : ""
        return sign + String(whole) + (frac.isEmpty ? "" : "." + frac)
    }

    @Test func matchesTheStringVersion() {
        var seed: UInt64 = 11
        var values: [Double] = [0, -0.0, 3.43, -76.54, 180, -180, 90, -90, 0.0000004, -0.0000004, 0.0000005, -0.0000005,
                                1e-7, 179.9999995, -179.9999995, 4.66308, -74.14967, 12_345_678.9]
        for _ in 0..<20_000 {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            values.append((Double(seed >> 11) / Double(1 << 53)) * 360 - 180)
        }
        for v in values { #expect(GeoPoint.text(v) == Self.reference(v), "\(v)") }
    }
}
