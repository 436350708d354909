import Foundation
import Testing

@testable import Agenda

/// Every diagnostic path, with its exact message.
@Suite struct DiagnosticTests {
    /// A valid record (one line, so every message is on line 1) with `extra` merged in.
    static func record(_ extra: String = "", drop: [String] = []) -> String {
        var fields: [(String, String)] = [
            ("schemaVersion", "1"), ("id", "\"e1\""), ("defaultLanguage", "\"es\""), ("title", "{\"es\": \"T\"}"),
            ("timeZone", "\"America/Bogota\""), ("start", "\"2024-05-30T08:00\""), ("end", "\"2024-05-30T11:30\""),
            ("venue", "{\"name\": {\"es\": \"V\"}}"),
        ]
        fields.removeAll { drop.contains($0.0) }
        let body = fields.map { "\"\($0.0)\": \($0.1)" }.joined(separator: ", ")
        return "{" + body + (extra.isEmpty ? "" : ", " + extra) + "}"
    }

    static let cases: [(String, String, [String])] = [
        ("missing id", record(drop: ["id"]), ["x.json:1: id: required field is missing"]),
        ("bad id", record().replacingOccurrences(of: "\"e1\"", with: "\"a b\""),
         ["x.json:1: id: 'a b' is not a valid id (1–128 of A–Z a–z 0–9 . _ ~ -)"]),
        ("schema version", record().replacingOccurrences(of: "\"schemaVersion\": 1", with: "\"schemaVersion\": 2"),
         ["x.json:1: schemaVersion: 2 is not supported (only 1)"]),
        ("lat out of range", record().replacingOccurrences(of: "{\"name\": {\"es\": \"V\"}}", with: "{\"name\": {\"es\": \"V\"}, \"geo\": {\"lat\": 191.2, \"lon\": 0}}"),
         ["x.json:1: venue.geo.lat: 191.2 is out of range (-90…90)"]),
        ("lon out of range", record().replacingOccurrences(of: "{\"name\": {\"es\": \"V\"}}", with: "{\"name\": {\"es\": \"V\"}, \"geo\": {\"lat\": 1, \"lon\": -181}}"),
         ["x.json:1: venue.geo.lon: -181 is out of range (-180…180)"]),
        ("end before start", record().replacingOccurrences(of: "11:30", with: "07:00"),
         ["x.json:1: end: 2024-05-30T07:00:00 is before start 2024-05-30T08:00:00"]),
        ("unknown zone", record().replacingOccurrences(of: "America/Bogota", with: "America/Nowhere"),
         ["x.json:1: timeZone: unknown time zone 'America/Nowhere' (tz data \(TimeZoneData.version))"]),
        ("default language missing", record().replacingOccurrences(of: "{\"es\": \"V\"}", with: "{\"en\": \"V\"}"),
         ["x.json:1: venue.name: has no text in the default language 'es' (has en)"]),
        ("bad language tag", record().replacingOccurrences(of: "{\"es\": \"T\"}", with: "{\"es\": \"T\", \"español\": \"T\"}"),
         ["x.json:1: title: 'español' is not a valid BCP 47 language tag"]),
        ("wrong type", record("\"sequence\": \"1\""), ["x.json:1: sequence: expected a number, found a string ('1')"]),
        ("negative sequence", record("\"sequence\": -1"), ["x.json:1: sequence: -1 is below the minimum (0)"]),
        ("unknown status", record("\"status\": \"done\""),
         ["x.json:1: status: 'done' is not one of scheduled, tentative, cancelled, postponed, rescheduled, movedOnline"]),
        ("date for timed", record().replacingOccurrences(of: "\"2024-05-30T08:00\"", with: "\"2024-05-30\""),
         ["x.json:1: start: expected a local date-time (YYYY-MM-DDThh:mm), found the date '2024-05-30' (set allDay: true for all-day events)"]),
        ("offset in start", record().replacingOccurrences(of: "\"2024-05-30T08:00\"", with: "\"2024-05-30T08:00-05:00\""),
         ["x.json:1: start: '2024-05-30T08:00-05:00' has an offset; write the local wall time and give the zone in timeZone"]),
        ("time for all-day", record("\"allDay\": true"),
         ["x.json:1: start: expected a date (YYYY-MM-DD) for an all-day event, found '2024-05-30T08:00'",
          "x.json:1: end: expected a date (YYYY-MM-DD) for an all-day event, found '2024-05-30T11:30'"]),
        ("impossible date", record().replacingOccurrences(of: "\"2024-05-30T08:00\"", with: "\"2024-02-30T08:00\""),
         ["x.json:1: start: '2024-02-30T08:00' is not a valid local date-time (YYYY-MM-DDThh:mm[:ss])"]),
        ("online needs url", record("\"attendanceMode\": \"online\""),
         ["x.json:1: online: required for attendanceMode 'online' (the URL to join)"]),
        ("offline needs venue", record(drop: ["venue"]), ["x.json:1: venue: required for attendanceMode 'offline'"]),
        ("postponed needs previousStart", record("\"status\": \"postponed\""),
         ["x.json:1: previousStart: required for status 'postponed'"]),
        ("bad url", record("\"url\": \"ftp://x\""), ["x.json:1: url: 'ftp://x' is not an http(s) or mailto URI"]),
        ("scheme in capitals", record("\"url\": \"HTTPS://Example.org/e1\", \"source\": {\"url\": \"MailTo:a@b.co\"}"), []),
        ("scheme alone", record("\"url\": \"https:/\""), ["x.json:1: url: 'https:/' is not an http(s) or mailto URI"]),
        ("not quite a scheme", record("\"url\": \"httpx://example.org\""), ["x.json:1: url: 'httpx://example.org' is not an http(s) or mailto URI"]),
        ("zone with spaces", record().replacingOccurrences(of: "\"America/Bogota\"", with: "\"  \""), ["x.json:1: timeZone: the zone is empty"]),
        ("bad email", record("\"organizer\": {\"name\": {\"es\": \"O\"}, \"email\": \"nobody\"}"),
         ["x.json:1: organizer.email: 'nobody' is not an email address"]),
        ("bad slug", record("\"categories\": [{\"slug\": \"Mal Slug\", \"label\": {\"es\": \"L\"}}]"),
         ["x.json:1: categories[0].slug: 'Mal Slug' is not a slug (lower-case letters and digits joined by single hyphens)"]),
        ("slug edges", record("\"categories\": [{\"slug\": \"-a\", \"label\": {\"es\": \"L\"}}, {\"slug\": \"a--b\", \"label\": {\"es\": \"L\"}}, {\"slug\": \"b-\", \"label\": {\"es\": \"L\"}}, {\"slug\": \"ok-2-c\", \"label\": {\"es\": \"L\"}}]"),
         ["x.json:1: categories[0].slug: '-a' is not a slug (lower-case letters and digits joined by single hyphens)",
          "x.json:1: categories[1].slug: 'a--b' is not a slug (lower-case letters and digits joined by single hyphens)",
          "x.json:1: categories[2].slug: 'b-' is not a slug (lower-case letters and digits joined by single hyphens)"]),
        ("bad rrule", record("\"recurrence\": {\"rrule\": \"FREQ=WEEKLY;BYDAY=XX\"}"),
         ["x.json:1: recurrence.rrule: BYDAY=XX: 'XX' is not a weekday"]),
        ("rrule injection", record("\"recurrence\": {\"rrule\": \"FREQ=DAILY\\r\\nATTENDEE:x\"}"),
         ["x.json:1: recurrence.rrule: the rule may hold only printable ASCII without spaces"]),
        ("local UNTIL", record("\"recurrence\": {\"rrule\": \"FREQ=DAILY;UNTIL=20240601T000000\"}"),
         ["x.json:1: recurrence.rrule: UNTIL=20240601T000000 must be a UTC date-time (YYYYMMDDThhmmssZ)"]),
        ("country code", record().replacingOccurrences(of: "{\"name\": {\"es\": \"V\"}}", with: "{\"name\": {\"es\": \"V\"}, \"address\": {\"countryCode\": \"col\"}}"),
         ["x.json:1: venue.address.countryCode: 'col' is not an ISO 3166-1 alpha-2 code (e.g. CO)"]),
        ("updated not UTC", record("\"updated\": \"2024-05-20T10:00:00-05:00\""),
         ["x.json:1: updated: '2024-05-20T10:00:00-05:00' is not a UTC instant (RFC 3339 ending in Z, e.g. 2024-05-20T15:00:00Z)"]),
        ("duplicate field", record("\"id\": \"e2\""), ["x.json:1: id: the field appears twice"]),
        ("escaped key", record().replacingOccurrences(of: "\"title\"", with: "\"ti\\u0074le\""), []),
        ("escaped key twice", record("\"ti\\u0074le\": {\"es\": \"U\"}"), ["x.json:1: title: the field appears twice"]),
        ("unknown field", record("\"colour\": \"red\""), ["x.json:1: warning: colour: unknown field; ignored"]),
        ("empty text", record().replacingOccurrences(of: "{\"es\": \"T\"}", with: "{\"es\": \"\"}"),
         ["x.json:1: title.es: the text is empty"]),
        ("lone surrogate", record().replacingOccurrences(of: "{\"es\": \"T\"}", with: "{\"es\": \"T\\ud800\"}"),
         ["x.json:1: title.es: the text is not valid UTF-8 (or holds a lone surrogate)"]),
        ("gap", record().replacingOccurrences(of: "America/Bogota", with: "Europe/Madrid").replacingOccurrences(of: "2024-05-30T08:00", with: "2025-03-30T02:30").replacingOccurrences(of: "2024-05-30T11:30", with: "2025-03-30T05:00"),
         ["x.json:1: warning: start: 2025-03-30T02:30:00 does not exist in Europe/Madrid (clocks move forward); read as 2025-03-30T03:30:00 (+02:00) as RFC 5545 prescribes"]),
        ("overlap", record().replacingOccurrences(of: "America/Bogota", with: "Europe/Madrid").replacingOccurrences(of: "2024-05-30T08:00", with: "2025-10-26T02:30").replacingOccurrences(of: "2024-05-30T11:30", with: "2025-10-26T05:00"),
         ["x.json:1: warning: start: 2025-10-26T02:30:00 occurs twice in Europe/Madrid (clocks move back); the first occurrence (+02:00) is used"]),
    ]

    @Test(arguments: cases.indices)
    func exactMessages(_ index: Int) throws {
        let (name, json, expected) = Self.cases[index]
        let dir = try temporaryDirectory("diag\(index)")
        try write(json, to: dir + "/x.json")
        let summary = try Exporter.validate([RecordReader(path: dir + "/x.json")], strict: false)
        let messages = summary.diagnostics.map { $0.description.replacingOccurrences(of: dir + "/", with: "") }
        #expect(messages == expected, "\(name)")
        let isError = expected.contains { !$0.contains(": warning: ") }
        #expect(summary.recordsRejected == (isError ? 1 : 0), "\(name)")
    }

    @Test func csvRowsAreNamedByLine() throws {
        let csv = "schemaVersion,id,defaultLanguage,title.es,timeZone,start,venue.name.es,venue.geo.lat,venue.geo.lon,colour\n"
            + "1,ok,es,T,America/Bogota,2024-05-30T08:00,V,3.4,-76.5,red\n"
            + "1,\"two\nlines\",es,T,America/Bogota,2024-05-30T08:00,V,3.4,-76.5,red\n"
            + "1,bad,es,T,America/Bogota,2024-05-30T08:00,V,191.2,-76.5,red\n"
            + "1,extra,es,T,America/Bogota,2024-05-30T08:00,V,3.4,-76.5,red,more\n"
            + "1,nan,es,T,America/Bogota,2024-05-30T08:00,V,NaN,-76.5,red\n"
        let r = try load(text: csv, name: "events.csv")
        #expect(r.diagnostics == [
            "events.csv:1: warning: colour: column 10 'colour' is not a field of the event record; the column is ignored",
            "events.csv:3: id: 'two\\nlines' is not a valid id (1–128 of A–Z a–z 0–9 . _ ~ -)",
            "events.csv:5: venue.geo.lat: 191.2 is out of range (-90…90)",
            "events.csv:6: row has 11 cells but the header names 10 columns; the record is skipped",
            "events.csv:7: venue.geo.lat: 'NaN' is not a finite number",
        ])
        #expect(r.records.map(\.id) == ["ok"])
    }

    @Test func duplicateIdsFirstWins() throws {
        let dir = try temporaryDirectory()
        try write("[" + DiagnosticTests.record() + ",\n" + DiagnosticTests.record() + "]", to: dir + "/d.json")
        let summary = try Exporter.validate([RecordReader(path: dir + "/d.json")], strict: false)
        #expect(summary.diagnostics.map { $0.description.replacingOccurrences(of: dir + "/", with: "") } == [
            "d.json:2: id: duplicate id 'e1' (first used by record 1 of d.json); this record is skipped",
        ])
        #expect(summary.recordsAccepted == 1 && summary.recordsRejected == 1)

        // Across inputs, and two records on one line: the first is the one written, in one pass
        // and in two (where the second pass must recognise the very record the first accepted).
        let a = DiagnosticTests.record(), b = DiagnosticTests.record().replacingOccurrences(of: "\"e1\"", with: "\"e2\"")
        try write("[" + b + ", " + a.replacingOccurrences(of: "\"T\"", with: "\"Segundo\"") + "]", to: dir + "/e.json")
        let inputs = [try RecordReader(path: dir + "/d.json"), try RecordReader(path: dir + "/e.json")]
        let both = try Exporter.validate(inputs, strict: false)
        #expect(both.diagnostics.map { $0.description.replacingOccurrences(of: dir + "/", with: "") } == [
            "d.json:2: id: duplicate id 'e1' (first used by record 1 of d.json); this record is skipped",
            "e.json:1: id: duplicate id 'e1' (first used by record 1 of d.json); this record is skipped",
        ])
        for languages in [nil, ["es"]] as [[String]?] {
            var options = ExportOptions(outputDirectory: dir + "/out-\(languages == nil)", formats: [.ics])
            options.languages = languages
            options.timestamp = languages.map { _ in Instant(secondsSince1970: 1_700_000_000) }
            _ = try Exporter(options: options).run(inputs)
            let ics = try String(contentsOfFile: options.outputDirectory + "/all.es.ics", encoding: .utf8)
            #expect(ics.components(separatedBy: "BEGIN:VEVENT").count - 1 == 2)
            #expect(!ics.contains("Segundo"))
        }
    }

    @Test func syntaxErrorsKeepTheRecordsBefore() throws {
        let dir = try temporaryDirectory()
        let good = DiagnosticTests.record()
        try write("[\n" + good + ",\n" + good.replacingOccurrences(of: "e1", with: "e2") + ",\n{\"id\": ", to: dir + "/t.json")
        let summary = try Exporter.validate([RecordReader(path: dir + "/t.json")], strict: false)
        #expect(summary.recordsAccepted == 2)
        #expect(summary.diagnostics.map { $0.description.replacingOccurrences(of: dir + "/", with: "") } == [
            "t.json:4: JSON syntax error: unexpected end of input; the 2 record(s) before it were read, nothing after it",
        ])
        #expect(summary.exitCode == 1)
        // JSON Lines: a bad line does not stop the next ones.
        try write(good + "\n{broken\n" + good.replacingOccurrences(of: "e1", with: "e3") + "\n", to: dir + "/t.jsonl")
        let lines = try Exporter.validate([RecordReader(path: dir + "/t.jsonl")], strict: false)
        #expect(lines.recordsAccepted == 2 && lines.recordsRejected == 1)
        #expect(lines.diagnostics.first?.description.hasSuffix("t.jsonl:2: JSON syntax error: expected a member name in double quotes") == true)
    }

    @Test func deepNestingIsAnErrorNotACrash() throws {
        let dir = try temporaryDirectory()
        try write(String(repeating: "[", count: 100_000), to: dir + "/deep.json")
        let summary = try Exporter.validate([RecordReader(path: dir + "/deep.json")], strict: false)
        #expect(summary.diagnostics.first?.message == "JSON syntax error: nesting deeper than 64 levels")
    }

    @Test func strictTurnsWarningsIntoErrors() throws {
        let dir = try temporaryDirectory()
        try write(DiagnosticTests.record("\"colour\": \"red\""), to: dir + "/s.json")
        let lenient = try Exporter.validate([RecordReader(path: dir + "/s.json")], strict: false)
        #expect(lenient.exitCode == 0 && lenient.recordsAccepted == 1)
        let strict = try Exporter.validate([RecordReader(path: dir + "/s.json")], strict: true)
        #expect(strict.exitCode == 1 && strict.recordsRejected == 1)
        #expect(strict.diagnostics.first?.description.hasSuffix("s.json:1: colour: unknown field; ignored (--strict)") == true)
    }

    @Test func exitCodesOfTheCommand() throws {
        let dir = try temporaryDirectory()
        try write("[" + DiagnosticTests.record() + "]", to: dir + "/good.json")
        try write("[" + DiagnosticTests.record() + ",\n" + DiagnosticTests.record("\"sequence\": -1").replacingOccurrences(of: "e1", with: "e2") + "]", to: dir + "/mixed.json")
        let ok = try run(Paths.agendaBinary, ["export", dir + "/good.json", "--output", dir + "/out1"])
        #expect(ok.status == 0, "\(ok.err)")
        let mixed = try run(Paths.agendaBinary, ["export", dir + "/mixed.json", "--output", dir + "/out2"])
        #expect(mixed.status == 1)
        #expect(mixed.err.contains("mixed.json:2: sequence: -1 is below the minimum (0)"))
        #expect(FileManager.default.fileExists(atPath: dir + "/out2/all.es.ics"), "valid records are still exported")
        let missing = try run(Paths.agendaBinary, ["export", dir + "/nope.json", "--output", dir + "/out3"])
        #expect(missing.status == 2)
        #expect(missing.err.contains("nope.json: no such readable file"))
        let usage = try run(Paths.agendaBinary, ["export", dir + "/good.json"])
        #expect(usage.status == 2)
        let format = try run(Paths.agendaBinary, ["export", dir + "/good.json", "--output", dir + "/o", "--formats", "pdf"])
        #expect(format.status == 2)
        let stdin = try run(Paths.agendaBinary, ["validate", "-", "--format", "json"], stdin: DiagnosticTests.record())
        #expect(stdin.status == 0, "\(stdin.err)")
        let version = try run(Paths.agendaBinary, ["--version"])
        #expect(version.out.contains("tz data \(TimeZoneData.version) from /usr/share/zoneinfo"))
        #expect(version.out.contains("ICU \(TimeZoneData.icuVersion)"))
    }
}

@Suite struct SchemaCoverageTests {
    /// A record that uses every field of the schema decodes with every value in place.
    @Test func everyFieldDecodes() throws {
        let json = #"""
        {"schemaVersion": 1, "id": "all.fields_1~x", "sequence": 3, "status": "rescheduled",
         "previousStart": "2024-05-21T09:00", "defaultLanguage": "es",
         "title": {"es": "Título", "en": "Title"}, "summary": {"es": "Resumen"}, "description": {"es": "<p>Hola</p>"},
         "descriptionFormat": "html", "url": "https://example.org/e", "localizedUrls": {"en": "https://example.org/en/e"},
         "timeZone": "Europe/Madrid", "allDay": false, "start": "2024-05-28T09:00:30", "end": "2024-05-28T12:00",
         "recurrence": {"rrule": "FREQ=MONTHLY;BYDAY=-1TU;UNTIL=20241231T235959Z;WKST=MO", "rdates": ["2025-01-07T09:00"], "exdates": ["2024-07-30T09:00"]},
         "attendanceMode": "mixed",
         "online": {"url": "https://example.org/join", "label": {"es": "Entrar"}, "features": ["audio", "video", "chat", "screen", "phone"]},
         "venue": {"id": "v1", "name": {"es": "Sala"}, "room": {"es": "2"}, "url": "https://example.org/v",
                   "address": {"street": "Calle 1", "locality": "Madrid", "region": "Madrid", "regionCode": "ES-MD", "postalCode": "28001", "countryCode": "ES"},
                   "geo": {"lat": 40.4, "lon": -3.7, "accuracyMeters": 10}},
         "organizer": {"kind": "person", "name": {"es": "Ana"}, "url": "https://example.org/ana", "email": "ana@example.org"},
         "partners": [{"name": {"es": "Socio"}}],
         "categories": [{"slug": "a-1", "label": {"es": "Uno"}, "scheme": "s"}],
         "keywords": ["k1", "k2"],
         "images": [{"url": "https://example.org/i.png", "alt": {"es": "Alt"}, "mediaType": "image/png", "width": 10, "height": 20, "bytes": 30}],
         "attachments": [{"url": "https://example.org/a.pdf", "title": {"es": "Doc"}, "mediaType": "application/pdf", "language": "es", "bytes": 40}],
         "offers": {"isAccessibleForFree": false, "price": "12.50", "currency": "EUR", "url": "https://example.org/t", "availability": "InStock", "validFrom": "2024-05-01T00:00:00Z"},
         "created": "2024-05-01T00:00:00Z", "updated": "2024-05-02T00:00:00Z",
         "source": {"platform": "p", "url": "https://example.org/s", "retrieved": "2024-05-03T00:00:00Z"}}
        """#
        let (records, diagnostics) = try load(text: json, name: "all.json")
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        let r = try #require(records.first)
        #expect(r.sequence == 3 && r.status == .rescheduled && r.previousStart == .dateTime(LocalDateTime(iso: "2024-05-21T09:00")!))
        #expect(r.descriptionFormat == .html && r.localizedURLs.map(\.url) == ["https://example.org/en/e"])
        #expect(r.start == .dateTime(LocalDateTime(iso: "2024-05-28T09:00:30")!))
        #expect(r.recurrence == Recurrence(rrule: "FREQ=MONTHLY;BYDAY=-1TU;UNTIL=20241231T235959Z;WKST=MO",
                                           rdates: [.dateTime(LocalDateTime(iso: "2025-01-07T09:00")!)],
                                           exdates: [.dateTime(LocalDateTime(iso: "2024-07-30T09:00")!)]))
        #expect(r.attendanceMode == .mixed && r.online?.features.count == 5 && r.online?.label != nil)
        #expect(r.venue?.id == "v1" && r.venue?.url == "https://example.org/v" && r.venue?.address?.postalCode == "28001")
        #expect(r.venue?.geo?.accuracyMeters == 10)
        #expect(r.organizer?.kind == .person && r.organizer?.email == "ana@example.org")
        #expect(r.partners.count == 1 && r.keywords == ["k1", "k2"])
        #expect(r.images.first?.width == 10 && r.images.first?.bytes == 30 && r.images.first?.alt != nil)
        #expect(r.attachments.first?.language == "es" && r.attachments.first?.bytes == 40)
        #expect(r.offers?.price == "12.50" && r.offers?.availability == "InStock" && r.offers?.validFrom != nil)
        #expect(r.source?.retrieved == "2024-05-03T00:00:00Z")
        // And it exports: every feature in one calendar.
        let e = schedule(records)
        let ics = ICalendarWriter().calendar(e, language: "en")
        let lines = ICSParser.events(ics)[0]
        for name in ["RRULE", "RDATE", "EXDATE", "CONFERENCE", "IMAGE", "ATTACH", "GEO", "URL", "ORGANIZER", "CATEGORIES"] {
            #expect(lines.first(name) != nil, "\(name)")
        }
        #expect(lines.first("URL")?.value == "https://example.org/en/e")
        let description = ICSParser.unescape(lines.first("DESCRIPTION")?.value ?? "")
        #expect(description.hasPrefix("Rescheduled (previously: "))
    }

    @Test func zonesCommandExplainsEachEvent() throws {
        let out = try run(Paths.agendaBinary, ["zones", Paths.examples + "/open-gov-week-2024.json"])
        #expect(out.status == 0, "\(out.err)")
        #expect(out.out.hasPrefix("tz data \(TimeZoneData.version) from /usr/share/zoneinfo"))
        #expect(out.out.contains("  start     2024-05-30T08:00:00 → 2024-05-30T08:00:00 -05:00 = 2024-05-30T13:00:00Z"))
        #expect(out.out.contains("  decision  Asia/Calcutta is a link to Asia/Kolkata; kept as written, rules of Asia/Kolkata"))
        #expect(out.out.contains("  start     2024-05-22T10:00:00 → 2024-05-22T10:00:00 -06:00 = 2024-05-22T16:00:00Z"), "Mexico City has no DST since 2022")
        #expect(out.out.contains("2024-05-20T08:30:00 → 2024-05-20T08:30:00 -04:00 = 2024-05-20T12:30:00Z"), "Asunción in May 2024")
    }
}
