import NNDatasets
import NNEngine

/// A network's final (or per-epoch) numbers on one split (metrics.csv, docs/results.md "Metrics").
///
/// - `cost`: the data loss without any penalty, averaged over the split's samples (Σ loss / n), so
///   splits of any size compare; with `reduction: mean` and a full batch it is the training objective
///   without its penalty, with `sum` that objective divided by n.
/// - `accuracy` (classification): share of samples whose predicted class is the label.
/// - `rmse`, `mae`, `r2` (regression): per target column, then averaged over the columns
///   (scikit-learn's `multioutput="uniform_average"`): √(Σ(y−ŷ)²/n), Σ|y−ŷ|/n and
///   1 − Σ(y−ŷ)²/Σ(y−ȳ)², with R² = 1 for a constant column predicted exactly and 0 for one that
///   is not (scikit-learn's `force_finite`).
struct SplitMetrics: Equatable {
    var cost: Double
    var accuracy: Double?
    var rmse: Double?
    var mae: Double?
    var r2: Double?
    /// Predicted classes (classification), for confusion matrices.
    var predicted: [Int]?

    /// `(name, value)` rows in metrics.csv order, named `<split>_<metric>`.
    func rows(_ split: String) -> [(String, Double)] {
        var out = [("\(split)_cost", cost)]
        if let accuracy { out.append(("\(split)_accuracy", accuracy)) }
        if let rmse { out.append(("\(split)_rmse", rmse)) }
        if let mae { out.append(("\(split)_mae", mae)) }
        if let r2 { out.append(("\(split)_r2", r2)) }
        return out
    }

    /// RMSE, MAE and R² of `predicted` against `targets` (both `count × dimension`, row-major), as above.
    static func regression(predicted: [Double], targets: [Double], count: Int, dimension: Int) -> (
        rmse: Double, mae: Double, r2: Double
    ) {
        guard count > 0, dimension > 0 else { return (0, 0, 0) }
        var rmse = 0.0
        var mae = 0.0
        var r2 = 0.0
        let n = Double(count)
        for j in 0..<dimension {
            var mean = 0.0
            for i in 0..<count { mean += targets[i * dimension + j] }
            mean /= n
            var sse = 0.0
            var sae = 0.0
            var sst = 0.0
            for i in 0..<count {
                let y = targets[i * dimension + j]
                let d = y - predicted[i * dimension + j]
                sse += d * d
                sae += abs(d)
                sst += (y - mean) * (y - mean)
            }
            rmse += (sse / n).squareRoot()
            mae += sae / n
            r2 += sst > 0 ? 1 - sse / sst : (sse == 0 ? 1 : 0)
        }
        let k = Double(dimension)
        return (rmse / k, mae / k, r2 / k)
    }
}

/// Evaluates a network on a run's splits (train, validation, test, those it has) with one
/// workspace; every split's samples converted once.
final class SplitEvaluator<T: Real> {
    struct Split {
        let name: String
        let samples: Samples<T>
        let labels: [Int]?
        let targets: [Double]?
        let dimension: Int
    }
    let splits: [Split]
    private let loss: Loss
    private let workspace: Workspace<T>

    /// The splits of `data` named in `only` (nil: all), in train, validation, test order; empty splits are left out.
    init(architecture: Architecture, data: SplitDataset, loss: Loss, only: Set<String>? = nil) {
        var s: [Split] = []
        for (name, d) in [("train", Optional(data.train)), ("validation", data.validation), ("test", data.test)] {
            guard let d, d.count > 0, only?.contains(name) ?? true else { continue }
            var targets: [Double]? = nil
            var dim = d.targetDimension
            if case .values(let v, let k) = d.targets {
                targets = v
                dim = k
            }
            s.append(
                Split(
                    name: name, samples: SampleCache.samples(T.self, d, outputs: architecture.outputs),
                    labels: d.labels, targets: targets, dimension: dim))
        }
        splits = s
        self.loss = loss
        workspace = Workspace<T>(architecture: architecture, capacity: 1024)
    }

    /// The metrics of `net` on split `k` of `splits`.
    func evaluate(_ net: Network<T>, split k: Int) -> SplitMetrics {
        let s = splits[k]
        let n = s.samples.count
        let e = net.evaluate(s.samples.x, targets: s.samples.y, count: n, loss: loss, workspace: workspace)
        var m = SplitMetrics(cost: e.lossSum / Double(n))
        if let labels = s.labels {
            let correct = zip(e.classes, labels).reduce(0) { $0 + ($1.0 == $1.1 ? 1 : 0) }
            m.accuracy = Double(correct) / Double(n)
            m.predicted = e.classes
        }
        if let targets = s.targets, e.outputs.count == targets.count {
            let r = SplitMetrics.regression(
                predicted: e.outputs.map { Double($0) }, targets: targets, count: n, dimension: s.dimension)
            m.rmse = r.rmse
            m.mae = r.mae
            m.r2 = r.r2
        }
        return m
    }
}
