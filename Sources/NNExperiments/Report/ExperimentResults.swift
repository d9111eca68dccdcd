/// An experiment's results as read back from `results/<experiment>/` (the report's only input).
public struct ExperimentResults: Sendable {
    public var name: String
    public var directory: String
    /// `spec.yaml` as written by the user, when the scheduler copied it beside the results.
    public var specText: String?
    /// Sweep key paths in spec order, and each axis's values in the order runs first use them.
    public var axes: [String]
    public var axisValues: [String: [String]]
    public var runs: [RunResults]

    /// The split whose accuracy ranks runs, or nil when no run recorded an accuracy (regression).
    public var rankingSplit: String? {
        ["test", "validation", "train"].first { s in runs.contains { $0.accuracy[s].map { $0.isFinite } ?? false } }
    }

    /// Best run: highest accuracy on the test split, else validation, else train, else the lowest
    /// final cost. Equal accuracies go to the lower final cost, then to the earlier run, so the
    /// choice is stable.
    public var bestRunIndex: Int? {
        func cost(_ r: RunResults) -> Double { r.finalCost.flatMap { $0.isFinite ? $0 : nil } ?? .infinity }
        var best: Int?
        if let split = rankingSplit {
            for (i, r) in runs.enumerated() {
                guard let a = r.accuracy[split], a.isFinite else { continue }
                if let b = best, let ba = runs[b].accuracy[split], a < ba || (a == ba && cost(r) >= cost(runs[b])) { continue }
                best = i
            }
        } else {
            for (i, r) in runs.enumerated() {
                guard let c = r.finalCost, c.isFinite else { continue }
                if let b = best, c >= cost(runs[b]) { continue }
                best = i
            }
        }
        return best
    }

    /// How the best run was chosen, for the page.
    public var bestCriterion: String {
        if let s = rankingSplit { return "highest \(s) accuracy, then lowest final cost" }
        return "lowest final cost"
    }
}

/// One run's recorded results. Optional parts are nil when the run did not write the file.
public struct RunResults: Sendable {
    public var name: String
    public var axisValues: [(key: String, value: String)]
    public var status: String
    public var epochs: Int?
    public var finalCost: Double?
    /// Accuracy per split ("train", "validation", "test").
    public var accuracy: [String: Double] = [:]
    /// `cost.csv`: the epoch column and every other column by name (`cost`, `train_accuracy`, …).
    public var epochIndex: [Double] = []
    public var epochColumns: [(name: String, values: [Double])] = []
    /// `cost-minibatch.csv`: the cost of every minibatch / optimizer iteration.
    public var minibatchCost: [Double]?
    /// Confusion matrices by split.
    public var confusion: [String: ConfusionMatrix] = [:]
    public var decisionBoundary: DecisionGrid?
    public var points: [LabeledPoint]?
    public var misclassified: [MisclassifiedImage]?
    /// `diagnostics.csv` (outputs.diagnostics), when the run wrote it.
    public var diagnostics: [DiagnosticsRow]?

    public init(name: String, axisValues: [(key: String, value: String)], status: String) {
        self.name = name; self.axisValues = axisValues; self.status = status
    }

    public func epochColumn(_ name: String) -> [Double]? { epochColumns.first { $0.name == name }?.values }

    /// `learning_rate=0.5, seed=1`: the run named by its axis values (short keys), for legends.
    public var label: String {
        if axisValues.isEmpty { return name }
        return axisValues.map { "\($0.key.split(separator: ".").last.map(String.init) ?? $0.key)=\($0.value)" }
            .joined(separator: ", ")
    }

    /// Class names, taken from the first confusion matrix recorded (indices otherwise).
    public var classNames: [String]? {
        ["test", "validation", "train"].lazy.compactMap { confusion[$0]?.classes }.first
            ?? confusion.sorted { $0.key < $1.key }.first?.value.classes
    }
}

/// Counts of true class (rows) against predicted class (columns).
public struct ConfusionMatrix: Sendable, Equatable {
    public var classes: [String]
    public var counts: [[Int]]
}

/// Predicted class over a regular grid covering a 2-D box (`decision-boundary.csv`).
public struct DecisionGrid: Sendable {
    /// Sorted distinct cell centres along each axis.
    public var xs: [Double]
    public var ys: [Double]
    /// `predicted[row][col]` for y = ys[row], x = xs[col].
    public var predicted: [[Int]]
}

/// A data point with its true class (`points.csv`).
public struct LabeledPoint: Sendable {
    public var x: Double, y: Double, label: Int
    public var split: String
}

/// A test example the run classified wrongly (`misclassified.csv`).
public struct MisclassifiedImage: Sendable {
    public var index: Int
    public var trueClass: Int
    public var predicted: Int
    public var width: Int, height: Int
    /// Row-major intensities.
    public var pixels: [Double]
}
