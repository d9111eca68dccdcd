import Foundation

/// Command-line overrides of a spec (`nnexp run/check/show SPEC --set PATH=VALUE --sweep PATH=V1,V2`),
/// applied to the spec after its `extends` chain is merged, so they take precedence over both.
///
/// - `--set PATH=VALUE` puts VALUE (YAML: `0.01`, `[100, 50]`, `{type: adam}`; empty or `~` removes
///   the key so its default applies) at PATH as a one-key spec extending the spec would (the rules
///   of `extends` apply). A grid axis or `sweep.random` parameter of the same PATH is dropped: the
///   value is now fixed.
/// - `--sweep PATH=V1,V2,…` (Hydra's basic sweep syntax: values split at commas outside brackets
///   and quotes, each read as YAML) replaces the grid axis PATH, or adds it after the spec's axes.
///
/// Mistakes are reported at the argument (`--set PATH=VALUE: error: …`), never at a spec line.
public struct Overrides: Sendable {
    /// The `--set PATH=VALUE` arguments, in order.
    public var sets: [String] = []
    /// The `--sweep PATH=V1,V2,…` arguments, in order.
    public var sweeps: [String] = []
    /// The given overrides.
    public init(sets: [String] = [], sweeps: [String] = []) {
        self.sets = sets
        self.sweeps = sweeps
    }
    /// True when there is nothing to apply.
    public var isEmpty: Bool { sets.isEmpty && sweeps.isEmpty }

    /// The arguments as a shell would take them, for the copy of the spec (`spec.yaml`).
    public var commandLine: String {
        (sets.map { "--set \(quote($0))" } + sweeps.map { "--sweep \(quote($0))" }).joined(separator: " ")
    }

    private func quote(_ s: String) -> String {
        s.allSatisfy({ $0.isLetter || $0.isNumber || "._-=,/+".contains($0) })
            ? s : "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// Applies every override to `root` (the merged spec), recording mistakes in `sink`.
    func apply(to root: inout YAMLNode, sink: DiagnosticSink) {
        guard !isEmpty else { return }
        var setPaths: [String: String] = [:]
        for arg in sets {
            let flag = "--set \(arg)"
            guard
                let (path, key, valueText) = split(arg, flag: flag, example: "optimizer.learning_rate=0.01", sink: sink)
            else { continue }
            guard let value = parse(valueText, flag: flag, sink: sink) else { continue }
            setPaths[path] = arg
            guard unsweep(path, in: &root, flag: flag, sink: sink) else { continue }
            // A one-key child spec merged over the spec: the rules of `extends` apply (`~` removes the
            // key, a new `optimizer.type` drops the other optimizer's options, `model.hidden`
            // replaces `model.layers` and the reverse).
            var overlay = value
            for part in path.split(separator: ".").reversed() {
                overlay = YAMLNode(
                    .mapping([(YAMLNode(.scalar(String(part), plain: true), at: key.location), overlay)]),
                    at: key.location)
            }
            root = SpecLoader.deepMerge(base: root, over: overlay)
        }
        for arg in sweeps {
            let flag = "--sweep \(arg)"
            guard
                let (path, key, valueText) = split(arg, flag: flag, example: "regularization.l2=0,0.01,0.1", sink: sink)
            else { continue }
            if let other = setPaths[path] {
                sink.error(at: at(flag), "`\(path)` is given to both --set (\(other)) and --sweep; give it one of them")
                continue
            }
            var values: [YAMLNode] = []
            var ok = true
            for part in Self.splitValues(valueText) {
                guard let v = parse(part, flag: flag, sink: sink) else {
                    ok = false
                    break
                }
                values.append(v)
            }
            guard ok else { continue }
            if values.isEmpty || valueText.trimmingCharacters(in: .whitespaces).isEmpty {
                sink.error(
                    at: at(flag),
                    "--sweep needs at least one value after `=`, e.g. --sweep regularization.l2=0,0.01,0.1")
                continue
            }
            guard unsweep(path, in: &root, flag: flag, sink: sink, keepGridAxis: true) else { continue }
            let list = YAMLNode(.sequence(values), at: at(flag))
            var pairs = root["sweep"]?.mapping ?? []
            if let i = pairs.firstIndex(where: { $0.key.scalar == path }) {
                pairs[i] = (key, list)
            } else {
                pairs.append((key, list))
            }
            setSweep(&root, pairs)
        }
    }

    /// Where a mistake in an argument is reported: the argument itself, without line or column.
    private func at(_ flag: String) -> SourceLocation { SourceLocation(file: flag, line: 0, column: 0) }

    /// PATH, a key node for it and the value text, or nil (reported) when the argument is no
    /// PATH=VALUE or PATH cannot be set.
    private func split(_ arg: String, flag: String, example: String, sink: DiagnosticSink) -> (
        String, YAMLNode, String
    )? {
        guard let eq = arg.firstIndex(of: "="), eq != arg.startIndex else {
            sink.error(at: at(flag), "\(flag.split(separator: " ")[0]) takes PATH=VALUE, e.g. \(example)")
            return nil
        }
        let path = String(arg[..<eq]).trimmingCharacters(in: .whitespaces)
        if path != "experiment", let problem = SpecSchema.sweepProblem(path) {
            sink.error(
                at: at(flag),
                problem.replacingOccurrences(of: "sweep path", with: "path").replacingOccurrences(
                    of: "cannot be swept", with: "cannot be overridden"))
            return nil
        }
        if flag.hasPrefix("--sweep"), path == "experiment" {
            sink.error(at: at(flag), "`experiment` cannot be swept (it names the results folder)")
            return nil
        }
        return (path, YAMLNode(.scalar(path, plain: true), at: at(flag)), String(arg[arg.index(after: eq)...]))
    }

    /// One value read as YAML, every node located at the argument.
    private func parse(_ text: String, flag: String, sink: DiagnosticSink) -> YAMLNode? {
        if text.trimmingCharacters(in: .whitespaces).isEmpty { return YAMLNode(.scalar("", plain: true), at: at(flag)) }
        do {
            return relocate(try YAMLParser.parse(text, file: flag), to: at(flag))
        } catch {
            sink.error(at: at(flag), "the value `\(text)` is not YAML: \(error.message)")
            return nil
        }
    }

    private func relocate(_ n: YAMLNode, to l: SourceLocation) -> YAMLNode {
        switch n.value {
        case .scalar: return YAMLNode(n.value, at: l)
        case .sequence(let items): return YAMLNode(.sequence(items.map { relocate($0, to: l) }), at: l)
        case .mapping(let m):
            return YAMLNode(.mapping(m.map { (relocate($0.key, to: l), relocate($0.value, to: l)) }), at: l)
        }
    }

    /// Removes PATH from the spec's sweep (grid axis unless `keepGridAxis`, `sweep.random`
    /// parameter); false (reported) when a zip group or a variant varies it, which an override
    /// cannot untangle.
    private func unsweep(
        _ path: String, in root: inout YAMLNode, flag: String, sink: DiagnosticSink, keepGridAxis: Bool = false
    ) -> Bool {
        guard var pairs = root["sweep"]?.mapping else { return true }
        func mentions(_ n: YAMLNode) -> Bool {
            (n.sequence ?? [n]).contains { g in (g.mapping ?? []).contains { $0.key.scalar == path } }
        }
        if let zip = root["sweep"]?["zip"], mentions(zip) {
            sink.error(
                at: at(flag),
                "`\(path)` varies in the spec's `sweep.zip`, together with other paths; change it in the spec")
            return false
        }
        if let variants = root["sweep"]?["variants"], mentions(variants) {
            sink.error(at: at(flag), "`\(path)` is set by the spec's `sweep.variants`; change it in the spec")
            return false
        }
        if !keepGridAxis { pairs.removeAll { $0.key.scalar == path } }
        if let ri = pairs.firstIndex(where: { $0.key.scalar == "random" }), var random = pairs[ri].value.mapping,
            let pi = random.firstIndex(where: { $0.key.scalar == "params" }),
            var params = pairs[ri].value["params"]?.mapping,
            params.contains(where: { $0.key.scalar == path })
        {
            params.removeAll { $0.key.scalar == path }
            if params.isEmpty {
                pairs.remove(at: ri)
            } else {
                random[pi].value = YAMLNode(.mapping(params), at: random[pi].value.location)
                pairs[ri].value = YAMLNode(.mapping(random), at: pairs[ri].value.location)
            }
        }
        setSweep(&root, pairs)
        return true
    }

    private func setSweep(_ root: inout YAMLNode, _ pairs: [(key: YAMLNode, value: YAMLNode)]) {
        guard var m = root.mapping else { return }
        let node = YAMLNode(.mapping(pairs), at: root["sweep"]?.location ?? root.location)
        if let i = m.firstIndex(where: { $0.key.scalar == "sweep" }) {
            m[i].value = node
        } else {
            m.append((YAMLNode(.scalar("sweep", plain: true), at: root.location), node))
        }
        root.value = .mapping(m)
    }

    /// `0,0.01,[100, 50],'a,b'` → `0`, `0.01`, `[100, 50]`, `'a,b'`: commas inside brackets, braces
    /// or quotes do not split.
    static func splitValues(_ text: String) -> [String] {
        var parts: [String] = []
        var current = ""
        var depth = 0
        var quote: Character? = nil
        for ch in text {
            if let q = quote {
                if ch == q { quote = nil }
            } else if ch == "'" || ch == "\"" {
                quote = ch
            } else if ch == "[" || ch == "{" {
                depth += 1
            } else if ch == "]" || ch == "}" {
                depth -= 1
            } else if ch == ",", depth == 0 {
                parts.append(current)
                current = ""
                continue
            }
            current.append(ch)
        }
        parts.append(current)
        return parts.map { $0.trimmingCharacters(in: .whitespaces) }
    }
}
