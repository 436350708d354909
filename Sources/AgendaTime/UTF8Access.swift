extension String {
    /// `body` with the string's UTF-8 bytes, read in place. `withUTF8` is mutating, so calling it
    /// on a parameter or a property needs a copy of the string first, that is a retain and a
    /// release: a few hundred for every event, as the writers read every text this way. Native
    /// strings (all of them on Linux) are contiguous; any other is copied as before.
    @inlinable @inline(__always)
    package func withUTF8Bytes<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        if let result = try utf8.withContiguousStorageIfAvailable(body) { return result }
        var copy = self
        return try copy.withUTF8(body)
    }
}
