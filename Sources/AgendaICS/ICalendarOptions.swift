import AgendaRecords
import AgendaTime

/// Who publishes the calendar. In a `METHOD:PUBLISH` calendar every event needs an ORGANIZER
/// (RFC 5546 §3.2.1); events whose record names no organizer with an address are attributed to
/// the publisher.
public struct Publisher: Sendable, Hashable {
    public var name: String
    /// A URI for ORGANIZER: `mailto:` or the publisher's site.
    public var address: String

    public init(name: String, address: String) {
        self.name = name
        self.address = address
    }
}

/// Settings shared by every calendar of an export.
public struct ICalendarOptions: Sendable {
    /// UIDs are `<record id>@<uidDomain>`: stable across re-exports and reschedules.
    public var uidDomain: String
    public var productID: String
    /// Calendar name per language (NAME, X-WR-CALNAME).
    public var calendarName: LocalizedText
    /// Calendar description per language (DESCRIPTION, X-WR-CALDESC).
    public var calendarDescription: LocalizedText?
    /// How often subscribers should refresh, as an RFC 5545 duration (REFRESH-INTERVAL and
    /// X-PUBLISHED-TTL carry the same value).
    public var refreshInterval: String
    public var publisher: Publisher
    /// DTSTAMP for records with neither `updated` nor `created` (never the wall clock by default,
    /// so exports are reproducible).
    public var fallbackTimestamp: Instant

    public init(
        uidDomain: String = "agenda.localhost",
        productID: String = "-//Agenda//Agenda Exporter 1.0//EN",
        calendarName: LocalizedText = LocalizedText([("en", "Agenda")]),
        calendarDescription: LocalizedText? = nil,
        refreshInterval: String = "PT12H",
        publisher: Publisher = Publisher(name: "Agenda", address: "https://agenda.localhost/"),
        fallbackTimestamp: Instant = Instant(secondsSince1970: 0)
    ) {
        self.uidDomain = uidDomain
        self.productID = productID
        self.calendarName = calendarName
        self.calendarDescription = calendarDescription
        self.refreshInterval = refreshInterval
        self.publisher = publisher
        self.fallbackTimestamp = fallbackTimestamp
    }
}

/// The iTIP method of a calendar object (RFC 5546).
public enum CalendarMethod: String, Sendable {
    /// A subscription calendar, or an invite for an event without an organizer address.
    case publish = "PUBLISH"
    /// An invitation from an organizer with an email address; answers go to that address.
    case request = "REQUEST"
    /// A cancelled event: removes it from the recipient's calendar.
    case cancel = "CANCEL"

    /// The method of a per-event invite: CANCEL for cancelled events, REQUEST when the organizer
    /// has an email address, PUBLISH otherwise.
    public static func invite(for record: EventRecord) -> CalendarMethod {
        if record.status == .cancelled { return .cancel }
        if record.organizer?.email != nil { return .request }
        return .publish
    }
}
