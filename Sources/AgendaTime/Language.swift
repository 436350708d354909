import CAgendaICU
import CAgendaScan
import Synchronization

/// Language and text services from ICU: BCP 47 tags, NFC, collation, slugs, grapheme clusters.
public enum Language {
    /// The canonical BCP 47 form (`es_co` → `es-CO`, `iw` → `he`), or nil for a malformed tag.
    public static func canonicalTag(_ tag: String) -> String? {
        guard !tag.isEmpty, tag.utf8.allSatisfy({ $0 < 0x80 }) else { return nil }
        // Records repeat the same few tags thousands of times; ICU's canonicalization is not cheap.
        // The commonest are answered from a table made once, without taking the cache's lock.
        let length = tag.utf8.count
        if let common = commonTags.first(where: { $0.tag.utf8.count == length && $0.tag == tag }) { return common.canonical }
        if let cached = tagCache.withLock({ $0[tag] }) { return cached }
        let result = bridgeString { agenda_language_canonical(tag, $0, $1) }
        tagCache.withLock { cache in
            if cache.count > 10_000 { cache.removeAll() }
            cache[tag] = .some(result)
        }
        return result
    }

    private static let tagCache = Mutex<[String: String?]>([:])

    /// The tags records use most (also among the JSON reader's known keys).
    package static let commonTagNames = ["es", "en", "pt", "fr", "de", "it", "ca", "eu", "gl", "es-CO", "es-ES", "es-MX", "en-US", "en-GB", "pt-BR"]

    /// `commonTagNames`, canonicalized by ICU once.
    private static let commonTags: [(tag: String, canonical: String?)] = commonTagNames.map { tag in
        (tag, bridgeString { agenda_language_canonical(tag, $0, $1) })
    }

    /// The text in Unicode Normalization Form C. Already-normalized text (the usual case) is
    /// returned as is after a quick check (handed back, not copied: `consuming` spares a retain
    /// and a release for every text of every record).
    public static func nfc(_ text: consuming String) -> String {
        // Below U+0300 there is nothing to compose, nor in U+2002–U+207F (typographic quotes and
        // dashes; U+2000 and U+2001 are not NFC). The rule is CAgendaScan's, the one the JSON
        // reader applies to its texts: this runs for every text of every record.
        let simple = text.utf8.withContiguousStorageIfAvailable { bytes in
            agenda_utf8_shape(bytes.baseAddress, bytes.count) & Int32(AGENDA_UTF8_NFC_PLAIN) != 0
        } ?? false
        if simple { return text }
        let normalized = text.withUTF8Bytes { bytes in
            bytes.withMemoryRebound(to: CChar.self) { agenda_is_nfc($0.baseAddress, Int32($0.count)) == 1 }
        }
        if normalized { return text }
        if let composed = bridgeString(text, { agenda_nfc($0, $1, $2, $3) }) { return composed }
        return text
    }

    /// A collation key: sorting keys bytewise sorts the texts as the locale expects (Spanish: ñ after
    /// n, accents as a secondary difference).
    public static func sortKey(_ text: String, locale: String) -> [UInt8] {
        return text.withUTF8Bytes { bytes in
            bytes.withMemoryRebound(to: CChar.self) { input -> [UInt8] in
                var capacity = 64 + input.count * 4
                while true {
                    var key = [UInt8](repeating: 0, count: capacity)
                    let needed = Int(agenda_sort_key(locale, input.baseAddress, Int32(input.count), &key,
                                                     Int32(capacity)))
                    if needed <= 0 { return [] }
                    if needed <= capacity { return Array(key[..<needed]) }
                    capacity = needed
                }
            }
        }
    }

    /// Sorts texts with the locale's collation.
    public static func sorted(_ texts: [String], locale: String) -> [String] {
        texts.map { (sortKey($0, locale: locale), $0) }.sorted { $0.0.lexicographicallyPrecedes($1.0) }.map(\.1)
    }

    /// An ASCII slug for file names and ids: transliterated to Latin, accents removed, lower case,
    /// other characters collapsed to single hyphens, cut at a hyphen to at most `maxLength`.
    public static func slug(_ text: String, maxLength: Int = 80) -> String {
        let full = bridgeString(text) { agenda_slug($0, $1, $2, $3) } ?? ""
        guard full.utf8.count > maxLength else { return full }
        let cut = full.prefix(maxLength)
        if full[cut.endIndex] == "-" { return String(cut) }
        if let dash = cut.lastIndex(of: "-") { return String(cut[..<dash]) }
        return String(cut)
    }

    /// Where to fold a line of UTF-8 into pieces of at most `firstLimit`, then `limit`, bytes
    /// without splitting a grapheme cluster (see `agenda_fold_points`). ASCII text without
    /// controls breaks anywhere, so it never reaches ICU.
    public static func foldPoints(_ bytes: UnsafeBufferPointer<UInt8>, firstLimit: Int, limit: Int) -> [Int] {
        var points: [Int] = []
        withFoldPoints(bytes, firstLimit: firstLimit, limit: limit) { points = $0.map(Int.init) }
        return points
    }

    /// `foldPoints`, handed to `body` in memory of the call's own: a calendar folds two or three
    /// lines of every event, and the two arrays a call made were a third of the folding. (Not
    /// generic: unspecialized across modules, the metadata lookups cost more than the arrays.)
    public static func withFoldPoints(_ bytes: UnsafeBufferPointer<UInt8>, firstLimit: Int, limit: Int,
                                      _ body: (UnsafeBufferPointer<Int32>) -> Void) {
        // Every `limit` bytes: for text with nothing ICU must judge, or when ICU fails.
        func evenly() {
            withUnsafeTemporaryAllocation(of: Int32.self, capacity: bytes.count / max(limit, 1) + 2) { out in
                var count = 0
                for cut in stride(from: firstLimit, to: bytes.count, by: limit) {
                    out[count] = Int32(cut)
                    count += 1
                }
                body(UnsafeBufferPointer(rebasing: out[..<count]))
            }
        }
        if !bytes.contains(where: { $0 >= 0x80 || $0 < 0x20 }) { return evenly() }
        // Pieces are nearly `limit` bytes long but for a long grapheme cluster before a cut; ICU
        // says how many there are when they do not fit.
        var capacity = bytes.count / max(limit / 2, 1) + 2
        while true {
            var failed = false, fitted = false
            withUnsafeTemporaryAllocation(of: Int32.self, capacity: capacity) { out in
                let count = bytes.withMemoryRebound(to: CChar.self) { input in
                    Int(agenda_fold_points(input.baseAddress, Int32(input.count), Int32(firstLimit), Int32(limit),
                                           out.baseAddress, Int32(capacity)))
                }
                if count < 0 {
                    failed = true
                } else if count > capacity {
                    capacity = count
                } else {
                    fitted = true
                    body(UnsafeBufferPointer(rebasing: out[..<count]))
                }
            }
            if failed { return evenly() }
            if fitted { return }
        }
    }

    /// UTF-8 byte offsets of the grapheme cluster boundaries of `bytes` (0 and the length included),
    /// from ICU's character break iterator (UAX #29).
    public static func graphemeBoundaries(_ bytes: UnsafeBufferPointer<UInt8>) -> [Int] {
        bytes.withMemoryRebound(to: CChar.self) { input in
            var capacity = input.count + 1
            while true {
                var offsets = [Int32](repeating: 0, count: capacity)
                let count = Int(agenda_grapheme_boundaries(input.baseAddress, Int32(input.count), &offsets,
                                                           Int32(capacity)))
                if count < 0 { return Array(0...input.count) }
                if count <= capacity { return offsets[..<count].map(Int.init) }
                capacity = count
            }
        }
    }
}
