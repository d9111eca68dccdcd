import CYAML
import Foundation

/// A syntax error from libyaml, with the position it reports.
public struct YAMLSyntaxError: Error, Sendable {
    /// Where libyaml found the error.
    public var location: SourceLocation
    /// libyaml's description of it.
    public var message: String
}

/// Builds a `YAMLNode` tree from libyaml's event stream (the system library, not a vendored copy).
/// Anchors and aliases are resolved here (an alias becomes a copy of its anchored node) and merge keys
/// (`<<: *base` or `<<: [*a, *b]`) are applied, earlier keys of the mapping itself winning.
///
/// Bounded so that no file can hang or exhaust the parser: at most `SpecLimits.maxNestingDepth`
/// nested lists and mappings, at most `SpecLimits.maxNodes` nodes counted after alias expansion (an
/// "alias bomb" of nested aliases is refused as soon as its expansion passes the limit), one YAML
/// document per file, and mappings built in linear time.
public enum YAMLParser {
    /// Parses `text` (one document) into a tree whose nodes carry `file`-relative locations.
    public static func parse(_ text: String, file: String) throws(YAMLSyntaxError) -> YAMLNode {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else {
            throw YAMLSyntaxError(
                location: SourceLocation(file: file, line: 1, column: 1), message: "cannot initialise the YAML parser")
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
                    throw YAMLSyntaxError(
                        location: SourceLocation(file: file, line: mark.line + 1, column: mark.column + 1),
                        message: "YAML syntax: \(message)")
                }
                defer { yaml_event_delete(&event) }
                if event.type == YAML_STREAM_END_EVENT { break }
                try builder.handle(&event)
            }
            return builder.root ?? YAMLNode(.mapping([]), at: SourceLocation(file: file, line: 1, column: 1))
        }
    }

    /// Reads and parses a spec file; a read failure throws `SpecFileError`, a syntax error `YAMLSyntaxError`.
    public static func parse(contentsOf path: String) throws -> YAMLNode {
        let text: String
        switch SpecLoader.readText(path) {
        case .success(let t): text = t
        case .failure(let why): throw SpecFileError(path: path, message: "cannot read the file: \(why.message)")
        }
        return try parse(text, file: path)
    }
}

/// The spec file itself could not be read.
public struct SpecFileError: Error, CustomStringConvertible, Sendable {
    /// The spec file.
    public var path: String
    /// Why it could not be read.
    public var message: String
    /// `path: error: message`.
    public var description: String { "\(path): error: \(message)" }
}

private struct TreeBuilder {
    let file: String
    var root: YAMLNode?
    var anchors: [String: YAMLNode] = [:]
    /// Open collections: a sequence's items, or a mapping's alternating keys and values.
    var stack: [(isMapping: Bool, items: [YAMLNode], location: SourceLocation, anchor: String?, nodesBefore: Int)] = []
    /// Nodes so far with every alias expanded, and the expanded size of each anchored node.
    var nodes = 0
    var anchorSizes: [String: Int] = [:]
    var documents = 0

    init(file: String) { self.file = file }

    func loc(_ mark: yaml_mark_t) -> SourceLocation {
        SourceLocation(file: file, line: mark.line + 1, column: mark.column + 1)
    }

    mutating func handle(_ e: inout yaml_event_t) throws(YAMLSyntaxError) {
        switch e.type {
        case YAML_SCALAR_EVENT:
            let s = e.data.scalar
            let text = String(decoding: UnsafeBufferPointer(start: s.value, count: s.length), as: UTF8.self)
            var plain = s.style == YAML_PLAIN_SCALAR_STYLE
            if let t = s.tag {
                // An explicit tag decides the type: `!!str 0.1` is the string "0.1", not a number.
                switch String(cString: t) {
                case "tag:yaml.org,2002:str": plain = false
                case "tag:yaml.org,2002:int", "tag:yaml.org,2002:float", "tag:yaml.org,2002:bool",
                    "tag:yaml.org,2002:null":
                    plain = true
                case let other:
                    throw YAMLSyntaxError(
                        location: loc(e.start_mark),
                        message:
                            "unsupported YAML tag `\(other)` (a spec knows !!str, !!int, !!float, !!bool and !!null)")
                }
            }
            let node = YAMLNode(.scalar(text, plain: plain), at: loc(e.start_mark))
            try count(1, at: e.start_mark)
            if let a = s.anchor {
                anchors[String(cString: a)] = node
                anchorSizes[String(cString: a)] = 1
            }
            try add(node)
        case YAML_ALIAS_EVENT:
            let name = String(cString: e.data.alias.anchor)
            guard var node = anchors[name] else {
                throw YAMLSyntaxError(location: loc(e.start_mark), message: "unknown alias '*\(name)'")
            }
            try count(anchorSizes[name] ?? 1, at: e.start_mark)
            node.location = loc(e.start_mark)
            try add(node, keepInnerLocations: true)
        case YAML_SEQUENCE_START_EVENT, YAML_MAPPING_START_EVENT:
            guard stack.count < SpecLimits.maxNestingDepth else {
                throw YAMLSyntaxError(
                    location: loc(e.start_mark),
                    message:
                        "lists and mappings nest more than \(SpecLimits.maxNestingDepth) levels deep (the limit of a spec)"
                )
            }
            let isMapping = e.type == YAML_MAPPING_START_EVENT
            let anchor = isMapping ? e.data.mapping_start.anchor : e.data.sequence_start.anchor
            stack.append((isMapping, [], loc(e.start_mark), anchor.map { String(cString: $0) }, nodes))
        case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
            let top = stack.removeLast()
            let node =
                top.isMapping
                ? try buildMapping(top.items, at: top.location) : YAMLNode(.sequence(top.items), at: top.location)
            try count(1, at: e.start_mark)
            if let a = top.anchor {
                anchors[a] = node
                anchorSizes[a] = nodes - top.nodesBefore
            }
            try add(node)
        case YAML_DOCUMENT_START_EVENT:
            documents += 1
            if documents > 1 {
                throw YAMLSyntaxError(
                    location: loc(e.start_mark),
                    message:
                        "a second YAML document starts here; a spec file holds exactly one (split it into two files)")
            }
        default:
            break  // stream start and end, document end
        }
    }

    /// Counts `n` more nodes (after alias expansion), refusing a tree larger than the limit.
    mutating func count(_ n: Int, at mark: yaml_mark_t) throws(YAMLSyntaxError) {
        nodes += n
        if nodes > SpecLimits.maxNodes {
            throw YAMLSyntaxError(
                location: loc(mark),
                message:
                    "the spec holds more than \(SpecLimits.maxNodes) values once its aliases are expanded (the limit of a spec; an alias of an alias multiplies)"
            )
        }
    }

    mutating func add(_ node: YAMLNode, keepInnerLocations: Bool = false) throws(YAMLSyntaxError) {
        if stack.isEmpty { root = node } else { stack[stack.count - 1].items.append(node) }
    }

    /// Pairs up keys and values, applies merge keys and rejects duplicate keys.
    func buildMapping(_ items: [YAMLNode], at location: SourceLocation) throws(YAMLSyntaxError) -> YAMLNode {
        // Hash sets of the keys seen keep this linear in the number of keys.
        var own: [(key: YAMLNode, value: YAMLNode)] = []
        var ownIndex: [YAMLNode: Int] = [:]
        var merged: [(key: YAMLNode, value: YAMLNode)] = []
        var mergedKeys: Set<YAMLNode> = []
        var i = 0
        while i + 1 < items.count {
            let k = items[i]
            let v = items[i + 1]
            i += 2
            if k.scalar == "<<" && k.isPlainScalar {
                let sources = v.sequence ?? [v]
                for src in sources {
                    guard let m = src.mapping else {
                        throw YAMLSyntaxError(
                            location: src.location, message: "a merge key '<<' takes a mapping or a list of mappings")
                    }
                    for pair in m where mergedKeys.insert(pair.key).inserted { merged.append(pair) }
                }
                continue
            }
            if let dup = ownIndex[k] {
                throw YAMLSyntaxError(
                    location: k.location,
                    message: "duplicate key `\(k.scalar ?? "?")` (first given at line \(own[dup].key.location.line))")
            }
            ownIndex[k] = own.count
            own.append((k, v))
        }
        for pair in merged where ownIndex[pair.key] == nil { own.append(pair) }
        return YAMLNode(.mapping(own), at: location)
    }
}
