import AgendaICS
import AgendaRecords
import AgendaTime

/// One event as a feed item in one language: the texts and dates every feed format shares.
struct FeedEntry {
    let event: ScheduledEvent
    let language: String
    let id: String
    let title: String
    let link: String?
    /// "jueves, 30 de mayo de 2024, 8:00–11:30 (hora estándar de Colombia)"
    let when: String
    /// "Biblioteca Departamental Jorge Garcés Borrero, Santiago de Cali" or the online label.
    let place: String?
    /// Status note, description (plain text), admission.
    let paragraphs: [String]
    let published: Instant
    let categories: [(label: String, scheme: String?)]
    let organizer: String?

    init(_ e: ScheduledEvent, language: String, options: FeedOptions) {
        let r = e.record
        let fallback = r.defaultLanguage
        event = e
        self.language = language
        id = options.id(of: r)
        let base = r.title.text(language, fallback: fallback).replacingLineBreaks(with: " ")
        title = r.status == .cancelled ? Phrasebook.text(.cancelled, language: language) + ": " + base : base
        link = r.localizedURLs.first { $0.language == language }?.url ?? r.url
        if r.allDay {
            when = DateText.range(from: r.start.civilDate, through: (r.end ?? r.start).civilDate, locale: language)
        } else if let end = e.end, end > e.start {
            when = DateText.range(from: e.start, to: end, in: e.zone, locale: language)
        } else {
            when = DateText.format(e.start, pattern: "EEEE d MMMM y, H:mm", locale: language, in: e.zone)
                + " (" + DateText.zoneName(e.zone, at: e.start, locale: language) + ")"
        }
        if let v = r.venue, r.attendanceMode != .online {
            var parts = [v.name.text(language, fallback: fallback)]
            if let locality = v.address?.locality { parts.append(locality) }
            place = parts.joined(separator: ", ").replacingLineBreaks(with: " ")
        } else if r.online != nil {
            place = Phrasebook.text(.online, language: language)
        } else {
            place = nil
        }
        paragraphs = EventText.paragraphs(e, language: language, joinLine: true)
        published = r.updated ?? r.created ?? options.now
        categories = r.categories.map { ($0.label.text(language, fallback: fallback).replacingLineBreaks(with: " "), $0.scheme) }
        organizer = r.organizer.map { $0.name.text(language, fallback: fallback).replacingLineBreaks(with: " ") }
    }

    /// The line that opens every description: when, then where.
    var headline: String { [when, place].compactMap { $0 }.joined(separator: " · ") }

    /// Plain text body: headline, then paragraphs.
    var text: String { ([headline] + paragraphs).joined(separator: "\n\n") }

    /// HTML body without entities (see `Markup.htmlText`).
    var html: String { Markup.htmlParagraphs([headline] + paragraphs) }

    var startRFC3339: String { event.record.allDay ? event.record.start.civilDate.description : event.start.rfc3339(offsetSeconds: event.zone.offset(at: event.start)) }

    var endRFC3339: String? {
        if event.record.allDay { return (event.record.end ?? event.record.start).civilDate.description }
        guard let end = event.end else { return nil }
        return end.rfc3339(offsetSeconds: event.zone.offset(at: end))
    }

    /// "lat lon" (GeoRSS order, the opposite of GeoJSON's).
    var georssPoint: String? {
        guard let g = event.position else { return nil }
        return GeoPoint.text(g.latitude) + " " + GeoPoint.text(g.longitude)
    }
}
