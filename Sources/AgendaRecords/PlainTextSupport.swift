import AgendaTime

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
        return withUTF8Bytes { u in
            guard let base = u.baseAddress, !u.isEmpty else { return false }
            return memchr(base, 0x0A, u.count) != nil || memchr(base, 0x0D, u.count) != nil
        }
    }
}

extension Array where Element == UInt8 {
    /// Appends bytes with one copy into the spare capacity (growing it as `append` does).
    /// `append(contentsOf:)` is a call into the standard library of about 90 instructions even
    /// for two bytes, and the writers append a hundred and more pieces for every event;
    /// `append(addingCapacity:initializingWith:)` is emitted here, down to the copy.
    @inlinable @inline(__always)
    package mutating func appendBytes(_ bytes: UnsafeBufferPointer<UInt8>) {
        let n = bytes.count
        guard n > 0, let source = bytes.baseAddress else { return }
        append(addingCapacity: n) { span in
            span.withUnsafeMutableBufferPointer { buffer, initialized in
                buffer.baseAddress!.initialize(from: source, count: n)
                initialized = n
            }
        }
    }

    /// Appends the UTF-8 bytes of `s` in one copy. `append(contentsOf: s.utf8)` goes through the
    /// generic sequence path, about 170 instructions for a two-byte literal; the writers append
    /// dozens of pieces for every event.
    @inlinable @inline(__always)
    package mutating func appendUTF8(_ s: String) {
        s.withUTF8Bytes { appendBytes($0) }
    }

    /// Appends a literal's UTF-8 bytes, with none of a `String`'s checks (a third of the cost
    /// of `appendUTF8` for the short pieces between the values of a GeoJSON feature).
    @inlinable @inline(__always)
    package mutating func appendLiteral(_ s: StaticString) {
        appendBytes(s.utf8Bytes)
    }
}

extension StaticString {
    /// The literal's UTF-8 bytes where the program keeps them (a literal written in quotes,
    /// which the writers' are, is stored as bytes, not as a scalar).
    @inlinable @inline(__always)
    package var utf8Bytes: UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: utf8Start, count: utf8CodeUnitCount)
    }
}
