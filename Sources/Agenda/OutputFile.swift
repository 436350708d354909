import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A file written atomically and only when its bytes change.
///
/// Bytes go to a temporary file in the same directory, which is flushed to disk and then renamed
/// over the target, so a killed run leaves either the old or the new complete file. When the new
/// bytes equal the existing file the temporary is discarded and the old file (and its mtime, and
/// every cache keyed on it) stays.
final class OutputFile {
    let path: String
    private let temporaryPath: String
    private let handle: FileHandle
    private(set) var byteCount = 0

    init(path: String) throws {
        self.path = path
        let dir = (path as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: dir.isEmpty ? "." : dir, withIntermediateDirectories: true)
        temporaryPath = dir + "/." + (path as NSString).lastPathComponent + ".\(getpid()).tmp"
        guard FileManager.default.createFile(atPath: temporaryPath, contents: nil) else {
            throw ExportError.cannotWrite(path: path, reason: "cannot create \(temporaryPath)")
        }
        handle = try FileHandle(forWritingTo: URL(fileURLWithPath: temporaryPath))
    }

    func write(_ bytes: [UInt8]) throws {
        guard !bytes.isEmpty else { return }
        try handle.write(contentsOf: bytes)
        byteCount += bytes.count
    }

    /// Finishes the file; returns whether the target changed.
    @discardableResult
    func commit() throws -> Bool {
        try handle.synchronize()
        try handle.close()
        if FileManager.default.contentsEqual(atPath: temporaryPath, andPath: path) {
            try? FileManager.default.removeItem(atPath: temporaryPath)
            return false
        }
        guard rename(temporaryPath, path) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(atPath: temporaryPath)
            throw ExportError.cannotWrite(path: path, reason: reason)
        }
        return true
    }

    /// Abandons the file, leaving any previous version in place.
    func discard() {
        try? handle.close()
        try? FileManager.default.removeItem(atPath: temporaryPath)
    }
}
