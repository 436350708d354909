/// A parsed input value with the line it started on: the common shape of JSON, YAML and CSV records,
/// so one decoder checks them all and every message can name its line.
public struct Node: Sendable {
    public enum Value: Sendable {
        case null
        case bool(Bool)
        /// The number and its literal text (kept so messages quote what the user wrote).
        case number(Double, String)
        case string(String)
        case array([Node])
        case object([(key: String, value: Node)])
    }

    public var value: Value
    public var line: Int
    /// The string came from untyped text (a CSV cell): numbers and booleans may be spelled as text.
    public var untyped = false
    /// The input bytes were not valid UTF-8 (or held a lone surrogate) and were repaired with U+FFFD.
    public var repairedText = false
    /// The text was longer than the reader's limit and was not kept (see `JSONLimits.maxStringBytes`).
    public var oversized = false

    public init(_ value: Value, line: Int, untyped: Bool = false, repairedText: Bool = false) {
        self.value = value
        self.line = line
        self.untyped = untyped
        self.repairedText = repairedText
    }

    var typeName: String {
        switch value {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }

    /// Short rendering of the value for messages.
    var quoted: String {
        switch value {
        case .null: return "null"
        case .bool(let b): return String(b)
        case .number(_, let text): return text
        case .string(let s): return "'" + (s.count > 40 ? String(s.prefix(40)) + "…" : s) + "'"
        case .array: return "an array"
        case .object: return "an object"
        }
    }
}
