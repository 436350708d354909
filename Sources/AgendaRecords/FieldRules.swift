import AgendaTime

/// The checks of single field values that both decoders make: `RecordDecoder`, which explains
/// every failure, and `DirectDecoder`, which only needs to know that a value passes.
enum FieldRules {
    /// 1–128 of A–Z a–z 0–9 . _ ~ -, checked on bytes: a non-ASCII byte never passes, so counting
    /// bytes is counting characters.
    static func isID(_ s: String) -> Bool {
        (1...128).contains(s.utf8.count) && s.utf8.allSatisfy {
            ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A)
                || $0 == 0x2E || $0 == 0x5F || $0 == 0x7E || $0 == 0x2D
        }
    }

    /// An http(s) or mailto URI with something after the scheme and no spaces.
    static func isURI(_ s: String) -> Bool {
        // Every record has a few URIs, nearly always ASCII: those are decided in one pass over
        // the string's own bytes (nil from the closure: not ASCII, so the general way below).
        if let ascii = s.utf8.withContiguousStorageIfAvailable({ bytes -> Bool? in
            guard hasURIScheme(bytes) else { return false }
            for b in bytes {
                if b <= 0x20 || b == 0x7F { return false }  // an ASCII space or control
                if b >= 0x80 { return nil }
            }
            return bytes.count > 8
        }), let answer = ascii {
            return answer
        }
        guard Array(s.utf8).withUnsafeBufferPointer(hasURIScheme), !containsSpaceOrControl(s) else { return false }
        // Without controls, ASCII text has one character per byte: only other text is counted
        // by characters (which costs a grapheme break search).
        return s.utf8.allSatisfy { $0 < 0x80 } ? s.utf8.count > 8 : s.count > 8
    }

    /// http:, https: or mailto:, in any case.
    static func hasURIScheme(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        func starts(with scheme: StaticString) -> Bool {
            let n = scheme.utf8CodeUnitCount
            guard bytes.count >= n else { return false }
            for i in 0..<n {
                let b = bytes[i]
                let lower: UInt8 = b >= 0x41 && b <= 0x5A ? b | 0x20 : b
                if lower != scheme.utf8Start[i] { return false }
            }
            return true
        }
        return starts(with: "http://") || starts(with: "https://") || starts(with: "mailto:")
    }

    /// Whether the text has a control character or any Unicode white space (what
    /// `Character.isWhitespace` accepts), tested on bytes: ASCII directly, and the few non-ASCII
    /// spaces (U+0085, U+00A0, U+1680, U+2000–U+200A, U+2028, U+2029, U+202F, U+205F, U+3000)
    /// only when a byte that can start one appears.
    static func containsSpaceOrControl(_ s: String) -> Bool {
        let mayStartOne = { (b: UInt8) in b <= 0x20 || b == 0x7F || b == 0xC2 || b == 0xE1 || b == 0xE2 || b == 0xE3 }
        // On the string's own bytes when it has them in one piece (native strings do).
        guard s.utf8.withContiguousStorageIfAvailable({ $0.contains(where: mayStartOne) }) ?? s.utf8.contains(where: mayStartOne)
        else { return false }
        return s.unicodeScalars.contains { $0.properties.isWhitespace || $0.value < 0x20 || ($0.value >= 0x7F && $0.value < 0xA0) }
    }

    /// Lower-case ASCII letters and digits in runs joined by single hyphens.
    static func isSlug(_ s: String) -> Bool {
        return s.withUTF8Bytes { bytes in
            var previous: UInt8 = 0x2D  // as if after a hyphen: a leading hyphen fails
            for b in bytes {
                if b == 0x2D {
                    if previous == 0x2D { return false }
                } else if !((b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39)) {
                    return false
                }
                previous = b
            }
            return previous != 0x2D  // not empty, no trailing hyphen
        }
    }

    /// ISO 3166-2: a country code, a hyphen, and 1–3 upper-case letters or digits ("CO-VAC").
    static func isRegionCode(_ s: String) -> Bool {
        let parts = s.split(separator: "-")
        return parts.count == 2 && parts[0].count == 2 && parts[0].allSatisfy { $0.isASCII && $0.isUppercase }
            && (1...3).contains(parts[1].count) && parts[1].allSatisfy { $0.isASCII && ($0.isUppercase || $0.isNumber) }
    }

    /// ISO 3166-1 alpha-2 ("CO").
    static func isCountryCode(_ s: String) -> Bool {
        s.utf8.count == 2 && s.utf8.allSatisfy { $0 >= 0x41 && $0 <= 0x5A }
    }

    /// The canonical form of a BCP 47 tag, or nil for text that is not one.
    static func languageTag(_ s: String) -> String? {
        Language.isTagShaped(s) ? Language.canonicalTag(s) : nil
    }

    /// A start or end: a date for all-day events, else a local date-time.
    static func time(_ s: String, allDay: Bool) -> EventTime? {
        if allDay { return s.count == 10 ? CivilDate(iso: s).map { .date($0) } : nil }
        return LocalDateTime(iso: s).map { .dateTime($0) }
    }

    /// An RFC 3339 instant in UTC (ending in Z).
    static func utcInstant(_ s: String) -> Instant? {
        s.hasSuffix("Z") ? Instant(rfc3339: s) : nil
    }

    /// What `online.features` may list.
    static let onlineFeatures: Set<String> = ["audio", "video", "chat", "screen", "phone"]
}
