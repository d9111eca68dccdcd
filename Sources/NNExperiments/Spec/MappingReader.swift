import NNEngine

/// Reads one YAML mapping of a spec: typed getters that record a diagnostic (and return a fallback)
/// instead of throwing, and a check that every key present is one the section knows.
struct MappingReader {
    let node: YAMLNode
    let sink: DiagnosticSink
    /// Dotted path of this mapping in the spec ("optimizer"), for messages.
    let path: String

    /// Reads `node` as a mapping; reports unknown keys (with a suggestion) against `allowed`.
    /// `notHere` lists keys that exist elsewhere with a reason (e.g. options of another optimizer).
    init?(_ node: YAMLNode?, path: String, sink: DiagnosticSink, allowed: [String], notHere: [String: String] = [:]) {
        guard let node else { return nil }
        guard let m = node.mapping else {
            sink.error(node, "`\(path)` must be a mapping, found \(node.kindDescription)")
            return nil
        }
        self.node = node
        self.sink = sink
        self.path = path
        for (k, _) in m {
            guard let key = k.scalar else {
                sink.error(k, "keys of `\(path)` must be names")
                continue
            }
            if allowed.contains(key) { continue }
            if let reason = notHere[key] {
                sink.error(k, reason)
                continue
            }
            var msg = path == "spec" ? "unknown top-level key `\(key)`" : "unknown key `\(key)` in `\(path)`"
            if let s = Suggest.closest(to: key, among: allowed) {
                msg += "; did you mean `\(s)`?"
            } else {
                msg += " (known keys: \(allowed.joined(separator: ", ")))"
            }
            sink.error(k, msg)
        }
    }

    func has(_ key: String) -> Bool { node[key] != nil }
    subscript(key: String) -> YAMLNode? { node[key] }
    func keyNode(_ key: String) -> YAMLNode? { node.mapping?.first(where: { $0.key.scalar == key })?.key }

    func double(
        _ key: String, default d: Double, min lo: Double? = nil, max hi: Double? = nil,
        exclusiveMin: Bool = false
    ) -> Double {
        guard let n = node[key] else { return d }
        return Scalars.double(n, name: "\(path).\(key)", sink: sink, min: lo, max: hi, exclusiveMin: exclusiveMin) ?? d
    }

    func int(_ key: String, default d: Int, min lo: Int? = nil, max hi: Int? = nil) -> Int {
        guard let n = node[key] else { return d }
        return Scalars.int(n, name: "\(path).\(key)", sink: sink, min: lo, max: hi) ?? d
    }

    func optionalInt(_ key: String, min lo: Int? = nil, max hi: Int? = nil) -> Int? {
        guard let n = node[key] else { return nil }
        return Scalars.int(n, name: "\(path).\(key)", sink: sink, min: lo, max: hi)
    }

    func bool(_ key: String, default d: Bool) -> Bool {
        guard let n = node[key] else { return d }
        return Scalars.bool(n, name: "\(path).\(key)", sink: sink) ?? d
    }

    func string(_ key: String, default d: String? = nil) -> String? {
        guard let n = node[key] else { return d }
        return Scalars.string(n, name: "\(path).\(key)", sink: sink) ?? d
    }

    /// A string that must be one of `choices`.
    func choice(_ key: String, _ choices: [String], default d: String) -> String {
        guard let n = node[key] else { return d }
        return Scalars.choice(n, name: "\(path).\(key)", choices: choices, sink: sink) ?? d
    }
}

/// Conversions of scalar nodes, each reporting a precise diagnostic on failure.
enum Scalars {
    static func double(
        _ n: YAMLNode, name: String, sink: DiagnosticSink, min lo: Double? = nil, max hi: Double? = nil,
        exclusiveMin: Bool = false
    ) -> Double? {
        guard let s = n.scalar, n.isPlainScalar, let v = parseDouble(s) else {
            sink.error(n, "`\(name)` must be a number, found \(n.kindDescription)")
            return nil
        }
        if let lo, exclusiveMin ? !(v > lo) : !(v >= lo) {
            sink.error(n, "`\(name)` must be \(exclusiveMin ? "greater than" : "at least") \(fmt(lo)), found \(s)")
            return nil
        }
        if let hi, !(v <= hi) {
            sink.error(n, "`\(name)` must be at most \(fmt(hi)), found \(s)")
            return nil
        }
        return v
    }

    static func int(_ n: YAMLNode, name: String, sink: DiagnosticSink, min lo: Int? = nil, max hi: Int? = nil) -> Int? {
        guard let s = n.scalar, n.isPlainScalar, let v = Int(s.replacingOccurrences(of: "_", with: "")) else {
            sink.error(n, "`\(name)` must be a whole number, found \(n.kindDescription)")
            return nil
        }
        if let lo, v < lo {
            sink.error(n, "`\(name)` must be at least \(lo), found \(v)")
            return nil
        }
        if let hi, v > hi {
            sink.error(n, "`\(name)` must be at most \(hi), found \(v)")
            return nil
        }
        return v
    }

    static func bool(_ n: YAMLNode, name: String, sink: DiagnosticSink) -> Bool? {
        switch n.isPlainScalar ? n.scalar : nil {
        case "true", "True", "TRUE", "yes", "on": return true
        case "false", "False", "FALSE", "no", "off": return false
        default:
            sink.error(n, "`\(name)` must be true or false, found \(n.kindDescription)")
            return nil
        }
    }

    static func string(_ n: YAMLNode, name: String, sink: DiagnosticSink) -> String? {
        guard let s = n.scalar, !n.isNull else {
            sink.error(n, "`\(name)` must be a string, found \(n.kindDescription)")
            return nil
        }
        return s
    }

    static func choice(_ n: YAMLNode, name: String, choices: [String], sink: DiagnosticSink) -> String? {
        guard let s = n.scalar else {
            sink.error(n, "`\(name)` must be one of \(choices.joined(separator: ", ")), found \(n.kindDescription)")
            return nil
        }
        if choices.contains(s) { return s }
        var msg = "`\(name)` must be one of \(choices.joined(separator: ", ")), found '\(s)'"
        if let sug = Suggest.closest(to: s, among: choices) { msg += "; did you mean `\(sug)`?" }
        sink.error(n, msg)
        return nil
    }

    static func intList(_ n: YAMLNode, name: String, sink: DiagnosticSink, min lo: Int, max hi: Int? = nil) -> [Int]? {
        guard let items = n.sequence else {
            sink.error(n, "`\(name)` must be a list of whole numbers, found \(n.kindDescription)")
            return nil
        }
        if items.count > SpecLimits.maxLayerCount {
            sink.error(n, "`\(name)` lists \(items.count) sizes; at most \(SpecLimits.maxLayerCount) are possible")
            return nil
        }
        var out: [Int] = []
        var ok = true
        for item in items {
            if let v = int(item, name: name, sink: sink, min: lo, max: hi) { out.append(v) } else { ok = false }
        }
        return ok ? out : nil
    }

    /// YAML 1.1/1.2 floats as people write them: 1e-5, .5, -1.0, .inf is refused (no use in a spec).
    static func parseDouble(_ s: String) -> Double? {
        let t = s.replacingOccurrences(of: "_", with: "")
        guard let v = Double(t), v.isFinite else { return nil }
        return v
    }

    static func fmt(_ v: Double) -> String { v == v.rounded() && abs(v) < 1e15 ? String(Int(v)) : String(v) }
}

/// Optimizers read their settings from the spec through this (NNEngine knows nothing of YAML): each
/// mistake is reported at its line and column, under the mapping's dotted path.
extension MappingReader: SettingsReader {
    func double(_ key: String, default d: Double, _ bounds: Bounds) -> Double {
        double(key, default: d, min: bounds.lower, max: bounds.upper, exclusiveMin: bounds.exclusiveLower)
    }

    func int(_ key: String, default d: Int, min lo: Int, max hi: Int) -> Int {
        int(key, default: d, min: lo, max: Optional(hi))
    }

    func error(at key: String, _ message: String) { sink.error(keyNode(key) ?? node, message) }
}
