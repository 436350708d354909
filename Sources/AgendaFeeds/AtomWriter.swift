import AgendaRecords
import AgendaTime

/// Atom (RFC 4287) with GeoRSS, one feed per language.
public struct AtomWriter: Sendable {
    public var options: FeedOptions
    public init(options: FeedOptions) { self.options = options }

    public func feed(_ events: [ScheduledEvent], language: String) -> [UInt8] {
        let entries = events.map { FeedEntry($0, language: language, options: options) }
        let lang = Markup.xml(language, attribute: true)
        let updated = entries.map(\.published).max() ?? options.now
        var x = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        x += "<feed xmlns=\"http://www.w3.org/2005/Atom\" xmlns:georss=\"http://www.georss.org/georss\" xml:lang=\"\(lang)\">\n"
        x += "  <id>\(Markup.xml("tag:\(options.idAuthority),\(options.tagDate):feed/\(language)"))</id>\n"
        x += "  <title type=\"text\">\(Markup.xml(options.title.text(language, fallback: options.title.languages.first ?? language)))</title>\n"
        if let d = options.description {
            x += "  <subtitle type=\"text\">\(Markup.xml(d.text(language, fallback: d.languages.first ?? language)))</subtitle>\n"
        }
        x += "  <updated>\(updated.description)</updated>\n"
        x += "  <link rel=\"self\" type=\"application/atom+xml\" href=\"\(Markup.xml(options.feedURL(language, "atom"), attribute: true))\"/>\n"
        x += "  <link rel=\"alternate\" type=\"text/html\" href=\"\(Markup.xml(options.siteURL, attribute: true))\"/>\n"
        x += "  <generator version=\"1.0\">Agenda (tz data \(Markup.xml(TimeZoneData.version)))</generator>\n"
        x += "  <author><name>\(Markup.xml(options.title.text(language, fallback: options.title.languages.first ?? language)))</name></author>\n"
        for (event, e) in zip(events, entries) { x += entry(e, event.record) }
        x += "</feed>\n"
        return Array(x.utf8)
    }

    func entry(_ e: FeedEntry, _ r: EventRecord) -> String {
        let lang = Markup.xml(r.title.resolvedLanguage(e.language, fallback: r.defaultLanguage), attribute: true)
        var x = "  <entry>\n"
        x += "    <id>\(Markup.xml(e.id(options)))</id>\n"
        x += "    <title type=\"text\" xml:lang=\"\(lang)\">\(Markup.xml(Markup.inertText(e.title)))</title>\n"
        x += "    <updated>\(e.published.description)</updated>\n"
        if let c = r.created { x += "    <published>\(c.description)</published>\n" }
        if let o = r.organizer, let name = e.organizer {
            x += "    <author><name>\(Markup.xml(name))</name>"
            if let email = o.email { x += "<email>\(Markup.xml(email))</email>" }
            if let url = o.url { x += "<uri>\(Markup.xml(url))</uri>" }
            x += "</author>\n"
        }
        if let link = e.link {
            x += "    <link rel=\"alternate\" type=\"text/html\" href=\"\(Markup.xml(link, attribute: true))\"/>\n"
        }
        for (l, url) in r.localizedURLs where l != e.language {
            x += "    <link rel=\"alternate\" type=\"text/html\" hreflang=\"\(Markup.xml(l, attribute: true))\" href=\"\(Markup.xml(url, attribute: true))\"/>\n"
        }
        for image in r.images {
            var attrs = "rel=\"enclosure\" href=\"\(Markup.xml(image.url, attribute: true))\""
            if let t = image.mediaType { attrs += " type=\"\(Markup.xml(t, attribute: true))\"" }
            if let b = image.bytes { attrs += " length=\"\(b)\"" }
            x += "    <link \(attrs)/>\n"
        }
        for (i, c) in e.categories.enumerated() {
            let slug = r.categories[i].slug
            let scheme = c.scheme.map { " scheme=\"\(Markup.xml($0, attribute: true))\"" } ?? ""
            x += "    <category term=\"\(Markup.xml(slug, attribute: true))\"\(scheme) label=\"\(Markup.xml(c.label, attribute: true))\"/>\n"
        }
        x += "    <summary type=\"text\" xml:lang=\"\(lang)\">\(Markup.xml(e.headline))</summary>\n"
        x += "    <content type=\"html\" xml:lang=\"\(lang)\">\(Markup.xml(e.html))</content>\n"
        if let point = e.georssPoint { x += "    <georss:point>\(point)</georss:point>\n" }
        return x + "  </entry>\n"
    }
}
