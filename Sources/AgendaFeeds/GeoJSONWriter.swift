import AgendaICS
import AgendaRecords
import AgendaTime

/// GeoJSON (RFC 7946) for map tools, and GeoJSON Text Sequences (RFC 8142) for large batches.
///
/// One Feature per event with a venue position (Point `[lon, lat]`, at most six decimals); a
/// recurring event becomes one Feature per occurrence inside the window. Online-only events get
/// `geometry: null` (valid RFC 7946) unless `includeOnline` is false.
///
/// Properties are flat scalars, which MapLibre filters and styles can use directly, except the
/// two documented maps `title_i18n` and `summary_i18n` (all languages of the record).
public struct GeoJSONWriter: Sendable {
    public var options: FeedOptions
    /// Online-only events as features with `geometry: null` (true) or left out (false).
    public var includeOnline: Bool
    /// Occurrences of recurring events are listed from `options.now` minus `daysBefore` to
    /// `options.now` plus `daysAfter`.
    public var daysBefore: Int
    public var daysAfter: Int

    public init(options: FeedOptions, includeOnline: Bool = true, daysBefore: Int = 30, daysAfter: Int = 365) {
        self.options = options
        self.includeOnline = includeOnline
        self.daysBefore = daysBefore
        self.daysAfter = daysAfter
    }

    /// The features of one event in one language (several for a recurring event).
    public func features(_ e: ScheduledEvent, language: String) -> [String] {
        featureBytes(e, language: language).map { String(decoding: $0, as: UTF8.self) }
    }

    /// `features(_:language:)` as UTF-8 bytes, as the exporter writes them.
    public func featureBytes(_ e: ScheduledEvent, language: String) -> [[UInt8]] {
        featureBytes(e, language: language) { [] }
    }

    /// `featureBytes(_:language:)`, each feature written into a buffer from `buffer` (empty, of
    /// any capacity): the exporter's workers get back the buffers already written.
    public func featureBytes(_ e: ScheduledEvent, language: String, buffer: () -> [UInt8]) -> [[UInt8]] {
        let r = e.record
        if e.position == nil || r.attendanceMode == .online {
            guard includeOnline else { return [] }
        }
        guard r.recurrence != nil else { return [feature(e, language: language, occurrence: nil, into: buffer())] }
        let windowStart = Instant(secondsSince1970: options.now.secondsSince1970 - Int64(daysBefore) * 86400)
        let windowEnd = Instant(secondsSince1970: options.now.secondsSince1970 + Int64(daysAfter) * 86400)
        let duration = (e.end?.secondsSince1970 ?? e.start.secondsSince1970) - e.start.secondsSince1970
        return RecurrenceExpander().occurrences(of: r, zone: e.zone, until: windowEnd).compactMap { local in
            var occurrence = e
            occurrence.start = e.zone.resolve(local).instant
            occurrence.end = e.end.map { _ in Instant(secondsSince1970: occurrence.start.secondsSince1970 + duration) }
            if r.allDay {
                occurrence.record.start = .date(local.date)
                let days = (r.end ?? r.start).civilDate.daysSinceEpoch - r.start.civilDate.daysSinceEpoch
                occurrence.record.end = .date(local.date.adding(days: days))
                occurrence.end = e.zone.resolve(LocalDateTime(date: local.date.adding(days: days + 1))).instant
            } else {
                occurrence.record.start = .dateTime(local)
            }
            guard (occurrence.end ?? occurrence.start) >= windowStart else { return nil }
            return feature(occurrence, language: language, occurrence: local, into: buffer())
        }
    }

    /// One Feature, written as bytes: it is the largest part of a batch export's output, and
    /// building it from joined `String`s cost twice as much.
    func feature(_ e: ScheduledEvent, language: String, occurrence: LocalDateTime?, into buffer: consuming [UInt8]) -> [UInt8] {
        let r = e.record
        let entry = FeedEntry(e, language: language, options: options)
        let fallback = r.defaultLanguage
        // `consume`: with the parameter still alive, the buffer would be shared, and copied.
        var out = consume buffer
        out.removeAll(keepingCapacity: true)
        out.reserveCapacity(4096)
        var id = r.id
        if let occurrence { id += "@" + occurrence.basicFormat }
        out.appendLiteral(#"{"type": "Feature", "id": "#)
        Markup.appendJSON(id, to: &out)
        out.appendLiteral(#", "geometry": "#)
        if let g = e.position, r.attendanceMode != .online {
            out.appendLiteral(#"{"type": "Point", "coordinates": ["#)
            out.appendUTF8(GeoPoint.text(g.longitude))
            out.appendLiteral(", ")
            out.appendUTF8(GeoPoint.text(g.latitude))
            out.appendLiteral("]}")
        } else {
            out.appendLiteral("null")
        }
        // Property names are plain ASCII, each written with the comma before it and the colon
        // after it in one piece ("name" is always there, and first); values are escaped.
        func key(_ k: StaticString) { out.appendLiteral(k) }
        func add(_ k: StaticString, _ v: String?) {
            guard let v else { return }
            out.appendLiteral(k)
            Markup.appendJSON(v, to: &out)
        }
        // Values of this program's own vocabulary (ASCII, nothing to escape) are written as the
        // literals they are, without a scan for escapes.
        func plain(_ k: StaticString, _ v: StaticString) {
            out.appendLiteral(k)
            out.append(0x22)
            out.appendLiteral(v)
            out.append(0x22)
        }
        out.appendLiteral(#", "properties": {"name": "#)
        // The title is escaped once and its bytes written again for "title".
        let titleStart = out.count
        Markup.appendJSON(entry.title, to: &out)
        let title = titleStart..<out.count
        // `entry.text` written in its pieces, without joining them into one string first.
        key(#", "description": "#)
        out.append(0x22)
        Markup.appendJSONContent(entry.when, to: &out)
        if let place = entry.placeParts {
            out.appendLiteral(" · ")
            Markup.appendJSONContent(place.name, to: &out)
            if let locality = place.locality {
                out.appendLiteral(", ")
                Markup.appendJSONContent(locality, to: &out)
            }
        }
        // The summary is usually one of the description's paragraphs (the description itself,
        // as plain text): its escaped bytes are then taken from there rather than made again.
        let summary = (r.summary ?? r.description).map {
            PlainText.from($0.text(language, fallback: fallback), format: r.summary == nil ? r.descriptionFormat : .text)
        }
        var escapedSummary: Range<Int>?
        for paragraph in entry.paragraphs {
            out.appendLiteral(#"\n\n"#)
            let start = out.count
            Markup.appendJSONContent(paragraph, to: &out)
            if escapedSummary == nil, paragraph == summary { escapedSummary = start..<out.count }
        }
        out.append(0x22)
        add(#", "event_id": "#, r.id)
        key(#", "title": "#)
        out.appendCopy(of: title)
        if let escapedSummary {
            key(#", "summary": ""#)
            out.appendCopy(of: escapedSummary)
            out.append(0x22)
        } else {
            add(#", "summary": "#, summary)
        }
        key(#", "title_i18n": "#)
        i18n(r.title, to: &out)
        if let s = r.summary {
            key(#", "summary_i18n": "#)
            i18n(s, to: &out)
        }
        add(#", "when": "#, entry.when)
        // RFC 3339 texts hold nothing JSON escapes: written as they are made.
        key(#", "start": ""#)
        entry.appendStartRFC3339(to: &out)
        out.append(0x22)
        if entry.hasEnd {
            key(#", "end": ""#)
            entry.appendEndRFC3339(to: &out)
            out.append(0x22)
        }
        key(#", "allDay": "#)
        if r.allDay { out.appendLiteral("true") } else { out.appendLiteral("false") }
        add(#", "timeZone": "#, r.timeZone)
        plain(#", "status": "#, Self.name(r.status))
        plain(#", "attendanceMode": "#, Self.name(r.attendanceMode))
        add(#", "onlineUrl": "#, r.online?.url)
        add(#", "venue": "#, r.venue?.name.text(language, fallback: fallback))
        if let a = r.venue?.address {
            // The address parts written one after the other into one JSON string.
            var separator = false
            for part in [a.street, a.postalCode, a.locality, a.region] {
                guard let part else { continue }
                if separator { out.appendLiteral(", ") } else { out.appendLiteral(#", "address": ""#) }
                separator = true
                Markup.appendJSONContent(part, to: &out)
            }
            if separator { out.append(0x22) }
            add(#", "locality": "#, a.locality)
            add(#", "country": "#, a.countryCode)
        }
        add(#", "organizer": "#, entry.organizer)
        // Lists written item by item into one JSON string each, without joining them first.
        if !r.categories.isEmpty {
            key(#", "categories": ""#)
            for (i, c) in r.categories.enumerated() {
                if i > 0 { out.append(0x2C) }
                Markup.appendJSONContent(c.slug, to: &out)
            }
            key(#"", "category_labels": ""#)
            for (i, c) in r.categories.enumerated() {
                if i > 0 { out.appendLiteral(", ") }
                Markup.appendJSONContent(entry.label(of: c), to: &out)
            }
            out.append(0x22)
        }
        add(#", "url": "#, entry.link)
        add(#", "image": "#, r.images.first?.url)
        if let occurrence { add(#", "occurrence": "#, occurrence.description) }
        plain(#", "marker-color": "#, Self.color(r))
        plain(#", "marker-symbol": "#, Self.symbol(r))
        key(#", "marker-size": "medium"}}"#)
        return out
    }

    /// A language map, languages in order.
    func i18n(_ t: LocalizedText, to out: inout [UInt8]) {
        func member(_ entry: LocalizedText.Entry, first: Bool) {
            if !first { out.appendLiteral(", ") }
            Markup.appendJSON(entry.language, to: &out)
            out.appendLiteral(": ")
            Markup.appendJSON(entry.text, to: &out)
        }
        out.append(0x7B)
        // Most records have one or two languages: those are put in order without a sorted copy.
        let entries = t.entries
        if entries.count == 2, entries[1].language < entries[0].language {
            member(entries[1], first: true)
            member(entries[0], first: false)
        } else if entries.count <= 2 {
            for (i, entry) in entries.enumerated() { member(entry, first: i == 0) }
        } else {
            for (i, entry) in entries.sorted(by: { $0.language < $1.language }).enumerated() { member(entry, first: i == 0) }
        }
        out.append(0x7D)
    }

    /// simplestyle `marker-color`: grey when cancelled, amber when not confirmed, else by the
    /// first category (a stable colour per slug).
    static func color(_ r: EventRecord) -> StaticString {
        switch r.status {
        case .cancelled: return "#7f7f7f"
        case .postponed, .tentative: return "#f0a30a"
        default: break
        }
        guard let slug = r.categories.first?.slug else { return palette[0] }
        var hash: UInt32 = 2166136261
        for b in slug.utf8 { hash = (hash ^ UInt32(b)) &* 16777619 }
        return palette[Int(hash % UInt32(palette.count))]
    }

    /// Made once: as a local, the array and its eight strings were made and freed for each feature.
    private static let palette: [StaticString] = ["#1f77b4", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22"]

    /// simplestyle `marker-symbol` (Maki icon names).
    static func symbol(_ r: EventRecord) -> StaticString {
        if r.status == .cancelled { return "cross" }
        switch r.attendanceMode {
        case .online: return "mobile-phone"
        case .mixed: return "town-hall"
        case .offline: return r.allDay ? "star" : "marker"
        }
    }

    /// The schema's name of a status or an attendance mode (its raw value), as a literal.
    static func name(_ s: EventStatus) -> StaticString {
        switch s {
        case .scheduled: "scheduled"
        case .tentative: "tentative"
        case .cancelled: "cancelled"
        case .postponed: "postponed"
        case .rescheduled: "rescheduled"
        case .movedOnline: "movedOnline"
        }
    }

    static func name(_ m: AttendanceMode) -> StaticString {
        switch m {
        case .offline: "offline"
        case .online: "online"
        case .mixed: "mixed"
        }
    }

    /// A FeatureCollection with its `bbox`; `features` are the strings from `features(_:language:)`.
    public func collection(_ features: [String], bbox: GeoBox?, language: String) -> [UInt8] {
        var bytes = head(language: language)
        for (i, f) in features.enumerated() { bytes += Self.member(Array(f.utf8), first: i == 0) }
        return bytes + Self.tail(bbox: bbox, empty: features.isEmpty)
    }

    /// The collection up to its `features` array, for streaming: `head`, then `member` for each
    /// feature, then `tail`. The `bbox` comes last (JSON members have no order), so a map can be
    /// written as its events stream past, without knowing its extent beforehand.
    public func head(language: String) -> [UInt8] {
        var s = "{\"type\": \"FeatureCollection\""
        s += ", \"name\": " + Markup.json(options.title.text(language, fallback: options.title.languages.first ?? language))
        s += ", \"metadata\": {\"language\": " + Markup.json(language) + ", \"tzdata\": " + Markup.json(TimeZoneData.version) + "}"
        return Array((s + ", \"features\": [").utf8)
    }

    /// One feature inside the array, one per line.
    public static func member(_ feature: [UInt8], first: Bool) -> [UInt8] {
        let (before, after) = framing(sequence: false, first: first)
        var out: [UInt8] = []
        out.appendLiteral(before)
        out += feature
        out.appendLiteral(after)
        return out
    }

    /// The bytes around a feature: in a collection a line break, after a comma but for the first;
    /// in a sequence (RFC 8142) RS before and LF after. Apart, so a batch writes the feature made
    /// on a worker as it is, without a copy that adds two bytes. Literals, not arrays: the
    /// writing thread frames every feature twice, and each array was retained and released.
    public static func framing(sequence: Bool, first: Bool) -> (before: StaticString, after: StaticString) {
        sequence ? ("\u{1E}", "\n") : (first ? "\n" : ",\n", "")
    }

    /// The end of the collection, with the `bbox` of its features.
    public static func tail(bbox: GeoBox?, empty: Bool) -> [UInt8] {
        var s = empty ? "]" : "\n]"
        if let bbox, !bbox.isEmpty { s += ", \"bbox\": " + bbox.json }
        return Array((s + "}\n").utf8)
    }
}

/// The bounding box of the features written so far.
public struct GeoBox: Sendable {
    public var west = 180.0, south = 90.0, east = -180.0, north = -90.0
    public init() {}
    public mutating func include(_ g: GeoPoint) {
        west = min(west, g.longitude)
        east = max(east, g.longitude)
        south = min(south, g.latitude)
        north = max(north, g.latitude)
    }
    public var isEmpty: Bool { west > east }
    var json: String { "[" + [west, south, east, north].map(GeoPoint.text).joined(separator: ", ") + "]" }
}

extension [UInt8] {
    /// Appends a copy of its own bytes in `range`, through memory of the call's own rather than
    /// a new array (`Array(out[range])`: a heap block for every title and summary written twice).
    mutating func appendCopy(of range: Range<Int>) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: range.count) { copy in
            withUnsafeBufferPointer { bytes in _ = copy.initialize(fromContentsOf: bytes[range]) }
            appendBytes(UnsafeBufferPointer(copy))
        }
    }
}
