/// Reads spreadsheet exports: one record per row, columns named by field paths.
///
/// Column mapping (documented in README.md, "CSV columns"):
/// - a header is a dotted field path: `title.es`, `venue.geo.lat`, `organizer.name.en`;
/// - a numeric segment indexes an array: `categories.0.slug`, `categories.0.label.es`, `images.0.url`;
/// - list fields take several values in one cell separated by `|`: `keywords`, `recurrence.rdates`,
///   `recurrence.exdates`, `online.features`;
/// - empty cells are absent fields; numbers and booleans are written as text (`3.43`, `true`);
/// - the separator (`,` `;` or tab) is detected from the header row; a UTF-8 BOM is ignored;
///   quoted cells may hold separators, quotes (`""`) and line breaks (RFC 4180).
struct CSVRecordReader {
    let file: String

    static let listFields: Set<String> = ["keywords", "recurrence.rdates", "recurrence.exdates", "online.features"]

    /// One row: its cells and the line it started on.
    private struct Row {
        var cells: [[UInt8]] = []
        var line = 1
        /// A cell was longer than `RecordReader.maxCellBytes` (its excess was not kept).
        var oversized = false
    }

    func read(_ stream: ByteStream, _ body: (ReadEvent) throws -> Void) throws {
        var lineNumber = 1
        guard let header = nextRow(stream, separator: nil, line: &lineNumber) else {
            try body(.problem(Diagnostic(.warning, file: file, message: "the file holds no records")))
            return
        }
        let separator = header.separator
        var columns: [(path: [String], isList: Bool)?] = []
        for (i, raw) in header.row.cells.enumerated() {
            let name = String(decoding: raw, as: UTF8.self).trimming(" \t")
            if name.isEmpty {
                columns.append(nil)
                continue
            }
            let path = name.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
            if let problem = RecordSchema.checkPath(path) {
                try body(.problem(Diagnostic(.warning, file: file, line: 1, field: name,
                                             message: "column \(i + 1) \(problem); the column is ignored")))
                columns.append(nil)
            } else {
                columns.append((path, CSVRecordReader.listFields.contains(name)))
            }
        }
        var index = 0
        let input = InputName(file)
        while let (row, _) = nextRow(stream, separator: separator, line: &lineNumber) {
            if row.cells.allSatisfy({ $0.allSatisfy { $0 == 0x20 || $0 == 0x09 } }) { continue }
            index += 1
            let origin = RecordOrigin(input: input, line: row.line, index: index)
            if row.oversized {
                try body(.problem(origin.diagnostic(.error, field: nil,
                    "a cell is longer than \(RecordReader.maxCellBytes >> 20) MiB, the limit for one field; the record is skipped")))
                continue
            }
            if row.cells.count > columns.count {
                try body(.problem(origin.diagnostic(.error, field: nil,
                    "row has \(row.cells.count) cells but the header names \(columns.count) columns; the record is skipped")))
                continue
            }
            var root = Builder.object([:], order: [])
            for (i, raw) in row.cells.enumerated() {
                guard let column = columns[i], !raw.isEmpty else { continue }
                let (value, repaired) = raw.withUnsafeBufferPointer { decodeUTF8($0) }
                if value.trimming(" \t").isEmpty { continue }
                let leaf: Node
                if column.isList {
                    let items = value.split(separator: "|").map { String($0).trimming(" \t") }.filter { !$0.isEmpty }
                    leaf = Node(.array(items.map { Node(.string($0), line: row.line, untyped: true, repairedText: repaired) }), line: row.line)
                } else {
                    leaf = Node(.string(value), line: row.line, untyped: true, repairedText: repaired)
                }
                root.insert(leaf, at: column.path[...])
            }
            try body(.record(RawRecord(node: root.node(line: row.line), origin: origin)))
        }
    }

    /// Reads one row; with `separator` nil (the header) the separator is detected from it.
    private func nextRow(_ s: ByteStream, separator: UInt8?, line: inout Int) -> (row: Row, separator: UInt8)? {
        guard s.fill() else { return nil }
        var row = Row(line: line)
        var cell: [UInt8] = []
        var raw: [UInt8] = []  // the header row as read, for separator detection
        var quoted = false
        var inQuotes = false
        var counts: [UInt8: Int] = [0x2C: 0, 0x3B: 0, 0x09: 0]
        let sep = separator
        func endCell() {
            row.cells.append(cell)
            cell.removeAll(keepingCapacity: true)
            quoted = false
        }
        while let b = s.next() {
            if separator == nil { raw.append(b) }
            if inQuotes {
                if b == 0x22 {
                    if s.peek() == 0x22 {
                        s.position += 1
                        cell.append(0x22)
                    } else {
                        inQuotes = false
                    }
                } else {
                    if b == 0x0A { line += 1 }
                    if b == 0x0D {
                        if s.peek() == 0x0A { s.position += 1; cell.append(0x0D) }
                        line += 1
                        cell.append(0x0A)
                        continue
                    }
                    if cell.count < RecordReader.maxCellBytes { cell.append(b) } else { row.oversized = true }
                }
                continue
            }
            if b == 0x22 && cell.allSatisfy({ $0 == 0x20 }) && !quoted {
                cell.removeAll()
                inQuotes = true
                quoted = true
                continue
            }
            if b == 0x0A || b == 0x0D {
                if b == 0x0D, s.peek() == 0x0A { s.position += 1 }
                line += 1
                break
            }
            if let sep, b == sep {
                endCell()
                continue
            }
            if sep == nil, counts[b] != nil {
                counts[b]! += 1
                endCell()
                continue
            }
            if cell.count < RecordReader.maxCellBytes { cell.append(b) } else { row.oversized = true }
        }
        endCell()
        if separator == nil {
            // Re-split the header with the separator that occurs most often outside quotes.
            let chosen = counts.max { a, b in a.value != b.value ? a.value < b.value : a.key > b.key }?.key ?? 0x2C
            let stream = ByteStream(bytes: raw)
            var l = row.line
            let again = nextRow(stream, separator: chosen, line: &l)
            return (again?.row ?? row, chosen)
        }
        return (row, sep ?? 0x2C)
    }
}

/// Builds a nested object from dotted paths, with numeric segments as array indexes.
private indirect enum Builder {
    case leaf(Node)
    case object([String: Builder], order: [String])

    mutating func insert(_ leaf: Node, at path: ArraySlice<String>) {
        guard let head = path.first else {
            self = .leaf(leaf)
            return
        }
        guard case .object(var children, var order) = self else { return }
        var child = children[head] ?? .object([:], order: [])
        if children[head] == nil { order.append(head) }
        child.insert(leaf, at: path.dropFirst())
        children[head] = child
        self = .object(children, order: order)
    }

    func node(line: Int) -> Node {
        switch self {
        case .leaf(let n): return n
        case .object(let children, let order):
            if !order.isEmpty, order.allSatisfy({ Int($0) != nil }) {
                let sorted = order.sorted { Int($0)! < Int($1)! }
                return Node(.array(sorted.map { children[$0]!.node(line: line) }), line: line)
            }
            return Node(.object(order.map { ($0, children[$0]!.node(line: line)) }), line: line)
        }
    }
}

extension String {
    /// The string without leading and trailing characters from `set`.
    public func trimming(_ set: String) -> String {
        // The usual string starts and ends with a character outside the set (the decoder trims
        // every zone name): that is told from the first and last bytes when the set is ASCII.
        if set.utf8.allSatisfy({ $0 < 0x80 }), let first = utf8.first, let last = utf8.last,
           !set.utf8.contains(first), !set.utf8.contains(last) {
            return self
        }
        let chars = Set(set)
        var s = Substring(self)
        while let f = s.first, chars.contains(f) { s = s.dropFirst() }
        while let l = s.last, chars.contains(l) { s = s.dropLast() }
        return String(s)
    }
}
