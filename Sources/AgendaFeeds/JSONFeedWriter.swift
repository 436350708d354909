import AgendaRecords
import AgendaTime

/// JSON Feed 1.1, one feed per language, with an `_event` extension per item.
public struct JSONFeedWriter: Sendable {
    public var options: FeedOptions
    public init(options: FeedOptions) { self.options = options }

    public func feed(_ events: [ScheduledEvent], language: String) -> [UInt8] {
        let entries = events.map { FeedEntry($0, language: language, options: options) }
        var fields: [(String, String)] = [
            ("version", Markup.json("https://jsonfeed.org/version/1.1")),
            ("title", Markup.json(options.title.text(language, fallback: options.title.languages.first ?? language))),
            ("home_page_url", Markup.json(options.siteURL)),
            ("feed_url", Markup.json(options.feedURL(language, "json"))),
            ("language", Markup.json(language)),
        ]
        if let d = options.description {
            fields.append(("description", Markup.json(d.text(language, fallback: d.languages.first ?? language))))
        }
        fields.append(("_agenda", object([("tzdata", Markup.json(TimeZoneData.version))], indent: 1)))
        fields.append(("items", "[" + zip(events, entries).map { "\n    " + item($1, $0.record) }.joined(separator: ",") + (entries.isEmpty ? "]" : "\n  ]")))
        return Array((object(fields, indent: 0) + "\n").utf8)
    }

    func item(_ e: FeedEntry, _ r: EventRecord) -> String {
        var f: [(String, String)] = [("id", Markup.json(e.id(options)))]
        if let link = e.link { f.append(("url", Markup.json(link))) }
        f.append(("title", Markup.json(e.title)))
        f.append(("content_text", Markup.json(e.text)))
        f.append(("content_html", Markup.json(e.html)))
        f.append(("summary", Markup.json(e.headline)))
        if let c = r.created { f.append(("date_published", Markup.json(c.description))) }
        f.append(("date_modified", Markup.json(e.published.description)))
        if !e.categories.isEmpty { f.append(("tags", "[" + e.categories.map { Markup.json($0.label) }.joined(separator: ", ") + "]")) }
        if let image = r.images.first { f.append(("image", Markup.json(image.url))) }
        if let name = e.organizer {
            var author = [("name", Markup.json(name))]
            if let url = r.organizer?.url { author.append(("url", Markup.json(url))) }
            f.append(("authors", "[" + object(author, indent: nil) + "]"))
        }
        f.append(("language", Markup.json(r.title.resolvedLanguage(e.language, fallback: r.defaultLanguage))))
        var ev: [(String, String)] = [("start", Markup.json(e.startRFC3339))]
        if let end = e.endRFC3339 { ev.append(("end", Markup.json(end))) }
        ev.append(("allDay", r.allDay ? "true" : "false"))
        ev.append(("timeZone", Markup.json(r.timeZone)))
        ev.append(("status", Markup.json(r.status.rawValue)))
        ev.append(("attendanceMode", Markup.json(r.attendanceMode.rawValue)))
        if let place = e.place { ev.append(("location", Markup.json(place))) }
        if let g = e.position {
            ev.append(("coordinates", "[" + GeoPoint.text(g.longitude) + ", " + GeoPoint.text(g.latitude) + "]"))
        }
        if let online = r.online?.url { ev.append(("onlineUrl", Markup.json(online))) }
        f.append(("_event", object(ev, indent: nil)))
        return object(f, indent: nil)
    }

    /// `{"k": v, …}` on one line (indent nil) or one member per line.
    func object(_ fields: [(String, String)], indent: Int?) -> String {
        guard let indent else { return "{" + fields.map { Markup.json($0.0) + ": " + $0.1 }.joined(separator: ", ") + "}" }
        let pad = String(repeating: "  ", count: indent + 1)
        let close = String(repeating: "  ", count: indent)
        return "{\n" + fields.map { pad + Markup.json($0.0) + ": " + $0.1 }.joined(separator: ",\n") + "\n" + close + "}"
    }
}
