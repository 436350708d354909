import Foundation

/// Runs a producer on its own thread, transforms what it makes on worker threads, and hands the
/// results to the caller in the producer's order: reading, parsing, checking and rendering
/// records overlap with writing, on every core.
///
/// Items travel in batches. At most `capacity` batches are in flight (made and not yet consumed),
/// which bounds memory. A consumer error stops the producer (its next `put` throws) and the
/// workers; a producer error is rethrown to the consumer after the batches made before it.
final class ReadAhead<Input: Sendable, Output: Sendable>: @unchecked Sendable {
    struct Stopped: Error {}

    private let condition = NSCondition()
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
    private let transform: @Sendable (Input) -> Output

    private init(batchSize: Int, capacity: Int, transform: @escaping @Sendable (Input) -> Output) {
        self.batchSize = batchSize
        self.capacity = capacity
        self.transform = transform
    }

    /// How many threads transform items by default: one per core, since the caller's share
    /// (writing bytes) is the lighter one once rendering runs on them.
    static var defaultWorkers: Int { max(1, ProcessInfo.processInfo.activeProcessorCount) }

    /// Runs `produce` on a new thread and `transform` on `workers` threads (on the producer's
    /// thread when 0), calling `consume` here for each result, in the order the items were made.
    static func run(workers: Int = 0, batchSize: Int = 32, capacity: Int = 6,
                    produce: @escaping @Sendable (_ put: (Input) throws -> Void) throws -> Void,
                    transform: @escaping @Sendable (Input) -> Output,
                    consume: (Output) throws -> Void) throws
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
            self.condition.lock()
            self.failure = error
            self.producing = false
            self.liveThreads -= 1
            self.condition.broadcast()
            self.condition.unlock()
        }
        producer.stackSize = 8 << 20  // the parsers recurse (nesting is limited to 64 levels)
        producer.start()
        for _ in 0..<workers {
            let worker = Thread { self.work() }
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
        current = []
        condition.lock()
        while inFlight >= capacity && !stopped { condition.wait() }
        if stopped { condition.unlock(); throw Stopped() }
        let sequence = made
        made += 1
        inFlight += 1
        if !transformHere {
            waiting.append((sequence, batch))
            condition.broadcast()
            condition.unlock()
            return
        }
        condition.unlock()
        let result = transformAll(&batch)
        condition.lock()
        done[sequence] = result
        condition.broadcast()
        condition.unlock()
    }

    private func transformAll(_ batch: inout [Input?]) -> [Output?] {
        var result: [Output?] = []
        result.reserveCapacity(batch.count)
        for i in batch.indices { result.append(transform(batch[i].take()!)) }
        return result
    }

    /// A worker: takes the oldest waiting batch until there are none and none will come.
    private func work() {
        condition.lock()
        while true {
            while waiting.isEmpty && producing && !stopped { condition.wait() }
            if stopped || waiting.isEmpty { break }
            var (sequence, batch) = waiting.removeFirst()
            condition.unlock()
            let result = transformAll(&batch)
            condition.lock()
            done[sequence] = result
            condition.broadcast()
        }
        liveThreads -= 1
        condition.broadcast()
        condition.unlock()
    }

    /// Batch number `sequence`; nil at the end; the producer's error once its batches are consumed.
    private func take(_ sequence: Int) throws -> [Output?]? {
        condition.lock()
        defer { condition.unlock() }
        while true {
            if let batch = done.removeValue(forKey: sequence) {
                inFlight -= 1
                condition.broadcast()
                return batch
            }
            if !producing && sequence == made && liveThreads == 0 {
                if let failure { throw failure }
                return nil
            }
            condition.wait()
        }
    }

    /// Stops the producer and the workers, and waits until they have.
    private func stop() {
        condition.lock()
        stopped = true
        condition.broadcast()
        while liveThreads > 0 { condition.wait() }
        condition.unlock()
    }
}
