import CYAML
import Foundation

/// A syntax error from libyaml, with the position it reports.
public struct YAMLSyntaxError: Error, Sendable {
    public var location: SourceLocation
    public var message: String
}

/// Builds a `YAMLNode` tree from libyaml's event stream (the system library, not a vendored copy).
/// Anchors and aliases are resolved here (an alias becomes a copy of its anchored node) and merge keys
/// (`<<: *base` or `<<: [*a, *b]`) are applied, earlier keys of the mapping itself winning.
public enum YAMLParser {
    public static func parse(_ text: String, file: String) throws(YAMLSyntaxError) -> YAMLNode {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else {
            throw YAMLSyntaxError(location: SourceLocation(file: file, line: 1, column: 1), message: "cannot initialise the YAML parser")
        }
        defer { yaml_parser_delete(&parser) }
        let bytes = Array(text.utf8)
        return try bytes.withUnsafeBufferPointer { (buf) throws(YAMLSyntaxError) -> YAMLNode in
            yaml_parser_set_input_string(&parser, buf.baseAddress, buf.count)
            var builder = TreeBuilder(file: file)
            while true {
                var event = yaml_event_t()
                guard yaml_parser_parse(&parser, &event) == 1 else {
                    let problem = parser.problem.map { String(cString: $0) } ?? "invalid YAML"
                    let context = parser.context.map { String(cString: $0) }
                    let mark = parser.problem_mark
                    let message = context.map { "\(problem) (\($0))" } ?? problem
                    throw YAMLSyntaxError(location: SourceLocation(file: file, line: mark.line + 1, column: mark.column + 1),
                                          message: "YAML syntax: \(message)")
                }
                defer { yaml_event_delete(&event) }
                if event.type == YAML_STREAM_END_EVENT { break }
                try builder.handle(&event)
            }
            return builder.root ?? YAMLNode(.mapping([]), at: SourceLocation(file: file, line: 1, column: 1))
        }
    }

    public static func parse(contentsOf path: String) throws -> YAMLNode {
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw SpecFileError(path: path, message: "cannot read the file: \(error.localizedDescription)")
        }
        return try parse(text, file: path)
    }
}

/// The spec file itself could not be read.
public struct SpecFileError: Error, CustomStringConvertible, Sendable {
    public var path: String
    public var message: String
    public var description: String { "\(path): error: \(message)" }
}

private struct TreeBuilder {
    let file: String
    var root: YAMLNode?
    var anchors: [String: YAMLNode] = [:]
    /// Open collections: a sequence's items, or a mapping's alternating keys and values.
    var stack: [(isMapping: Bool, items: [YAMLNode], location: SourceLocation, anchor: String?)] = []

    init(file: String) { self.file = file }

    func loc(_ mark: yaml_mark_t) -> SourceLocation { SourceLocation(file: file, line: mark.line + 1, column: mark.column + 1) }

    mutating func handle(_ e: inout yaml_event_t) throws(YAMLSyntaxError) {
        switch e.type {
        case YAML_SCALAR_EVENT:
            let s = e.data.scalar
            let text = String(decoding: UnsafeBufferPointer(start: s.value, count: s.length), as: UTF8.self)
            let plain = s.style == YAML_PLAIN_SCALAR_STYLE
            let node = YAMLNode(.scalar(text, plain: plain), at: loc(e.start_mark))
            if let a = s.anchor { anchors[String(cString: a)] = node }
            try add(node)
        case YAML_ALIAS_EVENT:
            let name = String(cString: e.data.alias.anchor)
            guard var node = anchors[name] else {
                throw YAMLSyntaxError(location: loc(e.start_mark), message: "unknown alias '*\(name)'")
            }
            node.location = loc(e.start_mark)
            try add(node, keepInnerLocations: true)
        case YAML_SEQUENCE_START_EVENT:
            stack.append((false, [], loc(e.start_mark), e.data.sequence_start.anchor.map { String(cString: $0) }))
        case YAML_MAPPING_START_EVENT:
            stack.append((true, [], loc(e.start_mark), e.data.mapping_start.anchor.map { String(cString: $0) }))
        case YAML_SEQUENCE_END_EVENT:
            let top = stack.removeLast()
            let node = YAMLNode(.sequence(top.items), at: top.location)
            if let a = top.anchor { anchors[a] = node }
            try add(node)
        case YAML_MAPPING_END_EVENT:
            let top = stack.removeLast()
            let node = try buildMapping(top.items, at: top.location)
            if let a = top.anchor { anchors[a] = node }
            try add(node)
        default:
            break  // stream/document start and end
        }
    }

    mutating func add(_ node: YAMLNode, keepInnerLocations: Bool = false) throws(YAMLSyntaxError) {
        if stack.isEmpty { root = node } else { stack[stack.count - 1].items.append(node) }
    }

    /// Pairs up keys and values, applies merge keys and rejects duplicate keys.
    func buildMapping(_ items: [YAMLNode], at location: SourceLocation) throws(YAMLSyntaxError) -> YAMLNode {
        var own: [(key: YAMLNode, value: YAMLNode)] = []
        var merged: [(key: YAMLNode, value: YAMLNode)] = []
        var i = 0
        while i + 1 < items.count {
            let k = items[i], v = items[i + 1]
            i += 2
            if k.scalar == "<<" && k.isPlainScalar {
                let sources = v.sequence ?? [v]
                for src in sources {
                    guard let m = src.mapping else {
                        throw YAMLSyntaxError(location: src.location, message: "a merge key '<<' takes a mapping or a list of mappings")
                    }
                    for pair in m where !merged.contains(where: { $0.key.scalar == pair.key.scalar }) { merged.append(pair) }
                }
                continue
            }
            if let dup = own.first(where: { $0.key == k }) {
                throw YAMLSyntaxError(location: k.location,
                                      message: "duplicate key `\(k.scalar ?? "?")` (first given at line \(dup.key.location.line))")
            }
            own.append((k, v))
        }
        for pair in merged where !own.contains(where: { $0.key == pair.key }) { own.append(pair) }
        return YAMLNode(.mapping(own), at: location)
    }
}
