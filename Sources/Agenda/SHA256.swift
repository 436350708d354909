import CAgendaDigest

/// SHA-256 (FIPS 180-4), fed incrementally as an output file is written, for `manifest.json`.
///
/// Written here because Foundation on Linux has no digest API and CryptoKit is Apple-only; one
/// hash does not justify a dependency on swift-crypto (and its build time in every CI run).
/// The block function is C (`CAgendaDigest`), to use the CPU's SHA instructions. Checked against
/// the FIPS test vectors and `sha256sum` in the tests.
struct SHA256 {
    private var state: [UInt32] =
        [0x6a09_e667, 0xbb67_ae85, 0x3c6e_f372, 0xa54f_f53a, 0x510e_527f, 0x9b05_688c, 0x1f83_d9ab, 0x5be0_cd19]
    private var pending: [UInt8] = []
    private var length: UInt64 = 0

    init() { pending.reserveCapacity(64) }

    mutating func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { update($0) }
    }

    mutating func update(_ bytes: UnsafeBufferPointer<UInt8>) {
        var rest = bytes[...]
        fillPending(&rest)
        // Whole blocks straight from the bytes, the tail kept for the next call.
        length &+= UInt64(rest.count)
        let whole = rest.count / 64 * 64
        compress(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: rest.prefix(whole))))
        pending.append(contentsOf: rest.dropFirst(whole))
    }

    /// `a.update(x)` and `b.update(y)`, with the whole blocks the two have in common hashed
    /// together (`agenda_sha256_blocks_x2`): a map and its GeoJSON sequence grow at the same
    /// rate, and one stream alone leaves the SHA unit waiting between rounds.
    static func update(_ a: inout SHA256, _ x: UnsafeBufferPointer<UInt8>, _ b: inout SHA256, _ y: UnsafeBufferPointer<UInt8>) {
        var x = x[...], y = y[...]
        a.fillPending(&x)
        b.fillPending(&y)
        // A pending block still not full leaves its bytes empty, and so no block in common.
        let blocks = min(x.count, y.count) / 64
        if blocks > 0 {
            let count = blocks * 64
            a.length &+= UInt64(count)
            b.length &+= UInt64(count)
            a.state.withUnsafeMutableBufferPointer { sa in
                b.state.withUnsafeMutableBufferPointer { sb in
                    agenda_sha256_blocks_x2(sa.baseAddress!, x.base.baseAddress! + x.startIndex,
                                            sb.baseAddress!, y.base.baseAddress! + y.startIndex, blocks)
                }
            }
            x = x.dropFirst(count)
            y = y.dropFirst(count)
        }
        a.update(UnsafeBufferPointer(rebasing: x))
        b.update(UnsafeBufferPointer(rebasing: y))
    }

    /// Moves bytes from the front of `bytes` into the pending partial block until it is full
    /// (then hashed) or `bytes` is empty: afterwards one of the two is empty.
    private mutating func fillPending(_ bytes: inout Slice<UnsafeBufferPointer<UInt8>>) {
        guard !pending.isEmpty else { return }
        let take = min(64 - pending.count, bytes.count)
        pending.append(contentsOf: bytes.prefix(take))
        length &+= UInt64(take)
        bytes = bytes.dropFirst(take)
        guard pending.count == 64 else { return }
        pending.withUnsafeBufferPointer { compress(UnsafeRawBufferPointer($0)) }
        pending.removeAll(keepingCapacity: true)
    }

    /// The digest as 64 lower-case hex digits.
    mutating func finalize() -> String {
        let bitLength = length &* 8
        var tail = pending
        tail.append(0x80)
        while tail.count % 64 != 56 { tail.append(0) }
        for shift in stride(from: 56, through: 0, by: -8) { tail.append(UInt8(truncatingIfNeeded: bitLength >> UInt64(shift))) }
        tail.withUnsafeBytes { compress($0) }
        pending.removeAll()
        let words = state
        let digits = Array("0123456789abcdef".utf8)
        var hex: [UInt8] = []
        for w in words {
            for shift in stride(from: 28, through: 0, by: -4) { hex.append(digits[Int((w >> UInt32(shift)) & 0xF)]) }
        }
        return String(decoding: hex, as: UTF8.self)
    }

    /// Whole 64-byte blocks, in C: with the CPU's SHA instructions this is about ten times faster
    /// than the portable code (`agenda_sha256_blocks_portable`, which the tests compare with it).
    private mutating func compress(_ blocks: UnsafeRawBufferPointer) {
        guard blocks.count >= 64 else { return }
        let base = blocks.baseAddress!.assumingMemoryBound(to: UInt8.self)
        state.withUnsafeMutableBufferPointer { agenda_sha256_blocks($0.baseAddress!, base, blocks.count / 64) }
    }
}
