import Synchronization

/// A problem found while reading or exporting, located by file, line (or record) and field.
///
/// Rendered like a compiler message, `events.csv:17: venue.geo.lat: 191.2 is out of range (-90…90)`,
/// with `warning:` or `note:` before the field for the milder kinds.
public struct Diagnostic: Sendable, Hashable, CustomStringConvertible, Codable {
    public enum Severity: String, Sendable, Hashable, Codable, Comparable {
        case note, warning, error
        public static func < (a: Severity, b: Severity) -> Bool {
            let order: [Severity] = [.note, .warning, .error]
            return order.firstIndex(of: a)! < order.firstIndex(of: b)!
        }
    }

    public var severity: Severity
    public var file: String
    /// 1-based line where the offending value starts, when the input has lines.
    public var line: Int?
    /// 1-based index of the record in its file.
    public var record: Int?
    /// Dotted path of the field (`venue.geo.lat`, `categories[1].slug`), nil for whole-record problems.
    public var field: String?
    public var message: String

    public init(_ severity: Severity, file: String, line: Int? = nil, record: Int? = nil, field: String? = nil,
                message: String) {
        self.severity = severity
        self.file = file
        self.line = line
        self.record = record
        self.field = field
        self.message = message
    }

    public var description: String {
        var s = file
        if let line { s += ":\(line)" } else if let record { s += ":record \(record)" }
        s += ": "
        if severity != .error { s += severity.rawValue + ": " }
        if let field { s += field + ": " }
        return s + Diagnostic.oneLine(message)
    }

    /// Messages quote the user's text; its line breaks and control characters are shown escaped
    /// so one problem is always one line.
    static func oneLine(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else { return text }
        var out = ""
        for u in text.unicodeScalars {
            switch u {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 || u.value == 0x7F { out += "\\u{" + String(u.value, radix: 16) + "}" } else { out.unicodeScalars.append(u) }
            }
        }
        return out
    }
}

/// An input's name as a small number, the same for every record read from that input.
///
/// Every record carries where it came from through every thread of an export. A `String` of the
/// path in each was one heap object for the whole batch, retained and released by the reading
/// thread, both workers and the writing thread for every copy of every record: an atomic on one
/// cache line that the cores took turns at (a 100,000-event export read through a 19-byte path
/// took 2.77 s against 2.68 s through a 7-byte one, which Swift keeps inline). A number is
/// copied for nothing; the name is looked up only when a message shows it.
public struct InputName: Sendable, Hashable, CustomStringConvertible {
    private let number: Int

    /// The number of `name`: equal names, equal numbers, for the life of the process.
    public init(_ name: String) {
        number = Self.table.withLock { table in
            if let known = table.numbers[name] { return known }
            table.names.append(name)
            table.numbers[name] = table.names.count - 1
            return table.names.count - 1
        }
    }

    /// The name.
    public var description: String { Self.table.withLock { $0.names[number] } }

    private static let table = Mutex<(names: [String], numbers: [String: Int])>(([], [:]))
}

/// Where a record came from.
public struct RecordOrigin: Sendable, Hashable {
    /// The file, as a number (see `InputName`).
    public var input: InputName
    public var line: Int
    /// 1-based position of the record in its file.
    public var index: Int

    /// The file's name.
    public var file: String {
        get { input.description }
        set { input = InputName(newValue) }
    }

    public init(file: String, line: Int, index: Int) {
        self.init(input: InputName(file), line: line, index: index)
    }

    public init(input: InputName, line: Int, index: Int) {
        self.input = input
        self.line = line
        self.index = index
    }

    public func diagnostic(_ severity: Diagnostic.Severity, line: Int? = nil, field: String?, _ message: String)
        -> Diagnostic
    {
        Diagnostic(severity, file: file, line: line ?? self.line, record: index, field: field, message: message)
    }
}
