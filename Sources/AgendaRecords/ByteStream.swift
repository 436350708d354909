import Foundation

/// Reads a file (or standard input) in fixed-size chunks, so readers hold one chunk and one record
/// at a time, never the whole input.
final class ByteStream: JSONInput {
    private let handle: FileHandle?
    private let closeOnDeinit: Bool
    private(set) var buffer: [UInt8] = []
    var position = 0
    private(set) var atEnd = false
    /// Why reading stopped early (the system's message), when it was not the end of the input.
    private(set) var readError: String?
    private let chunkSize: Int

    init(handle: FileHandle, closeOnDeinit: Bool, chunkSize: Int = 1 << 16) {
        self.handle = handle
        self.closeOnDeinit = closeOnDeinit
        self.chunkSize = chunkSize
    }

    /// Opens a path, or standard input for "-".
    convenience init(path: String) throws {
        if path == "-" {
            self.init(handle: FileHandle.standardInput, closeOnDeinit: false)
        } else {
            self.init(handle: try FileHandle(forReadingFrom: URL(fileURLWithPath: path)), closeOnDeinit: true)
        }
    }

    /// A stream over bytes already in memory (one JSON line, a test string).
    init(bytes: [UInt8]) {
        self.handle = nil
        self.closeOnDeinit = false
        self.chunkSize = 0
        self.buffer = bytes
    }

    deinit { if closeOnDeinit { try? handle?.close() } }

    /// Ensures at least one unread byte is buffered; false at the end of the input.
    @inline(__always)
    func fill() -> Bool {
        if position < buffer.count { return true }
        return refill()
    }

    private func refill() -> Bool {
        if atEnd { return false }
        guard let handle else {
            atEnd = true
            buffer.removeAll(keepingCapacity: true)
            position = 0
            return false
        }
        // read(2) straight into the buffer: FileHandle.read(upToCount:) asked the kernel for
        // 4 KiB at a time and grew a new Data to the chunk, which cost forty thousand system
        // calls and two copies per 160 MB of input.
        let fd = handle.fileDescriptor, size = chunkSize
        var failure: Int32?
        buffer.removeAll(keepingCapacity: true)
        buffer.append(addingCapacity: size) { span in
            span.withUnsafeMutableBufferPointer { free, initialized in
                while true {
                    let n = read(fd, free.baseAddress!, size)
                    if n < 0 && errno == EINTR { continue }
                    if n < 0 { failure = errno }
                    initialized = max(n, 0)
                    return
                }
            }
        }
        if let failure { readError = String(cString: strerror(failure)) }
        position = 0
        if buffer.isEmpty {
            atEnd = true
            return false
        }
        return true
    }

    @inline(__always)
    func peek() -> UInt8? { fill() ? buffer[position] : nil }

    @inline(__always)
    func next() -> UInt8? {
        guard fill() else { return nil }
        defer { position += 1 }
        return buffer[position]
    }

    /// Skips a UTF-8 byte order mark at the very start.
    func skipBOM() {
        guard fill(), buffer.count - position >= 3 || !atEnd else { return }
        if buffer.count - position >= 3, buffer[position] == 0xEF, buffer[position + 1] == 0xBB,
           buffer[position + 2] == 0xBF
        {
            position += 3
        }
    }

    /// The next line without its terminator (LF, CRLF or CR); false at the end. Bytes beyond
    /// `limit` are skipped, not kept, and `truncated` says so.
    func nextLine(into line: inout [UInt8], limit: Int = .max, truncated: inout Bool) -> Bool {
        line.removeAll(keepingCapacity: true)
        truncated = false
        guard fill() else { return false }
        while fill() {
            // The rest of the line in this chunk is found with memchr and copied in one piece:
            // byte-at-a-time reading was a tenth of the reader's time on large JSON Lines files.
            let (end, terminator): (Int, UInt8?) = buffer.withUnsafeBufferPointer { chunk in
                let base = chunk.baseAddress! + position
                let count = chunk.count - position
                var end = count
                if let lf = memchr(base, 0x0A, count) { end = UnsafePointer<UInt8>(lf.assumingMemoryBound(to: UInt8.self)) - base }
                if let cr = memchr(base, 0x0D, end) { end = UnsafePointer<UInt8>(cr.assumingMemoryBound(to: UInt8.self)) - base }
                return (position + end, end < count ? base[end] : nil)
            }
            let room = max(0, limit - line.count)
            if end - position > room { truncated = true }
            line.append(contentsOf: buffer[position..<position + min(room, end - position)])
            guard let terminator else {
                position = end
                continue
            }
            position = end + 1
            if terminator == 0x0D, fill(), buffer[position] == 0x0A { position += 1 }
            return true
        }
        return true
    }
}
