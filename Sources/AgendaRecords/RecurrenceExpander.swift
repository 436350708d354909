import AgendaTime

/// Expands an event's RRULE, RDATEs and EXDATEs into occurrences (RFC 5545 §3.3.10, §3.8.5).
///
/// Occurrences are computed in local wall time and only then placed in the zone, so a weekly
/// 18:00 event stays at 18:00 across daylight-saving changes. Supported: every FREQ, INTERVAL,
/// COUNT, UNTIL, BYMONTH, BYWEEKNO (ISO weeks, WKST=MO), BYYEARDAY, BYMONTHDAY, BYDAY (with
/// ordinals), BYHOUR, BYMINUTE, BYSECOND, BYSETPOS and WKST. Invalid dates (February 30) are
/// skipped, as the RFC says.
public struct RecurrenceExpander: Sendable {
    /// Hard cap on produced occurrences, whatever the window: hostile rules stay cheap.
    public static let maxOccurrences = 10_000

    public init() {}

    struct Rule {
        var freq = "DAILY"
        var interval = 1
        var count: Int?
        var untilDate: CivilDate?
        var untilInstant: Instant?
        var byMonth: [Int] = []
        var byWeekNo: [Int] = []
        var byYearDay: [Int] = []
        var byMonthDay: [Int] = []
        var byDay: [(ordinal: Int, weekday: Int)] = []  // weekday 1 = Monday … 7 = Sunday
        var byHour: [Int] = []
        var byMinute: [Int] = []
        var bySecond: [Int] = []
        var bySetPos: [Int] = []
        var weekStart = 1
    }

    static let weekdays = ["MO": 1, "TU": 2, "WE": 3, "TH": 4, "FR": 5, "SA": 6, "SU": 7]

    static func parse(_ text: String) -> Rule {
        var r = Rule()
        for part in text.split(separator: ";") {
            let kv = part.split(separator: "=", maxSplits: 1)
            guard kv.count == 2 else { continue }
            let value = String(kv[1])
            let ints = value.split(separator: ",").compactMap { Int($0) }
            switch kv[0] {
            case "FREQ": r.freq = value
            case "INTERVAL": r.interval = max(1, Int(value) ?? 1)
            case "COUNT": r.count = Int(value)
            case "UNTIL":
                let d = value.prefix(8)
                let date = CivilDate(iso: d.prefix(4) + "-" + d.dropFirst(4).prefix(2) + "-" + d.suffix(2))
                if value.count == 8 {
                    r.untilDate = date
                } else if let date, value.count >= 15 {
                    let t = Array(value.utf8.dropFirst(9).prefix(6))
                    let h = Int(t[0] - 48) * 10 + Int(t[1] - 48), m = Int(t[2] - 48) * 10 + Int(t[3] - 48)
                    let s = Int(t[4] - 48) * 10 + Int(t[5] - 48)
                    r.untilInstant = Instant(secondsSince1970: LocalDateTime(date: date, hour: h, minute: m, second: s).secondsAsIfUTC)
                }
            case "BYMONTH": r.byMonth = ints
            case "BYWEEKNO": r.byWeekNo = ints
            case "BYYEARDAY": r.byYearDay = ints
            case "BYMONTHDAY": r.byMonthDay = ints
            case "BYHOUR": r.byHour = ints
            case "BYMINUTE": r.byMinute = ints
            case "BYSECOND": r.bySecond = ints
            case "BYSETPOS": r.bySetPos = ints
            case "WKST": r.weekStart = weekdays[value] ?? 1
            case "BYDAY":
                r.byDay = value.split(separator: ",").compactMap { d in
                    guard let wd = weekdays[String(d.suffix(2))] else { return nil }
                    return (Int(d.dropLast(2)) ?? 0, wd)
                }
            default: break
            }
        }
        return r
    }

    /// Occurrence starts (local wall times) of `record`, in order, that begin before `end` (and,
    /// for timed events, whose instants are before `end`). The first is always the record's start.
    public func occurrences(of record: EventRecord, zone: Zone, until end: Instant) -> [LocalDateTime] {
        let start = record.start.localDateTime
        let excluded = Set((record.recurrence?.exdates ?? []).map { $0.localDateTime })
        var result: [LocalDateTime] = []
        if let text = record.recurrence?.rrule {
            result = expand(Self.parse(text), from: start, allDay: record.allDay, zone: zone, until: end)
        } else {
            result = [start]
        }
        for rdate in record.recurrence?.rdates ?? [] where !result.contains(rdate.localDateTime) {
            result.append(rdate.localDateTime)
        }
        return result.filter { !excluded.contains($0) && zone.resolve($0).instant < end }.sorted()
    }

    func expand(_ r: Rule, from start: LocalDateTime, allDay: Bool, zone: Zone, until windowEnd: Instant) -> [LocalDateTime] {
        var out: [LocalDateTime] = [start]
        var produced = 1
        func beyondUntil(_ t: LocalDateTime) -> Bool {
            if let d = r.untilDate { return t.date > d }
            if let u = r.untilInstant { return zone.resolve(t).instant > u }
            return false
        }
        if let c = r.count, c <= 1 { return out }
        var period = 0
        var emptyPeriods = 0
        while produced < Self.maxOccurrences && emptyPeriods < 2000 {
            let candidates = periodCandidates(r, start: start, period: period)
            period += 1
            var any = false
            for t in candidates where t > start {
                any = true
                if beyondUntil(t) { return out }
                if zone.resolve(t).instant >= windowEnd && r.count == nil { return out }
                out.append(t)
                produced += 1
                if let c = r.count, produced >= c { return out }
                if produced >= Self.maxOccurrences { return out }
            }
            if !any { emptyPeriods += 1 } else { emptyPeriods = 0 }
            // A rule with COUNT still stops at the window once it is far past it.
            if let last = out.last, r.count != nil, zone.resolve(last).instant >= windowEnd { return out }
            if periodStart(r, start: start, period: period).date.year > start.date.year + 1000 { return out }
        }
        return out
    }

    /// The first moment of the `period`-th period (for the year-loop guard).
    func periodStart(_ r: Rule, start: LocalDateTime, period: Int) -> LocalDateTime {
        let n = period * r.interval
        switch r.freq {
        case "YEARLY": return LocalDateTime(date: CivilDate(year: start.date.year + n, month: 1, day: 1))
        case "MONTHLY":
            let m = start.date.month - 1 + n
            return LocalDateTime(date: CivilDate(year: start.date.year + m / 12, month: m % 12 + 1, day: 1))
        case "WEEKLY": return LocalDateTime(date: start.date.adding(days: 7 * n))
        case "DAILY": return LocalDateTime(date: start.date.adding(days: n))
        case "HOURLY": return LocalDateTime(secondsAsIfUTC: start.secondsAsIfUTC + Int64(n) * 3600)
        case "MINUTELY": return LocalDateTime(secondsAsIfUTC: start.secondsAsIfUTC + Int64(n) * 60)
        default: return LocalDateTime(secondsAsIfUTC: start.secondsAsIfUTC + Int64(n))
        }
    }

    /// All occurrences of one period, sorted, after BYSETPOS.
    func periodCandidates(_ r: Rule, start: LocalDateTime, period: Int) -> [LocalDateTime] {
        let n = period * r.interval
        var days: [CivilDate] = []
        switch r.freq {
        case "YEARLY":
            let year = start.date.year + n
            days = yearDays(r, year: year, start: start)
        case "MONTHLY":
            let m = start.date.month - 1 + n
            let year = start.date.year + m / 12, month = m % 12 + 1
            if !r.byMonth.isEmpty && !r.byMonth.contains(month) { return [] }
            days = monthDays(r, year: year, month: month, defaultDay: start.date.day)
        case "WEEKLY":
            // The week (starting on WKST) that contains the start, moved by n weeks.
            let offset = (start.date.isoWeekday - r.weekStart + 7) % 7
            let weekStart = start.date.adding(days: -offset + 7 * n)
            let wanted = r.byDay.isEmpty ? [start.date.isoWeekday] : r.byDay.map(\.weekday)
            days = (0..<7).map { weekStart.adding(days: $0) }.filter { wanted.contains($0.isoWeekday) }
                .filter { r.byMonth.isEmpty || r.byMonth.contains($0.month) }
        case "DAILY":
            let d = start.date.adding(days: n)
            days = dayMatches(r, d) ? [d] : []
        default:
            let t = periodStart(r, start: start, period: period)
            guard dayMatches(r, t.date),
                  r.byHour.isEmpty || r.byHour.contains(t.hour),
                  r.byMinute.isEmpty || r.byMinute.contains(t.minute)
            else { return [] }
            return [t]
        }
        let hours = r.byHour.isEmpty ? [start.hour] : r.byHour.sorted()
        let minutes = r.byMinute.isEmpty ? [start.minute] : r.byMinute.sorted()
        let seconds = r.bySecond.isEmpty ? [start.second] : r.bySecond.sorted()
        var times: [LocalDateTime] = []
        for d in days.sorted() {
            for h in hours { for m in minutes { for s in seconds {
                times.append(LocalDateTime(date: d, hour: h, minute: m, second: min(s, 59)))
            } } }
        }
        return Self.setPositions(r.bySetPos, times)
    }

    /// BYMONTHDAY/BYDAY/BYMONTH as limits (DAILY and finer).
    func dayMatches(_ r: Rule, _ d: CivilDate) -> Bool {
        if !r.byMonth.isEmpty && !r.byMonth.contains(d.month) { return false }
        if !r.byMonthDay.isEmpty {
            let len = CivilDate.daysIn(month: d.month, year: d.year)
            if !r.byMonthDay.contains(where: { $0 > 0 ? $0 == d.day : len + 1 + $0 == d.day }) { return false }
        }
        if !r.byDay.isEmpty && !r.byDay.contains(where: { $0.weekday == d.isoWeekday }) { return false }
        return true
    }

    func monthDays(_ r: Rule, year: Int, month: Int, defaultDay: Int) -> [CivilDate] {
        let len = CivilDate.daysIn(month: month, year: year)
        let all = (1...len).map { CivilDate(year: year, month: month, day: $0) }
        var days: [CivilDate]
        if !r.byMonthDay.isEmpty {
            days = r.byMonthDay.compactMap { v -> CivilDate? in
                let day = v > 0 ? v : len + 1 + v
                return (1...len).contains(day) ? CivilDate(year: year, month: month, day: day) : nil
            }
            if !r.byDay.isEmpty { days = days.filter { d in r.byDay.contains { $0.weekday == d.isoWeekday } } }
        } else if !r.byDay.isEmpty {
            days = Self.weekdayMatches(r.byDay, in: all)
        } else {
            days = defaultDay <= len ? [CivilDate(year: year, month: month, day: defaultDay)] : []
        }
        return Array(Set(days))
    }

    func yearDays(_ r: Rule, year: Int, start: LocalDateTime) -> [CivilDate] {
        let first = CivilDate(year: year, month: 1, day: 1)
        let length = CivilDate.daysIn(month: 2, year: year) == 29 ? 366 : 365
        let all = (0..<length).map { first.adding(days: $0) }
        var days: [CivilDate]
        if !r.byMonth.isEmpty {
            days = r.byMonth.flatMap { m -> [CivilDate] in
                if !r.byMonthDay.isEmpty || !r.byDay.isEmpty {
                    return monthDays(r, year: year, month: m, defaultDay: start.date.day)
                }
                return start.date.day <= CivilDate.daysIn(month: m, year: year) ? [CivilDate(year: year, month: m, day: start.date.day)] : []
            }
        } else if !r.byWeekNo.isEmpty {
            let weekdays = r.byDay.isEmpty ? [start.date.isoWeekday] : r.byDay.map(\.weekday)
            days = all.filter { d in
                let (wy, w) = Self.isoWeek(d)
                let weeksInYear = Self.isoWeek(CivilDate(year: wy, month: 12, day: 28)).week
                return wy == year && r.byWeekNo.contains { $0 > 0 ? $0 == w : weeksInYear + 1 + $0 == w } && weekdays.contains(d.isoWeekday)
            }
        } else if !r.byYearDay.isEmpty {
            days = r.byYearDay.compactMap { v in
                let index = v > 0 ? v - 1 : length + v
                return (0..<length).contains(index) ? first.adding(days: index) : nil
            }
        } else if !r.byMonthDay.isEmpty {
            days = (1...12).flatMap { monthDays(r, year: year, month: $0, defaultDay: start.date.day) }
        } else if !r.byDay.isEmpty {
            days = Self.weekdayMatches(r.byDay, in: all)
        } else {
            let ok = start.date.day <= CivilDate.daysIn(month: start.date.month, year: year)
            days = ok ? [CivilDate(year: year, month: start.date.month, day: start.date.day)] : []
        }
        if !r.byYearDay.isEmpty && (!r.byMonth.isEmpty || !r.byWeekNo.isEmpty) {
            days = days.filter { d in
                let index = d.daysSinceEpoch - first.daysSinceEpoch
                return r.byYearDay.contains { $0 > 0 ? $0 - 1 == index : length + $0 == index }
            }
        }
        return Array(Set(days))
    }

    /// Days of `range` matching BYDAY entries; an ordinal counts within the range (1 = first,
    /// -1 = last).
    static func weekdayMatches(_ byDay: [(ordinal: Int, weekday: Int)], in range: [CivilDate]) -> [CivilDate] {
        var result: [CivilDate] = []
        for (ordinal, weekday) in byDay {
            let matches = range.filter { $0.isoWeekday == weekday }
            if ordinal == 0 {
                result += matches
            } else {
                let index = ordinal > 0 ? ordinal - 1 : matches.count + ordinal
                if matches.indices.contains(index) { result.append(matches[index]) }
            }
        }
        return result
    }

    static func setPositions(_ positions: [Int], _ sorted: [LocalDateTime]) -> [LocalDateTime] {
        guard !positions.isEmpty else { return sorted }
        return positions.compactMap { p -> LocalDateTime? in
            let i = p > 0 ? p - 1 : sorted.count + p
            return sorted.indices.contains(i) ? sorted[i] : nil
        }.sorted()
    }

    /// ISO 8601 week-numbering year and week of a date.
    static func isoWeek(_ d: CivilDate) -> (year: Int, week: Int) {
        let thursday = d.adding(days: 4 - d.isoWeekday)
        let jan1 = CivilDate(year: thursday.year, month: 1, day: 1)
        return (thursday.year, (thursday.daysSinceEpoch - jan1.daysSinceEpoch) / 7 + 1)
    }
}
