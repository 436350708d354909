import CAgendaICU

/// Calls a bridge function that fills a UTF-8 buffer, growing the buffer until the text fits.
/// Returns nil when the bridge reports an error (negative return).
func bridgeString(_ fill: (UnsafeMutablePointer<CChar>, Int32) -> Int32) -> String? {
    var capacity: Int32 = 256
    while true {
        let result: String?? = withUnsafeTemporaryAllocation(of: CChar.self, capacity: Int(capacity)) { buffer in
            let needed = fill(buffer.baseAddress!, capacity)
            if needed < 0 { return .some(nil) }
            if needed >= capacity {
                capacity = needed + 1
                return nil
            }
            return .some(String(decoding: UnsafeRawBufferPointer(start: buffer.baseAddress!, count: Int(needed)),
                                as: UTF8.self))
        }
        if let result { return result }
    }
}

/// The same for calls that take a UTF-8 input text.
func bridgeString(
    _ text: String, _ fill: (UnsafePointer<CChar>, Int32, UnsafeMutablePointer<CChar>, Int32) -> Int32
) -> String? {
    return text.withUTF8Bytes { bytes in
        bytes.withMemoryRebound(to: CChar.self) { input in
            withUnsafePointer(to: CChar(0)) { empty in
                bridgeString { out, cap in fill(input.baseAddress ?? empty, Int32(input.count), out, cap) }
            }
        }
    }
}
