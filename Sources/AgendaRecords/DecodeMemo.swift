import CAgendaScan
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The parts of records that many records share, decoded once: a category of a small vocabulary,
/// an organizer, a venue. `DirectDecoder` looks each such object up by its exact bytes before it
/// decodes it; a hit is the value the same bytes decoded to before, so a record decoded with a
/// memo is the record decoded without one (`DecodeMemoTests`).
///
/// Why: decoding a category made four heap blocks (its slug, its label's array and texts) and
/// about 3,900 instructions, twice a record in the benchmark, whose 100,000 events share six
/// categories; an organizer, 4,000. A hit costs the object's scan and hash (`agenda_json_object_extent`),
/// a comparison of its bytes and a few retains.
///
/// One per worker thread (nothing in it is locked). Bounded: a few dozen objects of each kind, an
/// object kept only once it has been seen twice (so distinct venues cost a scan and a hash each,
/// never a copy), a newer object taking an older one's place. A kind whose objects are not
/// shared (fewer than one in sixteen found, as in the benchmark's venues) is not looked up for
/// a while, then tried again.
package final class DecodeMemo: @unchecked Sendable {
    let categories = MemoTable<Category>()
    let parties = MemoTable<Party>()
    let venues = MemoTable<Venue>()

    package init() {}

    /// Objects found, of every kind, since it was made (for the tests).
    package var hits: Int { categories.hits + parties.hits + venues.hits }
}

/// Values by the bytes they were decoded from: a direct-mapped table of `slotCount` objects, and
/// the hashes of objects seen once, which an object must be in before it is kept.
final class MemoTable<Value> {
    private struct Slot {
        var hash: UInt64
        var bytes: [UInt8]
        var value: Value
    }

    /// Objects longer than this are decoded every time (a venue with a long address is ~300 bytes).
    static var longest: Int { 1024 }
    private static var slotCount: Int { 64 }
    private static var sightingCount: Int { 1024 }
    /// Lookups judged at a time, and how many objects go by unlooked-for after a poor run.
    private static var trial: Int { 1024 }
    private static var rest: Int { 15 * 1024 }

    // Plain memory, not arrays in the class: an array property of a class is checked for
    // exclusive access on every use, and this runs several times a record.
    private let slots = UnsafeMutablePointer<Slot?>.allocate(capacity: slotCount)
    private let sightings = UnsafeMutablePointer<UInt64>.allocate(capacity: sightingCount)
    private struct Counts {
        /// Lookups and hits in the current trial.
        var lookups = 0, trialHits = 0
        /// Objects still to let go by unlooked-for.
        var resting = 0
        /// Hits since the table was made.
        var hits = 0
    }
    private let counts = UnsafeMutablePointer<Counts>.allocate(capacity: 1)

    init() {
        slots.initialize(repeating: nil, count: Self.slotCount)
        sightings.initialize(repeating: 0, count: Self.sightingCount)
        counts.initialize(to: Counts())
    }

    deinit {
        slots.deinitialize(count: Self.slotCount)
        slots.deallocate()
        sightings.deallocate()
        counts.deinitialize(count: 1)
        counts.deallocate()
    }

    var hits: Int { counts.pointee.hits }

    /// Whether the next object is worth looking up (false while this kind rests).
    func worthALook() -> Bool {
        guard counts.pointee.resting == 0 else {
            counts.pointee.resting -= 1
            return false
        }
        return true
    }

    /// The value decoded before from exactly these bytes.
    func value(for bytes: UnsafeBufferPointer<UInt8>, hash: UInt64) -> Value? {
        counts.pointee.lookups += 1
        if counts.pointee.lookups == Self.trial {
            if counts.pointee.trialHits < Self.trial / 16 { counts.pointee.resting = Self.rest }
            counts.pointee.lookups = 0
            counts.pointee.trialHits = 0
        }
        let i = Int(truncatingIfNeeded: hash) & (Self.slotCount - 1)
        // Tested where it is: binding the slot copied its bytes and value (retains and releases).
        guard slots[i]?.hash == hash, slots[i]?.bytes.count == bytes.count,
              slots[i]?.bytes.withUnsafeBufferPointer({ memcmp($0.baseAddress!, bytes.baseAddress!, bytes.count) == 0 }) == true
        else { return nil }
        counts.pointee.trialHits += 1
        counts.pointee.hits += 1
        return slots[i]?.value
    }

    /// Notes that `bytes` decoded to `value`: kept when these bytes were seen before.
    func remember(_ value: Value, for bytes: UnsafeBufferPointer<UInt8>, hash: UInt64) {
        let s = Int(truncatingIfNeeded: hash >> 32) & (Self.sightingCount - 1)
        guard sightings[s] == hash else {
            sightings[s] = hash
            return
        }
        slots[Int(truncatingIfNeeded: hash) & (Self.slotCount - 1)] = Slot(hash: hash, bytes: Array(bytes), value: value)
    }
}
