import AgendaRecords

/// Plain-text renderings of rich descriptions, for outputs that only carry text.
public enum PlainText {
    /// Markdown stays as written (it is meant to be readable as text); HTML loses its tags, keeps
    /// line structure for block elements and decodes the common entities.
    public static func from(_ text: String, format: DescriptionFormat) -> String {
        guard format == .html else { return text }
        var out = ""
        var tag = ""
        var inTag = false
        for ch in text {
            if inTag {
                if ch == ">" {
                    inTag = false
                    let name = tag.lowercased().split(whereSeparator: { $0 == " " || $0 == "/" }).first.map(String.init) ?? ""
                    if ["br", "p", "div", "li", "h1", "h2", "h3", "h4", "tr"].contains(name), !out.hasSuffix("\n"), !out.isEmpty {
                        out.append("\n")
                    }
                    tag = ""
                } else {
                    tag.append(ch)
                }
            } else if ch == "<" {
                inTag = true
            } else {
                out.append(ch)
            }
        }
        let entities = ["&lt;": "<", "&gt;": ">", "&quot;": "\"", "&#39;": "'", "&apos;": "'", "&nbsp;": "\u{A0}", "&amp;": "&"]
        for (k, v) in entities { out = out.replacing(k, with: v) }
        return out.trimmingCharacters(in: "\n ")
    }
}

extension String {
    func trimmingCharacters(in set: String) -> String {
        var s = Substring(self)
        while let f = s.first, set.contains(f) { s = s.dropFirst() }
        while let l = s.last, set.contains(l) { s = s.dropLast() }
        return String(s)
    }
}
