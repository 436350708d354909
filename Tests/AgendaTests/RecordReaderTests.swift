import Foundation
import Testing

@testable import Agenda

@Suite struct RecordReaderTests {
    static let cali = """
        {"schemaVersion": 1, "id": "cali", "defaultLanguage": "es", "title": {"es": "Foro"},
         "timeZone": "America/Bogota", "start": "2024-05-30T08:00", "end": "2024-05-30T11:30",
         "venue": {"name": {"es": "Biblioteca"}, "geo": {"lat": 3.43, "lon": -76.54}}}
        """

    @Test func theSpecExampleLoadsWithEveryField() throws {
        try #require(Paths.hasShared)
        let (records, diagnostics) = try load(Paths.shared + "/spec/example-cali-forum.json")
        #expect(diagnostics.isEmpty)
        let r = try #require(records.first)
        #expect(r.id == "ogw2024-valle-participa")
        #expect(r.title.text("es", fallback: "es") == "Foro Gobierno Abierto: “El Valle del Cauca participa a otro nivel”")
        #expect(r.title.text("fr", fallback: "es") == r.title.text("es", fallback: "es"))
        #expect(r.timeZone == "America/Bogota")
        #expect(r.start == .dateTime(LocalDateTime(iso: "2024-05-30T08:00")!))
        #expect(r.end == .dateTime(LocalDateTime(iso: "2024-05-30T11:30")!))
        #expect(r.venue?.geo == GeoPoint(latitude: 3.43, longitude: -76.54, accuracyMeters: 2000))
        #expect(r.venue?.address?.regionCode == "CO-VAC")
        #expect(r.venue?.room?.text("es", fallback: "es") == "Auditorio Jorge Isaacs")
        #expect(r.organizer?.name.text("en", fallback: "es") == "Valle del Cauca Government, General Secretariat")
        #expect(r.categories.map(\.slug) == ["public-participation", "seminar-panel"])
        #expect(r.categories[0].scheme == "ogp-theme")
        #expect(r.keywords == ["Open Gov Week", "gobierno abierto", "OGP"])
        #expect(r.offers?.isAccessibleForFree == true)
        #expect(r.created == Instant(rfc3339: "2024-05-20T15:00:00Z"))
        #expect(r.source?.platform == "opengovweek.org")
        #expect(r.languages == ["es", "en"])
        // The same record is part of the Examples set.
        let set = try load(Paths.examples + "/open-gov-week-2024.json").records
        #expect(set.first == r)
    }

    /// The CSV copy of the Examples (`;`, BOM, CRLF) decodes to exactly the JSON records.
    @Test func csvExamplesEqualTheJSON() throws {
        let json = try load(Paths.examples + "/open-gov-week-2024.json")
        let csv = try load(Paths.examples + "/open-gov-week-2024.csv")
        #expect(json.diagnostics.isEmpty)
        #expect(csv.diagnostics.isEmpty, "\(csv.diagnostics)")
        #expect(csv.records.count == json.records.count)
        for (a, b) in zip(csv.records, json.records) { #expect(a == b, "\(a.id)") }
    }

    @Test func examplesCoverTheBrief() throws {
        let records = try load(Paths.examples + "/open-gov-week-2024.json").records
        #expect((15...30).contains(records.count))
        #expect(Set(records.compactMap { $0.venue?.address?.countryCode }).count >= 8)
        #expect(Set(records.map(\.timeZone)).count >= 6)
        #expect(records.contains { $0.allDay })
        #expect(records.contains { $0.status == .cancelled })
        #expect(records.contains { $0.attendanceMode == .online })
        #expect(records.contains { $0.attendanceMode == .mixed })
        #expect(records.contains { $0.recurrence?.rrule != nil })
        let text = records.flatMap { $0.title.entries.map(\.text) }.joined()
        #expect(text.contains("ñ") || records.contains { ($0.summary?.entries ?? []).contains { $0.text.contains("ñ") } })
        #expect(text.contains("“") && text.contains("á"))
    }

    @Test func jsonLinesYamlAndCsvReadTheSameRecord() throws {
        let jsonl = try load(text: Self.cali.replacingOccurrences(of: "\n", with: " ") + "\n\n" + Self.cali.replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "\"cali\"", with: "\"cali2\""), name: "a.jsonl")
        #expect(jsonl.records.map(\.id) == ["cali", "cali2"])
        let yaml = try load(text: """
            - schemaVersion: 1
              id: cali
              defaultLanguage: es
              title: {es: Foro}
              timeZone: America/Bogota
              start: 2024-05-30T08:00
              end: 2024-05-30T11:30
              venue:
                name: {es: Biblioteca}
                geo: {lat: 3.43, lon: -76.54}
            """, name: "a.yaml")
        #expect(yaml.diagnostics.isEmpty, "\(yaml.diagnostics)")
        let json = try load(text: Self.cali, name: "a.json")
        #expect(yaml.records == json.records)
        #expect(jsonl.records.first == json.records.first)
        let csv = "schemaVersion,id,defaultLanguage,title.es,timeZone,start,end,venue.name.es,venue.geo.lat,venue.geo.lon\r\n"
            + "1,cali,es,Foro,America/Bogota,2024-05-30T08:00,2024-05-30T11:30,Biblioteca,3.43,-76.54\r\n"
        let commas = try load(text: csv, name: "a.csv")
        #expect(commas.records == json.records)
        let semicolons = try load(text: "\u{FEFF}" + csv.replacingOccurrences(of: ",", with: ";"), name: "b.csv")
        #expect(semicolons.records == json.records, "\(semicolons.diagnostics)")
        let multiDoc = try load(text: "---\nschemaVersion: 1\nid: a\ndefaultLanguage: en\ntitle: {en: A}\ntimeZone: UTC\nstart: '2024-01-01'\nallDay: true\nvenue: {name: {en: X}}\n---\nschemaVersion: 1\nid: b\ndefaultLanguage: en\ntitle: {en: B}\ntimeZone: UTC\nstart: 2024-01-02\nallDay: true\nvenue: {name: {en: Y}}\n", name: "m.yaml")
        #expect(multiDoc.records.map(\.id) == ["a", "b"], "\(multiDoc.diagnostics)")
        #expect(multiDoc.records.last?.start == .date(CivilDate(iso: "2024-01-02")!))
    }

    @Test func csvQuotingListsAndIndexes() throws {
        let csv = #"""
            schemaVersion;id;defaultLanguage;title.es;description.es;timeZone;start;venue.name.es;keywords;categories.0.slug;categories.0.label.es;categories.1.slug;categories.1.label.es;recurrence.rrule;recurrence.exdates
            1;q;es;"Título; con ""comillas""";"Línea 1
            Línea 2";Europe/Madrid;2024-05-23T18:00;Sala;a | b|c;uno;Uno;dos;"Dos, tres";"FREQ=WEEKLY;COUNT=3";2024-05-30T18:00|2024-06-06T18:00
            """#
        let r = try load(text: csv, name: "q.csv")
        #expect(r.diagnostics.isEmpty, "\(r.diagnostics)")
        let rec = try #require(r.records.first)
        #expect(rec.title.text("es", fallback: "es") == "Título; con \"comillas\"")
        #expect(rec.description?.text("es", fallback: "es") == "Línea 1\nLínea 2")
        #expect(rec.keywords == ["a", "b", "c"])
        #expect(rec.categories.map(\.slug) == ["uno", "dos"])
        #expect(rec.categories[1].label.text("es", fallback: "es") == "Dos, tres")
        #expect(rec.recurrence?.exdates.count == 2)
    }

    @Test func nfdTextIsNormalizedAndTagsCanonicalized() throws {
        let r = try load(text: Self.cali.replacingOccurrences(of: "\"es\": \"Foro\"", with: "\"es\": \"Bogota\\u0301\", \"en_us\": \"Bogota\"")
            .replacingOccurrences(of: "\"defaultLanguage\": \"es\"", with: "\"defaultLanguage\": \"ES\""), name: "n.json")
        let rec = try #require(r.records.first, "\(r.diagnostics)")
        #expect(Array(rec.title.text("es", fallback: "es").unicodeScalars) == Array("Bogotá".unicodeScalars))
        #expect(rec.title.languages == ["es", "en-US"])
        #expect(rec.defaultLanguage == "es")
    }

    @Test func streamingReadsLargeArraysWithoutLoadingThemWhole() throws {
        // 3,000 records through a 64 KiB buffer: records cross chunk boundaries everywhere.
        let dir = try temporaryDirectory()
        let path = dir + "/big.json"
        var text = "[\n"
        for i in 0..<3000 {
            text += Self.cali.replacingOccurrences(of: "\"cali\"", with: "\"e\(i)\"") + (i < 2999 ? ",\n" : "\n")
        }
        try write(text + "]\n", to: path)
        var count = 0
        var lastLine = 0
        try RecordReader(path: path).read { e in
            if case .record(let raw) = e {
                count += 1
                #expect(raw.node.line > lastLine)
                lastLine = raw.node.line
            }
        }
        #expect(count == 3000)
        #expect(lastLine == 2 + 2999 * 3)
    }

    /// A directory given as input is refused by name, as unreadable (exit code 2), rather than
    /// read as an empty file: its read(2) fails, and a failed read once looked like the end.
    @Test func aDirectoryIsUnreadableInput() throws {
        let dir = try temporaryDirectory() + "/events.jsonl"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        #expect {
            try RecordReader(path: dir).read { (_: ReadEvent) in }
        } throws: { error in
            guard case InputError.unreadable(let path, let reason) = error else { return false }
            return path == dir && reason == "it is a directory"
        }
    }

    /// An origin keeps its file as a number (`InputName`): equal names give equal origins,
    /// however they were made, and the name comes back as written.
    @Test func originsNameTheirFile() {
        let a = RecordOrigin(file: "events-100000.jsonl", line: 3, index: 2)
        let b = RecordOrigin(input: InputName("events-100000.jsonl"), line: 3, index: 2)
        #expect(a == b && a.hashValue == b.hashValue)
        #expect(a.file == "events-100000.jsonl" && b.input.description == "events-100000.jsonl")
        var c = a
        c.file = "otros eventos.jsonl"
        #expect(c != a && c.file == "otros eventos.jsonl" && a.file == "events-100000.jsonl")
        #expect(InputName("x.jsonl") != InputName("y.jsonl") && InputName("x.jsonl") == InputName("x.jsonl"))
        #expect(a.diagnostic(.error, field: "start", "bad").description.hasPrefix("events-100000.jsonl:3"))
    }
}
