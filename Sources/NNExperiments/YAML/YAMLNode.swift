/// A YAML document as a tree whose every node remembers where it was written, so that a decoding
/// mistake can be reported as `file:line:col`.
public struct SourceLocation: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The file's path as given (or a label such as `--set` for command-line values).
    public var file: String
    /// 1-based line and column.
    public var line: Int
    /// 1-based column.
    public var column: Int
    /// A location.
    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }
    /// `file:line:col`; just `file` for line 0, which marks a place that is no file's line (a
    /// command-line argument such as `--set optimizer.learning_rate=0.01`).
    public var description: String { line == 0 ? file : "\(file):\(line):\(column)" }
    /// Orders by file, then line, then column (diagnostics are listed in this order).
    public static func < (a: Self, b: Self) -> Bool { (a.file, a.line, a.column) < (b.file, b.line, b.column) }
}

/// A YAML node's content: a scalar, a sequence or a mapping.
public indirect enum YAMLValue: Hashable, Sendable {
    /// A scalar as written; `plain` is false for quoted scalars (so `"1"` stays a string).
    case scalar(String, plain: Bool)
    case sequence([YAMLNode])
    /// Keys in document order (order matters for sweeps and for messages).
    case mapping([(key: YAMLNode, value: YAMLNode)])

    /// Structural equality (mappings compare keys and values in order).
    public static func == (a: YAMLValue, b: YAMLValue) -> Bool {
        switch (a, b) {
        case (.scalar(let x, let p), .scalar(let y, let q)): return x == y && p == q
        case (.sequence(let x), .sequence(let y)): return x == y
        case (.mapping(let x), .mapping(let y)):
            return x.count == y.count && zip(x, y).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        default: return false
        }
    }
    /// Hashes the content, consistently with `==`.
    public func hash(into h: inout Hasher) {
        switch self {
        case .scalar(let s, let p):
            h.combine(0)
            h.combine(s)
            h.combine(p)
        case .sequence(let s):
            h.combine(1)
            h.combine(s)
        case .mapping(let m):
            h.combine(2)
            for (k, v) in m {
                h.combine(k)
                h.combine(v)
            }
        }
    }
}

/// A YAML node and where it was written.
public struct YAMLNode: Hashable, Sendable {
    /// Its content.
    public var value: YAMLValue
    /// Where it was written.
    public var location: SourceLocation
    /// Equality ignores locations: two nodes are equal when their content is.
    public static func == (a: YAMLNode, b: YAMLNode) -> Bool { a.value == b.value }
    /// Hashes the content only, consistently with `==`.
    public func hash(into h: inout Hasher) { h.combine(value) }

    /// A node with `value` written at `location`.
    public init(_ value: YAMLValue, at location: SourceLocation) {
        self.value = value
        self.location = location
    }

    /// The scalar's text, or nil for a sequence or mapping.
    public var scalar: String? { if case .scalar(let s, _) = value { return s } else { return nil } }
    /// True for an unquoted scalar (a value YAML would type: number, bool, null).
    public var isPlainScalar: Bool { if case .scalar(_, true) = value { return true } else { return false } }
    /// The items, or nil when not a sequence.
    public var sequence: [YAMLNode]? { if case .sequence(let s) = value { return s } else { return nil } }
    /// The key–value pairs in document order, or nil when not a mapping.
    public var mapping: [(key: YAMLNode, value: YAMLNode)]? {
        if case .mapping(let m) = value { return m } else { return nil }
    }
    /// A plain `~`, `null` or empty scalar.
    public var isNull: Bool {
        guard case .scalar(let s, true) = value else { return false }
        return s.isEmpty || s == "~" || s == "null" || s == "Null" || s == "NULL"
    }

    /// The value under `key` in a mapping.
    public subscript(key: String) -> YAMLNode? {
        mapping?.first(where: { $0.key.scalar == key })?.value
    }

    /// The kind alone, never the content ("a string", "a list", "a mapping"), for messages about
    /// files that may hold anything.
    public var kindName: String {
        switch value {
        case .scalar: return isNull ? "nothing" : "a single string"
        case .sequence: return "a list"
        case .mapping: return "a mapping"
        }
    }

    /// What kind of node this is, for messages ("a mapping", "a list", "the string 'abc'").
    public var kindDescription: String {
        switch value {
        case .scalar(let s, let plain): return plain ? "'\(s)'" : "the string \"\(s)\""
        case .sequence: return "a list"
        case .mapping: return "a mapping"
        }
    }
}
