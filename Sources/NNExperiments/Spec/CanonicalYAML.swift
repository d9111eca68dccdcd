import NNDatasets
import NNEngine

/// The fully resolved config of a run as YAML, in a fixed key order with every default spelled out.
/// Written to `config.yaml`; it is also the run's fingerprint for resuming (an unchanged text means
/// the finished run can be kept).
extension RunConfig {
    /// The canonical config text (see above).
    public var canonicalYAML: String {
        var y = YAMLWriter()
        y.line("nnexp_version", NNExpVersion.string)
        y.line("experiment", experiment)
        if !description.isEmpty { y.line("description", YAMLWriter.quote(description)) }
        y.line("run", runName)
        if !axisValues.isEmpty {
            y.open("sweep")
            for (k, v) in axisValues { y.line(k, v) }
            y.close()
        }
        y.open("dataset")
        for (k, v) in DatasetSection.canonical(dataset) { y.line(k, v) }
        if let s = dataSeed { y.line("seed", "\(s)") }
        y.close()
        y.open("model")
        switch model.layers {
        case .explicit(let s): y.line("layers", YAMLWriter.list(s.map(String.init)))
        case .hidden(let h): y.line("hidden", YAMLWriter.list(h.map(String.init)))
        }
        y.line("activation", model.activations.count == 1 ? model.activations[0].description
                                                           : YAMLWriter.list(model.activations.map(\.description)))
        y.line("output", model.output.description)
        y.line("loss", model.loss.rawValue)
        y.line("reduction", model.reduction.rawValue)
        y.line("bias", "\(model.bias)")
        y.line("init", Self.describe(model.initialization, file: model.initFile))
        y.line("init_biases", "\(model.initBiases)")
        // Written only when set, so configs without dropout keep their bytes.
        if let d = model.dropout {
            y.line("dropout", d.count == 1 ? YAMLWriter.num(d[0]) : YAMLWriter.list(d.map(YAMLWriter.num)))
        }
        y.close()
        y.open("optimizer")
        y.line("type", optimizer.name)
        var settings = SettingsWriter()
        optimizer.settings.write(to: &settings)
        for (key, value) in settings.entries { y.line(key, YAMLWriter.text(value)) }
        // Written only when set, so configs without clipping keep their bytes.
        switch optimizer.clip {
        case .norm(let c): y.line("clip", "{norm: \(YAMLWriter.num(c))}")
        case .value(let c): y.line("clip", "{value: \(YAMLWriter.num(c))}")
        case nil: break
        }
        if let schedule = optimizer.schedule {
            var w = SettingsWriter()
            schedule.write(to: &w)
            y.line("schedule", "{" + w.entries.map { "\($0.key): \(YAMLWriter.text($0.value))" }.joined(separator: ", ") + "}")
        }
        y.close()
        y.open("training")
        y.line("epochs", "\(training.epochs)")
        switch training.batching {
        case .full: y.line("batching", "full")
        case .count(let k): y.line("minibatches", "\(k)")
        case .size(let s): y.line("batch_size", "\(s)")
        }
        y.line("shuffle", "\(training.shuffle)")
        y.line("precision", training.precision.rawValue)
        if let e = training.earlyStopping {
            // The monitor and restore_best only when not the defaults, so older runs keep their fingerprint.
            let monitor = e.monitor == .trainCost ? "" : ", monitor: \(e.monitor.rawValue)"
            let restore = e.restoreBest ? ", restore_best: true" : ""
            y.line("early_stopping", "{tolerance: \(YAMLWriter.num(e.tolerance)), patience: \(e.patience)\(monitor)\(restore)}")
        }
        y.close()
        y.open("regularization")
        y.line("l1", YAMLWriter.num(regularization.l1))
        y.line("l2", YAMLWriter.num(regularization.l2))
        y.close()
        y.line("seed", "\(seed)")
        y.open("outputs")
        y.line("cost", outputs.cost.rawValue)
        y.line("confusion", YAMLWriter.list(outputs.confusion))
        y.line("epoch_accuracy", "\(outputs.epochAccuracy)")
        if outputs.epochMetrics { y.line("epoch_metrics", "true") }
        y.line("weights", "\(outputs.weights)")
        if outputs.diagnostics { y.line("diagnostics", "true") }
        y.close()
        // What the bits depend on besides nnexp: a run made under another BLAS library or kernel is
        // retrained rather than kept (docs/results.md says which machines reproduce which bytes).
        y.open("blas")
        y.line("library", BLASInfo.library)
        y.line("kernel", BLASInfo.kernel)
        y.close()
        if !inputs.isEmpty {
            y.open("inputs")
            for (name, hash) in inputs { y.line(YAMLWriter.quote(name), hash) }
            y.close()
        }
        return y.text
    }

    static func describe(_ i: Initialization, file: String?) -> String {
        if let file { return "{file: \(YAMLWriter.quote(file))}" }
        switch i {
        case .uniform(let a, let b): return "{uniform: [\(YAMLWriter.num(a)), \(YAMLWriter.num(b))]}"
        case .normal(let m, let s): return "{normal: [\(YAMLWriter.num(m)), \(YAMLWriter.num(s))]}"
        case .xavierUniform: return "xavier_uniform"
        case .xavierNormal: return "xavier_normal"
        case .he: return "he"
        case .epsilon: return "epsilon"
        }
    }
}

/// A minimal block-style YAML emitter for canonical configs (deterministic, no library needed for
/// this write-only subset).
struct YAMLWriter {
    private(set) var text = ""
    private var depth = 0
    mutating func line(_ key: String, _ value: String) { text += String(repeating: "  ", count: depth) + "\(key): \(value)\n" }
    mutating func open(_ key: String) { text += String(repeating: "  ", count: depth) + "\(key):\n"; depth += 1 }
    mutating func close() { depth -= 1 }
    static func list(_ items: [String]) -> String { "[" + items.joined(separator: ", ") + "]" }
    static func num(_ v: Double) -> String { NumberFormat.shortest(v) }
    /// An optimizer setting as YAML: numbers in their shortest round-trip form.
    static func text(_ v: SettingsWriter.Value) -> String {
        switch v {
        case .number(let d): return num(d)
        case .integer(let i): return "\(i)"
        case .flag(let b): return "\(b)"
        case .word(let w): return w
        }
    }
    static func quote(_ s: String) -> String {
        "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n") + "\""
    }
}
