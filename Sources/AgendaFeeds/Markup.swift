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
        var out = ""
        out.reserveCapacity(s.utf8.count + 16)
        for u in s.unicodeScalars {
            guard isAllowed(u.value) else { continue }
            switch u {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"" where attribute: out += "&quot;"
            case "\n" where attribute: out += "&#10;"
            case "\r": out += "&#13;"
            case "\t" where attribute: out += "&#9;"
            default: out.unicodeScalars.append(u)
            }
        }
        return out
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
        var out = "\""
        out.reserveCapacity(s.utf8.count + 2)
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{2028}": out += "\\u2028"
            case "\u{2029}": out += "\\u2029"
            default:
                if u.value < 0x20 {
                    let hex = String(u.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        return out + "\""
    }
}

extension String {
    /// Splits on blank lines (paragraphs), dropping empty ones.
    func components(separatedByBlankLines: ()) -> [String] {
        var result: [String] = []
        var current: [Substring] = []
        for line in self.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.allSatisfy({ $0 == " " || $0 == "\t" || $0 == "\r" }) {
                if !current.isEmpty { result.append(current.joined(separator: "\n")) }
                current = []
            } else {
                current.append(line)
            }
        }
        if !current.isEmpty { result.append(current.joined(separator: "\n")) }
        return result
    }
}
