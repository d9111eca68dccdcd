import Foundation
import NNEngine

/// `sweep.halving`: successive halving over the runs of a sweep (docs/spec.md, "halving").
///
/// ```yaml
/// sweep:
///   random: {trials: 27, seed: 7, params: {…}}
///   halving: {metric: validation_accuracy, min_epochs: 3, factor: 3}
/// ```
///
/// Rung r trains its runs to eᵣ = min(min_epochs · factorʳ, training.epochs) epochs and promotes
/// the best ⌈n/factor⌉ of its n runs by `metric` (ties: the earlier run in sweep order) to rung r + 1;
/// the rungs end with the first whose eᵣ reaches `training.epochs` (nobody is promoted from it).
///
/// Determinism rule: a run stopped at rung r holds exactly the files of the same run trained straight
/// to eᵣ epochs (its config.yaml says `epochs: eᵣ`). This needs the first eᵣ epochs of a longer run
/// to be the whole of the eᵣ-epoch run, which is true of every first-order optimizer except under a
/// schedule whose rates depend on the run's length (`cosine` without `restart_every`): such specs,
/// and full-batch optimizers (iterations, not epochs), are refused.
public struct Halving: Sendable, Equatable {
    /// What ranks the runs of a rung, read from each run's metrics.csv.
    public enum Metric: String, CaseIterable, Sendable {
        case validationAccuracy = "validation_accuracy"
        case validationCost = "validation_cost"
        case trainAccuracy = "train_accuracy"
        case trainCost = "train_cost"

        /// The metrics.csv row holding it: the row of the same name (`train_cost` is the training
        /// split's loss without the penalty, measured on the final network, as metrics.csv records it).
        public var metricsRow: String { rawValue }
        /// True when larger is better.
        public var maximise: Bool { self == .validationAccuracy || self == .trainAccuracy }
        /// True when it needs a validation split.
        public var needsValidation: Bool { self == .validationAccuracy || self == .validationCost }
    }

    static let keys = ["metric", "min_epochs", "factor"]

    /// What ranks the trials of a rung (`sweep.halving.metric`).
    public var metric: Metric
    /// Epochs of rung 0 (at least 1).
    public var minEpochs: Int
    /// Rung growth and selection ratio (at least 2).
    public var factor: Int
    /// Where `sweep.halving` is written (run-dependent problems are reported here).
    var location: SourceLocation?
    var metricLocation: SourceLocation?

    /// Settings from their parts.
    public init(metric: Metric, minEpochs: Int, factor: Int) {
        self.metric = metric
        self.minEpochs = minEpochs
        self.factor = factor
    }

    /// Equal settings (where they were written does not count).
    public static func == (a: Halving, b: Halving) -> Bool {
        a.metric == b.metric && a.minEpochs == b.minEpochs && a.factor == b.factor
    }

    /// Reads `sweep.halving`; nil (with the reasons in `sink`) when it is wrong.
    static func read(_ node: YAMLNode, key: YAMLNode, sink: DiagnosticSink) -> Halving? {
        guard let r = MappingReader(node, path: "sweep.halving", sink: sink, allowed: keys) else { return nil }
        guard let mn = r["metric"] else {
            sink.error(
                node,
                "`sweep.halving` needs `metric`: one of \(Metric.allCases.map(\.rawValue).joined(separator: ", "))")
            return nil
        }
        var metric: Metric? = nil
        if let s = Scalars.choice(
            mn, name: "sweep.halving.metric", choices: Metric.allCases.map(\.rawValue), sink: sink)
        {
            metric = Metric(rawValue: s)
        }
        var minEpochs: Int? = nil
        var factor: Int? = nil
        if let n = r["min_epochs"] {
            minEpochs = Scalars.int(n, name: "sweep.halving.min_epochs", sink: sink, min: 1, max: 1_000_000)
        } else {
            sink.error(node, "`sweep.halving` needs `min_epochs` (the epochs of the first rung, e.g. `min_epochs: 3`)")
        }
        if let n = r["factor"] {
            factor = Scalars.int(n, name: "sweep.halving.factor", sink: sink, min: 2, max: 1000)
        } else {
            factor = 3
        }
        guard let metric, let minEpochs, let factor else { return nil }
        var h = Halving(metric: metric, minEpochs: minEpochs, factor: factor)
        h.location = key.location
        h.metricLocation = mn.location
        return h
    }

    /// Epochs of each rung for a run of `epochs` epochs: min_epochs·factorʳ capped by `epochs`, up to
    /// the first that reaches it.
    public func rungEpochs(cap epochs: Int) -> [Int] {
        var out: [Int] = []
        var e = minEpochs
        while true {
            let capped = min(e, epochs)
            out.append(capped)
            if capped >= epochs { return out }
            let (next, overflow) = e.multipliedReportingOverflow(by: factor)
            e = overflow ? epochs : next
        }
    }

    /// Runs promoted from a rung: the best ⌈n/factor⌉ of `metrics` (index into the rung's members,
    /// value nil when missing or not a number, which ranks last), ties by member order. Returns the
    /// promoted members' positions in member order.
    public func promote(_ metrics: [Double?]) -> [Int] {
        let keep = (metrics.count + factor - 1) / factor
        let ranked = metrics.indices.sorted { a, b in
            switch (metrics[a], metrics[b]) {
            case (let x?, let y?):
                if x != y { return metric.maximise ? x > y : x < y }
                return a < b
            case (.some, nil): return true
            case (nil, .some): return false
            case (nil, nil): return a < b
            }
        }
        return ranked.prefix(keep).sorted()
    }

    /// Why `c` cannot take part in halving, or nil.
    func problem(_ c: RunConfig) -> (message: String, location: SourceLocation?)? {
        if c.optimizer.isFullBatch {
            return (
                "successive halving counts epochs of first-order optimizers; `\(c.optimizer.name)` trains by iterations",
                location
            )
        }
        if let s = c.optimizer.schedule, case .cosine(_, nil) = s.shape {
            return (
                "successive halving continues shorter runs into longer ones, but a `cosine` schedule without `restart_every` depends on `training.epochs`, so a run's first epochs differ by its length; give `restart_every` or another schedule",
                location
            )
        }
        if metric.needsValidation, c.dataset.split.validation == nil {
            return (
                "`\(metric.rawValue)` needs a validation split: add `dataset.split.validation` (e.g. `validation: 0.1`) or rank by train_cost",
                metricLocation
            )
        }
        return nil
    }
}
