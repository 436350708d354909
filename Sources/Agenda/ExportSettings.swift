import AgendaFeeds
import Foundation
import Yams

/// Export settings read from a YAML or JSON file (`agenda export --config FILE`):
///
/// ```yaml
/// uidDomain: opengovweek.example                  # UIDs <id>@<uidDomain>, feed ids tag:<uidDomain>,<tagDate>:…
/// tagDate: "2024"
/// refreshInterval: PT6H                           # REFRESH-INTERVAL, X-PUBLISHED-TTL and RSS ttl
/// calendarName: { es: "Semana de Gobierno Abierto 2024", en: "Open Gov Week 2024" }   # also the feed title
/// calendarDescription: { es: "…", en: "…" }
/// publisher: { name: "…", url: "https://…" }     # or email:
/// siteURL: https://opengovweek.example/           # RSS channel link, JSON Feed home page
/// feedBaseURL: https://opengovweek.example/feeds/ # where the files are published (self links)
/// feedOrder: upcoming                             # upcoming | start | title
/// feedLimit: 500                                  # items per feed, 0 for no limit
/// timestamp: 2024-05-20T00:00:00Z                 # the export's "now": DTSTAMP fallback, upcoming order
/// ```
public struct ExportSettings: Sendable {
    public enum Problem: Error, CustomStringConvertible {
        case unreadable(String, String)
        case invalid(String, String)
        public var description: String {
            switch self {
            case .unreadable(let path, let why): "\(path): cannot read settings: \(why)"
            case .invalid(let path, let why): "\(path): \(why)"
            }
        }
    }

    public static func load(_ path: String, into export: inout ExportOptions) throws {
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw Problem.unreadable(path, error.localizedDescription)
        }
        let any: Any?
        do { any = try Yams.load(yaml: text) } catch { throw Problem.invalid(path, "not YAML/JSON: \(error)") }
        guard let map = any as? [String: Any] else { throw Problem.invalid(path, "expected a mapping of settings") }
        let known: Set<String> = ["uidDomain", "refreshInterval", "calendarName", "calendarDescription", "publisher",
                                  "timestamp", "productID", "siteURL", "feedBaseURL", "feedOrder", "feedLimit", "tagDate"]
        if let unknown = map.keys.filter({ !known.contains($0) }).sorted().first {
            throw Problem.invalid(path, "unknown setting '\(unknown)' (known: \(known.sorted().joined(separator: ", ")))")
        }
        func localized(_ key: String) throws -> LocalizedText? {
            guard let v = map[key] else { return nil }
            if let s = v as? String { return LocalizedText([("en", s)]) }
            guard let m = v as? [String: Any] else { throw Problem.invalid(path, "\(key): expected a language map") }
            var entries: [(language: String, text: String)] = []
            for (k, v) in m.sorted(by: { $0.key < $1.key }) {
                guard let tag = Language.canonicalTag(k), let s = v as? String else {
                    throw Problem.invalid(path, "\(key).\(k): expected text under a language tag")
                }
                entries.append((tag, s))
            }
            return LocalizedText(entries)
        }
        var options = export.calendar
        var feeds = export.feeds
        defer {
            export.calendar = options
            export.feeds = feeds
        }
        func url(_ key: String) throws -> String? {
            guard let v = map[key] else { return nil }
            guard let s = v as? String, s.hasPrefix("https://") || s.hasPrefix("http://") else {
                throw Problem.invalid(path, "\(key): expected an http(s) URL")
            }
            return s
        }
        if let d = map["uidDomain"] as? String {
            options.uidDomain = d
            feeds.idAuthority = d
        }
        if let t = map["tagDate"] {
            let s = (t as? String) ?? (t as? Int).map(String.init) ?? ""
            guard s.count == 4 || s.count == 7 || s.count == 10, s.first?.isNumber == true else {
                throw Problem.invalid(path, "tagDate: expected a year or date (RFC 4151), e.g. 2024")
            }
            feeds.tagDate = s
        }
        if let u = try url("siteURL") { feeds.siteURL = u }
        if let u = try url("feedBaseURL") { feeds.feedBaseURL = u }
        if let o = map["feedOrder"] {
            guard let s = o as? String, let order = FeedOrder(rawValue: s) else {
                throw Problem.invalid(path, "feedOrder: expected one of \(FeedOrder.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            feeds.order = order
        }
        if let l = map["feedLimit"] {
            guard let n = l as? Int, n >= 0 else { throw Problem.invalid(path, "feedLimit: expected a whole number ≥ 0") }
            feeds.limit = n
        }
        if let p = map["productID"] as? String { options.productID = p }
        if let r = map["refreshInterval"] {
            guard let s = r as? String, Self.isDuration(s) else {
                throw Problem.invalid(path, "refreshInterval: expected an RFC 5545 duration such as PT12H")
            }
            options.refreshInterval = s
            feeds.ttlMinutes = Self.minutes(s)
        }
        if let n = try localized("calendarName") {
            options.calendarName = n
            feeds.title = n
        }
        if let d = try localized("calendarDescription") {
            options.calendarDescription = d
            feeds.description = d
        }
        if let p = map["publisher"] as? [String: Any] {
            guard let name = p["name"] as? String else { throw Problem.invalid(path, "publisher.name is required") }
            if let email = p["email"] as? String {
                options.publisher = Publisher(name: name, address: "mailto:" + email)
            } else if let url = p["url"] as? String, url.hasPrefix("http") {
                options.publisher = Publisher(name: name, address: url)
            } else {
                throw Problem.invalid(path, "publisher needs an email or an http(s) url")
            }
        }
        if let t = map["timestamp"] {
            let s = (t as? String) ?? (t as? Date).map { ISO8601DateFormatter().string(from: $0) }
            guard let s, let instant = Instant(rfc3339: s) else {
                throw Problem.invalid(path, "timestamp: expected an RFC 3339 instant such as 2024-05-20T00:00:00Z")
            }
            options.fallbackTimestamp = instant
            feeds.now = instant
            export.timestamp = instant
        }
    }

    /// Whole minutes of a duration accepted by `isDuration` (RSS `<ttl>`).
    static func minutes(_ s: String) -> Int {
        var total = 0
        var number = 0
        var inTime = false
        for ch in s {
            if let d = ch.wholeNumberValue { number = number * 10 + d; continue }
            switch ch {
            case "T": inTime = true
            case "W": total += number * 7 * 1440
            case "D": total += number * 1440
            case "H": total += number * 60
            case "M": total += inTime ? number : 0
            case "S": total += number / 60
            default: break
            }
            number = 0
        }
        return total
    }

    /// RFC 5545 dur-value: `P1W`, `PT12H`, `P1DT6H30M` (positive).
    public static func isDuration(_ s: String) -> Bool {
        var rest = Substring(s)
        guard rest.hasPrefix("P") else { return false }
        rest = rest.dropFirst()
        func units(_ allowed: String) -> Bool {
            var any = false
            var order = allowed.makeIterator()
            while !rest.isEmpty, rest.first != "T" {
                let digits = rest.prefix(while: \.isNumber)
                guard !digits.isEmpty else { return false }
                rest = rest.dropFirst(digits.count)
                guard let unit = rest.first else { return false }
                var ok = false
                while let u = order.next() { if u == unit { ok = true; break } }
                guard ok else { return false }
                rest = rest.dropFirst()
                any = true
            }
            return any
        }
        if rest.hasPrefix("T") {
            rest = rest.dropFirst()
            return units("HMS") && rest.isEmpty
        }
        let dateOK = units("WD")
        if rest.hasPrefix("T") {
            rest = rest.dropFirst()
            return dateOK && units("HMS") && rest.isEmpty
        }
        return dateOK && rest.isEmpty
    }
}
