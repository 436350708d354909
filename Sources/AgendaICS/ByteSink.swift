/// Where writers put their bytes: a file, a socket, a hash, memory.
public protocol ByteSink {
    mutating func write(_ bytes: [UInt8]) throws
}

/// A sink that keeps everything in memory.
public struct ByteBuffer: ByteSink, Sendable {
    public private(set) var bytes: [UInt8] = []
    public init() {}
    public mutating func write(_ bytes: [UInt8]) { self.bytes.append(contentsOf: bytes) }
}
