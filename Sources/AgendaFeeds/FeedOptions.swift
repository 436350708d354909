import AgendaRecords
import AgendaTime

/// Item order in a feed.
public enum FeedOrder: String, Sendable, CaseIterable {
    /// Events not yet over first, soonest first; then past events, most recent first.
    case upcoming
    /// By start, earliest first.
    case start
    /// By title in the feed language's collation (Spanish: ñ after n).
    case title
}

/// Settings shared by the RSS, Atom and JSON Feed writers.
public struct FeedOptions: Sendable {
    /// Feed title and description per language.
    public var title: LocalizedText
    public var description: LocalizedText?
    /// The website the feeds belong to (RSS channel `<link>`, JSON Feed `home_page_url`).
    public var siteURL: String
    /// Where the feed files are published; `<feedBaseURL>all.<lang>.rss` is the self link.
    public var feedBaseURL: String
    /// Stable ids: `tag:<idAuthority>,<tagDate>:event/<id>` (RFC 4151).
    public var idAuthority: String
    public var tagDate: String
    /// Minutes readers may cache the feed (RSS `<ttl>`).
    public var ttlMinutes: Int
    public var order: FeedOrder
    /// At most this many items per feed (0: no limit), so a 100,000-event batch does not make a
    /// 60 MB feed by accident. Calendars are never limited.
    public var limit: Int
    /// "Now" for `upcoming` ordering and the feeds' update time fallback; a setting, never the
    /// wall clock, so exports are reproducible.
    public var now: Instant

    public static let defaultLimit = 500

    public init(
        title: LocalizedText = LocalizedText([("en", "Agenda")]), description: LocalizedText? = nil,
        siteURL: String = "https://agenda.localhost/", feedBaseURL: String = "https://agenda.localhost/",
        idAuthority: String = "agenda.localhost", tagDate: String = "2024", ttlMinutes: Int = 720,
        order: FeedOrder = .upcoming, limit: Int = FeedOptions.defaultLimit, now: Instant = Instant(secondsSince1970: 0)
    ) {
        self.title = title
        self.description = description
        self.siteURL = siteURL
        self.feedBaseURL = feedBaseURL
        self.idAuthority = idAuthority
        self.tagDate = tagDate
        self.ttlMinutes = ttlMinutes
        self.order = order
        self.limit = limit
        self.now = now
    }

    func feedURL(_ language: String, _ ext: String) -> String {
        (feedBaseURL.hasSuffix("/") ? feedBaseURL : feedBaseURL + "/") + "all.\(language).\(ext)"
    }

    /// An event's stable id: `tag:<authority>,<tagDate>:event/<record id>` (RFC 4151).
    static func id(authority: String, tagDate: String, record: String) -> String { "tag:\(authority),\(tagDate):event/\(record)" }
}

/// Picks and orders the items of a feed, keeping only `limit` events in memory.
public struct FeedSelection: Sendable {
    public let options: FeedOptions
    public let language: String
    private var chosen: [(key: [UInt8], event: ScheduledEvent)] = []
    private var sorted = true
    /// The key of the last kept event once `limit` are kept (keys are unique: they end in the id).
    private var worstKept: [UInt8]?
    private var scratch: [UInt8] = []

    public init(options: FeedOptions, language: String) {
        self.options = options
        self.language = language
    }

    /// Offers an event; it is kept when it ranks among the first `limit`.
    public mutating func offer(_ e: ScheduledEvent) {
        // The key is made in a buffer kept for it, and copied only for an event that is kept.
        Self.key(e, order: options.order, now: options.now, language: language, into: &scratch)
        // Once `limit` events are kept, one that ranks after the last of them never enters:
        // most events of a large batch are turned away here without being stored.
        if let worst = worstKept, !scratch.lexicographicallyPrecedes(worst) { return }
        chosen.append((Array(scratch), e))
        sorted = false
        // Trimmed at a quarter over the limit: each kept event holds its whole record.
        if options.limit > 0 && chosen.count >= options.limit + max(options.limit / 4, 1) { trim() }
    }

    /// The chosen events in feed order.
    public mutating func events() -> [ScheduledEvent] {
        trim()
        return chosen.map(\.event)
    }

    private mutating func trim() {
        if !sorted {
            chosen.sort { $0.key.lexicographicallyPrecedes($1.key) }
            sorted = true
        }
        if options.limit > 0 && chosen.count >= options.limit {
            chosen.removeLast(chosen.count - options.limit)
            worstKept = chosen.last?.key
        }
    }

    /// A byte key whose order is the feed order (ties broken by id, so the order is total),
    /// made in `k`.
    private static func key(_ e: ScheduledEvent, order: FeedOrder, now: Instant, language: String, into k: inout [UInt8]) {
        k.removeAll(keepingCapacity: true)
        func append(_ v: Int64) {
            let u = UInt64(bitPattern: v) ^ (1 << 63)
            for shift in stride(from: 56, through: 0, by: -8) { k.append(UInt8(truncatingIfNeeded: u >> UInt64(shift))) }
        }
        switch order {
        case .upcoming:
            let over = (e.end ?? e.start) < now
            k.append(over ? 1 : 0)
            append(over ? -e.start.secondsSince1970 : e.start.secondsSince1970)
        case .start:
            append(e.start.secondsSince1970)
        case .title:
            k += Language.sortKey(e.record.title.text(language, fallback: e.record.defaultLanguage), locale: language)
            k.append(0)
        }
        k.append(contentsOf: e.record.id.utf8)
    }
}
