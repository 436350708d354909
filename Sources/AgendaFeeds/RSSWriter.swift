import AgendaRecords
import AgendaTime

/// RSS 2.0 with the event (mod_event), GeoRSS and Atom namespaces, one feed per language.
public struct RSSWriter: Sendable {
    public var options: FeedOptions
    public init(options: FeedOptions) { self.options = options }

    public func feed(_ events: [ScheduledEvent], language: String) -> [UInt8] {
        let entries = events.map { FeedEntry($0, language: language, options: options) }
        var x = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        x += "<rss version=\"2.0\" xmlns:atom=\"http://www.w3.org/2005/Atom\" xmlns:ev=\"http://purl.org/rss/1.0/modules/event/\" xmlns:georss=\"http://www.georss.org/georss\">\n"
        x += "<channel>\n"
        x += element("title", options.title.text(language, fallback: options.title.languages.first ?? language))
        x += element("link", options.siteURL)
        x += element("description", options.description?.text(language, fallback: options.description?.languages.first ?? language)
                     ?? options.title.text(language, fallback: options.title.languages.first ?? language))
        x += element("language", language)
        x += "  <atom:link href=\"\(Markup.xml(options.feedURL(language, "rss"), attribute: true))\" rel=\"self\" type=\"application/rss+xml\"/>\n"
        x += element("lastBuildDate", DateText.rfc822(lastUpdate(entries)))
        x += element("generator", "Agenda 1.0 (tz data \(TimeZoneData.version))")
        x += element("ttl", String(options.ttlMinutes))
        for (event, entry) in zip(events, entries) { x += item(entry, event.record) }
        x += "</channel>\n</rss>\n"
        return Array(x.utf8)
    }

    /// The newest item time, so the build date follows the data, not the clock.
    func lastUpdate(_ entries: [FeedEntry]) -> Instant { entries.map(\.published).max() ?? options.now }

    func item(_ e: FeedEntry, _ r: EventRecord) -> String {
        var x = "  <item>\n"
        x += element("title", Markup.inertText(e.title), indent: 4)
        if let link = e.link { x += element("link", link, indent: 4) }
        x += element("description", e.html, indent: 4)
        if let email = r.organizer?.email, let name = e.organizer {
            x += element("author", "\(email) (\(name))", indent: 4)
        }
        for c in e.categories {
            let domain = c.scheme.map { " domain=\"\(Markup.xml($0, attribute: true))\"" } ?? ""
            x += "    <category\(domain)>\(Markup.xml(c.label))</category>\n"
        }
        if let image = r.images.first(where: { $0.url.hasPrefix("http") }) {
            let type = image.mediaType ?? "image/jpeg"
            x += "    <enclosure url=\"\(Markup.xml(image.url, attribute: true))\" length=\"\(image.bytes ?? 0)\" type=\"\(Markup.xml(type, attribute: true))\"/>\n"
        }
        // The event page is a fine permalink, but it can change; the id never does.
        x += "    <guid isPermaLink=\"false\">\(Markup.xml(e.id(options)))</guid>\n"
        x += element("pubDate", DateText.rfc822(e.published), indent: 4)
        x += element("ev:startdate", e.startRFC3339, indent: 4)
        if let end = e.endRFC3339 { x += element("ev:enddate", end, indent: 4) }
        if let place = e.place { x += element("ev:location", place, indent: 4) }
        if let organizer = e.organizer { x += element("ev:organizer", organizer, indent: 4) }
        if let point = e.georssPoint { x += element("georss:point", point, indent: 4) }
        return x + "  </item>\n"
    }

    func element(_ name: String, _ text: String, indent: Int = 2) -> String {
        String(repeating: " ", count: indent) + "<\(name)>" + Markup.xml(text) + "</\(name)>\n"
    }
}
