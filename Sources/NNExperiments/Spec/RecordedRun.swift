import NNEngine

/// A run's `config.yaml` given as a spec: it is the resolved config of exactly one run, so nnexp
/// accepts it and trains that run again under the same experiment and run name, writing the same
/// `config.yaml` (docs/results.md, "config.yaml as a spec").
///
/// It is recognised by its `nnexp_version:` key, which no spec has. Its record-only parts are read
/// here and removed before the rest is decoded like any spec:
/// - `run:` the run's name; `sweep:` the sweep values that made the run, as `path: value` (already
///   applied in the sections below; kept so the rerun's folder and `config.yaml` match);
/// - `nnexp_version`, `blas` and `inputs`: what the bytes depend on, recomputed by the run that
///   writes them (a different nnexp, BLAS kernel or input file gives a different `config.yaml`,
///   which `nnexp run` then says);
/// - `training.batching: full` (full-batch training, the default when neither `minibatches` nor
///   `batch_size` is given), and for full-batch optimizers (which take no training options) the
///   defaults `training.epochs: 100` and `training.shuffle: false` that config.yaml spells out.
struct RecordedRun {
    var runName: String
    var axisValues: [(key: String, value: String)]

    static let recordKeys = ["nnexp_version", "run", "blas", "inputs", "sweep"]

    /// The record of `root` when it is a config.yaml (removing the record-only keys from `root`),
    /// else nil with `root` untouched.
    static func extract(_ root: inout YAMLNode, sink: DiagnosticSink) -> RecordedRun? {
        guard var pairs = root.mapping, pairs.contains(where: { $0.key.scalar == "nnexp_version" }) else { return nil }
        var record = RecordedRun(runName: "run", axisValues: [])
        if let n = root["run"] {
            if let name = n.scalar, !n.isNull, isRunName(name) {
                record.runName = name
            } else {
                sink.error(
                    n,
                    "`run` of a config.yaml names the run's folder: letters, digits and `-_.+=,~`, found \(n.kindDescription)"
                )
            }
        } else {
            sink.error(root, "this config.yaml (it has `nnexp_version`) lacks `run`, the run's name")
        }
        if let s = root["sweep"] {
            if s.mapping == nil {
                sink.error(
                    s,
                    "`sweep` of a config.yaml records the run's sweep values as `path: value`, found \(s.kindDescription)"
                )
            }
            for (k, v) in s.mapping ?? [] {
                guard let key = k.scalar else {
                    sink.error(k, "`sweep` keys of a config.yaml are key paths")
                    continue
                }
                record.axisValues.append((key, v.scalar ?? YAMLFlow.render(v)))
            }
        }
        pairs.removeAll { p in p.key.scalar.map(recordKeys.contains) ?? false }
        if let ti = pairs.firstIndex(where: { $0.key.scalar == "training" }), var t = pairs[ti].value.mapping,
            let bi = t.firstIndex(where: { $0.key.scalar == "batching" })
        {
            if t[bi].value.scalar != "full" {
                sink.error(
                    t[bi].value,
                    "`training.batching` in a config.yaml is `full` (otherwise it gives `minibatches` or `batch_size`), found \(t[bi].value.kindDescription)"
                )
            }
            t.remove(at: bi)
            // A full-batch optimizer takes no training options, but config.yaml spells out their
            // defaults; only the defaults are read past (anything else is reported as in a spec).
            let type = root["optimizer"]?["type"]?.scalar
            if let type, OptimizerRegistry.named(type)?.isFullBatch == true {
                let defaults = TrainingSection()
                t.removeAll { p in
                    (p.key.scalar == "epochs" && p.value.scalar == "\(defaults.epochs)")
                        || (p.key.scalar == "shuffle" && p.value.scalar == "\(defaults.shuffle)")
                }
            }
            pairs[ti].value = YAMLNode(.mapping(t), at: pairs[ti].value.location)
        }
        root.value = .mapping(pairs)
        return record
    }

    /// A name `RunNames` could have made: filesystem-safe, not hidden, at most 120 bytes + hash.
    static func isRunName(_ s: String) -> Bool {
        !s.isEmpty && !s.hasPrefix(".") && s.utf8.count <= 140
            && s.allSatisfy { $0.isLetter || $0.isNumber || "-_.+=,~".contains($0) }
    }
}
