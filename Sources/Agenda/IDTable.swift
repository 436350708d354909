/// The ids a batch has accepted, each with where it was first seen: the duplicate-id policy (first
/// wins) needs every id of the batch, and a `[String: RecordOrigin]` of a million ids took more
/// memory than the rest of the export together.
///
/// Each id is kept as a 64-bit hash with the number of its record in the batch, in open-addressing
/// tables: 12 bytes a slot, at most 85% full, about 15–18 bytes per record (a million records:
/// under 18 MB; the line of the first record is not kept, so a duplicate's message names the
/// first one by its record number). There are 256 tables, chosen by the hash's top byte, so a
/// table that grows copies 1/256 of the whole, not all of it at once. Two different ids share a
/// hash with probability about n²/2⁶⁵ (under 10⁻⁷ for a million records); such an id would be
/// reported as a duplicate, never silently dropped.
struct IDTable {
    private var shards = [IDShard](repeating: IDShard(), count: 256)

    var count: Int { shards.reduce(0) { $0 + $1.count } }

    /// The batch record number (from 1) where `id` was first recorded, if it was.
    func record(of id: String) -> Int? {
        let h = Self.hash(id)
        return shards[Int(h >> 56)].record(h).map(Int.init)
    }

    /// Records `id` as first seen in record `number` (at most 2³² − 1 records a batch) unless it
    /// is there already.
    mutating func insert(_ id: String, record number: Int) {
        let h = Self.hash(id)
        shards[Int(h >> 56)].insert(h, record: UInt32(clamping: number))
    }

    /// FNV-1a over the UTF-8 bytes, then a final mix (splitmix64) so nearby ids spread out.
    static func hash(_ id: String) -> UInt64 {
        // Over the string's own bytes (the UTF-8 view's iterator cost several times more; this
        // runs twice for every record, on the writing thread).
        func fnv(_ bytes: some Sequence<UInt8>) -> UInt64 {
            var h: UInt64 = 0xcbf2_9ce4_8422_2325
            for b in bytes { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
            return h
        }
        var h = id.utf8.withContiguousStorageIfAvailable { fnv($0) } ?? fnv(id.utf8)
        h = (h ^ (h >> 30)) &* 0xbf58_476d_1ce4_e5b9
        h = (h ^ (h >> 27)) &* 0x94d0_49bb_1331_11eb
        h ^= h >> 31
        return h == IDShard.empty ? 1 : h
    }
}

/// One open-addressing table of `IDTable` (linear probing).
struct IDShard {
    private var hashes: [UInt64]
    private var records: [UInt32]
    private(set) var count = 0

    /// 0 marks an empty slot; a hash that happens to be 0 is stored as 1.
    static let empty: UInt64 = 0

    init(capacity: Int = 16) {
        hashes = [UInt64](repeating: Self.empty, count: capacity)
        records = [UInt32](repeating: 0, count: capacity)
    }

    func record(_ h: UInt64) -> UInt32? {
        var i = slot(h)
        while hashes[i] != Self.empty {
            if hashes[i] == h { return records[i] }
            i = i + 1 == hashes.count ? 0 : i + 1
        }
        return nil
    }

    mutating func insert(_ h: UInt64, record: UInt32) {
        if (count + 1) * 20 > hashes.count * 17 { grow() }
        var i = slot(h)
        while hashes[i] != Self.empty {
            if hashes[i] == h { return }
            i = i + 1 == hashes.count ? 0 : i + 1
        }
        hashes[i] = h
        records[i] = record
        count += 1
    }

    /// The home slot of a hash: its bits below the shard byte scaled to the table size (no power
    /// of two needed, so the table grows by a third, not double).
    private func slot(_ h: UInt64) -> Int { Int((h << 8).multipliedFullWidth(by: UInt64(hashes.count)).high) }

    private mutating func grow() {
        let oldHashes = hashes, oldRecords = records
        let capacity = hashes.count + hashes.count / 3
        hashes = [UInt64](repeating: Self.empty, count: capacity)
        records = [UInt32](repeating: 0, count: capacity)
        for (h, r) in zip(oldHashes, oldRecords) where h != Self.empty {
            var i = slot(h)
            while hashes[i] != Self.empty { i = i + 1 == hashes.count ? 0 : i + 1 }
            hashes[i] = h
            records[i] = r
        }
    }
}
