import Foundation
import Yams

/// Converts Yams nodes to `Node`s. YAML's implicit typing is applied only where it cannot lose
/// what the user wrote: ints, floats, booleans and null become typed; timestamps such as
/// `2024-05-30` stay text, because records carry local dates as strings.
enum YAMLConverter {
    static func node(_ y: Yams.Node) -> Node {
        let line = y.mark?.line ?? 0
        switch y {
        case .scalar(let scalar):
            if scalar.style == .plain {
                switch Tag.Name(rawValue: y.tag.rawValue) {
                case .null: return Node(.null, line: line)
                case .bool: if let b = y.bool { return Node(.bool(b), line: line) }
                case .int, .float:
                    if let d = y.float, d.isFinite { return Node(.number(d, scalar.string), line: line) }
                default: break
                }
            }
            return Node(.string(scalar.string), line: line)
        case .mapping(let mapping):
            var members: [(key: String, value: Node)] = []
            for (k, v) in mapping { members.append((k.string ?? "", node(v))) }
            return Node(.object(members), line: line)
        case .sequence(let seq):
            return Node(.array(seq.map(node)), line: line)
        case .alias:
            return Node(.string("*alias"), line: line)
        }
    }

    static func line(of error: YamlError) -> Int? {
        switch error {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _): mark.line
        default: nil
        }
    }

    static func message(of error: YamlError) -> String {
        switch error {
        case .scanner(let context, let problem, _, _), .parser(let context, let problem, _, _),
             .composer(let context, let problem, _, _):
            if let context { return "\(problem) \(context.text)".trimmingCharacters(in: .whitespaces) }
            return problem
        case .reader(let problem, _, _, _): return problem
        default: return String(describing: error)
        }
    }
}
