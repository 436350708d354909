extension String {
    /// Every line break (CRLF, CR or LF) replaced, e.g. by a space for single-line fields.
    public func replacingLineBreaks(with replacement: String) -> String {
        if !utf8.contains(where: { $0 == 0x0A || $0 == 0x0D }) { return self }
        var out = ""
        out.reserveCapacity(utf8.count)
        var previousCR = false
        for scalar in unicodeScalars {
            if scalar == "\r" {
                out += replacement
                previousCR = true
                continue
            }
            if scalar == "\n" {
                if !previousCR { out += replacement }
                previousCR = false
                continue
            }
            previousCR = false
            out.unicodeScalars.append(scalar)
        }
        return out
    }
}
