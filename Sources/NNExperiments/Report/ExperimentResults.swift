/// An experiment's results as read back from `results/<experiment>/` (the report's only input).
public struct ExperimentResults: Sendable {
    /// The experiment's name (its folder's).
    public var name: String
    /// The folder read.
    public var directory: String
    /// `spec.yaml` as written by the user, when the scheduler copied it beside the results.
    public var specText: String?
    /// Sweep key paths in spec order, and each axis's values in the order runs first use them.
    public var axes: [String]
    /// Each axis's values, by key path.
    public var axisValues: [String: [String]]
    /// Every run found, in `summary.csv` order.
    public var runs: [RunResults]

    /// The selection rule for these runs (`SelectionRule`); nil when no run recorded a usable metric.
    public var selection: SelectionRule? { SelectionRule.rule(for: runs) }

    /// Runs grouped by setting (runs differing only in `seed`), in run order.
    public var cells: [Cell] { Cell.group(runs, axes: axes) }

    /// The cell with the best mean selection metric (first on ties).
    public var bestCellIndex: Int? {
        guard let rule = selection else { return nil }
        return rule.best(cells.map { $0.stats[rule.metric]?.mean })
    }

    /// The best run of the best cell by the selection metric (first on ties): the run whose
    /// confusion matrix and images the report shows.
    public var bestRunIndex: Int? {
        guard let rule = selection, let c = bestCellIndex else { return nil }
        let members = cells[c].runs.filter { runs[$0].counts }
        return rule.best(members.map { runs[$0].metrics[rule.metric] }).map { members[$0] }
    }

    /// How the best cell was chosen, for the page.
    public var bestCriterion: String {
        guard let rule = selection else { return "no run recorded a metric to select on" }
        return rule.description + (cells.contains { $0.runs.count > 1 } ? ", mean over seeds" : "")
    }

    /// Runs left out of cells, charts and selection: stale (config no longer what the spec makes) or
    /// orphaned (the spec no longer makes the run).
    public var flaggedRuns: [Int] { runs.indices.filter { runs[$0].flag != nil } }
}

/// One run's recorded results. Optional parts are nil when the run did not write the file.
public struct RunResults: Sendable {
    /// The run's folder name.
    public var name: String
    /// The sweep values that made it, in axis order.
    public var axisValues: [(key: String, value: String)]
    /// `completed`, `diverged`, `failed`, … as `summary.csv` records it.
    public var status: String
    /// Epochs (or iterations) it ran, when recorded.
    public var epochs: Int?
    /// Its last cost, when recorded.
    public var finalCost: Double?
    /// Accuracy per split ("train", "validation", "test").
    public var accuracy: [String: Double] = [:]
    /// Every numeric final metric of `metrics.csv` by name (`final_cost`, `test_accuracy`, `epochs`, …).
    public var metrics: [String: Double] = [:]
    /// `stale` (its config.yaml is not what the spec now makes) or `orphaned` (the spec no longer
    /// makes it), as `summary.csv` says; nil for a current run.
    public var flag: String?
    /// `cost.csv`: the epoch column and every other column by name (`cost`, `train_accuracy`, …).
    public var epochIndex: [Double] = []
    /// The name of `cost.csv`'s first column: `epoch`, or `iteration` for a full-batch optimizer.
    public var stepName = "epoch"
    /// The other columns of `cost.csv`, by name, in file order.
    public var epochColumns: [(name: String, values: [Double])] = []
    /// `cost-minibatch.csv`: the cost of every minibatch / optimizer iteration.
    public var minibatchCost: [Double]?
    /// Confusion matrices by split.
    public var confusion: [String: ConfusionMatrix] = [:]
    /// `decision-boundary.csv`, for runs on 2-D data.
    public var decisionBoundary: DecisionGrid?
    /// `points.csv`, for runs on 2-D data.
    public var points: [LabeledPoint]?
    /// `misclassified.csv`, for runs on images.
    public var misclassified: [MisclassifiedImage]?
    /// `diagnostics.csv` (outputs.diagnostics), when the run wrote it.
    public var diagnostics: [DiagnosticsRow]?

    /// A run with nothing recorded yet but its name, axis values and status.
    public init(name: String, axisValues: [(key: String, value: String)], status: String) {
        self.name = name
        self.axisValues = axisValues
        self.status = status
    }

    /// Whether the run counts for cells, charts and selection: completed and not flagged.
    public var counts: Bool { status == "completed" && flag == nil }

    /// The `cost.csv` column `name`, or nil when the run did not write it.
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
    /// Class names, in index order.
    public var classes: [String]
    /// `counts[true][predicted]`.
    public var counts: [[Int]]
}

/// Predicted class over a regular grid covering a 2-D box (`decision-boundary.csv`).
public struct DecisionGrid: Sendable {
    /// Sorted distinct cell centres along each axis.
    public var xs: [Double]
    /// Sorted distinct cell centres along y.
    public var ys: [Double]
    /// `predicted[row][col]` for y = ys[row], x = xs[col].
    public var predicted: [[Int]]
}

/// A data point with its true class (`points.csv`).
public struct LabeledPoint: Sendable {
    /// Coordinates and the true class index.
    public var x: Double, y: Double, label: Int
    /// The split the point belongs to (`train`, `validation`, `test`).
    public var split: String
}

/// A test example the run classified wrongly (`misclassified.csv`).
public struct MisclassifiedImage: Sendable {
    /// The example's index, as `misclassified.csv` records it.
    public var index: Int
    /// Its true class index.
    public var trueClass: Int
    /// The class the network predicted.
    public var predicted: Int
    /// Image width and height in pixels.
    public var width: Int, height: Int
    /// Row-major intensities.
    public var pixels: [Double]
}
