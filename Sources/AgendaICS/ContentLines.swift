import AgendaRecords
import AgendaTime
import CAgendaScan

/// Builds RFC 5545 content lines into a byte buffer: escaping, parameter quoting and folding.
///
/// Every line ends in CRLF and no physical line exceeds 75 octets. Long lines are folded at
/// grapheme cluster boundaries (from ICU) so an emoji ZWJ sequence or a letter with combining
/// accents is never split; only a single cluster longer than a line is split, and then between
/// whole UTF-8 sequences, never inside one. Continuation lines are never empty.
public struct ContentLines: Sendable {
    public static let maxOctets = 75
    /// Parameters whose value is a comma-separated list rather than one value.
    static func isListParameter(_ name: String) -> Bool {
        // Asked for every parameter written: the usual ones (LANGUAGE, TZID, CN, ALTREP, VALUE)
        // are told by their first letter, before any comparison of strings.
        let first = name.utf8.first
        guard first == UInt8(ascii: "F") || first == UInt8(ascii: "M") || first == UInt8(ascii: "D") else { return false }
        return switch name {
        case "FEATURE", "MEMBER", "DELEGATED-TO", "DELEGATED-FROM": true
        default: false
        }
    }
    public private(set) var bytes: [UInt8] = []
    /// Where the line being written starts in `bytes`. A line is made in place, at the end of
    /// `bytes`, and folded there when it is done: most lines are shorter than a fold, and making
    /// each in a buffer of its own cost a copy, an emptying and a retain and release of the
    /// buffer for every line of every event.
    private var lineStart = 0

    public init() {}

    /// An empty buffer that writes into the storage of `buffer` (its bytes are dropped), for a
    /// caller that hands buffers back and forth between threads instead of freeing them.
    public init(reusing buffer: consuming [UInt8]) {
        // `consume`: with the parameter still alive, the buffer would be shared when emptied,
        // and emptying a shared buffer allocates a new one.
        bytes = consume buffer
        bytes.removeAll(keepingCapacity: true)
    }

    /// Takes the accumulated bytes, leaving the buffer empty (for streaming to a file).
    public mutating func drain() -> [UInt8] {
        defer { bytes.removeAll(keepingCapacity: true) }
        return bytes
    }

    /// Lines already encoded and folded by another `ContentLines` (a VEVENT made on another thread).
    public mutating func append(encoded lines: [UInt8]) {
        bytes.append(contentsOf: lines)
    }

    /// A property whose value is already in its final encoded form (dates, numbers, URIs,
    /// escaped text).
    public mutating func property(_ name: String, _ params: [(String, String)] = [], raw value: String) {
        begin(name, params)
        ContentLines.appendSafe(value, to: &bytes, escapeText: false)
        emit()
    }

    /// A TEXT property: `\ ; ,` and newlines escaped, control characters removed.
    public mutating func text(_ name: String, _ params: [(String, String)], _ value: String) {
        // Escaped straight into the line: the same bytes as `property(raw: escapeText(value))`,
        // whose second pass can change nothing, without the intermediate String.
        begin(name, params)
        ContentLines.appendSafe(value, to: &bytes, escapeText: true)
        emit()
    }

    public mutating func text(_ name: String, _ value: String) { text(name, [], value) }

    /// A multi-valued TEXT property (CATEGORIES): each value escaped, joined with commas.
    public mutating func textList(_ name: String, _ params: [(String, String)], _ values: [String]) {
        begin(name, params)
        for (i, value) in values.enumerated() {
            if i > 0 { bytes.append(UInt8(ascii: ",")) }
            ContentLines.appendSafe(value, to: &bytes, escapeText: true)
        }
        emit()
    }

    /// A DATE-TIME property (DTSTART, DTEND): UTC with `Z`, else local time with TZID. The digits
    /// go straight into the line (this runs twice for every event).
    public mutating func dateTime(_ name: String, _ instant: Instant, in zone: Zone) {
        guard !zone.isUTC else { return utcDateTime(name, instant) }
        let local = zone.localTime(at: instant)
        var digits = FixedText()
        digits.dateTime(local, separators: false)
        guard !digits.overflowed else { return property(name, [("TZID", zone.id)], raw: local.basicFormat) }
        start(name)
        parameter("TZID", zone.id)
        bytes.append(UInt8(ascii: ":"))
        digits.append(to: &bytes)
        emit()
    }

    /// A UTC DATE-TIME property with no parameters (DTSTAMP, CREATED, LAST-MODIFIED, and DTSTART
    /// or DTEND in UTC), its digits straight into the line (three or more for every event).
    public mutating func utcDateTime(_ name: String, _ instant: Instant) {
        var digits = FixedText()
        digits.dateTime(instant.local(offsetSeconds: 0), separators: false)
        digits.ascii(UInt8(ascii: "Z"))
        // A year past 9999 does not fit: the String path pads it.
        guard !digits.overflowed else { return property(name, raw: instant.basicFormat) }
        start(name)
        bytes.append(UInt8(ascii: ":"))
        digits.append(to: &bytes)
        emit()
    }

    // MARK: a line made piece by piece

    // For the writer's own properties of every event (UID, SUMMARY, DESCRIPTION, LOCATION, GEO,
    // ORGANIZER, CATEGORIES): an array of parameters and a joined value were two heap blocks
    // for each, made and freed a few times per event. `open`, then `addParameter`s, then
    // `openValue`, then the value's pieces, then `close`; text pieces are escaped one by one,
    // which is the same as escaping them joined when no CR ends a piece before an LF.

    /// Starts a line with the property's name.
    mutating func open(_ name: String) { start(name) }

    mutating func addParameter(_ key: String, _ value: String) { parameter(key, value) }

    /// The colon between the name and parameters and the value.
    mutating func openValue() { bytes.append(UInt8(ascii: ":")) }

    /// A piece of a TEXT value, escaped.
    mutating func appendText(_ piece: String) { ContentLines.appendSafe(piece, to: &bytes, escapeText: true) }

    /// A piece of a value already in its final form (numbers, URIs).
    mutating func appendRaw(_ piece: String) { ContentLines.appendSafe(piece, to: &bytes, escapeText: false) }

    /// A piece of plain ASCII with nothing to escape (separators).
    mutating func appendLiteral(_ piece: StaticString) { bytes.appendLiteral(piece) }

    /// Ends the line (folding it when it is long).
    mutating func close() { emit() }

    /// Starts a line: the name, the parameters and the colon.
    private mutating func begin(_ name: String, _ params: [(String, String)]) {
        start(name)
        for (key, v) in params { parameter(key, v) }
        bytes.append(UInt8(ascii: ":"))
    }

    private mutating func start(_ name: String) {
        lineStart = bytes.count
        bytes.appendUTF8(name)
    }

    private mutating func parameter(_ key: String, _ v: String) {
        bytes.append(UInt8(ascii: ";"))
        bytes.appendUTF8(key)
        bytes.append(UInt8(ascii: "="))
        if ContentLines.isListParameter(key) {
            // A list parameter (RFC 7986 FEATURE=AUDIO,VIDEO): each value on its own.
            for (k, item) in v.split(separator: ",").enumerated() {
                if k > 0 { bytes.append(UInt8(ascii: ",")) }
                ContentLines.appendParameterValue(String(item), to: &bytes)
            }
        } else {
            ContentLines.appendParameterValue(v, to: &bytes)
        }
    }

    /// Appends lines produced elsewhere (ICU's VTIMEZONE), re-folded.
    public mutating func lines(_ text: String) {
        for line in text.split(omittingEmptySubsequences: true, whereSeparator: { $0 == "\r\n" || $0 == "\n" || $0 == "\r" }) {
            lineStart = bytes.count
            ContentLines.appendSafe(String(line), to: &bytes, escapeText: false)
            emit()
        }
    }

    // MARK: encoding rules

    /// RFC 5545 §3.3.11 TEXT escaping. CR, LF and CRLF become `\n`.
    public static func escapeText(_ s: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(s.utf8.count + 8)
        appendSafe(s, to: &out, escapeText: true)
        return String(decoding: out, as: UTF8.self)
    }

    /// Copies UTF-8, dropping characters no content line may hold (C0 controls but tab, DEL, C1
    /// controls, U+FFFE/U+FFFF); with `escapeText` also applies TEXT escaping. Without it, line
    /// breaks are dropped too, so no value can ever start a new property.
    static func appendSafe(_ s: String, to out: inout [UInt8], escapeText: Bool) {
        s.withUTF8Bytes { u in
            let n = u.count
            // Runs of bytes that are kept as they are are copied in one piece; the loop stops only
            // at a byte that is dropped, escaped or rewritten.
            var i = 0, run = 0
            func flush() { if run < i { out.appendBytes(UnsafeBufferPointer(rebasing: u[run..<i])) } }
            while i < n {
                // Past text that has nothing to look at, sixteen bytes at a time (CAgendaScan).
                if let base = u.baseAddress {
                    i += agenda_ics_plain_prefix(base + i, n - i, escapeText ? 1 : 0)
                    if i >= n { break }
                }
                let b = u[i]
                if b >= 0x20 && b < 0x7F {
                    if !(escapeText && (b == 0x5C || b == 0x3B || b == 0x2C)) { i += 1; continue }
                    flush()
                    out.append(0x5C)
                    out.append(b)
                    i += 1
                } else if b >= 0x80 {
                    if b == 0xC2, i + 1 < n, u[i + 1] >= 0x80 && u[i + 1] <= 0x9F {
                        flush()  // a C1 control
                        i += 2
                    } else if b == 0xEF, i + 2 < n, u[i + 1] == 0xBF, u[i + 2] == 0xBE || u[i + 2] == 0xBF {
                        flush()  // U+FFFE, U+FFFF
                        i += 3
                    } else {
                        i += 1
                        continue
                    }
                } else {
                    flush()
                    switch b {
                    case 0x0D, 0x0A:
                        if b == 0x0D, i + 1 < n, u[i + 1] == 0x0A { i += 1 }
                        if escapeText { out.append(0x5C); out.append(UInt8(ascii: "n")) }
                    case 0x09: out.append(b)
                    default: break  // other C0 controls and DEL
                    }
                    i += 1
                }
                run = i
            }
            flush()
        }
    }

    /// What a TEXT value keeps of `s` once unescaped (for round-trip checks).
    public static func appendSafeForTesting(_ s: String, to out: inout [UInt8]) {
        var escaped: [UInt8] = []
        appendSafe(s, to: &escaped, escapeText: true)
        var i = 0
        while i < escaped.count {
            if escaped[i] == 0x5C, i + 1 < escaped.count {
                out.append(escaped[i + 1] == UInt8(ascii: "n") ? 0x0A : escaped[i + 1])
                i += 2
            } else {
                out.append(escaped[i])
                i += 1
            }
        }
    }

    /// Parameter values: quoted when they hold `: ; ,`; a DQUOTE or line break inside is written
    /// with RFC 6868 caret escapes (`^'`, `^n`, `^^`), since a parameter cannot escape otherwise.
    static func appendParameterValue(_ v: String, to out: inout [UInt8]) {
        // The usual value (a language tag, a zone, a name) has nothing to drop, encode or quote;
        // a URL (ALTREP) only needs quotes.
        switch v.utf8.parameterValueShape {
        case .plain:
            out.appendUTF8(v)
            return
        case .quoted:
            out.append(0x22)
            out.appendUTF8(v)
            out.append(0x22)
            return
        case .encoded: break
        }
        // Keep line breaks (as LF, to encode as ^n); drop every other control character.
        var filtered: [UInt8] = []
        if !v.utf8.contains(where: { $0 == 0x0A || $0 == 0x0D }) {
            appendSafe(v, to: &filtered, escapeText: false)  // the usual case: one line
        } else {
            let pieces = v.replacingLineBreaks(with: "\n").split(separator: "\n", omittingEmptySubsequences: false)
            for (k, piece) in pieces.enumerated() {
                if k > 0 { filtered.append(0x0A) }
                appendSafe(String(piece), to: &filtered, escapeText: false)
            }
        }
        var encoded: [UInt8] = []
        var needsQuotes = false
        for (i, b) in filtered.enumerated() {
            switch b {
            case 0x0A: encoded.append(contentsOf: [0x5E, UInt8(ascii: "n")])
            case 0x22: encoded.append(contentsOf: [0x5E, 0x27])
            case 0x5E:
                // A caret is literal unless it would read as an RFC 6868 escape.
                let next = i + 1 < filtered.count ? filtered[i + 1] : 0
                if next == UInt8(ascii: "n") || next == 0x27 || next == 0x5E || next == 0x0A || next == 0x22 {
                    encoded.append(contentsOf: [0x5E, 0x5E])
                } else {
                    encoded.append(b)
                }
            case 0x3A, 0x3B, 0x2C:
                needsQuotes = true
                encoded.append(b)
            default: encoded.append(b)
            }
        }
        if needsQuotes { out.append(0x22) }
        out.append(contentsOf: encoded)
        if needsQuotes { out.append(0x22) }
    }

    /// Ends the line begun at `lineStart`, folding it when it is long.
    private mutating func emit() {
        let count = bytes.count - lineStart
        guard count > ContentLines.maxOctets else {
            bytes.append(0x0D)
            bytes.append(0x0A)
            return
        }
        // A long line is taken out and written again in pieces; the copy (on the stack, for the
        // usual line) is what ICU finds the fold points in while `bytes` is rewritten.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: count) { copy in
            bytes.withUnsafeBufferPointer { b in _ = copy.initialize(fromContentsOf: b[lineStart...]) }
            bytes.removeLast(count)
            let line = UnsafeBufferPointer(copy)
            Language.withFoldPoints(line, firstLimit: ContentLines.maxOctets, limit: ContentLines.maxOctets - 1) { cuts in
                var start = 0
                for k in 0...cuts.count {
                    let end = k < cuts.count ? Int(cuts[k]) : count
                    if k > 0 { bytes.append(0x20) }
                    bytes.appendBytes(UnsafeBufferPointer(rebasing: line[start..<end]))
                    bytes.append(0x0D)
                    bytes.append(0x0A)
                    start = end
                }
            }
        }
    }
}

/// What writing a parameter value takes.
enum ParameterValueShape {
    /// Kept as it is.
    case plain
    /// Kept as it is inside quotes: it holds `:`, `;` or `,` but nothing to drop or encode.
    case quoted
    /// It holds a quote, a caret, a control character or a noncharacter: filtered and encoded.
    case encoded
}

extension String.UTF8View {
    /// Printable ASCII other than `" ^`, or UTF-8 other than C1 controls and U+FFFE/U+FFFF, is
    /// kept; `: ; ,` among such bytes only need quotes.
    var parameterValueShape: ParameterValueShape {
        withContiguousStorageIfAvailable { u -> ParameterValueShape in
            var shape = ParameterValueShape.plain
            var i = 0
            while i < u.count {
                // Past the bytes that need no look, sixteen at a time (CAgendaScan): every
                // parameter of every event (languages, zones, names, URLs) comes through here.
                if let base = u.baseAddress {
                    i += agenda_ics_parameter_plain_prefix(base + i, u.count - i)
                    if i >= u.count { break }
                }
                let b = u[i]
                switch b {
                case 0x3A, 0x3B, 0x2C: shape = .quoted
                case 0x22, 0x5E, 0x7F, 0..<0x20: return .encoded
                case 0xC2 where i + 1 < u.count && u[i + 1] < 0xA0: return .encoded
                case 0xEF where i + 2 < u.count && u[i + 1] == 0xBF && u[i + 2] >= 0xBE: return .encoded
                default: break
                }
                i += 1
            }
            return shape
        } ?? .encoded
    }
}
