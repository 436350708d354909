import AgendaTime
#if canImport(Glibc)
import Glibc
#endif

/// The field names of `event-record.schema.json`, for checking input shape.
enum RecordSchema {
    static let root: FieldNames = [
        "schemaVersion", "id", "sequence", "status", "previousStart", "defaultLanguage", "title", "summary",
        "description", "descriptionFormat", "url", "localizedUrls", "timeZone", "allDay", "start", "end",
        "recurrence", "attendanceMode", "online", "venue", "organizer", "partners", "categories", "keywords",
        "images", "attachments", "offers", "created", "updated", "source",
    ]
    static let recurrence: FieldNames = ["rrule", "rdates", "exdates"]
    static let online: FieldNames = ["url", "label", "features"]
    static let venue: FieldNames = ["id", "name", "room", "address", "geo", "url"]
    static let address: FieldNames = ["street", "locality", "region", "regionCode", "postalCode", "countryCode"]
    static let geo: FieldNames = ["lat", "lon", "accuracyMeters"]
    static let party: FieldNames = ["kind", "name", "url", "email"]
    static let category: FieldNames = ["slug", "label", "scheme"]
    static let image: FieldNames = ["url", "alt", "mediaType", "width", "height", "bytes"]
    static let attachment: FieldNames = ["url", "title", "mediaType", "language", "bytes"]
    static let offers: FieldNames = ["isAccessibleForFree", "price", "currency", "url", "availability", "validFrom"]
    static let source: FieldNames = ["platform", "url", "retrieved"]

    /// Every field name, and the language tags records use most, for the JSON parser's key
    /// lookup (`KnownKeys`).
    static var allNames: [String] {
        [root, recurrence, online, venue, address, geo, party, category, image, attachment, offers, source]
            .flatMap(\.names) + Language.commonTagNames
    }

    /// Objects whose keys are language tags.
    static let localizedFields: Set<String> = ["title", "summary", "description", "name", "room", "label", "alt", "localizedUrls"]

    /// Nil when a dotted CSV column path names a schema field, else why not.
    static func checkPath(_ path: [String]) -> String? {
        var allowed: FieldNames? = root
        var parent = ""
        var i = 0
        while i < path.count {
            let seg = path[i]
            if seg.isEmpty { return "has an empty path segment" }
            if let allowed {
                guard allowed.contains(seg) else { return "'\(seg)' is not a field of the event record" }
            } else if localizedFields.contains(parent) {
                guard Language.isTagShaped(seg) else { return "'\(seg)' is not a language tag" }
                return i == path.count - 1 ? nil : "has segments after the language tag"
            }
            let arrayOf: [String: FieldNames] = [
                "partners": party, "categories": category, "images": image, "attachments": attachment,
            ]
            if let element = arrayOf[seg] {
                guard i + 1 < path.count, Int(path[i + 1]) != nil else { return "needs an index: \(seg).0.…" }
                i += 2
                allowed = element
                parent = seg
                continue
            }
            let objects: [String: FieldNames] = [
                "recurrence": recurrence, "online": online, "venue": venue, "address": address, "geo": geo,
                "organizer": party, "offers": offers, "source": source,
            ]
            parent = seg
            allowed = localizedFields.contains(seg) ? nil : objects[seg]
            i += 1
            if allowed == nil && !localizedFields.contains(seg) && i < path.count {
                return "'\(seg)' has no sub-fields"
            }
        }
        if localizedFields.contains(parent) { return "needs a language: \(path.joined(separator: ".")).es" }
        if allowed != nil && allowed != root && path.count > 0 && objectsOnly(path.last!) {
            return "names an object; name one of its fields"
        }
        return nil
    }

    private static func objectsOnly(_ seg: String) -> Bool {
        ["recurrence", "online", "venue", "address", "geo", "organizer", "offers", "source"].contains(seg)
    }
}

/// The field names of one schema object, looked up without hashing: every field of every record
/// is checked against them, and comparing a key with the few names of its length costs less
/// than hashing it.
struct FieldNames: Equatable, Sendable, ExpressibleByArrayLiteral {
    let names: Set<String>
    /// The names (all ASCII) by their length in bytes.
    private let byLength: [[String]]

    init(arrayLiteral names: String...) {
        self.names = Set(names)
        var byLength = [[String]](repeating: [], count: (names.map(\.utf8.count).max() ?? 0) + 1)
        for name in names {
            precondition(name.utf8.allSatisfy { $0 < 0x80 }, "schema field names are ASCII")
            byLength[name.utf8.count].append(name)
        }
        self.byLength = byLength
    }

    static func == (a: FieldNames, b: FieldNames) -> Bool { a.names == b.names }

    /// Whether `key` is one of the names, spelled in the same bytes. No other spelling of an ASCII
    /// name has as many bytes (a canonical equivalent such as U+212A for K is longer).
    func containsSpelling(_ key: String) -> Bool {
        let n = key.utf8.count
        return n < byLength.count && byLength[n].contains { $0 == key }
    }

    /// Whether `key` is one of the names, compared as Swift compares strings (canonically).
    func contains(_ key: String) -> Bool {
        containsSpelling(key) || (key.utf8.contains { $0 >= 0x80 } && names.contains(key))
    }
}

/// Names found from their UTF-8 bytes: the decoders look up every key of every record, and a key
/// found here needs no `String` of its own. Only names of the same length are looked at, each by
/// its first eight bytes as one 64-bit word (a call to `memcmp` for every candidate of a length
/// was a few percent of an export's CPU); longer names compare the rest of their bytes too.
struct NameTable {
    /// Every name's bytes, one after the other, grouped by length (the group of length `n` runs
    /// from `groupStarts[n]` to `groupStarts[n + 1]` in `entries`). Flat and of plain values: a
    /// table of arrays and strings retained and released each entry it looked at, and the
    /// decoder looks up some forty keys and tags a record.
    private let bytes: [UInt8]
    private let entries: [(offset: Int, index: Int, word: UInt64)]
    private let groupStarts: [Int]
    private let names: [String]

    init(_ names: [String]) {
        self.names = names
        let longest = names.map(\.utf8.count).max() ?? 0
        var bytes: [UInt8] = [], entries: [(offset: Int, index: Int, word: UInt64)] = [], starts: [Int] = []
        for length in 0...longest + 1 {
            starts.append(entries.count)
            for (i, name) in names.enumerated() where name.utf8.count == length {
                let utf8 = Array(name.utf8)
                entries.append((bytes.count, i, utf8.withUnsafeBufferPointer { $0.baseAddress.map { Self.word($0, length) } ?? 0 }))
                bytes += utf8
            }
        }
        self.bytes = bytes
        self.entries = entries
        groupStarts = starts
    }

    /// The first eight bytes (fewer for a shorter name, the rest zero) as one word.
    @inline(__always)
    private static func word(_ p: UnsafePointer<UInt8>, _ count: Int) -> UInt64 {
        var w: UInt64 = 0
        for i in 0..<min(count, 8) { w |= UInt64(p[i]) << (8 * UInt64(i)) }
        return w
    }

    /// The position in the list given of the name spelled by `key`, if it is one.
    func index(of key: UnsafeBufferPointer<UInt8>) -> Int? {
        let n = key.count
        guard n > 0, n + 1 < groupStarts.count, let base = key.baseAddress else { return nil }
        let w = Self.word(base, n)
        return bytes.withUnsafeBufferPointer { all in
            for k in groupStarts[n]..<groupStarts[n + 1] {
                let e = entries[k]
                if e.word == w && (n <= 8 || memcmp(all.baseAddress! + e.offset + 8, base + 8, n - 8) == 0) { return e.index }
            }
            return nil
        }
    }

    /// The name spelled by `key` and its position, if it is one.
    func find(_ key: UnsafeBufferPointer<UInt8>) -> (name: String, index: Int)? {
        index(of: key).map { (names[$0], $0) }
    }
}

/// The object keys records use, found from their bytes: a key read as one of these is the
/// table's `String`, with no UTF-8 validation and no new string (records repeat the same few
/// dozen keys, about 45 a record).
enum KnownKeys {
    private static let table = NameTable(Set(RecordSchema.allNames).sorted())

    static func name(_ bytes: UnsafeBufferPointer<UInt8>) -> String? { table.find(bytes)?.name }
}

extension Language {
    /// Shape check only (`xx`, `xxx`, `xx-YY`…); canonicalization is `canonicalTag`.
    static func isTagShaped(_ s: String) -> Bool {
        // Byte by byte (this runs for every text of every record): ASCII letters, then subtags of
        // 2–8 ASCII letters or digits, separated by '-' or '_'.
        var first = true
        var length = 0
        for b in s.utf8 {
            if b == 0x2D || b == 0x5F {
                guard first ? (2...3).contains(length) : (2...8).contains(length) else { return false }
                first = false
                length = 0
                continue
            }
            let letter = (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A
            guard letter || (!first && b >= 0x30 && b <= 0x39) else { return false }
            length += 1
        }
        return first ? (2...3).contains(length) : (2...8).contains(length)
    }
}
