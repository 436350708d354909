/// The few fixed phrases outputs need, in Spanish and English (other languages use English).
public enum Phrasebook {
    public enum Phrase: Sendable {
        case cancelled, postponed, rescheduled(previous: String), movedOnline(url: String?)
        case freeEntry, price(String), online, join
    }

    /// Whether the language has its own phrases (else English is used).
    public static func isSpanish(_ language: String) -> Bool { language == "es" || language.hasPrefix("es-") }

    public static func text(_ phrase: Phrase, language: String) -> String {
        let es = isSpanish(language)
        switch phrase {
        case .cancelled: return es ? "Cancelado" : "Cancelled"
        case .postponed: return es ? "Aplazado: nueva fecha por confirmar" : "Postponed: new date to be announced"
        case .rescheduled(let previous): return es ? "Reprogramado (antes: \(previous))" : "Rescheduled (previously: \(previous))"
        case .movedOnline(let url):
            let base = es ? "Trasladado a modalidad en línea" : "Moved online"
            return url.map { base + ": " + $0 } ?? base
        case .freeEntry: return es ? "Entrada libre" : "Free entry"
        case .price(let p): return es ? "Precio: \(p)" : "Price: \(p)"
        case .online: return es ? "En línea" : "Online"
        case .join: return es ? "Unirse" : "Join"
        }
    }

    /// The line that says what happened to an event that is not simply scheduled, or nil.
    public static func statusNote(_ record: EventRecord, language: String, previousStartText: String?) -> String? {
        switch record.status {
        case .scheduled, .tentative: return nil
        case .cancelled: return text(.cancelled, language: language)
        case .postponed: return text(.postponed, language: language)
        case .rescheduled: return text(.rescheduled(previous: previousStartText ?? record.previousStart?.description ?? "?"), language: language)
        case .movedOnline: return text(.movedOnline(url: record.online?.url), language: language)
        }
    }
}
