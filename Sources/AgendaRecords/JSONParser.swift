import CAgendaScan

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Text from UTF-8 bytes, and whether invalid bytes had to be replaced with U+FFFD.
@inline(__always)
func decodeUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> (String, repaired: Bool) {
    if let s = validUTF8(bytes).string { return (s, false) }
    return (String(decoding: bytes, as: UTF8.self), true)
}

/// Text from UTF-8 bytes when they are well formed (nil when not), and whether it is in NFC as
/// it stands (`AGENDA_UTF8_NFC_PLAIN`; false means "look", not "is not").
///
/// The bytes are checked once, in C (`agenda_utf8_shape`), and the string made from them
/// unchecked: `String(decoding:as:)` checked them itself, as slowly for the Spanish texts, and a
/// second look (did it replace anything?) and `Language.nfc`'s own scan followed.
@inline(__always)
func validUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> (string: String?, nfc: Bool) {
    guard let base = bytes.baseAddress, !bytes.isEmpty else { return ("", true) }
    let shape = agenda_utf8_shape(base, bytes.count)
    guard shape & Int32(AGENDA_UTF8_VALID) != 0 else { return (nil, false) }
    let ascii = shape & Int32(AGENDA_UTF8_ASCII) != 0
    let text = String(copying: unsafe UTF8Span(unchecked: bytes.span, isKnownASCII: ascii))
    return (text, shape & Int32(AGENDA_UTF8_NFC_PLAIN) != 0)
}

/// The JSON parser's limits (a generic type cannot hold static stored properties).
enum JSONLimits {
    static let maxDepth = 64
    /// Longest string kept, in bytes. A longer one (a 20 MB description) is skipped without being
    /// held in memory, and the decoder rejects its record with a clear message; parsing goes on.
    static let maxStringBytes = 8 << 20
}

/// Where a `JSONParser` reads: a file streamed a chunk at a time (`ByteStream`), or one JSON
/// Lines record already in memory (`LineBytes`), which is read with no class in between (the
/// parser is generic, so each gets its own code).
protocol JSONInput {
    var position: Int { get set }
    /// The bytes at hand (the current chunk).
    var buffer: [UInt8] { get }
    /// Ensures at least one unread byte is at hand; false at the end of the input.
    mutating func fill() -> Bool
}

extension JSONInput {
    @inline(__always)
    mutating func peek() -> UInt8? { fill() ? buffer[position] : nil }

    @inline(__always)
    mutating func next() -> UInt8? {
        guard fill() else { return nil }
        defer { position += 1 }
        return buffer[position]
    }

    /// How many bytes from `position`, within the bytes at hand, come before the first `"`, `\\`
    /// or line feed: the run a string parser can take in one piece.
    @inline(__always)
    func plainStringRun() -> Int {
        buffer.withUnsafeBufferPointer { chunk in
            // Up to the next `"`, `\` or line feed, sixteen bytes at a time (CAgendaScan).
            guard let base = chunk.baseAddress, position < chunk.count else { return 0 }
            return agenda_json_string_run(base + position, chunk.count - position)
        }
    }

    /// Bytes at hand, without copying them into an array first.
    @inline(__always)
    func withBytes<R>(_ range: Range<Int>, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        buffer.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[range])) }
    }
}

/// One line held in memory.
struct LineBytes: JSONInput {
    let buffer: [UInt8]
    var position = 0

    @inline(__always)
    func fill() -> Bool { position < buffer.count }
}

/// A syntax error in JSON input, with the line where it was found.
struct JSONSyntaxError: Error {
    var line: Int
    var message: String
}

/// A streaming JSON parser that yields `Node`s with line numbers.
///
/// Deliberate choices: nesting is limited (no stack overflow on hostile input); raw control
/// characters inside strings are accepted (real open-data exports such as Madrid's contain raw
/// newlines) but counted for line numbers; invalid UTF-8 and lone surrogates are repaired with
/// U+FFFD and flagged, so the decoder can reject the field with a precise message.
struct JSONParser<Input: JSONInput> {
    var input: Input
    var line = 1
    private var scratch: [UInt8] = []
    /// Set when the last string exceeded `JSONLimits.maxStringBytes` (until the next value).
    private(set) var oversized = false

    init(input: Input, line: Int = 1) {
        self.input = input
        self.line = line
    }

    /// Skips whitespace and returns the next byte without consuming it.
    ///
    /// Inlined for the usual cases, no whitespace or one space (`", "` and `": "`, as most tools
    /// write JSON): the decoder asks for a hundred tokens a record, and the call cost more than
    /// the skipping.
    @inline(__always)
    mutating func peekToken() -> UInt8? {
        guard let b = input.peek() else { return nil }
        if b > 0x20 { return b }
        if b == 0x20 {
            input.position += 1
            if let next = input.peek(), next > 0x20 { return next }
        }
        return skipWhitespace()
    }

    /// `peekToken` past any run of whitespace, counting lines.
    @inline(never)
    private mutating func skipWhitespace() -> UInt8? {
        while let b = input.peek() {
            switch b {
            case 0x20, 0x09: input.position += 1
            case 0x0A: line += 1; input.position += 1
            case 0x0D:
                input.position += 1
                if input.peek() == 0x0A { input.position += 1 }
                line += 1
            default: return b
            }
        }
        return nil
    }

    mutating func expect(_ byte: UInt8) throws(JSONSyntaxError) {
        guard let b = peekToken() else { throw JSONSyntaxError(line: line, message: "unexpected end of input") }
        guard b == byte else {
            throw JSONSyntaxError(line: line, message: "expected '\(Character(UnicodeScalar(byte)))', found \(describe(b))")
        }
        input.position += 1
    }

    func describe(_ b: UInt8) -> String {
        b >= 0x21 && b < 0x7F ? "'\(Character(UnicodeScalar(b)))'" : "byte 0x" + (b < 16 ? "0" : "") + String(b, radix: 16, uppercase: true)
    }

    mutating func parseValue(depth: Int = 0) throws(JSONSyntaxError) -> Node {
        guard depth < JSONLimits.maxDepth else {
            throw JSONSyntaxError(line: line, message: "nesting deeper than \(JSONLimits.maxDepth) levels")
        }
        guard let b = peekToken() else { throw JSONSyntaxError(line: line, message: "unexpected end of input") }
        let startLine = line
        switch b {
        case UInt8(ascii: "{"):
            input.position += 1
            var members: [(key: String, value: Node)] = []
            members.reserveCapacity(4)  // most objects are small; grown one by one, each grew 3–5 times
            if peekToken() == UInt8(ascii: "}") {
                input.position += 1
                return Node(.object(members), line: startLine)
            }
            var repaired = false
            while true {
                guard peekToken() == UInt8(ascii: "\"") else {
                    throw JSONSyntaxError(line: line, message: "expected a member name in double quotes")
                }
                input.position += 1
                let (key, keyRepaired) = try parseKey()
                repaired = repaired || keyRepaired
                try expect(UInt8(ascii: ":"))
                members.append((key, try parseValue(depth: depth + 1)))
                guard let sep = peekToken() else { throw JSONSyntaxError(line: line, message: "unexpected end of input") }
                input.position += 1
                if sep == UInt8(ascii: "}") { break }
                guard sep == UInt8(ascii: ",") else {
                    throw JSONSyntaxError(line: line, message: "expected ',' or '}', found \(describe(sep))")
                }
            }
            return Node(.object(members), line: startLine, repairedText: repaired)
        case UInt8(ascii: "["):
            input.position += 1
            var items: [Node] = []
            if peekToken() == UInt8(ascii: "]") {
                input.position += 1
                return Node(.array(items), line: startLine)
            }
            while true {
                items.append(try parseValue(depth: depth + 1))
                guard let sep = peekToken() else { throw JSONSyntaxError(line: line, message: "unexpected end of input") }
                input.position += 1
                if sep == UInt8(ascii: "]") { break }
                guard sep == UInt8(ascii: ",") else {
                    throw JSONSyntaxError(line: line, message: "expected ',' or ']', found \(describe(sep))")
                }
            }
            return Node(.array(items), line: startLine)
        case UInt8(ascii: "\""):
            input.position += 1
            let (s, repaired) = try parseString()
            var node = Node(.string(s), line: startLine, repairedText: repaired)
            node.oversized = oversized
            oversized = false
            return node
        case UInt8(ascii: "t"): try literal("true"); return Node(.bool(true), line: startLine)
        case UInt8(ascii: "f"): try literal("false"); return Node(.bool(false), line: startLine)
        case UInt8(ascii: "n"): try literal("null"); return Node(.null, line: startLine)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return try parseNumber(line: startLine)
        default:
            throw JSONSyntaxError(line: line, message: "unexpected \(describe(b))")
        }
    }

    private mutating func literal(_ word: StaticString) throws(JSONSyntaxError) {
        for expected in UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount) {
            guard input.next() == expected else {
                throw JSONSyntaxError(line: line, message: "invalid literal (expected '\(word)')")
            }
        }
    }

    mutating func parseNumber(line startLine: Int) throws(JSONSyntaxError) -> Node {
        if !scratch.isEmpty { scratch.removeAll(keepingCapacity: true) }
        while let b = input.peek(), Self.isNumberByte(b) {
            scratch.append(b)
            input.position += 1
            if scratch.count > 64 { throw JSONSyntaxError(line: line, message: "number too long") }
        }
        let text = String(decoding: scratch, as: UTF8.self)
        guard let value = scratch.withUnsafeBufferPointer(Self.numberValue) else {
            throw JSONSyntaxError(line: line, message: "invalid number '\(text)'")
        }
        return Node(.number(value, text), line: startLine)
    }

    /// Whether `b` may be part of a number's text (what `parseNumber` takes before checking it).
    @inline(__always)
    static func isNumberByte(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || b == UInt8(ascii: "-") || b == UInt8(ascii: "+") || b == UInt8(ascii: ".")
            || b == UInt8(ascii: "e") || b == UInt8(ascii: "E")
    }

    /// The finite value of a number's text, or nil when it is not a JSON number (or overflows).
    static func numberValue(_ b: UnsafeBufferPointer<UInt8>) -> Double? {
        guard isJSONNumber(b), let value = ShortDecimal.value(b) ?? Double(String(decoding: b, as: UTF8.self)),
              value.isFinite else { return nil }
        return value
    }

    /// RFC 8259 number grammar: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
    private static func isJSONNumber(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        func digits() -> Int {
            let s = i
            while i < b.count, b[i] >= 0x30, b[i] <= 0x39 { i += 1 }
            return i - s
        }
        if i < b.count, b[i] == UInt8(ascii: "-") { i += 1 }
        guard i < b.count else { return false }
        if b[i] == 0x30 { i += 1 } else if digits() == 0 { return false }
        if i < b.count, b[i] == UInt8(ascii: ".") {
            i += 1
            if digits() == 0 { return false }
        }
        if i < b.count, b[i] == UInt8(ascii: "e") || b[i] == UInt8(ascii: "E") {
            i += 1
            if i < b.count, b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") { i += 1 }
            if digits() == 0 { return false }
        }
        return i == b.count
    }

    /// A member name: one of the `KnownKeys` straight from its bytes when it is one (written
    /// without escapes, as keys are), else read as any string.
    mutating func parseKey() throws(JSONSyntaxError) -> (String, repaired: Bool) {
        if input.fill() {
            let run = input.plainStringRun()
            let start = input.position
            if start + run < input.buffer.count, input.buffer[start + run] == UInt8(ascii: "\""),
               let known = input.withBytes(start..<start + run, KnownKeys.name)
            {
                input.position = start + run + 1
                return (known, false)
            }
        }
        return try parseString()
    }

    /// Parses the rest of a string after its opening quote.
    mutating func parseString() throws(JSONSyntaxError) -> (String, repaired: Bool) {
        if !scratch.isEmpty { scratch.removeAll(keepingCapacity: true) }
        var repaired = false
        while true {
            // Ordinary bytes are taken a run at a time; a string that ends in the same chunk with
            // no escape (nearly all of them) becomes a String straight from the input buffer.
            if input.fill() {
                let run = input.plainStringRun()
                let start = input.position
                if scratch.isEmpty, run <= JSONLimits.maxStringBytes, start + run < input.buffer.count,
                   input.buffer[start + run] == UInt8(ascii: "\"")
                {
                    input.position = start + run + 1
                    return input.withBytes(start..<start + run) { decodeUTF8($0) }
                }
                if run > 0 {
                    input.withBytes(start..<start + run) { scratch.append(contentsOf: $0) }
                    input.position = start + run
                    if scratch.count > JSONLimits.maxStringBytes {
                        try skipRestOfString()
                        scratch.removeAll()
                        oversized = true
                        return ("", false)
                    }
                    continue
                }
            }
            guard let b = input.next() else { throw JSONSyntaxError(line: line, message: "unterminated string") }
            switch b {
            case UInt8(ascii: "\""):
                let (s, invalid) = scratch.withUnsafeBufferPointer { decodeUTF8($0) }
                return (s, repaired || invalid)
            case UInt8(ascii: "\\"):
                guard let e = input.next() else { throw JSONSyntaxError(line: line, message: "unterminated string") }
                switch e {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): scratch.append(e)
                case UInt8(ascii: "b"): scratch.append(0x08)
                case UInt8(ascii: "f"): scratch.append(0x0C)
                case UInt8(ascii: "n"): scratch.append(0x0A)
                case UInt8(ascii: "r"): scratch.append(0x0D)
                case UInt8(ascii: "t"): scratch.append(0x09)
                case UInt8(ascii: "u"):
                    var code = try hex4()
                    if (0xD800...0xDBFF).contains(code) {
                        // A high surrogate must be followed by \u and a low surrogate.
                        if input.peek() == UInt8(ascii: "\\") {
                            input.position += 1
                            guard input.next() == UInt8(ascii: "u") else {
                                throw JSONSyntaxError(line: line, message: "invalid escape after a surrogate")
                            }
                            let low = try hex4()
                            if (0xDC00...0xDFFF).contains(low) {
                                code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                            } else {
                                repaired = true
                                append(scalar: 0xFFFD)
                                code = low
                                if (0xD800...0xDFFF).contains(low) { code = 0xFFFD }
                            }
                        } else {
                            repaired = true
                            code = 0xFFFD
                        }
                    } else if (0xDC00...0xDFFF).contains(code) {
                        repaired = true
                        code = 0xFFFD
                    }
                    append(scalar: code)
                default:
                    throw JSONSyntaxError(line: line, message: "invalid escape '\\\(Character(UnicodeScalar(e)))'")
                }
            case 0x0A:
                line += 1
                scratch.append(b)
            default:
                scratch.append(b)
            }
            if scratch.count > JSONLimits.maxStringBytes {
                try skipRestOfString()
                scratch.removeAll()
                oversized = true
                return ("", false)
            }
        }
    }

    /// Consumes the rest of an over-long string without keeping it.
    private mutating func skipRestOfString() throws(JSONSyntaxError) {
        while let b = input.next() {
            switch b {
            case UInt8(ascii: "\""): return
            case UInt8(ascii: "\\"): _ = input.next()
            case 0x0A: line += 1
            default: break
            }
        }
        throw JSONSyntaxError(line: line, message: "unterminated string")
    }

    private mutating func hex4() throws(JSONSyntaxError) -> UInt32 {
        var v: UInt32 = 0
        for _ in 0..<4 {
            guard let h = input.next() else { throw JSONSyntaxError(line: line, message: "unterminated string") }
            let d: UInt32
            switch h {
            case 0x30...0x39: d = UInt32(h - 0x30)
            case 0x41...0x46: d = UInt32(h - 0x41 + 10)
            case 0x61...0x66: d = UInt32(h - 0x61 + 10)
            default: throw JSONSyntaxError(line: line, message: "invalid \\u escape")
            }
            v = v << 4 | d
        }
        return v
    }

    private mutating func append(scalar: UInt32) {
        let s = UnicodeScalar(scalar) ?? "\u{FFFD}"
        scratch.append(contentsOf: String(Character(s)).utf8)
    }
}

/// Numbers read without strtod when they are short.
enum ShortDecimal {
    /// The value of a valid JSON number of at most 15 digits and no exponent (coordinates, counts),
    /// or nil. Its digits as an integer are exact in a Double, and so is a power of ten up to
    /// 10^22, so their quotient, rounded once by the division, is the correctly rounded value:
    /// the same Double as `Double(text)` (Clinger's fast path), without strtod's general work
    /// (about 2,000 instructions a number).
    static func value(_ b: UnsafeBufferPointer<UInt8>) -> Double? {
        var i = 0, negative = false
        if b.first == UInt8(ascii: "-") { negative = true; i = 1 }
        var digits: UInt64 = 0, count = 0, fraction = 0, inFraction = false
        while i < b.count {
            let c = b[i]
            i += 1
            if c == UInt8(ascii: ".") { inFraction = true; continue }
            guard c >= 0x30 && c <= 0x39 else { return nil }
            count += 1
            guard count <= 15 else { return nil }
            digits = digits * 10 + UInt64(c - 0x30)
            if inFraction { fraction += 1 }
        }
        let value = Double(digits) / powersOfTen[fraction]
        return negative ? -value : value
    }

    private static let powersOfTen: [Double] = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15]
}
