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
        for (k, v) in Self.modelSection.lines(model, defaults: ModelConfig()) { y.line(k, v) }
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
            y.line(
                "schedule",
                "{" + w.entries.map { "\($0.key): \(YAMLWriter.text($0.value))" }.joined(separator: ", ") + "}")
        }
        y.close()
        y.open("training")
        for (k, v) in Self.trainingSection.lines(training, defaults: TrainingSection()) { y.line(k, v) }
        y.close()
        y.open("regularization")
        for (k, v) in Self.regularizationSection.lines(regularization, defaults: Regularization.none) { y.line(k, v) }
        y.close()
        y.line("seed", "\(seed)")
        y.open("outputs")
        for (k, v) in Self.outputsSection.lines(outputs, defaults: OutputsConfig()) { y.line(k, v) }
        y.close()
        // A setting added to RunConfig itself, outside the sections above, when set.
        for (k, v) in Self.topLevel.lines(self, defaults: RunConfig(experiment: experiment, dataset: dataset)) {
            y.line(k, v)
        }
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

    /// RunConfig's own fields: those written above in their own form are claimed here; any other is
    /// written generically after `outputs` when it differs from its default.
    static let topLevel = CanonicalSection(excluded: [
        "experiment": "written above", "description": "written above", "runName": "written above",
        "axisValues": "written above (sweep)", "dataset": "written above", "dataSeed": "written above (dataset.seed)",
        "model": "written above", "optimizer": "written above (its registry entry)", "training": "written above",
        "regularization": "written above", "seed": "written above", "outputs": "written above",
        "inputs": "written below",
        "specDirectory": "the spec's folder; relative paths are resolved against it before they are written",
        "experimentLocation": "where the spec wrote `experiment:`, for messages",
        "locations": "where the spec wrote each key, for messages"
    ])

    /// `model`: every setting spelled out; `dropout` only when set.
    static let modelSection = CanonicalSection(
        spelledOut: ["layers", "activations", "output", "loss", "reduction", "bias", "initialization", "initBiases"],
        excluded: [
            "initFile": "written in `init` ({file: …})", "sizesLocation": "where the sizes were written, for messages"
        ],
        keys: ["initialization": "init"],
        custom: [
            "layers": { v, _ in
                switch v as! LayerSizes {
                case .explicit(let s): return [("layers", YAMLWriter.list(s.map(String.init)))]
                case .hidden(let h): return [("hidden", YAMLWriter.list(h.map(String.init)))]
                }
            },
            "activations": { v, _ in
                let a = v as! [Activation]
                return [("activation", a.count == 1 ? a[0].description : YAMLWriter.list(a.map(\.description)))]
            },
            "initialization": { v, m in [("init", describe(v as! Initialization, file: (m as! ModelConfig).initFile))]
            },
            "dropout": { v, _ in
                guard let d = v as? [Double] else { return [] }
                return [("dropout", d.count == 1 ? YAMLWriter.num(d[0]) : YAMLWriter.list(d.map(YAMLWriter.num)))]
            }
        ])

    /// `training`: every setting but `checkpoint` spelled out; `early_stopping` only when set.
    static let trainingSection = CanonicalSection(
        spelledOut: ["epochs", "batching", "shuffle", "precision"],
        excluded: ["checkpoint": "decides when state is saved, never a result (docs/spec.md, training.checkpoint)"],
        custom: [
            "batching": { v, _ in
                switch v as! Batching {
                case .full: return [("batching", "full")]
                case .count(let k): return [("minibatches", "\(k)")]
                case .size(let s): return [("batch_size", "\(s)")]
                }
            }
        ])

    /// `regularization`: both penalties spelled out.
    static let regularizationSection = CanonicalSection(spelledOut: ["l1", "l2"])

    /// `outputs`: `diagnostics` (and any later output) only when set.
    static let outputsSection = CanonicalSection(
        spelledOut: ["cost", "confusion", "epochAccuracy", "weights"],
        custom: ["confusion": { v, _ in [("confusion", YAMLWriter.list(v as! [String]))] }])

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
    mutating func line(_ key: String, _ value: String) {
        text += String(repeating: "  ", count: depth) + "\(key): \(value)\n"
    }
    mutating func open(_ key: String) {
        text += String(repeating: "  ", count: depth) + "\(key):\n"
        depth += 1
    }
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
        case .text(let t): return quote(t)
        case .list(let items): return list(items.map(text))
        }
    }
    static func quote(_ s: String) -> String {
        "\""
            + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n") + "\""
    }
}
