import AgendaICS
import AgendaRecords
import AgendaTime

/// One event as a feed item in one language: the texts and dates every feed format shares.
///
/// It keeps what it took from the event, not the event: a copy of a `ScheduledEvent` retains and
/// later releases every text of its record, and a feature makes one entry per event.
struct FeedEntry {
    let language: String
    /// The record's id, which the entry's stable id is made from with the feed's settings
    /// (`id(_:)`). The settings are not kept: every map feature makes an entry, on every worker,
    /// and storing the feed's texts retained and released the same few heap objects from both
    /// cores for every event.
    private let recordID: String
    let title: String
    let link: String?
    /// "jueves, 30 de mayo de 2024, 8:00–11:30 (hora estándar de Colombia)"
    let when: String
    /// The place in its parts, each on one line: the venue's name and its locality, or the
    /// online label. Kept apart, as a map feature writes them one after the other; `place` joins
    /// them for the feeds.
    let placeParts: (name: String, locality: String?)?
    /// Status note, description (plain text), admission.
    let paragraphs: [String]
    let published: Instant
    /// The record's categories; `categories` labels them for the feeds, `label(of:)` for a map
    /// feature that writes them as it goes (each array of labels was a heap block per feature).
    private let categorySource: [Category]
    private let fallbackLanguage: String
    let organizer: String?
    /// Start and end, written in RFC 3339 with the zone's offset when asked for (a map feature
    /// writes them as bytes); dates for all-day events.
    private let start: Instant, startOffset: Int
    private let end: Instant?, endOffset: Int
    private let allDayDates: (first: CivilDate, last: CivilDate)?
    /// The venue's position, unless it is in doubt.
    let position: GeoPoint?

    /// "Biblioteca Departamental Jorge Garcés Borrero, Santiago de Cali" or the online label.
    var place: String? { placeParts.map { p in p.locality.map { p.name + ", " + $0 } ?? p.name } }

    /// A category's label in the entry's language, on one line.
    func label(of c: Category) -> String {
        c.label.text(language, fallback: fallbackLanguage).replacingLineBreaks(with: " ")
    }

    /// The categories' labels and schemes.
    var categories: [(label: String, scheme: String?)] { categorySource.map { (label(of: $0), $0.scheme) } }

    /// The start in RFC 3339, appended as bytes: the form every map feature writes.
    func appendStartRFC3339(to out: inout [UInt8]) {
        if let d = allDayDates { out += d.first.description.utf8 } else { start.appendRFC3339(offsetSeconds: startOffset, to: &out) }
    }

    /// Whether there is an end.
    var hasEnd: Bool { allDayDates != nil || end != nil }

    /// The end in RFC 3339, appended as bytes (nothing when there is none).
    func appendEndRFC3339(to out: inout [UInt8]) {
        if let d = allDayDates { out += d.last.description.utf8 } else { end?.appendRFC3339(offsetSeconds: endOffset, to: &out) }
    }

    /// The same texts as strings, for the feeds (500 items each, so the bytes in between cost
    /// nothing that matters, and the all-day rule lives in one place).
    var startRFC3339: String { Self.text(appendStartRFC3339) }
    var endRFC3339: String? { hasEnd ? Self.text(appendEndRFC3339) : nil }

    private static func text(_ append: (inout [UInt8]) -> Void) -> String {
        var bytes: [UInt8] = []
        append(&bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The item's stable id in the feed with `options` (`FeedOptions.id(authority:tagDate:record:)`).
    func id(_ options: FeedOptions) -> String {
        FeedOptions.id(authority: options.idAuthority, tagDate: options.tagDate, record: recordID)
    }

    /// The line that opens every description: when, then where.
    var headline: String { [when, place].compactMap { $0 }.joined(separator: " · ") }

    /// Plain text body: headline, then paragraphs.
    var text: String { ([headline] + paragraphs).joined(separator: "\n\n") }

    /// HTML body without entities (see `Markup.htmlText`).
    var html: String { Markup.htmlParagraphs([headline] + paragraphs) }

    /// "lat lon" (GeoRSS order, the opposite of GeoJSON's).
    var georssPoint: String? {
        guard let g = position else { return nil }
        return GeoPoint.text(g.latitude) + " " + GeoPoint.text(g.longitude)
    }
}

// The initializer is declared outside the type, so that it can make the entry with the memberwise
// one: stored field by field, an entry was copied whole (each text retained and released) on its
// way out (Swift 6.3 -O; see `EventRecord`).
extension FeedEntry {
    /// `options` is borrowed: taken owned, the writer that passes its own was copied whole, with
    /// a retain of each of its texts, for every entry.
    init(_ e: borrowing ScheduledEvent, language: String, options: borrowing FeedOptions) {
        let r = e.record
        let fallback = r.defaultLanguage
        let base = r.title.text(language, fallback: fallback).replacingLineBreaks(with: " ")
        let title = r.status == .cancelled ? Phrasebook.text(.cancelled, language: language) + ": " + base : base
        let when: String
        if r.allDay {
            when = DateText.range(from: r.start.civilDate, through: (r.end ?? r.start).civilDate, locale: language)
        } else if let end = e.end, end > e.start {
            when = DateText.range(from: e.start, to: end, in: e.zone, locale: language)
        } else {
            when = DateText.format(e.start, pattern: "EEEE d MMMM y, H:mm", locale: language, in: e.zone)
                + " (" + DateText.zoneName(e.zone, at: e.start, locale: language) + ")"
        }
        // The venue's parts are read where they are: `if let v = r.venue` copied the whole venue
        // (retaining and releasing each of its texts).
        // Each part made one line on its own: with ", " between them, no line break spans two.
        let placeParts: (name: String, locality: String?)?
        if r.attendanceMode != .online, let name = r.venue?.name {
            placeParts = (name.text(language, fallback: fallback).replacingLineBreaks(with: " "),
                          r.venue?.address?.locality?.replacingLineBreaks(with: " "))
        } else if r.online != nil {
            placeParts = (Phrasebook.text(.online, language: language), nil)
        } else {
            placeParts = nil
        }
        self.init(
            language: language, recordID: r.id, title: title,
            link: r.localizedURLs.first { $0.language == language }?.url ?? r.url,
            when: when, placeParts: placeParts,
            paragraphs: EventText.paragraphs(e, language: language, joinLine: true),
            published: r.updated ?? r.created ?? options.now,
            categorySource: r.categories, fallbackLanguage: fallback,
            organizer: r.organizer.map { $0.name.text(language, fallback: fallback).replacingLineBreaks(with: " ") },
            start: e.start, startOffset: e.zone.offset(at: e.start),
            end: e.end, endOffset: e.end.map { e.zone.offset(at: $0) } ?? 0,
            allDayDates: r.allDay ? (r.start.civilDate, (r.end ?? r.start).civilDate) : nil,
            position: e.position)
    }
}
