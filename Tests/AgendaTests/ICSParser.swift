/// A small, strict iCalendar reader for round-trip tests: it unfolds, splits content lines
/// (honouring quoted parameters and RFC 6868 caret escapes) and unescapes TEXT.
struct ICSLine: Equatable {
    var name: String
    var params: [String: String]
    var value: String
}

enum ICSParser {
    static func lines(_ bytes: [UInt8]) -> [ICSLine] {
        let text = String(decoding: bytes, as: UTF8.self)
        let unfolded = text.replacingOccurrences(of: "\r\n ", with: "")
        return unfolded.split(separator: "\r\n", omittingEmptySubsequences: true).map { parse(String($0)) }
    }

    static func parse(_ s: String) -> ICSLine {
        let chars = Array(s)
        var i = 0
        var name = ""
        while i < chars.count, chars[i] != ";", chars[i] != ":" { name.append(chars[i]); i += 1 }
        var params: [String: String] = [:]
        while i < chars.count, chars[i] == ";" {
            i += 1
            var key = ""
            while chars[i] != "=" { key.append(chars[i]); i += 1 }
            i += 1
            var value = ""
            if chars[i] == "\"" {
                i += 1
                while chars[i] != "\"" { value.append(chars[i]); i += 1 }
                i += 1
            } else {
                while chars[i] != ";", chars[i] != ":" { value.append(chars[i]); i += 1 }
            }
            params[key] = caretDecode(value)
        }
        return ICSLine(name: name, params: params, value: String(chars[(i + 1)...]))
    }

    static func caretDecode(_ s: String) -> String {
        var out = ""
        var it = s.makeIterator()
        while let c = it.next() {
            if c == "^" {
                switch it.next() {
                case "n": out.append("\n")
                case "'": out.append("\"")
                case "^": out.append("^")
                case let other?: out.append("^"); out.append(other)
                case nil: out.append("^")
                }
            } else {
                out.append(c)
            }
        }
        return out
    }

    static func unescape(_ s: String) -> String {
        var out = ""
        var it = s.makeIterator()
        while let c = it.next() {
            if c == "\\" {
                switch it.next() {
                case "n", "N": out.append("\n")
                case let other?: out.append(other)
                case nil: break
                }
            } else {
                out.append(c)
            }
        }
        return out
    }

    /// Splits a CATEGORIES value on unescaped commas.
    static func list(_ s: String) -> [String] {
        var items: [String] = []
        var current = ""
        var escaped = false
        for c in s {
            if escaped { current.append("\\"); current.append(c); escaped = false; continue }
            if c == "\\" { escaped = true; continue }
            if c == "," { items.append(unescape(current)); current = ""; continue }
            current.append(c)
        }
        items.append(unescape(current))
        return items
    }

    /// The content lines of each VEVENT.
    static func events(_ bytes: [UInt8]) -> [[ICSLine]] {
        var result: [[ICSLine]] = []
        var current: [ICSLine]?
        for line in lines(bytes) {
            if line.name == "BEGIN", line.value == "VEVENT" { current = [] ; continue }
            if line.name == "END", line.value == "VEVENT" { result.append(current ?? []); current = nil; continue }
            current?.append(line)
        }
        return result
    }
}

extension Array where Element == ICSLine {
    func first(_ name: String) -> ICSLine? { first { $0.name == name } }
}
