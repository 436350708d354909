import AgendaTime

/// Checks an RRULE value against RFC 5545 §3.3.10 before it is written into calendars: a
/// malformed rule makes clients drop the whole event, and text here must never smuggle in a line.
enum RRuleCheck {
    static let weekdays: Set<String> = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
    static let numeric: [String: (ClosedRange<Int>, signed: Bool)] = [
        "BYSECOND": (0...60, false), "BYMINUTE": (0...59, false), "BYHOUR": (0...23, false),
        "BYMONTHDAY": (1...31, true), "BYYEARDAY": (1...366, true), "BYWEEKNO": (1...53, true),
        "BYMONTH": (1...12, false), "BYSETPOS": (1...366, true),
    ]

    /// Nil when the rule is valid, else what is wrong. `allDay` decides the form UNTIL must take.
    static func problem(_ rule: String, allDay: Bool) -> String? {
        guard rule.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F }) else {
            return "the rule may hold only printable ASCII without spaces"
        }
        var seen: Set<String> = []
        var freq: String?
        for part in rule.split(separator: ";", omittingEmptySubsequences: false) {
            let kv = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard kv.count == 2, !kv[1].isEmpty else { return "'\(part)' is not NAME=VALUE" }
            let name = String(kv[0]), value = String(kv[1])
            guard seen.insert(name).inserted else { return "\(name) appears twice" }
            switch name {
            case "FREQ":
                guard ["SECONDLY", "MINUTELY", "HOURLY", "DAILY", "WEEKLY", "MONTHLY", "YEARLY"].contains(value) else {
                    return "FREQ=\(value) is not a frequency"
                }
                freq = value
            case "COUNT", "INTERVAL":
                guard let n = Int(value), n >= 1 else { return "\(name)=\(value) must be a positive whole number" }
            case "UNTIL":
                if allDay {
                    guard value.count == 8, CivilDate(iso: dashed(value)) != nil else {
                        return "UNTIL=\(value) must be a date (YYYYMMDD) for an all-day event"
                    }
                } else {
                    guard value.count == 16, value.hasSuffix("Z"), value.dropFirst(8).first == "T",
                          LocalDateTime(iso: dashed(String(value.prefix(8))) + "T" + coloned(value.dropFirst(9).prefix(6))) != nil
                    else { return "UNTIL=\(value) must be a UTC date-time (YYYYMMDDThhmmssZ)" }
                }
            case "WKST":
                guard weekdays.contains(value) else { return "WKST=\(value) is not a weekday (MO…SU)" }
            case "BYDAY":
                for d in value.split(separator: ",", omittingEmptySubsequences: false) {
                    let day = String(d.suffix(2))
                    var n = d.dropLast(2)
                    guard weekdays.contains(day) else { return "BYDAY=\(value): '\(d)' is not a weekday" }
                    if n.first == "+" || n.first == "-" { n = n.dropFirst() }
                    if !n.isEmpty {
                        guard let k = Int(n), (1...53).contains(k) else { return "BYDAY=\(value): '\(d)' has an invalid ordinal" }
                    } else if d.count > 2 {
                        return "BYDAY=\(value): '\(d)' has a sign but no number"
                    }
                }
            default:
                guard let (range, signed) = numeric[name] else { return "\(name) is not an RRULE part" }
                for item in value.split(separator: ",", omittingEmptySubsequences: false) {
                    guard let k = Int(item), range.contains(abs(k)), signed || k >= 0, k != 0 || range.lowerBound == 0 else {
                        return "\(name)=\(value): '\(item)' is out of range"
                    }
                }
            }
        }
        guard freq != nil else { return "FREQ is missing" }
        if seen.contains("COUNT") && seen.contains("UNTIL") { return "COUNT and UNTIL cannot both be given" }
        return nil
    }

    private static func dashed(_ s: String) -> String {
        guard s.count == 8 else { return s }
        return String(s.prefix(4)) + "-" + String(s.dropFirst(4).prefix(2)) + "-" + String(s.suffix(2))
    }

    private static func coloned(_ s: Substring) -> String {
        guard s.count == 6 else { return String(s) }
        return String(s.prefix(2)) + ":" + String(s.dropFirst(2).prefix(2)) + ":" + String(s.suffix(2))
    }
}
