/// The ids a batch has accepted, each with where it was first seen: the duplicate-id policy (first
/// wins) needs every id of the batch, and a `[String: RecordOrigin]` of a million ids took more
/// memory than the rest of the export together.
///
/// Each id is kept as a 64-bit hash with its origin packed into 64 bits (record number and line), in
/// open-addressing tables: 16 bytes a slot, at most 80% full, so about 20–30 bytes per record
/// (a million records: under 32 MB). There are 256 tables, chosen by the hash's top byte, so a
/// table that grows copies 1/256 of the whole, not all of it at once. Two different ids share a
/// hash with probability about n²/2⁶⁵ (under 10⁻⁷ for a million records); such an id would be
/// reported as a duplicate, never silently dropped.
struct IDTable {
    private var shards = [IDShard](repeating: IDShard(), count: 256)

    var count: Int { shards.reduce(0) { $0 + $1.count } }

    /// Where `id` was first recorded, if it was.
    func origin(of id: String) -> UInt64? {
        let h = Self.hash(id)
        return shards[Int(h >> 56)].origin(h)
    }

    /// Records `id` at `origin` unless it is there already.
    mutating func insert(_ id: String, origin: UInt64) {
        let h = Self.hash(id)
        shards[Int(h >> 56)].insert(h, origin: origin)
    }

    /// FNV-1a over the UTF-8 bytes, then a final mix (splitmix64) so nearby ids spread out.
    static func hash(_ id: String) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in id.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        h = (h ^ (h >> 30)) &* 0xbf58_476d_1ce4_e5b9
        h = (h ^ (h >> 27)) &* 0x94d0_49bb_1331_11eb
        h ^= h >> 31
        return h == IDShard.empty ? 1 : h
    }

    /// A record's number in the whole batch (counted the same way in both passes, so it
    /// identifies the record) and its line, packed into 36 and 28 bits. A line past 2²⁸ is kept
    /// as 0 (unknown); it is used in messages only.
    static func pack(record: Int, line: Int) -> UInt64 {
        UInt64(record) << 28 | (line < 1 << 28 ? UInt64(line) : 0)
    }
    static func unpack(_ v: UInt64) -> (record: Int, line: Int?) {
        (Int(v >> 28), v & 0xFFF_FFFF == 0 ? nil : Int(v & 0xFFF_FFFF))
    }
}

/// One open-addressing table of `IDTable` (linear probing).
struct IDShard {
    private var hashes: [UInt64]
    private var origins: [UInt64]
    private(set) var count = 0

    /// 0 marks an empty slot; a hash that happens to be 0 is stored as 1.
    static let empty: UInt64 = 0

    init(capacity: Int = 16) {
        hashes = [UInt64](repeating: Self.empty, count: capacity)
        origins = [UInt64](repeating: 0, count: capacity)
    }

    func origin(_ h: UInt64) -> UInt64? {
        var i = slot(h)
        while hashes[i] != Self.empty {
            if hashes[i] == h { return origins[i] }
            i = i + 1 == hashes.count ? 0 : i + 1
        }
        return nil
    }

    mutating func insert(_ h: UInt64, origin: UInt64) {
        if (count + 1) * 5 > hashes.count * 4 { grow() }
        var i = slot(h)
        while hashes[i] != Self.empty {
            if hashes[i] == h { return }
            i = i + 1 == hashes.count ? 0 : i + 1
        }
        hashes[i] = h
        origins[i] = origin
        count += 1
    }

    /// The home slot of a hash: its bits below the shard byte scaled to the table size (no power
    /// of two needed, so the table grows by half, not double).
    private func slot(_ h: UInt64) -> Int { Int((h << 8).multipliedFullWidth(by: UInt64(hashes.count)).high) }

    private mutating func grow() {
        let oldHashes = hashes, oldOrigins = origins
        let capacity = hashes.count + hashes.count / 2
        hashes = [UInt64](repeating: Self.empty, count: capacity)
        origins = [UInt64](repeating: 0, count: capacity)
        for (h, o) in zip(oldHashes, oldOrigins) where h != Self.empty {
            var i = slot(h)
            while hashes[i] != Self.empty { i = i + 1 == hashes.count ? 0 : i + 1 }
            hashes[i] = h
            origins[i] = o
        }
    }
}
