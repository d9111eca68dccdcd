import Foundation
import NNDatasets
import NNEngine

/// Per-epoch numbers measured on the splits after every epoch of first-order training:
///
/// - `outputs.epoch_accuracy`: the accuracy of every labelled split, cost.csv columns
///   `train_accuracy`, `validation_accuracy`, `test_accuracy` (as before `epoch_metrics` existed);
/// - `outputs.epoch_metrics`: for every split, `<split>_cost` (mean per-sample loss without penalty,
///   `SplitMetrics`) and `<split>_accuracy` (classification) or `<split>_rmse` (regression);
/// - early stopping with `monitor: validation_cost | validation_accuracy`: that value, handed to the
///   engine through `EpochObserver.monitored` (a cost.csv column only when one of the above asks).
///
/// One forward pass per split involved per epoch, with its own workspace.
final class EpochMetrics<T: Real> {
    private let architecture: Architecture
    private let evaluator: SplitEvaluator<T>
    /// Column names, each with its split (index into `evaluator.splits`) and what it reads.
    private let wanted: [(name: String, split: Int, read: (SplitMetrics) -> Double?)]
    private var values: [[Double]]
    /// The split and metric early stopping watches, if it watches one.
    private let monitor: (split: Int, read: (SplitMetrics) -> Double?)?
    /// The watched value after the last recorded epoch (NaN before any).
    private(set) var lastMonitored = Double.nan

    /// nil when the run asks for none of the above.
    init?(config c: RunConfig, architecture: Architecture, data: SplitDataset) {
        let monitorName = c.training.earlyStopping.flatMap { $0.monitor == .trainCost ? nil : $0.monitor.rawValue }
        guard c.outputs.epochMetrics || c.outputs.epochAccuracy || monitorName != nil else { return nil }
        self.architecture = architecture
        var only: Set<String>? = nil
        if !c.outputs.epochMetrics && !c.outputs.epochAccuracy { only = ["validation"] }
        evaluator = SplitEvaluator<T>(architecture: architecture, data: data, loss: c.model.loss, only: only)
        var w: [(String, Int, (SplitMetrics) -> Double?)] = []
        for (k, s) in evaluator.splits.enumerated() {
            if c.outputs.epochMetrics {
                w.append(("\(s.name)_cost", k, { $0.cost }))
                if s.labels != nil { w.append(("\(s.name)_accuracy", k, { $0.accuracy })) }
                if s.targets != nil { w.append(("\(s.name)_rmse", k, { $0.rmse })) }
            } else if c.outputs.epochAccuracy, s.labels != nil {
                w.append(("\(s.name)_accuracy", k, { $0.accuracy }))
            }
        }
        wanted = w
        values = Array(repeating: [], count: w.count)
        if let name = monitorName, let k = evaluator.splits.firstIndex(where: { $0.name == "validation" }) {
            monitor = (k, name == "validation_cost" ? { $0.cost } : { $0.accuracy })
        } else {
            monitor = nil
        }
    }

    /// Evaluates the parameters after an epoch: appends a value to every column and sets `lastMonitored`.
    func record(_ parameters: [T]) {
        let net = Network<T>(architecture: architecture, parameters: parameters)
        var measured: [Int: SplitMetrics] = [:]
        func metrics(_ k: Int) -> SplitMetrics {
            if let m = measured[k] { return m }
            let m = evaluator.evaluate(net, split: k)
            measured[k] = m
            return m
        }
        for (i, col) in wanted.enumerated() { values[i].append(col.read(metrics(col.split)) ?? .nan) }
        if let monitor { lastMonitored = monitor.read(metrics(monitor.split)) ?? .nan }
    }

    /// The recorded columns (name, one value per epoch), for cost.csv and checkpoints.
    var columns: [(name: String, values: [Double])] { zip(wanted, values).map { ($0.name, $1) } }

    /// The columns of `saved` (any order) in this run's order, when it has each of them with `epochs`
    /// rows and nothing else; nil otherwise.
    func matching(_ saved: [(name: String, values: [Double])], epochs: Int) -> [[Double]]? {
        guard saved.count == wanted.count else { return nil }
        var out: [[Double]] = []
        for col in wanted {
            guard let c = saved.first(where: { $0.name == col.name }), c.values.count == epochs else { return nil }
            out.append(c.values)
        }
        return out
    }

    /// The values of the epochs a resumed run did before its checkpoint (`columns` as saved then);
    /// false, changing nothing, when they do not fit (`matching`).
    func restore(_ saved: [(name: String, values: [Double])], epochs: Int) -> Bool {
        guard let v = matching(saved, epochs: epochs) else { return false }
        values = v
        return true
    }
}
