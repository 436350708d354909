import AgendaRecords
import AgendaTime

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
        return out.trimming("\n ")
    }
}

/// The paragraphs that describe an event in every text output.
public enum EventText {
    /// Status note (postponed, rescheduled with the former date, moved online, cancelled), the
    /// description (or summary) as plain text, the join link when asked, and admission.
    public static func paragraphs(_ e: ScheduledEvent, language: String, joinLine: Bool) -> [String] {
        let r = e.record
        let fallback = r.defaultLanguage
        var parts: [String] = []
        let previous = r.previousStart.map { p -> String in
            if case .dateTime(let dt) = p {
                return DateText.format(e.zone.resolve(dt).instant, pattern: "d MMM y, H:mm", locale: language, in: e.zone)
            }
            return p.description
        }
        if let note = Phrasebook.statusNote(r, language: language, previousStartText: previous) { parts.append(note) }
        if let d = r.description {
            parts.append(PlainText.from(d.text(language, fallback: fallback), format: r.descriptionFormat))
        } else if let s = r.summary {
            parts.append(s.text(language, fallback: fallback))
        }
        if joinLine, r.attendanceMode != .offline, let online = r.online {
            parts.append((online.label?.text(language, fallback: fallback) ?? Phrasebook.text(.join, language: language)) + ": " + online.url)
        }
        if r.offers?.isAccessibleForFree == true {
            parts.append(Phrasebook.text(.freeEntry, language: language))
        } else if let price = r.offers?.price {
            parts.append(Phrasebook.text(.price(price + (r.offers?.currency.map { " " + $0 } ?? "")), language: language))
        }
        return parts
    }
}
