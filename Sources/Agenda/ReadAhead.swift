import Foundation

/// Runs a producer on its own thread and hands what it makes to the caller in batches, so reading
/// and parsing input overlap with decoding and writing on a second core.
///
/// The queue holds at most `capacity` batches, which bounds memory; a consumer error stops the
/// producer (its next `put` throws), and a producer error is rethrown to the consumer after the
/// batches made before it.
final class ReadAhead<Item: Sendable>: @unchecked Sendable {
    struct Stopped: Error {}

    private let condition = NSCondition()
    private var batches: [[Item?]] = []
    private var current: [Item?] = []
    private var finished = false
    private var stopped = false
    private var failure: (any Error)?
    private let batchSize: Int
    private let capacity: Int

    init(batchSize: Int = 64, capacity: Int = 8) {
        self.batchSize = batchSize
        self.capacity = capacity
    }

    /// Runs `produce` on a new thread, calling `consume` here for each item in order.
    static func run(batchSize: Int = 64, capacity: Int = 8,
                    produce: @escaping @Sendable (_ put: (Item) throws -> Void) throws -> Void,
                    consume: (Item) throws -> Void) throws
    {
        let queue = ReadAhead(batchSize: batchSize, capacity: capacity)
        let thread = Thread {
            do {
                try produce { try queue.put($0) }
                try queue.flush()
                queue.finish(nil)
            } catch {
                queue.finish(error is Stopped ? nil : error)
            }
        }
        thread.stackSize = 8 << 20  // the parsers recurse (nesting is limited to 64 levels)
        thread.start()
        do {
            while var batch = try queue.take() {
                // Items are moved out, not copied: a copy retains every string of a record, and
                // the batch's release then frees them.
                for i in batch.indices { try consume(batch[i].take()!) }
            }
        } catch {
            queue.stop()
            queue.waitUntilFinished()
            throw error
        }
    }

    private func put(_ item: Item) throws {
        current.append(item)  // only the producer thread touches `current`
        if current.count >= batchSize { try flush() }
    }

    private func flush() throws {
        guard !current.isEmpty else { return }
        condition.lock()
        defer { condition.unlock() }
        while batches.count >= capacity && !stopped { condition.wait() }
        if stopped { throw Stopped() }
        batches.append(current)
        current = []
        condition.broadcast()
    }

    private func finish(_ error: (any Error)?) {
        condition.lock()
        failure = error
        finished = true
        condition.broadcast()
        condition.unlock()
    }

    /// The next batch; nil at the end; the producer's error once its batches are consumed.
    private func take() throws -> [Item?]? {
        condition.lock()
        defer { condition.unlock() }
        while batches.isEmpty && !finished { condition.wait() }
        if !batches.isEmpty {
            let batch = batches.removeFirst()
            condition.broadcast()
            return batch
        }
        if let failure { throw failure }
        return nil
    }

    private func stop() {
        condition.lock()
        stopped = true
        condition.broadcast()
        condition.unlock()
    }

    private func waitUntilFinished() {
        condition.lock()
        while !finished { condition.wait() }
        condition.unlock()
    }
}
