import AgendaTime

/// Text in several languages, keyed by canonical BCP 47 tags, in the order the input gave them.
public struct LocalizedText: Sendable, Hashable {
    /// One language's text. A struct, not a tuple: an array of tuples is destroyed by the runtime
    /// reading the tuple's layout from its metadata, element by element, for every text of every
    /// record; a struct's elements by the code the compiler made for it.
    public struct Entry: Sendable, Hashable {
        public var language: String
        public var text: String

        public init(language: String, text: String) {
            self.language = language
            self.text = text
        }
    }

    public var entries: [Entry]

    public init(entries: [Entry]) { self.entries = entries }
    public init(_ entries: [(language: String, text: String)]) { self.entries = entries.map { Entry(language: $0.language, text: $0.text) } }
    public init(_ dictionary: KeyValuePairs<String, String>) { self.entries = dictionary.map { Entry(language: $0.key, text: $0.value) } }

    public var languages: [String] { entries.map(\.language) }

    /// The exact language, else the same language without region (`es-CO` → `es`), else nil.
    public func text(exactly language: String) -> String? {
        if let hit = entries.first(where: { $0.language == language }) { return hit.text }
        if let dash = language.firstIndex(of: "-") {
            let base = String(language[..<dash])
            if let hit = entries.first(where: { $0.language == base }) { return hit.text }
        }
        return nil
    }

    /// The text for a language, falling back to the record's default language.
    public func text(_ language: String, fallback: String) -> String {
        text(exactly: language) ?? text(exactly: fallback) ?? entries.first?.text ?? ""
    }

    /// Which language `text(_:fallback:)` actually used.
    public func resolvedLanguage(_ language: String, fallback: String) -> String {
        if let hit = entries.first(where: { $0.language == language }) { return hit.language }
        if let dash = language.firstIndex(of: "-"),
           let hit = entries.first(where: { $0.language == String(language[..<dash]) }) { return hit.language }
        if entries.contains(where: { $0.language == fallback }) { return fallback }
        return entries.first?.language ?? fallback
    }

    /// A language map: equal when the same languages have the same texts, in any order.
    public static func == (a: LocalizedText, b: LocalizedText) -> Bool {
        a.entries.count == b.entries.count && a.entries.allSatisfy { b.text(exactlyTag: $0.language) == $0.text }
    }

    public func hash(into hasher: inout Hasher) {
        for e in entries.sorted(by: { $0.language < $1.language }) {
            hasher.combine(e.language)
            hasher.combine(e.text)
        }
    }

    private func text(exactlyTag language: String) -> String? {
        entries.first { $0.language == language }?.text
    }
}

/// A start or end as written: a date (all-day events) or a wall-clock date-time.
public enum EventTime: Sendable, Hashable, CustomStringConvertible {
    case date(CivilDate)
    case dateTime(LocalDateTime)

    public init?(iso text: String) {
        if text.count == 10, let d = CivilDate(iso: text) {
            self = .date(d)
        } else if let dt = LocalDateTime(iso: text) {
            self = .dateTime(dt)
        } else {
            return nil
        }
    }

    public var civilDate: CivilDate {
        switch self {
        case .date(let d): d
        case .dateTime(let dt): dt.date
        }
    }

    /// Midnight for dates.
    public var localDateTime: LocalDateTime {
        switch self {
        case .date(let d): LocalDateTime(date: d)
        case .dateTime(let dt): dt
        }
    }

    public var isDate: Bool {
        if case .date = self { return true }
        return false
    }

    public var description: String {
        switch self {
        case .date(let d): d.description
        case .dateTime(let dt): dt.description
        }
    }
}

/// Event status (schema.org vocabulary).
public enum EventStatus: String, Sendable, Hashable, CaseIterable {
    case scheduled, tentative, cancelled, postponed, rescheduled, movedOnline
}

public enum AttendanceMode: String, Sendable, Hashable, CaseIterable {
    case offline, online, mixed
}

public enum DescriptionFormat: String, Sendable, Hashable, CaseIterable {
    case text, markdown, html
}

public struct Recurrence: Sendable, Hashable {
    public init(rrule: String? = nil, rdates: [EventTime] = [], exdates: [EventTime] = []) {
        self.rrule = rrule
        self.rdates = rdates
        self.exdates = exdates
    }
    /// RFC 5545 RRULE value (`FREQ=WEEKLY;BYDAY=TH;COUNT=4`).
    public var rrule: String?
    public var rdates: [EventTime] = []
    public var exdates: [EventTime] = []
}

public struct OnlineAccess: Sendable, Hashable {
    public init(url: String, label: LocalizedText? = nil, features: [String] = []) {
        self.url = url
        self.label = label
        self.features = features
    }
    public var url: String
    public var label: LocalizedText?
    /// audio, video, chat, screen, phone
    public var features: [String] = []
}

public struct Address: Sendable, Hashable {
    public init(street: String? = nil, locality: String? = nil, region: String? = nil, regionCode: String? = nil,
                postalCode: String? = nil, countryCode: String? = nil) {
        self.street = street
        self.locality = locality
        self.region = region
        self.regionCode = regionCode
        self.postalCode = postalCode
        self.countryCode = countryCode
    }
    public var street: String?
    public var locality: String?
    public var region: String?
    public var regionCode: String?
    public var postalCode: String?
    public var countryCode: String?
}

public struct GeoPoint: Sendable, Hashable {
    public init(latitude: Double, longitude: Double, accuracyMeters: Double? = nil) {
        self.latitude = latitude
        self.longitude = longitude
        self.accuracyMeters = accuracyMeters
    }
    public var latitude: Double
    public var longitude: Double
    public var accuracyMeters: Double?
}

public struct Venue: Sendable, Hashable {
    public var id: String?
    public var name: LocalizedText
    public var room: LocalizedText?
    public var address: Address?
    public var geo: GeoPoint?
    public var url: String?
}

// Outside the type, so that the module keeps the memberwise initializer (see `EventRecord`).
extension Venue {
    public init(name: LocalizedText, room: LocalizedText? = nil, address: Address? = nil, geo: GeoPoint? = nil,
                url: String? = nil, id: String? = nil) {
        self.init(id: id, name: name, room: room, address: address, geo: geo, url: url)
    }
}

public struct Party: Sendable, Hashable {
    public init(name: LocalizedText, kind: Kind = .organization, url: String? = nil, email: String? = nil) {
        self.name = name
        self.kind = kind
        self.url = url
        self.email = email
    }
    public enum Kind: String, Sendable, Hashable { case organization, person }
    public var kind: Kind = .organization
    public var name: LocalizedText
    public var url: String?
    public var email: String?
}

public struct Category: Sendable, Hashable {
    public init(slug: String, label: LocalizedText, scheme: String? = nil) {
        self.slug = slug
        self.label = label
        self.scheme = scheme
    }
    public var slug: String
    public var label: LocalizedText
    public var scheme: String?
}

public struct Image: Sendable, Hashable {
    public var url: String
    public var alt: LocalizedText?
    public var mediaType: String?
    public var width: Int?
    public var height: Int?
    public var bytes: Int?
}

public struct Attachment: Sendable, Hashable {
    public var url: String
    public var title: LocalizedText?
    public var mediaType: String?
    public var language: String?
    public var bytes: Int?
}

public struct Offers: Sendable, Hashable {
    public var isAccessibleForFree: Bool?
    public var price: String?
    public var currency: String?
    public var url: String?
    public var availability: String?
    public var validFrom: String?
}

public struct SourceInfo: Sendable, Hashable {
    public var platform: String?
    public var url: String?
    public var retrieved: String?
}

/// One event as described by `event-record.schema.json` (schemaVersion 1), after validation:
/// language tags canonical, text in NFC, times parsed.
public struct EventRecord: Sendable, Hashable {
    public var id: String
    public var sequence: Int = 0
    public var status: EventStatus = .scheduled
    public var previousStart: EventTime?
    public var defaultLanguage: String
    public var title: LocalizedText
    public var summary: LocalizedText?
    public var description: LocalizedText?
    public var descriptionFormat: DescriptionFormat = .text
    public var url: String?
    public var localizedURLs: [(language: String, url: String)] = []
    /// The zone as written (IANA id, or one of the accepted conveniences: fixed offsets, Windows names).
    public var timeZone: String
    public var allDay: Bool = false
    public var start: EventTime
    public var end: EventTime?
    public var recurrence: Recurrence?
    public var attendanceMode: AttendanceMode = .offline
    public var online: OnlineAccess?
    public var venue: Venue?
    /// Whether the record has a venue. `venue != nil` copied the whole venue (each of its texts
    /// retained and released) to compare it with nil; a pattern only looks at the case.
    @inlinable public var hasVenue: Bool {
        if case .some = venue { return true }
        return false
    }
    public var organizer: Party?
    public var partners: [Party] = []
    public var categories: [Category] = []
    public var keywords: [String] = []
    public var images: [Image] = []
    public var attachments: [Attachment] = []
    public var offers: Offers?
    public var created: Instant?
    public var updated: Instant?
    public var source: SourceInfo?

    /// Every language any text of the record is written in, default language first.
    public var languages: [String] {
        var seen: [String] = [defaultLanguage]
        func add(_ t: LocalizedText?) {
            for l in t?.languages ?? [] where !seen.contains(l) { seen.append(l) }
        }
        add(title)
        add(summary)
        add(description)
        return seen
    }

    public static func == (a: EventRecord, b: EventRecord) -> Bool {
        a.id == b.id && a.sequence == b.sequence && a.status == b.status && a.previousStart == b.previousStart
            && a.defaultLanguage == b.defaultLanguage && a.title == b.title && a.summary == b.summary
            && a.description == b.description && a.descriptionFormat == b.descriptionFormat && a.url == b.url
            && a.localizedURLs.elementsEqual(b.localizedURLs, by: { $0 == $1 }) && a.timeZone == b.timeZone
            && a.allDay == b.allDay && a.start == b.start && a.end == b.end && a.recurrence == b.recurrence
            && a.attendanceMode == b.attendanceMode && a.online == b.online && a.venue == b.venue
            && a.organizer == b.organizer && a.partners == b.partners && a.categories == b.categories
            && a.keywords == b.keywords && a.images == b.images && a.attachments == b.attachments
            && a.offers == b.offers && a.created == b.created && a.updated == b.updated && a.source == b.source
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(id)
        hasher.combine(sequence)
        hasher.combine(start)
    }
}

// The public initializer is declared here, outside the type, so that the module keeps the
// memberwise one: a value of this size made by any other initializer was copied whole (every
// text retained and released) on its way out of the function that made it (Swift 6.3 -O).
extension EventRecord {
    public init(id: String, defaultLanguage: String, title: LocalizedText, timeZone: String, start: EventTime) {
        self.id = id
        self.defaultLanguage = defaultLanguage
        self.title = title
        self.timeZone = timeZone
        self.start = start
    }
}

extension GeoPoint {
    /// A coordinate with up to six decimals (about 0.1 m) and no trailing zeros: `3.43`, `-76.54`.
    public static func text(_ v: Double) -> String {
        let scaled = (abs(v) * 1_000_000).rounded()
        // Digits written into one small buffer: every event's position is written four times.
        if scaled < 9e18 {
            let n = Int(scaled), whole = n / 1_000_000
            var frac = n % 1_000_000, digits = 6
            while digits > 0 && frac % 10 == 0 { frac /= 10; digits -= 1 }  // no trailing zeros
            var t = FixedText()
            if v < 0 && scaled != 0 { t.ascii(UInt8(ascii: "-")) }
            t.number(whole, width: FixedText.digitCount(whole))
            if digits > 0 {
                t.ascii(UInt8(ascii: "."))
                t.number(frac, width: digits)
            }
            return t.string
        }
        return String(v)  // beyond any coordinate (and beyond Int): not rounded
    }
}
