/// A calendar date with no zone (proleptic Gregorian).
public struct CivilDate: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var year: Int
    public var month: Int
    public var day: Int

    public init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses `YYYY-MM-DD`, rejecting impossible dates such as 2024-02-30.
    public init?(iso text: Substring) {
        var text = text
        guard let date = text.withUTF8({ Self.parse($0) }) else { return nil }
        self = date
    }

    /// `YYYY-MM-DD`, exactly; on bytes, since this runs for every date of every record.
    package static func parse(_ b: UnsafeBufferPointer<UInt8>) -> CivilDate? {
        guard b.count == 10, b[4] == 0x2D, b[7] == 0x2D,
              let y = digits(b, 0, 4), let m = digits(b, 5, 2), let d = digits(b, 8, 2),
              (1...12).contains(m), d >= 1, d <= CivilDate.daysIn(month: m, year: y)
        else { return nil }
        return CivilDate(year: y, month: m, day: d)
    }

    public init?(iso text: String) { self.init(iso: text[...]) }

    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 (Howard Hinnant's algorithm).
    public var daysSinceEpoch: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    public init(daysSinceEpoch days: Int) {
        let z = days + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        self.init(year: yoe + era * 400 + (m <= 2 ? 1 : 0), month: m, day: d)
    }

    public func adding(days: Int) -> CivilDate { CivilDate(daysSinceEpoch: daysSinceEpoch + days) }

    /// 1 = Monday … 7 = Sunday.
    public var isoWeekday: Int { ((daysSinceEpoch % 7 + 7) % 7 + 3) % 7 + 1 }

    public static func < (a: CivilDate, b: CivilDate) -> Bool {
        (a.year, a.month, a.day) < (b.year, b.month, b.day)
    }

    /// `2024-05-30`
    public var description: String {
        var t = FixedText()
        t.date(self, dashes: true)
        return t.overflowed ? pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2) : t.string
    }
    /// `20240530`, the iCalendar DATE form.
    public var basicFormat: String {
        var t = FixedText()
        t.date(self, dashes: false)
        return t.overflowed ? pad(year, 4) + pad(month, 2) + pad(day, 2) : t.string
    }
}

/// A wall-clock date and time with no zone.
public struct LocalDateTime: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var date: CivilDate
    public var hour: Int
    public var minute: Int
    public var second: Int

    public init(date: CivilDate, hour: Int = 0, minute: Int = 0, second: Int = 0) {
        self.date = date
        self.hour = hour
        self.minute = minute
        self.second = second
    }

    /// Parses `YYYY-MM-DDThh:mm[:ss]`.
    public init?(iso text: String) {
        guard let local = text.withUTF8Bytes({ Self.parse($0) }) else { return nil }
        self = local
    }

    /// `YYYY-MM-DDThh:mm[:ss]`, exactly; on bytes, since this runs for every date of every record.
    package static func parse(_ b: UnsafeBufferPointer<UInt8>) -> LocalDateTime? {
        guard b.count == 16 || b.count == 19, b[10] == UInt8(ascii: "T"),
              let date = CivilDate.parse(UnsafeBufferPointer(rebasing: b[0..<10]))
        else { return nil }
        let t = UnsafeBufferPointer(rebasing: b[11...])
        guard t.count == 5 || (t.count == 8 && t[5] == 0x3A), t[2] == 0x3A,
              let h = digits(t, 0, 2), let m = digits(t, 3, 2), h < 24, m < 60
        else { return nil }
        var s = 0
        if t.count == 8 {
            guard let sec = digits(t, 6, 2), sec < 60 else { return nil }
            s = sec
        }
        return LocalDateTime(date: date, hour: h, minute: m, second: s)
    }

    /// Seconds since 1970 as if the wall clock were UTC.
    public var secondsAsIfUTC: Int64 {
        Int64(date.daysSinceEpoch) * 86400 + Int64(hour * 3600 + minute * 60 + second)
    }

    public init(secondsAsIfUTC s: Int64) {
        let days = s >= 0 ? s / 86400 : (s - 86399) / 86400
        let rest = Int(s - days * 86400)
        self.init(date: CivilDate(daysSinceEpoch: Int(days)), hour: rest / 3600, minute: rest / 60 % 60,
                  second: rest % 60)
    }

    public static func < (a: LocalDateTime, b: LocalDateTime) -> Bool { a.secondsAsIfUTC < b.secondsAsIfUTC }

    /// `2024-05-30T08:00:00`
    public var description: String {
        var t = FixedText()
        t.dateTime(self, separators: true)
        return t.overflowed ? date.description + "T" + pad(hour, 2) + ":" + pad(minute, 2) + ":" + pad(second, 2) : t.string
    }
    /// `20240530T080000`, the iCalendar DATE-TIME form (local).
    public var basicFormat: String {
        var t = FixedText()
        t.dateTime(self, separators: false)
        return t.overflowed ? date.basicFormat + "T" + pad(hour, 2) + pad(minute, 2) + pad(second, 2) : t.string
    }
}

/// A point in time: whole seconds since 1970-01-01T00:00:00Z.
public struct Instant: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var secondsSince1970: Int64
    public init(secondsSince1970: Int64) { self.secondsSince1970 = secondsSince1970 }

    /// Parses an RFC 3339 instant (`2024-05-20T15:00:00Z`, fractions dropped, offsets applied).
    public init?(rfc3339 text: String) {
        guard let instant = text.withUTF8Bytes({ Self.parse(rfc3339: $0) }) else { return nil }
        self = instant
    }

    /// `init(rfc3339:)` on the text's UTF-8 bytes, without copies: every record has a few of
    /// these, and the JSON reader hands them over without making a `String`.
    package static func parse(rfc3339 b: UnsafeBufferPointer<UInt8>) -> Instant? {
        guard let last = b.last else { return nil }
        var end = b.count, offset = 0
        if last == UInt8(ascii: "Z") || last == UInt8(ascii: "z") {
            end -= 1
        } else if b.count > 6, b[b.count - 6] == UInt8(ascii: "+") || b[b.count - 6] == UInt8(ascii: "-") {
            let negative = b[b.count - 6] == UInt8(ascii: "-")
            let tail = UnsafeBufferPointer(rebasing: b[(b.count - 5)...])
            guard tail[2] == 0x3A, let h = digits(tail, 0, 2), let m = digits(tail, 3, 2) else { return nil }
            offset = (h * 3600 + m * 60) * (negative ? -1 : 1)
            end -= 6
        } else {
            return nil
        }
        if let dot = b[0..<end].firstIndex(of: UInt8(ascii: ".")) {
            let fraction = b[(dot + 1)..<end]
            guard !fraction.isEmpty, fraction.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
            end = dot
        }
        guard end == 19, let local = LocalDateTime.parse(UnsafeBufferPointer(rebasing: b[0..<19])) else { return nil }
        return Instant(secondsSince1970: local.secondsAsIfUTC - Int64(offset))
    }

    /// Wall time at a fixed offset.
    public func local(offsetSeconds: Int) -> LocalDateTime {
        LocalDateTime(secondsAsIfUTC: secondsSince1970 + Int64(offsetSeconds))
    }

    /// `2024-05-30T13:00:00Z`
    public var description: String {
        var t = FixedText()
        t.dateTime(local(offsetSeconds: 0), separators: true)
        t.ascii(UInt8(ascii: "Z"))
        return t.overflowed ? local(offsetSeconds: 0).description + "Z" : t.string
    }
    /// `20240530T130000Z`, the iCalendar UTC form.
    public var basicFormat: String {
        var t = FixedText()
        t.dateTime(local(offsetSeconds: 0), separators: false)
        t.ascii(UInt8(ascii: "Z"))
        return t.overflowed ? local(offsetSeconds: 0).basicFormat + "Z" : t.string
    }

    /// RFC 3339 with a numeric offset (`2024-05-30T08:00:00-05:00`; `Z` for zero).
    public func rfc3339(offsetSeconds: Int) -> String {
        let t = rfc3339Digits(offsetSeconds: offsetSeconds)
        return t.overflowed ? local(offsetSeconds: offsetSeconds).description + Instant.offsetString(offsetSeconds, colon: true) : t.string
    }

    /// `rfc3339(offsetSeconds:)` appended as bytes, with no `String` in between (the start and
    /// end of every map feature).
    package func appendRFC3339(offsetSeconds: Int, to out: inout [UInt8]) {
        let t = rfc3339Digits(offsetSeconds: offsetSeconds)
        if t.overflowed { out += rfc3339(offsetSeconds: offsetSeconds).utf8 } else { t.append(to: &out) }
    }

    private func rfc3339Digits(offsetSeconds: Int) -> FixedText {
        var t = FixedText()
        t.dateTime(local(offsetSeconds: offsetSeconds), separators: true)
        t.offset(offsetSeconds, colon: true)
        return t
    }

    /// `-05:00` / `-0500`; `Z` never, the caller decides.
    public static func offsetString(_ seconds: Int, colon: Bool) -> String {
        var t = FixedText()
        t.offset(seconds, colon: colon)
        return t.string
    }

    public static func < (a: Instant, b: Instant) -> Bool { a.secondsSince1970 < b.secondsSince1970 }
}

@inline(__always)
func digits<Bytes: RandomAccessCollection<UInt8>>(_ b: Bytes, _ start: Int, _ count: Int) -> Int? where Bytes.Index == Int {
    var v = 0
    for i in start..<(start + count) {
        let c = b[b.startIndex + i]
        guard c >= 0x30, c <= 0x39 else { return nil }
        v = v * 10 + Int(c - 0x30)
    }
    return v
}

/// Dates, times, offsets and coordinates as ASCII, built in one fixed buffer: they are formatted
/// several times for every event written, and joining a dozen padded Strings cost more than the
/// rest of a line. A number that does not fit its width (a year past 9999) sets `overflowed`, and
/// the caller falls back to `pad`.
package struct FixedText {
    private static let capacity = 40
    private var bytes = InlineArray<40, UInt8>(repeating: 0)
    private var count = 0
    package private(set) var overflowed = false

    package init() {}

    /// How many decimal digits `value` (≥ 0) has: 1 for 0.
    package static func digitCount(_ value: Int) -> Int {
        var n = 1, v = value
        while v >= 10 { v /= 10; n += 1 }
        return n
    }

    package mutating func ascii(_ b: UInt8) {
        guard count < Self.capacity else { overflowed = true; return }
        bytes[count] = b
        count += 1
    }

    /// `value` in exactly `width` digits, zero-padded.
    package mutating func number(_ value: Int, width: Int) {
        guard value >= 0, width >= 0, count + width <= Self.capacity else { overflowed = true; return }
        // Digits from the right; what is left over means the value is too wide (the digits
        // written past `count` are then never counted).
        var v = value, i = count + width
        while i > count {
            i -= 1
            let (rest, digit) = v.quotientAndRemainder(dividingBy: 10)
            bytes[i] = UInt8(truncatingIfNeeded: 0x30 &+ digit)
            v = rest
        }
        guard v == 0 else { overflowed = true; return }
        count += width
    }

    package mutating func date(_ d: CivilDate, dashes: Bool) {
        triple(d.year, 4, d.month, d.day, separator: dashes ? UInt8(ascii: "-") : nil)
    }

    package mutating func dateTime(_ t: LocalDateTime, separators: Bool) {
        date(t.date, dashes: separators)
        ascii(UInt8(ascii: "T"))
        triple(t.hour, 2, t.minute, t.second, separator: separators ? UInt8(ascii: ":") : nil)
    }

    /// A date or a time of day: three numbers, the last two of two digits, maybe separated.
    private mutating func triple(_ first: Int, _ width: Int, _ second: Int, _ third: Int, separator: UInt8?) {
        number(first, width: width)
        if let separator { ascii(separator) }
        number(second, width: 2)
        if let separator { ascii(separator) }
        number(third, width: 2)
    }

    /// `-05:00` (or `-0500`), with seconds only when they are not zero; hours of any size.
    mutating func offset(_ seconds: Int, colon: Bool) {
        ascii(seconds < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+"))
        let a = abs(seconds)
        number(a / 3600, width: max(2, Self.digitCount(a / 3600)))
        if colon { ascii(UInt8(ascii: ":")) }
        number(a / 60 % 60, width: 2)
        if a % 60 != 0 {
            if colon { ascii(UInt8(ascii: ":")) }
            number(a % 60, width: 2)
        }
    }

    /// Appends the bytes, with no `String` in between.
    package func append(to out: inout [UInt8]) {
        withUnsafeBytes(of: bytes) { out.append(contentsOf: $0[0..<count]) }
    }

    package var string: String {
        withUnsafeBytes(of: bytes) { String(decoding: $0[0..<count], as: UTF8.self) }
    }
}

@inline(__always)
func pad(_ value: Int, _ width: Int) -> String {
    let s = String(value)
    return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
}
