/// `sweep:` maps dotted key paths to lists of values; runs are their cartesian product.
struct Sweep {
    var axes: [(key: String, node: YAMLNode, values: [YAMLNode])] = []

    static func read(_ node: YAMLNode?, sink: DiagnosticSink) -> Sweep {
        var s = Sweep()
        guard let node else { return s }
        guard let m = node.mapping else {
            sink.error(node, "`sweep` must map key paths to lists of values, e.g. `regularization.l2: [0.0, 0.1]`")
            return s
        }
        for (k, v) in m {
            guard let key = k.scalar else { sink.error(k, "sweep keys must be dotted key paths"); continue }
            guard let values = v.sequence, !values.isEmpty else {
                sink.error(v, "sweep axis `\(key)` needs a non-empty list of values, found \(v.kindDescription)")
                continue
            }
            if key.split(separator: ".").first.map(String.init) == "sweep" || key == "experiment" {
                sink.error(k, "`\(key)` cannot be swept")
                continue
            }
            s.axes.append((key, k, values))
        }
        return s
    }

    /// Every combination of axis values, first axis slowest.
    var assignments: [[(key: (key: String, node: YAMLNode), value: YAMLNode)]] {
        var result: [[(key: (key: String, node: YAMLNode), value: YAMLNode)]] = [[]]
        for axis in axes {
            result = result.flatMap { prefix in axis.values.map { prefix + [((axis.key, axis.node), $0)] } }
        }
        return result
    }

    /// Replaces (or adds) the value at a dotted path inside the spec tree.
    static func set(_ root: inout YAMLNode, path: String, to value: YAMLNode, sink: DiagnosticSink) {
        let parts = path.split(separator: ".").map(String.init)
        func go(_ node: inout YAMLNode, _ i: Int) -> Bool {
            guard var m = node.mapping else { return false }
            let key = parts[i]
            if i == parts.count - 1 {
                if let idx = m.firstIndex(where: { $0.key.scalar == key }) { m[idx].value = value }
                else { m.append((YAMLNode(.scalar(key, plain: true), at: value.location), value)) }
                node.value = .mapping(m)
                return true
            }
            if let idx = m.firstIndex(where: { $0.key.scalar == key }) {
                var child = m[idx].value
                guard go(&child, i + 1) else { return false }
                m[idx].value = child
            } else {
                var child = YAMLNode(.mapping([]), at: value.location)
                guard go(&child, i + 1) else { return false }
                m.append((YAMLNode(.scalar(key, plain: true), at: value.location), child))
            }
            node.value = .mapping(m)
            return true
        }
        if !go(&root, 0) { sink.error(value, "sweep path `\(path)` does not name a key inside a mapping") }
    }

    /// `l2=0.1,seed=2`: the last path component of each axis and its value, filesystem-safe.
    static func runName(_ values: [(key: String, value: String)]) -> String {
        if values.isEmpty { return "run" }
        return values.map { k, v in
            let short = k.split(separator: ".").last.map(String.init) ?? k
            let safeValue = v.replacingOccurrences(of: ", ", with: "-").replacingOccurrences(of: ",", with: "-")
                .filter { $0.isLetter || $0.isNumber || "-_.+".contains($0) }
            return "\(short)=\(safeValue)"
        }.joined(separator: ",")
    }
}
