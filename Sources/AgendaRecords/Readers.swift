import Foundation
import Yams

/// The input formats Agenda reads.
public enum InputFormat: String, Sendable, CaseIterable {
    case json, jsonl, yaml, csv

    /// The format for a file name's extension (`.json`, `.jsonl`/`.ndjson`, `.yaml`/`.yml`, `.csv`).
    public init?(fileName: String) {
        switch (fileName as NSString).pathExtension.lowercased() {
        case "json": self = .json
        case "jsonl", "ndjson": self = .jsonl
        case "yaml", "yml": self = .yaml
        case "csv", "tsv": self = .csv
        default: return nil
        }
    }
}

/// One record as read, before decoding: its value tree and where it came from.
public struct RawRecord: Sendable {
    public var node: Node
    public var origin: RecordOrigin
}

/// What a reader reports: a record, or a problem that is not tied to one decodable record.
public enum ReadEvent: Sendable {
    case record(RawRecord)
    case problem(Diagnostic)
}

/// A JSON Lines record not parsed yet, so that several threads can parse the lines of one file.
public struct PendingLine: Sendable {
    var bytes: [UInt8]
    var line: Int
    var index: Int
    var input: InputName

    public var origin: RecordOrigin { RecordOrigin(input: input, line: line, index: index) }

    /// The record when it is an ordinary one that `DirectDecoder` reads straight from its bytes
    /// (`RecordDecoder` would accept it without a word); nil for `parse()` and `RecordDecoder`.
    public func decodeDirectly() -> EventRecord? { DirectDecoder.record(bytes) }

    /// `decodeDirectly()` with one thread's memo of shared objects (see `DecodeMemo`).
    package func decodeDirectly(memo: DecodeMemo?) -> EventRecord? { DirectDecoder.record(bytes, memo: memo) }

    /// The line's bytes, moved out (the line is left empty), to go back to the reader's
    /// `BufferPool`.
    package mutating func takeBytes() -> [UInt8] {
        var taken: [UInt8] = []
        swap(&taken, &bytes)
        return taken
    }

    /// The record, or the syntax error that keeps it from being read.
    public func parse() -> ReadEvent {
        var parser = JSONParser(input: LineBytes(buffer: bytes), line: line)
        do throws(JSONSyntaxError) {
            let node = try parser.parseValue()
            if parser.peekToken() != nil { throw JSONSyntaxError(line: line, message: "more than one value on the line") }
            return .record(RawRecord(node: node, origin: origin))
        } catch {
            return .problem(Diagnostic(.error, file: input.description, line: line, record: index, message: "JSON syntax error: \(error.message)"))
        }
    }
}

/// What `RecordReader.read(deferringLines:)` reports: an event, or a line to parse.
public enum DeferredRead: Sendable {
    case event(ReadEvent)
    case line(PendingLine)

    /// The event, parsing the line if need be.
    public func resolved() -> ReadEvent {
        switch self {
        case .event(let e): e
        case .line(let l): l.parse()
        }
    }
}

/// Why an input could not be read at all (exit code 2).
public enum InputError: Error, CustomStringConvertible, Sendable {
    case unreadable(path: String, reason: String)
    case unknownFormat(path: String)

    public var description: String {
        switch self {
        case .unreadable(let path, let reason): "\(path): cannot read: \(reason)"
        case .unknownFormat(let path):
            "\(path): unknown input format (use .json, .jsonl, .yaml or .csv, or --format)"
        }
    }
}

/// Reads records from a file, one at a time, in any supported format.
public struct RecordReader: Sendable {
    /// Longest JSON Lines record.
    public static let maxLineBytes = 16 << 20
    /// Largest YAML file.
    public static let maxYAMLBytes = 32 << 20
    /// Longest CSV cell.
    public static let maxCellBytes = 8 << 20

    public var path: String
    public var format: InputFormat
    /// The name used in messages (the path as given, or "<stdin>").
    public var displayName: String

    public init(path: String, format: InputFormat? = nil) throws(InputError) {
        self.path = path
        self.displayName = path == "-" ? "<stdin>" : path
        guard let f = format ?? InputFormat(fileName: path) else { throw .unknownFormat(path: path) }
        self.format = f
    }

    /// Streams the file's records to `body` in order. Syntax errors are reported as problems;
    /// every record read before the damage is still delivered.
    public func read(_ body: (ReadEvent) throws -> Void) throws {
        try read(deferringLines: false) { try body($0.resolved()) }
    }

    /// `read(_:)`, but JSON Lines records come as lines still to parse (`PendingLine.parse()`),
    /// which the caller may do on other threads.
    public func read(deferringLines body: (DeferredRead) throws -> Void) throws {
        try read(deferringLines: true, recycling: nil, body)
    }

    /// The same, reading lines into the buffers `lines` gets back from whoever decodes them:
    /// handed on, a line left the reader's buffer shared, so every record was read into a new
    /// block (about 2 KB, a large one for glibc), freed into the reader's arena under its lock by
    /// the thread that decoded it.
    package func read(deferringLines body: (DeferredRead) throws -> Void, recycling lines: BufferPool) throws {
        try read(deferringLines: true, recycling: lines, body)
    }

    private func read(deferringLines: Bool, recycling lines: BufferPool? = nil,
                      _ deferred: (DeferredRead) throws -> Void) throws {
        let body = { (event: ReadEvent) in try deferred(.event(event)) }
        let stream: ByteStream
        var isDirectory: ObjCBool = false
        if path != "-", FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw InputError.unreadable(path: displayName, reason: "it is a directory")
        }
        do { stream = try ByteStream(path: path) } catch {
            throw InputError.unreadable(path: displayName, reason: error.localizedDescription)
        }
        stream.skipBOM()
        switch format {
        case .json: try readJSON(stream, body)
        case .jsonl:
            try readJSONLines(stream, recycling: lines) { read in try deferred(deferringLines ? read : .event(read.resolved())) }
        case .yaml: try readYAML(stream, body)
        case .csv: try CSVRecordReader(file: displayName).read(stream, body)
        }
        if let reason = stream.readError {
            try deferred(.event(.problem(Diagnostic(.error, file: displayName,
                message: "reading stopped early: \(reason); the records before that point were read"))))
        }
    }

    private func syntax(_ e: JSONSyntaxError, records: Int) -> ReadEvent {
        let rest = records > 0 ? "; the \(records) record(s) before it were read, nothing after it" : ""
        return .problem(Diagnostic(.error, file: displayName, line: e.line, message: "JSON syntax error: \(e.message)\(rest)"))
    }

    /// A JSON file holds one record, an array of records, or several records one after another.
    private func readJSON(_ stream: ByteStream, _ body: (ReadEvent) throws -> Void) throws {
        var parser = JSONParser(input: stream)
        var count = 0
        let input = InputName(displayName)
        do {
            guard let first = parser.peekToken() else {
                try body(.problem(Diagnostic(.warning, file: displayName, message: "the file holds no records")))
                return
            }
            if first == UInt8(ascii: "[") {
                stream.position += 1
                if parser.peekToken() == UInt8(ascii: "]") { stream.position += 1 } else {
                    while true {
                        let node = try parser.parseValue(depth: 1)
                        count += 1
                        try body(.record(RawRecord(node: node, origin: RecordOrigin(input: input, line: node.line, index: count))))
                        guard let sep = parser.peekToken() else { throw JSONSyntaxError(line: parser.line, message: "unexpected end of input (missing ']')") }
                        stream.position += 1
                        if sep == UInt8(ascii: "]") { break }
                        guard sep == UInt8(ascii: ",") else { throw JSONSyntaxError(line: parser.line, message: "expected ',' or ']' between records, found \(parser.describe(sep))") }
                    }
                }
            }
            while parser.peekToken() != nil {
                let node = try parser.parseValue()
                count += 1
                try body(.record(RawRecord(node: node, origin: RecordOrigin(input: input, line: node.line, index: count))))
            }
        } catch let e as JSONSyntaxError {
            try body(syntax(e, records: count))
        }
    }

    /// JSON Lines: one record per line; a bad line is reported and the next lines still read.
    private func readJSONLines(_ stream: ByteStream, recycling lines: BufferPool?,
                               _ body: (DeferredRead) throws -> Void) throws {
        var line: [UInt8] = []
        var number = 0
        var count = 0
        var truncated = false
        let input = InputName(displayName)
        while stream.nextLine(into: &line, limit: RecordReader.maxLineBytes, truncated: &truncated) {
            number += 1
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) && !truncated { continue }
            count += 1
            if truncated {
                try body(.event(.problem(Diagnostic(.error, file: displayName, line: number, record: count,
                                                    message: "the line is longer than \(RecordReader.maxLineBytes >> 20) MiB, the limit for one record; skipped"))))
                continue
            }
            try body(.line(PendingLine(bytes: line, line: number, index: count, input: input)))
            guard let lines else { continue }
            // The line read next goes into a buffer of its own: read into this one, now the
            // pending line's too, it would be copied.
            let capacity = line.capacity
            line = lines.take()
            if line.capacity < capacity { line.reserveCapacity(capacity) }
        }
    }

    /// YAML: one record, a sequence of records, or several `---` documents (read one at a time).
    /// The file is read whole (Yams needs it), so it is limited to `maxYAMLBytes`.
    private func readYAML(_ stream: ByteStream, _ body: (ReadEvent) throws -> Void) throws {
        var bytes: [UInt8] = []
        while stream.fill() {
            bytes.append(contentsOf: stream.buffer[stream.position...])
            stream.position = stream.buffer.count
            if bytes.count > RecordReader.maxYAMLBytes {
                try body(.problem(Diagnostic(.error, file: displayName,
                    message: "YAML input is limited to \(RecordReader.maxYAMLBytes >> 20) MiB (it is read whole); use JSON Lines or CSV for larger batches")))
                return
            }
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            try body(.problem(Diagnostic(.error, file: displayName, message: "the file is not valid UTF-8")))
            return
        }
        var count = 0
        let input = InputName(displayName)
        do {
            let parser = try Parser(yaml: text)
            while let root = try parser.nextRoot() {
                let items: [Yams.Node]
                if case .sequence(let seq) = root { items = Array(seq) } else { items = [root] }
                for item in items {
                    count += 1
                    let node = YAMLConverter.node(item)
                    try body(.record(RawRecord(node: node, origin: RecordOrigin(input: input, line: node.line, index: count))))
                }
            }
        } catch let e as YamlError {
            try body(.problem(Diagnostic(.error, file: displayName, line: YAMLConverter.line(of: e),
                                         message: "YAML syntax error: \(YAMLConverter.message(of: e))")))
        }
    }
}

