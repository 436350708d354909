/// Tests on eight bytes at once, for the scanners that skip text with nothing to look at (JSON
/// strings, TEXT and JSON escaping, the NFC quick check). The usual bit tricks: each answers
/// exactly whether some byte qualifies, not which one.
package enum ByteWord {
    static let ones: UInt64 = 0x0101_0101_0101_0101
    static let highs: UInt64 = 0x8080_8080_8080_8080

    /// Eight bytes from `offset`, unaligned.
    @inline(__always)
    package static func load(_ base: UnsafeRawPointer, _ offset: Int) -> UInt64 {
        base.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
    }

    /// Whether a byte of `w` is `byte`: it is where `w ^ byte…` has a zero byte.
    @inline(__always)
    package static func has(_ byte: UInt8, in w: UInt64) -> Bool {
        let v = w ^ (ones &* UInt64(byte))
        return (v &- ones) & ~v & highs != 0
    }

    /// Whether a byte of `w` is below `limit` (at most 0x80).
    @inline(__always)
    package static func hasByte(below limit: UInt8, in w: UInt64) -> Bool {
        (w &- ones &* UInt64(limit)) & ~w & highs != 0
    }

    /// Whether a byte of `w` is `limit` or above (0x80 or more): its low seven bits plus
    /// 0x100 − `limit` reach the high bit exactly then (no byte carries into the next, as the sum
    /// stays below 0x100), and the byte's own high bit must be set too.
    @inline(__always)
    package static func hasByte(atLeast limit: UInt8, in w: UInt64) -> Bool {
        ((w & ~highs) &+ ones &* (0x100 - UInt64(limit))) & w & highs != 0
    }
}
