import Foundation
import Synchronization
import AgendaRecords

#if canImport(Glibc)
import Glibc
#endif

/// A file written atomically and only when its bytes change.
///
/// Bytes go to a temporary file in the same directory, which is flushed to disk and then renamed
/// over the target, so a killed run leaves either the old or the new complete file. When the new
/// bytes equal the existing file the temporary is discarded and the old file (and its mtime, and
/// every cache keyed on it) stays. The SHA-256 of the bytes is computed as they are written, for
/// the manifest.
final class OutputFile {
    let path: String
    private let temporaryPath: String
    private var descriptor: Int32
    private var buffer: [UInt8] = []
    private var hasher = SHA256()
    private(set) var byteCount = 0
    /// Bytes handed to the file so far, and how many of them the kernel was asked to start
    /// writing to disk (see `startWriteback`).
    private var bytesWritten = 0, writebackStarted = 0
    /// Events (calendar events, feed items, map features) written, for the manifest.
    var eventCount = 0
    /// Set by `finishWriting()`.
    private(set) var sha256 = ""
    private var committed = false

    /// The file flushed together with this one (see `pair(_:_:)`).
    private weak var partner: OutputFile?

    /// Writes are gathered up to this size before they reach the file.
    private static let bufferSize = 1 << 18  // 256 KiB: a few dozen files are open at once

    /// `tag` tells two temporaries of one target apart; a `readable` file can be the source of
    /// `append(bodyOf:after:)`.
    init(path: String, tag: String = "", readable: Bool = false) throws {
        self.path = path
        (temporaryPath, descriptor) = try createTemporary(beside: path, tag: tag, flags: readable ? O_RDWR : O_WRONLY, mode: 0o644)
        buffer.reserveCapacity(Self.bufferSize)
    }

    /// A file dropped before it was committed leaves no temporary behind.
    deinit { if !committed { discard() } }

    func write(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBufferPointer { try write($0) }
    }

    /// The bytes are lent, not handed over: an array passed on to `append(contentsOf:)` was
    /// retained by the writing thread and released there, a cache line the worker that made it
    /// had last written, several times per event (about 2% of an export's CPU).
    func write(_ bytes: UnsafeBufferPointer<UInt8>) throws {
        guard !bytes.isEmpty else { return }
        byteCount += bytes.count
        // A whole feed at once goes out as it is: gathered, it would grow the buffer to its size,
        // at the end of an export, where the memory peaks.
        if bytes.count >= Self.bufferSize {
            try flush()
            try send(bytes)
            return
        }
        buffer.appendBytes(bytes)
        if buffer.count >= Self.bufferSize { try flushWithPartner() }
    }

    /// From now on, when the buffer of `a` or `b` is full, both are flushed and their bytes
    /// hashed together (`SHA256.update(_:_:_:_:)`, two streams at once, in less time than one
    /// after the other): for two files that grow at the same rate, written from one thread, a map
    /// and its GeoJSON sequence. `unpair()` before either is written from another thread.
    static func pair(_ a: OutputFile, _ b: OutputFile) {
        a.partner = b
        b.partner = a
    }

    /// Ends `pair(_:_:)`.
    func unpair() {
        partner?.partner = nil
        partner = nil
    }

    /// `flush()`, and the partner's with it when its buffer is at least half full.
    private func flushWithPartner() throws {
        guard let other = partner, other.descriptor >= 0, other.buffer.count >= Self.bufferSize / 2 else { return try flush() }
        buffer.withUnsafeBufferPointer { mine in
            other.buffer.withUnsafeBufferPointer { theirs in SHA256.update(&hasher, mine, &other.hasher, theirs) }
        }
        try put(buffer)
        buffer.removeAll(keepingCapacity: true)
        try other.put(other.buffer)
        other.buffer.removeAll(keepingCapacity: true)
    }

    /// Hashes and writes the buffer: hashing whole buffers, not each small write, keeps the
    /// SHA-256 in its fast path.
    private func flush() throws {
        try buffer.withUnsafeBufferPointer { try send($0) }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Hashes `bytes` and hands them to the file.
    private func send(_ bytes: UnsafeBufferPointer<UInt8>) throws {
        hasher.update(bytes)
        try put(bytes)
    }

    /// Hands `bytes`, hashed, to the file.
    private func put(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBufferPointer { try put($0) }
    }

    private func put(_ bytes: UnsafeBufferPointer<UInt8>) throws {
        try writeAll(UnsafeRawBufferPointer(bytes), to: descriptor, path: path)
        bytesWritten += bytes.count
        startWriteback()
    }

    /// Asks the kernel to start writing what the file has so far to disk, every 8 MiB: the
    /// `fsync` that makes the file durable before its rename then finds it mostly done. Left to
    /// the end, a large export's maps and calendar were flushed all at once after the last event,
    /// while the cores idled. (`POSIX_FADV_DONTNEED` starts the writeback without waiting for it;
    /// it also drops pages already on disk, which only the unchanged-file check of `commit` reads
    /// again, from disk if need be. A hint: its failure changes nothing.)
    private func startWriteback() {
        guard bytesWritten - writebackStarted >= 1 << 23 else { return }
        _ = posix_fadvise(descriptor, off_t(writebackStarted), off_t(bytesWritten - writebackStarted), POSIX_FADV_DONTNEED)
        writebackStarted = bytesWritten
    }

    /// Appends what `other` (a `readable` file, still open) holds after its first `headCount`
    /// bytes: a calendar whose head, written early, turned out wrong is made again from its body.
    func append(bodyOf other: OutputFile, after headCount: Int) throws {
        try other.flush()
        try append(contentsOf: other.descriptor, from: headCount, count: other.byteCount - headCount, sourcePath: other.temporaryPath)
    }

    /// Appends the `count` bytes of the open file `source` from offset `start`.
    ///
    /// The kernel copies them (`sendfile`, no trip through this process) while this thread
    /// hashes them, both at once: appending a calendar's body after its VTIMEZONEs with `read`
    /// and `write`, then hashing, kept one core busy for a sixth of an ICS export's time while
    /// the other waited. The hashing reads the file through a mapping of one window at a time:
    /// a mapped page counts in the resident memory until it is unmapped, and a whole mapping
    /// made a million-event export's peak as large as its calendar.
    func append(contentsOf source: Int32, from start: Int = 0, count: Int, sourcePath: String) throws {
        try flush()
        guard count > 0 else { return }
        // The hashing gets a thread of its own: files are finished inside `concurrentPerform`,
        // and a `concurrentPerform` nested in it runs its jobs one after the other.
        let hashing = Mutex((hasher: hasher, error: ExportError?.none))
        let hashed = DispatchSemaphore(value: 0)
        let thread = Thread {
            hashing.withLock { $0.error = Self.hash(source, from: start, count: count, sourcePath: sourcePath, into: &$0.hasher) }
            hashed.signal()
        }
        thread.start()
        // In pieces, each one's writeback started as soon as it is copied: copied whole, the
        // body (most of a calendar) was all still to be written to disk at the `fsync`, which the
        // end of an export then waited for with the cores idle.
        var copied = 0, copyError: ExportError?
        while copied < count, copyError == nil {
            let piece = min(Self.copyPiece, count - copied)
            copyError = Self.copy(source, from: start + copied, count: piece, to: descriptor, path: path)
            copied += piece
            bytesWritten += piece
            startWriteback()
        }
        hashed.wait()
        let (hasher, hashError) = hashing.withLock { ($0.hasher, $0.error) }
        if let error = copyError ?? hashError { throw error }
        self.hasher = hasher
        byteCount += count
    }

    /// Bytes copied per `sendfile` call when appending a file: the writeback granule.
    private static let copyPiece = 1 << 23

    /// Bytes hashed per mapping: large enough that mapping costs nothing, small enough for the
    /// memory figure (a multiple of every page size).
    private static let hashWindow = 1 << 21

    private static func hash(_ source: Int32, from start: Int, count: Int, sourcePath: String, into hasher: inout SHA256) -> ExportError? {
        // A mapping starts on a page: the first window begins at the page holding `start`.
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let end = start + count
        var offset = start
        while offset < end {
            let mapStart = offset - offset % page
            let length = min(hashWindow, end - mapStart)
            guard let mapped = mmap(nil, length, PROT_READ, MAP_SHARED, source, off_t(mapStart)), mapped != MAP_FAILED else {
                return .cannotWrite(path: sourcePath, reason: "cannot map it: \(String(cString: strerror(errno)))")
            }
            let skip = offset - mapStart
            hasher.update(UnsafeRawBufferPointer(start: mapped + skip, count: length - skip).assumingMemoryBound(to: UInt8.self))
            munmap(mapped, length)
            offset = mapStart + length
        }
        return nil
    }

    /// The `count` bytes of `source` from offset `start` appended to `target`: by the kernel, or
    /// read and written here where the kernel cannot (an old kernel, a file system without it).
    private static func copy(_ source: Int32, from start: Int, count: Int, to target: Int32, path: String) -> ExportError? {
        var offset = start
        let end = start + count
        while offset < end {
            let n = sendfile(target, source, &offset, end - offset)
            if n > 0 { continue }
            if n < 0 && errno == EINTR { continue }
            if n == 0 || errno == EINVAL || errno == ENOSYS { return copyByReading(source, from: offset, upTo: end, to: target, path: path) }
            return .cannotWrite(path: path, reason: String(cString: strerror(errno)))
        }
        return nil
    }

    /// Internal for the tests: the kernels here all have `sendfile`.
    static func copyByReading(_ source: Int32, from start: Int, upTo end: Int, to target: Int32, path: String) -> ExportError? {
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        var offset = start
        while offset < end {
            let n = chunk.withUnsafeMutableBytes { pread(source, $0.baseAddress, min($0.count, end - offset), off_t(offset)) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { return .cannotWrite(path: path, reason: n == 0 ? "the spooled body ended early" : String(cString: strerror(errno))) }
            do { try chunk.withUnsafeBytes { try writeAll(UnsafeRawBufferPointer(rebasing: $0[..<n]), to: target, path: path) } } catch {
                return error as? ExportError ?? .cannotWrite(path: path, reason: "\(error)")
            }
            offset += n
        }
        return nil
    }

    /// Flushes the bytes to disk and computes the hash; `commit()` does it when not done yet.
    func finishWriting() throws {
        guard descriptor >= 0 else { return }
        try flush()
        sha256 = hasher.finalize()
        guard fsync(descriptor) == 0 else {
            throw ExportError.cannotWrite(path: path, reason: String(cString: strerror(errno)))
        }
        close(descriptor)
        descriptor = -1
    }

    /// Finishes the file; returns whether the target changed.
    @discardableResult
    func commit() throws -> Bool {
        try finishWriting()
        if Self.sameSize(path, byteCount), FileManager.default.contentsEqual(atPath: temporaryPath, andPath: path) {
            unlink(temporaryPath)
            committed = true
            return false
        }
        committed = true
        guard rename(temporaryPath, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporaryPath)
            throw ExportError.cannotWrite(path: path, reason: reason)
        }
        return true
    }

    /// Abandons the file, leaving any previous version in place.
    func discard() {
        if descriptor >= 0 { close(descriptor) }
        descriptor = -1
        unlink(temporaryPath)
    }

    private static func sameSize(_ path: String, _ size: Int) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && Int(info.st_size) == size
    }

    /// Removes temporary files left in `directory` (recursively) by runs that were killed: names
    /// `.<file>.<pid>.tmp` whose process no longer exists.
    static func removeAbandonedTemporaries(in directory: String) -> [String] {
        guard let walker = FileManager.default.enumerator(atPath: directory) else { return [] }
        var removed: [String] = []
        while let relative = walker.nextObject() as? String {
            let name = (relative as NSString).lastPathComponent
            guard name.hasPrefix("."), name.hasSuffix(".tmp") else { continue }
            let parts = name.dropLast(4).split(separator: ".")
            guard let last = parts.last, let pid = Int32(last), pid != getpid() else { continue }
            if kill(pid, 0) != 0 && errno == ESRCH {
                unlink(directory + "/" + relative)
                removed.append(directory + "/" + relative)
            }
        }
        return removed
    }
}

/// The body of an output whose head depends on its whole content (a calendar's VTIMEZONEs, a
/// map's bbox) when the export reads its input only once: the body is kept in a temporary file
/// beside the output, then copied after the head. Removed when dropped.
final class Spool {
    private let path: String
    private var descriptor: Int32
    private var buffer: [UInt8] = []
    private static let bufferSize = 1 << 16
    /// Bytes written so far.
    private(set) var size = 0

    init(beside target: String) throws {
        (path, descriptor) = try createTemporary(beside: target, tag: ".body", flags: O_RDWR, mode: 0o600)
        buffer.reserveCapacity(Self.bufferSize)
    }

    deinit {
        close(descriptor)
        unlink(path)
    }

    func write(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBufferPointer { try write($0) }
    }

    /// Lent, as to `OutputFile.write(_:)`.
    func write(_ bytes: UnsafeBufferPointer<UInt8>) throws {
        size += bytes.count
        buffer.appendBytes(bytes)
        if buffer.count >= Self.bufferSize { try flush() }
    }

    private func flush() throws {
        try writeAll(buffer, to: descriptor, path: path)
        buffer.removeAll(keepingCapacity: true)
    }

    /// Appends everything written so far to `file`.
    func copy(into file: OutputFile) throws {
        try flush()
        let size = lseek(descriptor, 0, SEEK_END)
        guard size >= 0 else { throw ExportError.cannotWrite(path: path, reason: String(cString: strerror(errno))) }
        try file.append(contentsOf: descriptor, count: Int(size), sourcePath: path)
    }
}

/// Creates (truncating) the hidden temporary `.<name><tag>.<pid>.tmp` in the target's folder, and
/// the folder when needed. The pid in the name lets a later run remove what a killed one left
/// (`OutputFile.removeAbandonedTemporaries`).
private func createTemporary(beside target: String, tag: String, flags: Int32, mode: mode_t) throws -> (String, Int32) {
    var dir = (target as NSString).deletingLastPathComponent
    if dir.isEmpty { dir = "." }
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    let path = dir + "/." + (target as NSString).lastPathComponent + tag + ".\(getpid()).tmp"
    let descriptor = open(path, flags | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
    guard descriptor >= 0 else {
        throw ExportError.cannotWrite(path: target, reason: "cannot create \(path): \(String(cString: strerror(errno)))")
    }
    return (path, descriptor)
}

/// Writes every byte to a file descriptor (retrying short writes and interruptions).
private func writeAll(_ bytes: [UInt8], to descriptor: Int32, path: String) throws {
    try bytes.withUnsafeBytes { try writeAll($0, to: descriptor, path: path) }
}

private func writeAll(_ raw: UnsafeRawBufferPointer, to descriptor: Int32, path: String) throws {
    var offset = 0
    while offset < raw.count {
        let n = Glibc.write(descriptor, raw.baseAddress! + offset, raw.count - offset)
        if n < 0 {
            if errno == EINTR { continue }
            throw ExportError.cannotWrite(path: path, reason: String(cString: strerror(errno)))
        }
        offset += n
    }
}
