import NNEngine

/// The keys a spec may hold, drawn from the decoder's own key lists, so that sweep paths are checked
/// against the same schema the decoder enforces and docs/spec.md can be tested for completeness.
public enum SpecSchema {
    /// Sections whose keys are listed, by name.
    public static var sections: [(name: String, keys: [String])] {
        [
            ("dataset", SpecDecoder.datasetKeys),
            ("model", SpecDecoder.modelKeys),
            ("model.init", SpecDecoder.initKeys),
            ("optimizer", ["type"] + SpecDecoder.allOptimizerKeys),
            ("optimizer.clip", GradientClip.kinds),
            ("optimizer.schedule", LearningRateSchedule.allKeys),
            ("training", SpecDecoder.trainingKeys),
            ("training.checkpoint", CheckpointSchedule.keys),
            ("training.early_stopping", SpecDecoder.earlyStoppingKeys),
            ("regularization", SpecDecoder.regularizationKeys),
            ("outputs", SpecDecoder.outputsKeys),
            ("sweep", SpecDecoder.sweepKeys),
            ("sweep.random", RandomSearch.keys),
            ("sweep.halving", SpecDecoder.halvingKeys)
        ]
    }

    /// Every key path the decoder accepts (`seed`, `model.layers`, `optimizer.learning_rate`, …).
    public static var allPaths: [String] {
        SpecDecoder.topLevelKeys + sections.flatMap { s in s.keys.map { "\(s.name).\($0)" } }
    }

    /// Paths a sweep may set: any key of a section or a top-level value, but not the experiment's
    /// name, its `extends` chain or the sweep itself.
    static var sweepablePaths: [String] {
        let top = SpecDecoder.topLevelKeys.filter { !["experiment", "extends", "sweep"].contains($0) }
        let named = sections.filter { $0.name != "sweep" && !$0.name.hasPrefix("sweep.") }
        return top + named.flatMap { s in s.keys.map { "\(s.name).\($0)" } }
    }

    /// Why `path` cannot be swept, or nil when it can.
    static func sweepProblem(_ path: String) -> String? {
        let parts = path.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        if parts.contains(where: \.isEmpty) { return "sweep path `\(path)` is not a dotted key path" }
        if ["experiment", "extends", "sweep"].contains(parts[0]) { return "`\(parts[0])` cannot be swept" }
        if parts.count >= 2, parts[0] == "training", parts[1] == "checkpoint" {
            return
                "`training.checkpoint` cannot be swept: it decides only when state is saved, never a result, so its runs would be one run"
        }
        if sweepablePaths.contains(path) { return nil }
        // Dataset sources may nest their own options; the dataset decoder checks below the first level.
        if parts[0] == "dataset", parts.count > 2, sweepablePaths.contains(parts[0...1].joined(separator: ".")) {
            return nil
        }
        var msg = "sweep path `\(path)` names no key"
        if let s = Suggest.closest(to: path, among: sweepablePaths) { msg += "; did you mean `\(s)`?" }
        return msg
    }
}
