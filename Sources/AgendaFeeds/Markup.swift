import CAgendaScan

/// Escaping for XML, HTML and JSON outputs.
public enum Markup {
    /// Whether XML 1.0 allows the scalar at all (tab, LF, CR and U+0020 up, minus U+FFFE/U+FFFF).
    /// C1 controls are allowed by XML but dropped too: they are invisible garbage from bad
    /// encodings, and some readers choke on them.
    @inline(__always)
    static func isAllowed(_ v: UInt32) -> Bool {
        switch v {
        case 0x09, 0x0A, 0x0D: return true
        case 0..<0x20, 0x7F...0x9F, 0xFFFE, 0xFFFF: return false
        default: return true
        }
    }

    /// XML character data: `& < >` escaped (`>` too, so `]]>` can never appear), characters
    /// XML cannot carry removed. With `attribute`, quotes and line breaks are escaped as well.
    public static func xml(_ s: String, attribute: Bool = false) -> String {
        if s.utf8.isPlain(allowing: attribute ? .xmlAttribute : .xmlText) { return s }
        // On bytes: every feed item's HTML body comes here (its markup is never plain), and a
        // scalar at a time into a `String` cost a few hundred instructions a character. Every
        // byte changed is ASCII or starts a C1 control, U+FFFE or U+FFFF, so the runs between
        // them are copied whole and the result is valid UTF-8.
        let bytes = s.withUTF8Bytes { u -> [UInt8] in
            var out: [UInt8] = []
            out.reserveCapacity(u.count + u.count / 8 + 16)
            var i = 0, run = 0
            let n = u.count
            while i < n {
                let b = u[i]
                let replacement: StaticString  // "" drops the character
                var width = 1
                switch b {
                case 0x26: replacement = "&amp;"
                case 0x3C: replacement = "&lt;"
                case 0x3E: replacement = "&gt;"
                case 0x0D: replacement = "&#13;"
                case 0x22 where attribute: replacement = "&quot;"
                case 0x0A where attribute: replacement = "&#10;"
                case 0x09 where attribute: replacement = "&#9;"
                case 0x09, 0x0A: i += 1; continue
                case 0..<0x20, 0x7F: replacement = ""
                case 0xC2 where i + 1 < n && u[i + 1] < 0xA0:  // U+0080–U+009F
                    replacement = ""
                    width = 2
                case 0xEF where i + 2 < n && u[i + 1] == 0xBF && u[i + 2] >= 0xBE:  // U+FFFE, U+FFFF
                    replacement = ""
                    width = 3
                default: i += 1; continue
                }
                out.appendBytes(UnsafeBufferPointer(rebasing: u[run..<i]))
                out.appendLiteral(replacement)
                i += width
                run = i
            }
            out.appendBytes(UnsafeBufferPointer(rebasing: u[run..<n]))
            return out
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Plain text as HTML *without entities*: feed readers (feedparser, newsboat) treat RSS
    /// descriptions as HTML and show entities left in them as double escaping, so instead of
    /// `&lt;script&gt;` the text keeps its characters and an invisible WORD JOINER (U+2060) after
    /// any `<` or `&` that could start a tag or a character reference. The visible text is
    /// unchanged and nothing in it can become markup. Line breaks become `<br>`.
    public static func htmlText(_ s: String) -> String { inert(s, lineBreaks: "<br>") }

    /// Text that readers may render as HTML (RSS and Atom titles: the RSS spec does not say
    /// which, and many readers do), made inert the same way; line breaks become spaces.
    public static func inertText(_ s: String) -> String { inert(s, lineBreaks: " ") }

    static func inert(_ s: String, lineBreaks: String) -> String {
        if s.utf8.isPlain(allowing: .inertText) { return s }
        var out = ""
        out.reserveCapacity(s.utf8.count + 16)
        var previous: Unicode.Scalar?
        for u in s.unicodeScalars {
            if let p = previous, p == "<" || p == "&" {
                let startsMarkup = p == "<" ? (u.properties.isAlphabetic || u == "/" || u == "!" || u == "?")
                                            : (u.properties.isAlphabetic || u == "#")
                if startsMarkup { out.unicodeScalars.append("\u{2060}") }
            }
            if u == "\n" {
                out += lineBreaks
            } else if u != "\r" {
                out.unicodeScalars.append(u)
            }
            previous = u
        }
        return out
    }

    /// Paragraphs of plain text as HTML (`<p>…</p>` per blank-line-separated block).
    public static func htmlParagraphs(_ paragraphs: [String]) -> String {
        paragraphs.flatMap { $0.components(separatedByBlankLines: ()) }
            .map { "<p>" + htmlText($0) + "</p>" }.joined()
    }

    /// A JSON string literal. Control characters and U+2028/U+2029 are escaped (the latter so the
    /// JSON is also safe inside a script); everything else is written as UTF-8.
    public static func json(_ s: String) -> String {
        var out: [UInt8] = []
        appendJSON(s, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// `json(s)` written straight into `out`, for writers that build their output as bytes.
    public static func appendJSON(_ s: String, to out: inout [UInt8]) {
        out.append(0x22)
        appendJSONContent(s, to: &out)
        out.append(0x22)
    }

    /// The inside of `json(s)`, without the quotes: a JSON string can be written in pieces.
    public static func appendJSONContent(_ s: String, to out: inout [UInt8]) {
        s.withUTF8Bytes { u in
            // Runs of bytes that need no escape are copied in one piece. Every byte that needs an
            // escape is ASCII or starts U+2028/U+2029.
            var i = 0, run = 0
            while i < u.count {
                // Past the bytes that cannot need an escape, sixteen at a time (CAgendaScan).
                if let base = u.baseAddress {
                    i += agenda_json_plain_prefix(base + i, u.count - i)
                    if i >= u.count { break }
                }
                let b = u[i]
                if b >= 0x20 && b != 0x22 && b != 0x5C && b != 0xE2 {
                    i += 1
                    continue
                }
                let isSeparator = b == 0xE2 && i + 2 < u.count && u[i + 1] == 0x80 && (u[i + 2] == 0xA8 || u[i + 2] == 0xA9)
                if b == 0xE2 && !isSeparator {
                    i += 1
                    continue
                }
                out.appendBytes(UnsafeBufferPointer(rebasing: u[run..<i]))
                switch b {
                case 0x22: out += [0x5C, 0x22]
                case 0x5C: out += [0x5C, 0x5C]
                case 0x0A: out += [0x5C, 0x6E]
                case 0x0D: out += [0x5C, 0x72]
                case 0x09: out += [0x5C, 0x74]
                case 0xE2:
                    out += [0x5C, 0x75, 0x32, 0x30, 0x32, u[i + 2] == 0xA8 ? 0x38 : 0x39]  // \u2028, \u2029
                    i += 2
                default:
                    out += [0x5C, 0x75, 0x30, 0x30, hexDigit(b >> 4), hexDigit(b & 15)]
                }
                i += 1
                run = i
            }
            out.appendBytes(UnsafeBufferPointer(rebasing: u[run..<u.count]))
        }
    }

    @inline(__always)
    static func hexDigit(_ v: UInt8) -> UInt8 { v < 10 ? 0x30 + v : 0x61 + v - 10 }
}

/// The bytes each escaper must look at; text without any of them is copied as it is. Most event
/// text has none, and the scalar-by-scalar loops were the largest cost of writing feeds.
struct PlainBytes: OptionSet {
    let rawValue: UInt8
    static let quote = PlainBytes(rawValue: 1)        // " and \ (JSON)
    static let markup = PlainBytes(rawValue: 2)       // & < > (XML) or < & (inert text)
    static let tabAndLF = PlainBytes(rawValue: 4)     // escaped in XML attributes, JSON and inert text
    static let xmlText: PlainBytes = [.markup]
    static let xmlAttribute: PlainBytes = [.markup, .quote, .tabAndLF]
    static let inertText: PlainBytes = [.markup, .tabAndLF]
}

extension String.UTF8View {
    /// True when no byte needs escaping for `what`: CR, other C0 and C1 controls, DEL, U+2028,
    /// U+2029, U+FFFE and U+FFFF are always looked at (some escaper changes each of them).
    func isPlain(allowing what: PlainBytes) -> Bool {
        let check = { (bytes: UnsafeBufferPointer<UInt8>) -> Bool in
            var i = 0
            let n = bytes.count
            while i < n {
                let b = bytes[i]
                if b >= 0x20 && b < 0x7F {
                    switch b {
                    case 0x22, 0x5C: if what.contains(.quote) { return false }
                    case 0x26, 0x3C, 0x3E: if what.contains(.markup) { return false }
                    default: break
                    }
                } else if b < 0x20 || b == 0x7F {
                    if b == 0x0D || !(b == 0x09 || b == 0x0A) || what.contains(.tabAndLF) { return false }
                } else if b == 0xC2, i + 1 < n, bytes[i + 1] < 0xA0 {
                    return false  // C1 control
                } else if b == 0xE2, i + 2 < n, bytes[i + 1] == 0x80, bytes[i + 2] == 0xA8 || bytes[i + 2] == 0xA9 {
                    return false  // U+2028, U+2029
                } else if b == 0xEF, i + 2 < n, bytes[i + 1] == 0xBF, bytes[i + 2] >= 0xBE {
                    return false  // U+FFFE, U+FFFF
                }
                i += 1
            }
            return true
        }
        if let result = withContiguousStorageIfAvailable(check) { return result }
        return Array(self).withUnsafeBufferPointer(check)
    }
}

extension String {
    /// Splits on blank lines (paragraphs), dropping empty ones. Lines end at a LF that does not
    /// follow a CR; a line of spaces, tabs and CRs only is blank. Done on bytes: every feed item
    /// goes through here.
    func components(separatedByBlankLines: ()) -> [String] {
        return withUTF8Bytes { u in
            var result: [String] = []
            var paragraphStart = -1, paragraphEnd = 0  // bytes of the paragraph so far
            var lineStart = 0
            while lineStart <= u.count {
                var lineEnd = lineStart
                var blank = true
                while lineEnd < u.count {
                    let b = u[lineEnd]
                    if b == 0x0A {
                        // CR LF is one Character, which the Character-based split this replaces
                        // never cut at: only a lone LF ends a line.
                        guard lineEnd > lineStart, u[lineEnd - 1] == 0x0D else { break }
                        blank = false
                    } else if b != 0x20 && b != 0x09 && b != 0x0D {
                        blank = false
                    }
                    lineEnd += 1
                }
                if blank {
                    if paragraphStart >= 0 {
                        result.append(String(decoding: UnsafeBufferPointer(rebasing: u[paragraphStart..<paragraphEnd]), as: UTF8.self))
                    }
                    paragraphStart = -1
                } else {
                    if paragraphStart < 0 { paragraphStart = lineStart }
                    paragraphEnd = lineEnd
                }
                lineStart = lineEnd + 1
            }
            if paragraphStart >= 0 {
                result.append(String(decoding: UnsafeBufferPointer(rebasing: u[paragraphStart..<paragraphEnd]), as: UTF8.self))
            }
            return result
        }
    }
}
