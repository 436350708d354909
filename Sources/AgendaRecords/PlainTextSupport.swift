#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension String {
    /// Every line break (CRLF, CR or LF) replaced, e.g. by a space for single-line fields.
    public func replacingLineBreaks(with replacement: String) -> String {
        if !hasLineBreak { return self }
        var out = ""
        out.reserveCapacity(utf8.count)
        var previousCR = false
        for scalar in unicodeScalars {
            if scalar == "\r" {
                out += replacement
                previousCR = true
                continue
            }
            if scalar == "\n" {
                if !previousCR { out += replacement }
                previousCR = false
                continue
            }
            previousCR = false
            out.unicodeScalars.append(scalar)
        }
        return out
    }

    /// Whether the text holds a CR or LF, looked for with memchr (this runs for every title,
    /// place and label written).
    var hasLineBreak: Bool {
        var text = self
        return text.withUTF8 { u in
            guard let base = u.baseAddress, !u.isEmpty else { return false }
            return memchr(base, 0x0A, u.count) != nil || memchr(base, 0x0D, u.count) != nil
        }
    }
}

extension Array where Element == UInt8 {
    /// Appends the UTF-8 bytes of `s` in one copy. `append(contentsOf: s.utf8)` goes through the
    /// generic sequence path, about 170 instructions for a two-byte literal; the writers append
    /// dozens of pieces for every event.
    @inline(__always)
    package mutating func appendUTF8(_ s: String) {
        var text = s
        text.withUTF8 { append(contentsOf: $0) }
    }

    /// Appends a literal's UTF-8 bytes, with none of a `String`'s checks (a third of the cost
    /// of `appendUTF8` for the short pieces between the values of a GeoJSON feature).
    @inline(__always)
    package mutating func appendLiteral(_ s: StaticString) {
        append(contentsOf: UnsafeBufferPointer(start: s.utf8Start, count: s.utf8CodeUnitCount))
    }
}
