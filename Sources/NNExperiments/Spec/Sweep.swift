import Foundation

/// The `sweep:` section: which runs an experiment has.
///
/// ```yaml
/// sweep:
///   regularization.l2: [0.0, 0.1]        # an axis: a dotted key path and its values
///   model.activation: [sigmoid, tanh]
///   zip:                                  # axes that vary together (one group, or a list of groups)
///     optimizer.learning_rate: [0.1, 0.01]
///     training.epochs: [100, 1000]
///   variants:                             # extra runs, each a set of key paths and values
///     - {optimizer.type: adam, optimizer.learning_rate: 0.001}
/// ```
///
/// The runs are the cartesian product of the axes (a zip group counts as one axis) in the order they
/// are written, the first axis varying slowest, followed by the variants in list order.
struct Sweep {
    /// One value assignment: a key path (with the node that named it) and the node to put there.
    struct Setting {
        var path: String
        var keyNode: YAMLNode
        var value: YAMLNode
    }

    /// One factor of the product: each entry is one point (several settings for a zip group).
    var axes: [[[Setting]]] = []
    var variants: [[Setting]] = []
    /// Every swept path in first-appearance order (the summary's axis columns).
    var paths: [String] = []
    /// Locations of every node inside a sweep value, to tell errors in sweep values from others.
    var valueLocations: Set<SourceLocation> = []
    /// `sweep.random`: every point of the grid (and every variant) is run once per trial.
    var random: RandomSearch?
    /// `sweep.halving`: successive halving over the runs (see `Halving`).
    var halving: Halving?

    /// Runs the sweep would make (computed without building it, to refuse absurd grids early).
    var count: Int {
        let grid = axes.reduce(1) { n, axis in
            n.multipliedReportingOverflow(by: axis.count).overflow ? Int.max : n * axis.count
        }
        let points = grid == Int.max ? grid : grid + variants.count
        guard let t = random?.trials else { return points }
        let (r, o) = points.multipliedReportingOverflow(by: t)
        return o ? Int.max : r
    }

    static func read(_ node: YAMLNode?, sink: DiagnosticSink) -> Sweep {
        var s = Sweep()
        guard let node else { return s }
        guard let m = node.mapping else {
            sink.error(node, "`sweep` must map key paths to lists of values, e.g. `regularization.l2: [0.0, 0.1]`")
            return s
        }
        for (k, v) in m {
            guard let key = k.scalar else {
                sink.error(k, "sweep keys must be dotted key paths")
                continue
            }
            switch key {
            case "zip":
                let groups = v.sequence ?? [v]
                for g in groups { if let axis = s.readZip(g, sink: sink) { s.axes.append(axis) } }
            case "random":
                guard let r = RandomSearch.read(v, sink: sink) else {
                    s.randomFailed = true
                    continue
                }
                for p in r.params {
                    s.note(p.node)
                }
                s.random = r
            case "halving":
                if let h = Halving.read(v, key: k, sink: sink) { s.halving = h } else { s.randomFailed = true }
            case "variants":
                guard let list = v.sequence, !list.isEmpty else {
                    sink.error(
                        v,
                        "`sweep.variants` takes a list of mappings from key paths to values, found \(v.kindDescription)"
                    )
                    continue
                }
                for item in list {
                    guard let pairs = item.mapping, !pairs.isEmpty else {
                        sink.error(
                            item,
                            "each of `sweep.variants` must map key paths to values, e.g. {optimizer.type: adam}, found \(item.kindDescription)"
                        )
                        continue
                    }
                    var settings: [Setting] = []
                    for (pk, pv) in pairs {
                        guard let path = s.checkPath(pk, sink: sink) else { continue }
                        settings.append(Setting(path: path, keyNode: pk, value: pv))
                        s.note(pv)
                    }
                    if settings.count == pairs.count { s.variants.append(settings) }
                }
            default:
                guard let path = s.checkPath(k, sink: sink) else { continue }
                guard let values = v.sequence, !values.isEmpty else {
                    sink.error(v, "sweep axis `\(key)` needs a non-empty list of values, found \(v.kindDescription)")
                    continue
                }
                values.forEach { s.note($0) }
                s.axes.append(values.map { [Setting(path: path, keyNode: k, value: $0)] })
            }
        }
        if let r = s.random {
            for p in r.params where s.paths.contains(p.path) {
                sink.error(
                    p.keyNode, "`\(p.path)` is both a grid axis and a `sweep.random` parameter; give it one place")
                s.random = nil
                s.randomFailed = true
            }
        }
        return s
    }

    /// Set when `sweep.random` was written but is wrong (its runs cannot be built).
    var randomFailed = false

    /// A zip group: every path has a list, all of the same length; point i takes every list's item i.
    private mutating func readZip(_ node: YAMLNode, sink: DiagnosticSink) -> [[Setting]]? {
        guard let pairs = node.mapping, !pairs.isEmpty else {
            sink.error(
                node,
                "`sweep.zip` maps key paths to lists of equal length (or is a list of such mappings), found \(node.kindDescription)"
            )
            return nil
        }
        var columns: [(path: String, key: YAMLNode, values: [YAMLNode])] = []
        for (k, v) in pairs {
            guard let path = checkPath(k, sink: sink) else { continue }
            guard let values = v.sequence, !values.isEmpty else {
                sink.error(v, "sweep axis `\(path)` needs a non-empty list of values, found \(v.kindDescription)")
                continue
            }
            values.forEach { note($0) }
            columns.append((path, k, values))
        }
        guard let first = columns.first, columns.count == pairs.count else { return nil }
        for c in columns.dropFirst() where c.values.count != first.values.count {
            sink.error(
                c.key,
                "zipped axes vary together and need lists of equal length: `\(first.path)` has \(first.values.count) values, `\(c.path)` has \(c.values.count)"
            )
            return nil
        }
        return (0..<first.values.count).map { i in
            columns.map { Setting(path: $0.path, keyNode: $0.key, value: $0.values[i]) }
        }
    }

    /// A path is sweepable when it names a key the decoder knows (see `SpecSchema`).
    private mutating func checkPath(_ k: YAMLNode, sink: DiagnosticSink) -> String? {
        guard let path = k.scalar, !path.isEmpty else {
            sink.error(k, "sweep keys must be dotted key paths")
            return nil
        }
        if let problem = SpecSchema.sweepProblem(path) {
            sink.error(k, problem)
            return nil
        }
        if !paths.contains(path) { paths.append(path) }
        return path
    }

    private mutating func note(_ n: YAMLNode) {
        valueLocations.insert(n.location)
        switch n.value {
        case .scalar: break
        case .sequence(let items): items.forEach { note($0) }
        case .mapping(let pairs):
            pairs.forEach {
                note($0.key)
                note($0.value)
            }
        }
    }

    /// Every run's settings: the grid (first axis slowest), then the variants.
    var points: [[Setting]] {
        var grid: [[Setting]] = [[]]
        for axis in axes { grid = grid.flatMap { prefix in axis.map { prefix + $0 } } }
        return grid + variants
    }

    /// Replaces (or adds) the value at a dotted path inside the spec tree. Missing sections are
    /// created; a path through something that is not a mapping is reported at the sweep key.
    static func set(_ root: inout YAMLNode, _ s: Setting, sink: DiagnosticSink) {
        let parts = s.path.split(separator: ".").map(String.init)
        func go(_ node: inout YAMLNode, _ i: Int) -> Bool {
            guard var m = node.mapping else { return false }
            let key = parts[i]
            let idx = m.firstIndex(where: { $0.key.scalar == key })
            if i == parts.count - 1 {
                // The key takes the sweep's location too: a mistake about it is a mistake in the sweep.
                let k = YAMLNode(.scalar(key, plain: true), at: s.keyNode.location)
                if s.value.isNull {
                    if let idx { m.remove(at: idx) }
                }  // `~` removes the key: its default applies
                else if let idx {
                    m[idx] = (k, s.value)
                } else {
                    m.append((k, s.value))
                }
            } else {
                var child = idx.map { m[$0].value } ?? YAMLNode(.mapping([]), at: s.keyNode.location)
                guard go(&child, i + 1) else { return false }
                if let idx {
                    m[idx].value = child
                } else {
                    m.append((YAMLNode(.scalar(key, plain: true), at: s.keyNode.location), child))
                }
            }
            node.value = .mapping(m)
            return true
        }
        if !go(&root, 0) { sink.error(s.keyNode, "sweep path `\(s.path)` goes through a value that is not a mapping") }
    }
}

/// Run names: readable, filesystem-safe and unique within an experiment.
public enum RunNames {
    /// `l2=0.1`, `activation=tanh,hidden=100-10`: each setting's shortest unambiguous path suffix and
    /// its value, joined by commas, in the sweep's path order. A run with no settings is `run`.
    static func name(_ settings: [(path: String, value: String)], allPaths: [String]) -> String {
        if settings.isEmpty { return "run" }
        let ordered = settings.sorted {
            (allPaths.firstIndex(of: $0.path) ?? 0) < (allPaths.firstIndex(of: $1.path) ?? 0)
        }
        let name = ordered.map { "\(label(for: $0.path, among: allPaths))=\(safe($0.value))" }.joined(separator: ",")
        return shorten(name)
    }

    /// The last path component, or more components when another swept path ends the same way.
    static func label(for path: String, among paths: [String]) -> String {
        let parts = path.split(separator: ".").map(String.init)
        for n in 1...parts.count {
            let suffix = parts.suffix(n).joined(separator: ".")
            let clash = paths.contains { $0 != path && ($0 == suffix || $0.hasSuffix("." + suffix)) }
            if !clash { return suffix }
        }
        return path
    }

    /// A value as written, made safe for a folder name: lists and mappings flatten with `-`
    /// (`[100, 10]` → `100-10`), anything but letters, digits and `-_.+` becomes `_`.
    public static func safe(_ value: String) -> String {
        var out = ""
        var lastDash = false
        for ch in value {
            if ch == "[" || ch == "]" || ch == "{" || ch == "}" || ch == " " { continue }
            if ch == "," || ch == ":" {
                if !lastDash { out.append("-") }
                lastDash = true
                continue
            }
            lastDash = false
            out.append(ch.isLetter || ch.isNumber || "-_.+".contains(ch) ? ch : "_")
        }
        if out.isEmpty { return "_" }
        if out.hasPrefix(".") { out = "_" + out }
        return out
    }

    /// Folder names stay well under file-system limits: a long name keeps its start and gains a
    /// stable hash of the whole.
    static func shorten(_ name: String) -> String {
        guard name.utf8.count > 120 else { return name }
        var h: UInt64 = 0xcbf2_9ce4_8422_2325  // FNV-1a: stable across runs and platforms
        for b in name.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        let hex = String(h, radix: 16)
        return String(name.prefix(100)) + "~" + String(repeating: "0", count: 16 - hex.count) + hex
    }
}
