import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs a producer on its own thread, transforms what it makes on worker threads, and hands the
/// results to the caller in the producer's order: reading, parsing, checking and rendering
/// records overlap with writing, on every core.
///
/// Items travel in batches. At most `capacity` batches are in flight (made and not yet consumed),
/// which bounds memory. A consumer error stops the producer (its next `put` throws) and the
/// workers; a producer error is rethrown to the consumer after the batches made before it.
final class ReadAhead<Input: Sendable, Output: Sendable>: @unchecked Sendable {
    struct Stopped: Error {}

    /// One lock, and a condition for each kind of waiter, so that a change wakes only the thread
    /// that waits for it: with one condition for all, every batch woke all four threads, and the
    /// futex wake-ups were a tenth of the CPU time.
    private let lock = Lock()
    /// Workers wait here for a batch to transform.
    private let batchWaiting: Condition
    /// The consumer waits here for the batch whose turn it is.
    private let resultReady: Condition
    /// The producer waits here for room (fewer than `capacity` batches in flight).
    private let roomFreed: Condition
    private var idleWorkers = 0
    private var producerWaits = false
    /// The batch the consumer waits for, while it waits.
    private var awaited: Int?

    /// Batches made and not yet taken by a worker, with their sequence numbers.
    private var waiting: [(sequence: Int, items: [Input?])] = []
    /// Transformed batches, until their turn comes.
    private var done: [Int: [Output?]] = [:]
    private var inFlight = 0
    private var made = 0
    private var producing = true
    private var liveThreads = 0
    private var stopped = false
    private var failure: (any Error)?
    private var current: [Input?] = []  // only the producer touches it
    private let batchSize: Int
    private let capacity: Int
    private let transform: @Sendable (consuming Input, _ worker: Int) -> Output

    private init(batchSize: Int, capacity: Int, transform: @escaping @Sendable (consuming Input, _ worker: Int) -> Output) {
        self.batchSize = batchSize
        self.capacity = capacity
        self.transform = transform
        current.reserveCapacity(batchSize)
        batchWaiting = Condition(lock)
        resultReady = Condition(lock)
        roomFreed = Condition(lock)
    }

    /// How many threads transform items by default: one per core, since the caller's share
    /// (writing bytes) is the lighter one once rendering runs on them.
    static var defaultWorkers: Int { max(1, ProcessInfo.processInfo.activeProcessorCount) }

    /// Runs `produce` on a new thread and `transform` on `workers` threads (on the producer's
    /// thread when 0), calling `consume` here for each result, in the order the items were made.
    /// `transform` is told which worker runs it (0 to `workers - 1`; 0 on the producer's thread).
    static func run(workers: Int = 0, batchSize: Int = 32, capacity: Int = 6,
                    produce: @escaping @Sendable (_ put: (Input) throws -> Void) throws -> Void,
                    transform: @escaping @Sendable (consuming Input, _ worker: Int) -> Output,
                    consume: (consuming Output) throws -> Void) throws
    {
        let queue = ReadAhead(batchSize: batchSize, capacity: capacity, transform: transform)
        queue.start(workers: workers, produce: produce)
        do {
            var sequence = 0
            while var batch = try queue.take(sequence) {
                // Items are moved out, not copied: a copy retains every string of a record, and
                // the batch's release then frees them.
                for i in batch.indices { try consume(batch[i].take()!) }
                sequence += 1
            }
        } catch {
            queue.stop()
            throw error
        }
    }

    private func start(workers: Int, produce: @escaping @Sendable (_ put: (Input) throws -> Void) throws -> Void) {
        liveThreads = 1 + workers
        let producer = Thread {
            var error: (any Error)?
            do {
                try produce { try self.put($0, transformHere: workers == 0) }
                try self.flush(transformHere: workers == 0)
            } catch let e {
                error = e is Stopped ? nil : e
            }
            self.lock.lock()
            self.failure = error
            self.producing = false
            self.liveThreads -= 1
            self.wakeEveryone()
            self.lock.unlock()
        }
        producer.stackSize = 8 << 20  // the parsers recurse (nesting is limited to 64 levels)
        producer.start()
        for number in 0..<workers {
            let worker = Thread { self.work(number) }
            worker.stackSize = 8 << 20
            worker.start()
        }
    }

    private func put(_ item: Input, transformHere: Bool) throws {
        current.append(item)
        if current.count >= batchSize { try flush(transformHere: transformHere) }
    }

    private func flush(transformHere: Bool) throws {
        guard !current.isEmpty else { return }
        var batch = current
        // A batch's worth at once: grown by appends, each batch was six blocks, the last two of
        // them large ones, for which glibc first merges every freed small block (`malloc_consolidate`).
        current = []
        current.reserveCapacity(batchSize)
        lock.lock()
        while inFlight >= capacity && !stopped {
            producerWaits = true
            roomFreed.wait()
            producerWaits = false
        }
        if stopped { lock.unlock(); throw Stopped() }
        let sequence = made
        made += 1
        inFlight += 1
        if !transformHere {
            waiting.append((sequence, batch))
            if idleWorkers > 0 { batchWaiting.signal() }
            lock.unlock()
            return
        }
        lock.unlock()
        let result = transformAll(&batch, worker: 0)
        lock.lock()
        finished(sequence, result)
        lock.unlock()
    }

    /// Files a transformed batch (under the lock), waking the consumer if it waits for it.
    private func finished(_ sequence: Int, _ result: [Output?]) {
        done[sequence] = result
        if awaited == sequence { resultReady.signal() }
    }

    /// At the end or on a stop every waiter must look again (under the lock).
    private func wakeEveryone() {
        batchWaiting.broadcast()
        resultReady.broadcast()
        roomFreed.broadcast()
    }

    private func transformAll(_ batch: inout [Input?], worker: Int) -> [Output?] {
        var result: [Output?] = []
        result.reserveCapacity(batch.count)
        for i in batch.indices { result.append(transform(batch[i].take()!, worker)) }
        return result
    }

    /// A worker: takes the oldest waiting batch until there are none and none will come.
    private func work(_ number: Int) {
        Self.yieldToConsumer()
        lock.lock()
        while true {
            while waiting.isEmpty && producing && !stopped {
                idleWorkers += 1
                batchWaiting.wait()
                idleWorkers -= 1
            }
            if stopped || waiting.isEmpty { break }
            var (sequence, batch) = waiting.removeFirst()
            lock.unlock()
            let result = transformAll(&batch, worker: number)
            lock.lock()
            finished(sequence, result)
        }
        liveThreads -= 1
        wakeEveryone()
        lock.unlock()
    }

    /// Lowers the calling worker's scheduling priority a little. The consumer (writing in order)
    /// is the one stage that cannot be shared out: with the workers and the consumer all busy on
    /// two cores, equal shares left it two thirds of a core, it fell behind, the in-flight limit
    /// filled, and the workers then slept with a core idle (about a tenth of the run). Weighted below
    /// it, the workers take what the consumer leaves, and both cores stay busy.
    private static func yieldToConsumer() {
        #if os(Linux)
        // Linux keeps the nice value per thread: who = 0 is the calling thread alone.
        _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, 5)
        #endif
    }

    /// Batch number `sequence`; nil at the end; the producer's error once its batches are consumed.
    private func take(_ sequence: Int) throws -> [Output?]? {
        lock.lock()
        defer { lock.unlock() }
        while true {
            if let batch = done.removeValue(forKey: sequence) {
                inFlight -= 1
                if producerWaits { roomFreed.signal() }
                return batch
            }
            if !producing && sequence == made && liveThreads == 0 {
                if let failure { throw failure }
                return nil
            }
            awaited = sequence
            resultReady.wait()
            awaited = nil
        }
    }

    /// Stops the producer and the workers, and waits until they have.
    private func stop() {
        lock.lock()
        stopped = true
        wakeEveryone()
        while liveThreads > 0 {
            awaited = -1  // no batch: woken by the threads' exits (wakeEveryone)
            resultReady.wait()
        }
        awaited = nil
        lock.unlock()
    }
}

/// A POSIX mutex, for conditions that share it (`NSCondition` has a lock of its own each).
final class Lock: @unchecked Sendable {
    let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    init() { pthread_mutex_init(mutex, nil) }
    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }
    func lock() { pthread_mutex_lock(mutex) }
    func unlock() { pthread_mutex_unlock(mutex) }
}

/// A POSIX condition variable on a shared `Lock`; `wait` must be called with the lock held.
final class Condition: @unchecked Sendable {
    private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private let lock: Lock
    init(_ lock: Lock) {
        self.lock = lock
        pthread_cond_init(condition, nil)
    }
    deinit {
        pthread_cond_destroy(condition)
        condition.deallocate()
    }
    func wait() { pthread_cond_wait(condition, lock.mutex) }
    func signal() { pthread_cond_signal(condition) }
    func broadcast() { pthread_cond_broadcast(condition) }
}
