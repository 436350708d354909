import Synchronization

/// Byte buffers handed back to the threads that fill them, so that a buffer filled on one thread
/// and done with on another is neither freed there nor allocated again (see `Recycling.swift` in
/// `Agenda` for why a block freed by another thread is costly under glibc).
///
/// Two kinds go round: the workers' rendered VEVENTs and features (2–4 KiB each, given back by the
/// writing thread once written), and JSON Lines records (about 2 KB each, given back by the
/// worker that decoded them to the thread that reads the input). A buffer that was handed on
/// stays shared until it comes back, so the thread that filled it needs a new one each time.
package final class BufferPool: Sendable {
    private let spare = Mutex<[[UInt8]]>([])
    /// Beyond this many spare buffers the rest are freed: a bound on memory, above what the
    /// batches in flight between the threads ever hold.
    private let limit: Int
    /// A buffer grown past this (by an unusually long record) is freed rather than kept for the
    /// short ones that follow.
    private static let largest = 1 << 20

    package init(limit: Int = 1024) {
        self.limit = limit
    }

    /// An empty buffer: a spare one, or a new one.
    package func take() -> [UInt8] {
        spare.withLock { $0.popLast() } ?? []
    }

    /// Takes the buffers of `buffers` (leaving it empty), emptied.
    package func give(_ buffers: inout [[UInt8]]) {
        spare.withLock { spare in
            while let b = buffers.popLast() { keep(b, in: &spare) }
        }
    }

    /// Takes one buffer, emptied.
    package func give(_ buffer: consuming [UInt8]) {
        // Moved in, not copied: unshared, it is emptied in place and filled again in place.
        var held = Optional(buffer)
        spare.withLock { spare in keep(held.take()!, in: &spare) }
    }

    private func keep(_ buffer: consuming [UInt8], in spare: inout [[UInt8]]) {
        guard spare.count < limit, buffer.capacity <= Self.largest else { return }
        var b = buffer
        b.removeAll(keepingCapacity: true)
        spare.append(b)
    }
}
