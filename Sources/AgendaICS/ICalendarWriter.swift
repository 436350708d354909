import AgendaRecords
import AgendaTime

/// Writes RFC 5545 calendars (with RFC 7986 properties) from scheduled events.
///
/// A calendar is written in three steps so that any number of events can stream through with
/// bounded memory: `event(_:…)` for each event (into a spool), then `header(…)` with the zones the
/// events used, then `footer`. `calendar(_:language:)` does all three for an in-memory list.
public struct ICalendarWriter: Sendable {
    public var options: ICalendarOptions

    public init(options: ICalendarOptions = ICalendarOptions()) {
        self.options = options
    }

    /// A whole subscription calendar (METHOD:PUBLISH) in one language, in memory.
    public func calendar(_ events: [ScheduledEvent], language: String) -> [UInt8] {
        var spans = ZoneSpans()
        for e in events { spans.include(e) }
        var sink = ByteBuffer()
        try! write(events, zones: spans, language: language, to: &sink)  // ByteBuffer never throws
        return sink.bytes
    }

    /// Streams a subscription calendar to any byte sink. `zones` must include every event (a
    /// first pass over the input collects it), because VTIMEZONEs come before the events;
    /// the events themselves are written as they come, about 64 KiB at a time.
    public func write<Events: Sequence<ScheduledEvent>, Sink: ByteSink>(
        _ events: Events, zones: ZoneSpans, language: String, to sink: inout Sink
    ) throws {
        var lines = ContentLines()
        header(language: language, method: .publish, zones: zones, into: &lines)
        for e in events {
            event(e, language: language, method: .publish, into: &lines)
            if lines.bytes.count >= 1 << 16 { try sink.write(lines.drain()) }
        }
        footer(into: &lines)
        try sink.write(lines.drain())
    }

    /// A single-event calendar for an email attachment; the method follows
    /// `CalendarMethod.invite(for:)`.
    public func invite(_ e: ScheduledEvent, language: String) -> (method: CalendarMethod, bytes: [UInt8]) {
        let method = CalendarMethod.invite(for: e.record)
        var spans = ZoneSpans()
        spans.include(e)
        var out = ContentLines()
        header(language: language, method: method, zones: spans, name: e.record.title.text(language, fallback: e.record.defaultLanguage), into: &out)
        event(e, language: language, method: method, into: &out)
        footer(into: &out)
        return (method, out.bytes)
    }

    // MARK: calendar

    /// BEGIN:VCALENDAR, calendar properties and one VTIMEZONE per zone used.
    public func header(language: String, method: CalendarMethod, zones: ZoneSpans, name: String? = nil,
                       into out: inout ContentLines)
    {
        out.property("BEGIN", raw: "VCALENDAR")
        out.property("VERSION", raw: "2.0")
        out.text("PRODID", options.productID)
        out.property("CALSCALE", raw: "GREGORIAN")
        out.property("METHOD", raw: method.rawValue)
        if method == .publish && name == nil {
            let calName = Self.oneLine(options.calendarName.text(language, fallback: options.calendarName.languages.first ?? language))
            out.text("NAME", calName)
            out.text("X-WR-CALNAME", calName)
            if let d = options.calendarDescription {
                let text = d.text(language, fallback: d.languages.first ?? language)
                out.text("DESCRIPTION", text)
                out.text("X-WR-CALDESC", text)
            }
            out.property("REFRESH-INTERVAL", [("VALUE", "DURATION")], raw: options.refreshInterval)
            out.property("X-PUBLISHED-TTL", raw: options.refreshInterval)
            if let single = zones.singleZoneID { out.text("X-WR-TIMEZONE", single) }
        }
        // Which tz data the offsets below come from, so a reader can tell a stale export.
        out.text("X-AGENDA-TZDATA-VERSION", TimeZoneData.version)
        for (zone, from) in zones.zones {
            vtimezone(zone, from: from, into: &out)
        }
    }

    public func footer(into out: inout ContentLines) {
        out.property("END", raw: "VCALENDAR")
    }

    /// ICU's VTIMEZONE for the span, tidied: ICU's X-TZINFO line names ICU's own (stale) data
    /// version, placeholder TZNAMEs are dropped, and zero seconds are left out of offsets.
    func vtimezone(_ zone: Zone, from: Instant, into out: inout ContentLines) {
        let text = zone.vtimezone(from: from)
        var kept: [Substring] = []
        for line in text.split(whereSeparator: { $0 == "\r\n" || $0 == "\n" }) {
            if line.hasPrefix("X-TZINFO") || line == "TZNAME:(STD)" || line == "TZNAME:(DST)" { continue }
            if line.hasPrefix("TZOFFSETFROM:") || line.hasPrefix("TZOFFSETTO:") {
                if let colon = line.firstIndex(of: ":"), line.distance(from: colon, to: line.endIndex) == 8,
                   line.hasSuffix("00") {
                    kept.append(line.dropLast(2))
                    continue
                }
            }
            kept.append(line)
        }
        out.lines(kept.joined(separator: "\r\n"))
    }

    // MARK: events

    /// One VEVENT in `language` (texts fall back to the record's default language per field).
    public func event(_ e: ScheduledEvent, language: String, method: CalendarMethod, into out: inout ContentLines) {
        let r = e.record
        let fallback = r.defaultLanguage
        /// A TEXT property whose LANGUAGE is the one `t` resolves to, opened up to its value.
        func openText(_ name: String, _ t: LocalizedText, altrep: String? = nil) {
            out.open(name)
            out.addParameter("LANGUAGE", t.resolvedLanguage(language, fallback: fallback))
            if let altrep { out.addParameter("ALTREP", altrep) }
            out.openValue()
        }

        out.property("BEGIN", raw: "VEVENT")
        out.open("UID")
        out.openValue()
        out.appendText(r.id)
        out.appendLiteral("@")
        out.appendText(options.uidDomain)
        out.close()
        out.property("SEQUENCE", raw: String(method == .cancel ? r.sequence + 1 : r.sequence))
        out.utcDateTime("DTSTAMP", r.updated ?? r.created ?? options.fallbackTimestamp)
        if let c = r.created { out.utcDateTime("CREATED", c) }
        if let u = r.updated { out.utcDateTime("LAST-MODIFIED", u) }
        times(e, into: &out)
        if let rec = r.recurrence { recurrence(rec, e, into: &out) }

        openText("SUMMARY", r.title)
        out.appendText(Self.oneLine(r.title.text(language, fallback: fallback)))
        out.close()
        let description = descriptionText(e, language: language)
        if !description.isEmpty {
            openText("DESCRIPTION", r.description ?? r.summary ?? r.title, altrep: pageURL(r, language))
            out.appendText(description)
            out.close()
        }
        location(r, language: language, into: &out)
        if let g = e.position {
            out.open("GEO")
            out.openValue()
            out.appendRaw(GeoPoint.text(g.latitude))
            out.appendLiteral(";")
            out.appendRaw(GeoPoint.text(g.longitude))
            out.close()
        }
        if let url = pageURL(r, language) { out.property("URL", raw: url) }
        organizer(r, language: language, method: method, into: &out)
        if !r.categories.isEmpty {
            // One value per category, escaped on its own and separated by commas (a TEXT list).
            out.open("CATEGORIES")
            out.addParameter("LANGUAGE", language)
            out.openValue()
            for (i, c) in r.categories.enumerated() {
                if i > 0 { out.appendLiteral(",") }
                out.appendText(Self.oneLine(c.label.text(language, fallback: fallback)))
            }
            out.close()
        }
        out.property("STATUS", raw: Self.status(r.status))
        if let online = r.online, r.attendanceMode != .offline || r.status == .movedOnline {
            var params: [(String, String)] = [("VALUE", "URI")]
            let features = online.features.map { $0.uppercased() }
            if !features.isEmpty { params.append(("FEATURE", features.joined(separator: ","))) }
            params.append(("LABEL", online.label?.text(language, fallback: fallback) ?? Phrasebook.text(.join, language: language)))
            out.property("CONFERENCE", params, raw: online.url)
        }
        for image in r.images {
            var params: [(String, String)] = [("VALUE", "URI"), ("DISPLAY", "BADGE")]
            if let t = image.mediaType { params.append(("FMTTYPE", t)) }
            out.property("IMAGE", params, raw: image.url)
        }
        for a in r.attachments {
            var params: [(String, String)] = []
            if let t = a.mediaType { params.append(("FMTTYPE", t)) }
            out.property("ATTACH", params, raw: a.url)
        }
        out.property("TRANSP", raw: r.status == .cancelled ? "TRANSPARENT" : "OPAQUE")
        out.property("END", raw: "VEVENT")
    }

    /// DTSTART/DTEND: dates for all-day events (exclusive DTEND), `Z` times for UTC, else local
    /// times with TZID. The local time written is the resolved one, so a time that fell in a DST
    /// gap appears as the time clients will show.
    func times(_ e: ScheduledEvent, into out: inout ContentLines) {
        if e.record.allDay {
            let first = e.record.start.civilDate
            out.property("DTSTART", [("VALUE", "DATE")], raw: first.basicFormat)
            out.property("DTEND", [("VALUE", "DATE")], raw: e.exclusiveEndDate.basicFormat)
            return
        }
        out.dateTime("DTSTART", e.start, in: e.zone)
        // An end equal to the start is a zero-length event: RFC 5545 writes that without DTEND.
        if let end = e.end, end > e.start {
            out.dateTime("DTEND", end, in: e.zone)
        }
    }

    func dateTime(_ instant: Instant, _ zone: Zone) -> ([(String, String)], String) {
        if zone.isUTC { return ([], instant.basicFormat) }
        return ([("TZID", zone.id)], zone.localTime(at: instant).basicFormat)
    }

    func recurrence(_ rec: Recurrence, _ e: ScheduledEvent, into out: inout ContentLines) {
        if let rule = rec.rrule { out.property("RRULE", raw: rule) }
        for (name, list) in [("RDATE", rec.rdates), ("EXDATE", rec.exdates)] where !list.isEmpty {
            if e.record.allDay {
                out.property(name, [("VALUE", "DATE")], raw: list.map { $0.civilDate.basicFormat }.joined(separator: ","))
            } else {
                let values = list.map { dateTime(e.zone.resolve($0.localDateTime).instant, e.zone).1 }
                out.property(name, e.zone.isUTC ? [] : [("TZID", e.zone.id)], raw: values.joined(separator: ","))
            }
        }
    }

    func organizer(_ r: EventRecord, language: String, method: CalendarMethod, into out: inout ContentLines) {
        let name: String
        let address: String
        if let o = r.organizer, let uri = o.email.map({ "mailto:" + $0 }) ?? o.url {
            name = Self.oneLine(o.name.text(language, fallback: r.defaultLanguage))
            address = uri
        } else {
            name = r.organizer.map { Self.oneLine($0.name.text(language, fallback: r.defaultLanguage)) } ?? options.publisher.name
            address = options.publisher.address
        }
        out.open("ORGANIZER")
        out.addParameter("CN", name)
        out.openValue()
        out.appendRaw(address)
        out.close()
        if method == .request {
            // iTIP REQUEST needs an ATTENDEE; the organizer attends as chair, as mail clients do.
            out.property("ATTENDEE", [("CN", name), ("ROLE", "CHAIR"), ("PARTSTAT", "ACCEPTED")], raw: address)
        }
    }

    /// Titles, places and labels are single-line fields: several clients (calcurse) drop an
    /// event whose SUMMARY holds a line break, so line breaks there become spaces.
    static func oneLine(_ s: String) -> String {
        s.replacingLineBreaks(with: " ")
    }

    static func status(_ s: EventStatus) -> String {
        switch s {
        case .scheduled, .rescheduled, .movedOnline: "CONFIRMED"
        case .tentative, .postponed: "TENTATIVE"
        case .cancelled: "CANCELLED"
        }
    }

    /// The event page for a language: its localized URL, else the canonical one.
    func pageURL(_ r: EventRecord, _ language: String) -> String? {
        r.localizedURLs.first { $0.language == language }?.url ?? r.url
    }

    /// The DESCRIPTION: status note, text, admission (CONFERENCE carries the join link).
    func descriptionText(_ e: ScheduledEvent, language: String) -> String {
        EventText.paragraphs(e, language: language, joinLine: false).joined(separator: "\n\n")
    }

    /// LOCATION: the venue's name, room and address on one line, or the join label or URL of an
    /// online-only event. The LANGUAGE is the venue name's (else the label's, else the title's).
    func location(_ r: EventRecord, language: String, into out: inout ContentLines) {
        let fallback = r.defaultLanguage
        // Whether the venue is shown, not a copy of it: a copy retained and released each text.
        let showsVenue = r.attendanceMode != .online && r.hasVenue
        guard showsVenue || r.online != nil else { return }
        out.open("LOCATION")
        out.addParameter("LANGUAGE", (r.venue?.name ?? r.online?.label ?? r.title).resolvedLanguage(language, fallback: fallback))
        if let url = r.venue?.url { out.addParameter("ALTREP", url) }
        out.openValue()
        if showsVenue, let v = r.venue {
            // The parts written one after the other, each made one line on its own (the ", "
            // between them means no line break spans two), without joining them first; the
            // comma between them is escaped as in any TEXT value.
            out.appendText(Self.oneLine(v.name.text(language, fallback: fallback)))
            func add(_ part: String?) {
                guard let part else { return }
                out.appendLiteral(#"\, "#)
                out.appendText(Self.oneLine(part))
            }
            add(v.room?.text(language, fallback: fallback))
            if let a = v.address {
                add(a.street)
                add(a.locality)
                add(a.region)
                add(a.postalCode)
                add(a.countryCode)
            }
        } else if let o = r.online {
            out.appendText(Self.oneLine(o.label?.text(language, fallback: fallback) ?? Phrasebook.text(.online, language: language) + ": " + o.url))
        }
        out.close()
    }
}

