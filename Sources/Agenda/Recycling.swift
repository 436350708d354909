import AgendaRecords
import Synchronization

// Memory that goes back to the thread that allocated it.
//
// glibc gives each thread its own malloc arena. A block freed by another thread goes back to the
// arena it came from, under that arena's lock (only small blocks stop in the freeing thread's own
// cache, seven of a size). The writing thread freed what the workers had made — each event's
// record and its rendered bytes — and slept on the workers' arena locks thousands of times per
// 100,000 events (`perf record -e sched:sched_switch --call-graph dwarf`: most of its waits were
// in `_int_free`); the ordered output stalled, and the workers, their queue full, stalled
// behind it (`perf sched timehist`: each worker waiting a quarter of the run).

/// Events the writing thread is done with, handed back to the worker that made each, which frees
/// them in its own arena the next time it checks a record.
final class Leftovers: Sendable {
    private final class Bin: Sendable {
        let handfuls = Mutex<[[ScheduledEvent]]>([])
    }
    private let bins: [Bin]
    /// Handed over this many at a time: one lock for a batch of the workers' size.
    private static let handful = 32

    init(workers: Int) {
        bins = (0..<max(1, workers)).map { _ in Bin() }
    }

    /// Events waiting on the writing thread for their bin, by worker (only that thread uses it).
    struct Pending {
        fileprivate var events: [[ScheduledEvent]]
    }

    func pending() -> Pending { Pending(events: bins.map { _ in [] }) }

    /// Keeps `event` (made by `worker`) for its worker. Where its record's last reference goes,
    /// its memory is freed: the feeds keep a few hundred events, and those are freed where they
    /// are dropped; the rest go back.
    func keep(_ event: consuming ScheduledEvent, from worker: Int, in pending: inout Pending) {
        pending.events[worker].append(event)
        if pending.events[worker].count >= Self.handful { hand(worker, &pending) }
    }

    private func hand(_ worker: Int, _ pending: inout Pending) {
        var handful: [ScheduledEvent] = []
        swap(&handful, &pending.events[worker])
        guard !handful.isEmpty else { return }
        bins[worker].handfuls.withLock { $0.append(handful) }
        pending.events[worker].reserveCapacity(Self.handful)
    }

    /// Frees, on `worker`'s thread, what was handed back to it.
    func free(for worker: Int) {
        var freed: [[ScheduledEvent]] = []
        bins[worker].handfuls.withLock { swap(&freed, &$0) }
        _ = consume freed
    }
}
