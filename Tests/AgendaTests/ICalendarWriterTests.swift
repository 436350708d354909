import Foundation
import Testing

@testable import Agenda

@Suite struct ICalendarWriterTests {
    static func examplesOptions() throws -> ICalendarOptions { try exportOptions().calendar }

    static func exportOptions() throws -> ExportOptions {
        var options = ExportOptions(outputDirectory: "")
        try ExportSettings.load(Paths.examples + "/agenda.yaml", into: &options)
        return options
    }

    static func examples() throws -> [ScheduledEvent] {
        schedule(try load(Paths.examples + "/open-gov-week-2024.json").records)
    }

    static func event(_ id: String) throws -> ScheduledEvent {
        try #require(try examples().first { $0.record.id == id })
    }

    @Test(arguments: ["es", "en"])
    func caliForumGolden(language: String) throws {
        let writer = ICalendarWriter(options: try Self.examplesOptions())
        let cali = try Self.event("ogw2024-valle-participa")
        try expectGolden(writer.calendar([cali], language: language), "cali-forum.\(language).ics")
        try expectGolden(writer.invite(cali, language: language).bytes, "cali-forum-invite.\(language).ics")
    }

    /// One golden per feature: all-day multi-day, recurrence with EXDATE, online, hybrid,
    /// cancelled (CANCEL invite), organizer email (REQUEST invite), rescheduled, alias zone,
    /// localized URL, attachment, image.
    @Test(arguments: [
        "ogw2024-baires-hackaton", "ogw2024-madrid-clinica-datos", "ogw2024-kickoff-online", "ogw2024-nairobi-contracting",
        "ogw2024-quito-feria", "ogw2024-madrid-jornada", "ogw2024-sanjose-lenguaje-claro", "ogw2024-delhi-rti",
        "ogw2024-montevideo-dia-nacional", "ogw2024-juarez-foro-fronterizo",
    ])
    func featureGoldens(id: String) throws {
        let writer = ICalendarWriter(options: try Self.examplesOptions())
        let e = try Self.event(id)
        try expectGolden(writer.invite(e, language: "es").bytes, "\(id).es.ics")
    }

    @Test func invitesPickTheMethod() throws {
        let writer = ICalendarWriter(options: try Self.examplesOptions())
        let cancel = writer.invite(try Self.event("ogw2024-quito-feria"), language: "es")
        #expect(cancel.method == .cancel)
        let cancelLines = ICSParser.lines(cancel.bytes)
        #expect(cancelLines.first("METHOD")?.value == "CANCEL")
        #expect(cancelLines.first("STATUS")?.value == "CANCELLED")
        #expect(cancelLines.first("SEQUENCE")?.value == "2", "one above the record's sequence 1")
        let request = writer.invite(try Self.event("ogw2024-madrid-jornada"), language: "es")
        #expect(request.method == .request)
        let requestLines = ICSParser.lines(request.bytes)
        #expect(requestLines.first("ORGANIZER")?.value == "mailto:gobierno.abierto@example.org")
        #expect(requestLines.first("ATTENDEE")?.params["ROLE"] == "CHAIR")
        let publish = writer.invite(try Self.event("ogw2024-valle-participa"), language: "es")
        #expect(publish.method == .publish)
        #expect(ICSParser.lines(publish.bytes).first("ORGANIZER")?.value
                == "https://sigesi.valledelcauca.gov.co/foro/elvalleparticipaaotronivel")
    }

    /// Parse our own output back and compare with the records, field by field, in both languages.
    @Test(arguments: ["es", "en"])
    func roundTrip(language: String) throws {
        let events = try Self.examples()
        let options = try Self.examplesOptions()
        let bytes = ICalendarWriter(options: options).calendar(events, language: language)
        let parsed = ICSParser.events(bytes)
        #expect(parsed.count == events.count)
        for (e, lines) in zip(events, parsed) {
            let r = e.record
            #expect(lines.first("UID")?.value == r.id + "@" + options.uidDomain)
            #expect(ICSParser.unescape(lines.first("SUMMARY")?.value ?? "") == r.title.text(language, fallback: r.defaultLanguage))
            #expect(lines.first("SUMMARY")?.params["LANGUAGE"] == r.title.resolvedLanguage(language, fallback: r.defaultLanguage))
            let start = try #require(lines.first("DTSTART"))
            if r.allDay {
                #expect(start.params["VALUE"] == "DATE")
                #expect(start.value == r.start.civilDate.basicFormat)
                #expect(lines.first("DTEND")?.value == (r.end ?? r.start).civilDate.adding(days: 1).basicFormat)
            } else {
                #expect(start.params["TZID"] == r.timeZone)
                #expect(start.value == r.start.localDateTime.basicFormat)
                #expect(lines.first("DTEND")?.value == r.end?.localDateTime.basicFormat)
            }
            if let g = r.venue?.geo {
                let parts = try #require(lines.first("GEO")).value.split(separator: ";").compactMap { Double($0) }
                #expect(parts == [g.latitude, g.longitude])
            }
            if !r.categories.isEmpty {
                #expect(ICSParser.list(lines.first("CATEGORIES")?.value ?? "") == r.categories.map { $0.label.text(language, fallback: r.defaultLanguage) })
            }
            if let d = r.description ?? r.summary {
                let description = ICSParser.unescape(lines.first("DESCRIPTION")?.value ?? "")
                #expect(description.contains(d.text(language, fallback: r.defaultLanguage)))
            }
            if let v = r.venue, r.attendanceMode != .online {
                let location = ICSParser.unescape(lines.first("LOCATION")?.value ?? "")
                #expect(location.hasPrefix(v.name.text(language, fallback: r.defaultLanguage)))
            }
            #expect(lines.first("DTSTAMP")?.value == (r.updated ?? r.created)?.basicFormat)
            #expect(lines.first("ORGANIZER") != nil)
        }
    }

    @Test func calendarHeaderAndZones() throws {
        let events = try Self.examples()
        let bytes = ICalendarWriter(options: try Self.examplesOptions()).calendar(events, language: "es")
        let lines = ICSParser.lines(bytes)
        #expect(lines.first("METHOD")?.value == "PUBLISH")
        #expect(lines.first("X-WR-CALNAME")?.value == "Semana de Gobierno Abierto 2024")
        #expect(lines.first("REFRESH-INTERVAL")?.value == "PT6H")
        #expect(lines.first("X-PUBLISHED-TTL")?.value == "PT6H")
        #expect(lines.first("X-WR-TIMEZONE") == nil, "events use many zones")
        #expect(lines.first("X-AGENDA-TZDATA-VERSION")?.value == TimeZoneData.version)
        let tzids = Set(lines.filter { $0.name == "TZID" }.map(\.value))
        let used = Set(events.filter { !$0.record.allDay }.map(\.record.timeZone))
        #expect(tzids == used)
        #expect(!String(decoding: bytes, as: UTF8.self).contains("X-TZINFO"))
        // One zone → X-WR-TIMEZONE.
        let cali = ICalendarWriter(options: try Self.examplesOptions()).calendar([try Self.event("ogw2024-valle-participa")], language: "es")
        #expect(ICSParser.lines(cali).first("X-WR-TIMEZONE")?.value == "America/Bogota")
    }

    @Test func utcZeroLengthAndOpenEndedEvents() throws {
        var r = EventRecord(id: "u", defaultLanguage: "en", title: LocalizedText([("en", "UTC")]), timeZone: "UTC",
                            start: .dateTime(LocalDateTime(iso: "2025-01-01T10:00")!))
        r.end = .dateTime(LocalDateTime(iso: "2025-01-01T10:00")!)
        r.venue = Venue(name: LocalizedText([("en", "V")]))
        let e = schedule([r])
        let lines = ICSParser.events(ICalendarWriter().calendar(e, language: "en"))[0]
        #expect(lines.first("DTSTART") == ICSLine(name: "DTSTART", params: [:], value: "20250101T100000Z"))
        #expect(lines.first("DTEND") == nil, "a zero-length event has no DTEND")
        #expect(!String(decoding: ICalendarWriter().calendar(e, language: "en"), as: UTF8.self).contains("BEGIN:VTIMEZONE"))
    }
}
