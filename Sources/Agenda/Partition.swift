import AgendaRecords
import AgendaTime

/// A way to split the export into extra feed sets, each in its own folder (see README.md,
/// "Output layout"). The whole export (`all.<lang>.*` at the top) is always written.
public enum PartitionScheme: Hashable, Sendable {
    /// `by-category/<slug>/`: one set per category slug.
    case category
    /// `by-country/<cc>/`: one set per venue country (ISO 3166-1, lower case); online events
    /// without a country are in none.
    case country
    /// `upcoming/`: events not over at the export's "now".
    case upcoming
    /// `past/`: events over at the export's "now".
    case past
    /// `<from>_<to>/`: events whose start date, in their own zone, is in the range (inclusive).
    case dates(CivilDate, CivilDate)

    /// Parses `category`, `country`, `upcoming`, `past` or `2024-05-01..2024-06-30`.
    public init?(argument: String) {
        switch argument {
        case "category": self = .category
        case "country": self = .country
        case "upcoming": self = .upcoming
        case "past": self = .past
        default:
            let parts = argument.split(separator: ".", omittingEmptySubsequences: true)
            guard argument.contains(".."), parts.count == 2, let from = CivilDate(iso: parts[0]),
                  let to = CivilDate(iso: parts[1]), from <= to
            else { return nil }
            self = .dates(from, to)
        }
    }

    /// Upcoming, past or a date range (not a key of the event).
    var isWindow: Bool { self != .category && self != .country }

    /// Whether membership depends on the export's "now" (known only after the first pass).
    var dependsOnNow: Bool {
        switch self {
        case .upcoming, .past: true
        default: false
        }
    }
}

/// One set of output files: the whole export, or one partition of it.
struct Partition {
    /// The manifest's name for it: `all`, `category/open-data`, `country/co`, `upcoming`, `past`,
    /// `2024-05-01_2024-06-30`.
    let name: String
    /// Folder below the output directory, "" for the whole export, else ending in "/".
    let folder: String
    /// Added to feed and calendar titles (" · Datos abiertos"); nil for the whole export.
    let label: LocalizedText?
    /// Zones and spans for the VTIMEZONEs, and the map's bbox, of its members.
    var spans = ZoneSpans()
    var box = GeoBox()

    static let whole = Partition(name: "all", folder: "", label: nil)

    static func category(_ c: Category) -> Partition {
        let slug = folderName(c.slug, otherwise: "category")
        return Partition(name: "category/" + slug, folder: "by-category/\(slug)/", label: c.label)
    }

    static func country(_ code: String) -> Partition {
        let cc = code.lowercased()
        return Partition(name: "country/" + cc, folder: "by-country/\(cc)/", label: LocalizedText([("en", code)]))
    }

    static func window(_ scheme: PartitionScheme) -> Partition {
        switch scheme {
        case .upcoming:
            return Partition(name: "upcoming", folder: "upcoming/", label: LocalizedText([("es", "Próximos"), ("en", "Upcoming")]))
        case .past:
            return Partition(name: "past", folder: "past/", label: LocalizedText([("es", "Pasados"), ("en", "Past")]))
        case .dates(let from, let to):
            let name = "\(from)_\(to)"
            return Partition(name: name, folder: name + "/", label: LocalizedText([("en", "\(from) – \(to)")]))
        case .category, .country:
            preconditionFailure("not a time window")
        }
    }

    /// A safe folder name: the slug's ASCII form, never empty, never `.` or `..`.
    static func folderName(_ text: String, otherwise fallback: String) -> String {
        let slug = Language.slug(text)
        return slug.isEmpty ? fallback : slug
    }

    /// "Open Gov Week 2024" becomes "Open Gov Week 2024 · Datos abiertos" in each language.
    func titled(_ title: LocalizedText) -> LocalizedText {
        guard let label else { return title }
        return LocalizedText(title.entries.map { entry in
            (entry.language, entry.text + " · " + label.text(entry.language, fallback: label.languages.first ?? "en"))
        })
    }
}

extension PartitionScheme {
    /// Whether a scheduled event belongs to this time window at `now`. Category and country
    /// partitions are chosen by key instead.
    func contains(_ e: ScheduledEvent, now: Instant) -> Bool {
        switch self {
        case .upcoming: return (e.end ?? e.start) >= now
        case .past: return (e.end ?? e.start) < now
        case .dates(let from, let to):
            let day = e.record.allDay ? e.record.start.civilDate : e.zone.localTime(at: e.start).date
            return day >= from && day <= to
        case .category, .country: return false
        }
    }
}
