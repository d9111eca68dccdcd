import Foundation

/// A spec file expanded into its runs: the cartesian product of its sweep axes, in a stable order
/// (the first axis varies slowest).
public struct Experiment: Sendable {
    public var name: String
    public var specPath: String
    public var specText: String
    public var axes: [String]
    public var runs: [RunConfig]

    /// Parses, expands and validates a spec; throws `SpecErrors` with every mistake found.
    public static func load(path: String) throws -> Experiment {
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw SpecFileError(path: path, message: "cannot read the spec: \(error.localizedDescription)")
        }
        let root: YAMLNode
        do { root = try YAMLParser.parse(text, file: path) } catch {
            throw SpecErrors([Diagnostic(error.location, error.message)])
        }
        let sink = DiagnosticSink()
        let dir = (path as NSString).deletingLastPathComponent
        let sweep = Sweep.read(root["sweep"], sink: sink)
        var runs: [RunConfig] = []
        for assignment in sweep.assignments {
            var node = root
            for (path, value) in assignment { Sweep.set(&node, path: path.key, to: value, sink: sink) }
            if var c = SpecDecoder(sink: sink).decode(node, specDirectory: dir.isEmpty ? "." : dir) {
                c.axisValues = assignment.map { ($0.0.key, $0.1.scalar ?? YAMLFlow.render($0.1)) }
                c.runName = Sweep.runName(c.axisValues)
                runs.append(c)
            }
        }
        if !sink.isEmpty { throw SpecErrors(sink.diagnostics) }
        let name = runs.first?.experiment ?? "experiment"
        return Experiment(name: name, specPath: path, specText: text, axes: sweep.axes.map(\.key), runs: runs)
    }
}

/// Renders a node in YAML flow style (for sweep values that are lists, such as layer sizes).
enum YAMLFlow {
    static func render(_ n: YAMLNode) -> String {
        switch n.value {
        case .scalar(let s, _): return s
        case .sequence(let items): return "[" + items.map(render).joined(separator: ", ") + "]"
        case .mapping(let m): return "{" + m.map { "\(render($0.key)): \(render($0.value))" }.joined(separator: ", ") + "}"
        }
    }
}
