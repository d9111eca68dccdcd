/// The one rule that picks the best setting of a sweep (report, terminal table, `summary.csv` and
/// `cells.csv` all ask it; docs/results.md "Selection").
///
/// - Classification (some run recorded an accuracy): validation accuracy, highest wins, when a
///   validation split exists; otherwise training accuracy, flagged "selected on training data".
/// - Regression: validation cost (`validation_cost`), lowest wins, when recorded; otherwise the
///   training cost without the penalty (`train_cost`; `final_cost` for runs that lack it), flagged.
/// - Test metrics are never used: the test set is kept for reporting, so it cannot pick the model.
public struct SelectionRule: Sendable, Equatable {
    /// The `metrics.csv` name of the selection metric (`validation_accuracy`, `final_cost`, …).
    public var metric: String
    /// True for accuracies (highest wins), false for costs (lowest wins).
    public var higherIsBetter: Bool
    /// True when no validation split exists, so the choice is made on the data the model was fit to.
    public var onTrainingData: Bool

    /// A rule over `metric`.
    public init(metric: String, higherIsBetter: Bool, onTrainingData: Bool) {
        self.metric = metric
        self.higherIsBetter = higherIsBetter
        self.onTrainingData = onTrainingData
    }

    /// The rule for runs that recorded these metric names (finite values only). Nil when no run has
    /// any usable metric.
    public static func rule(metricNames names: Set<String>) -> SelectionRule? {
        let classification = names.contains { $0.hasSuffix("_accuracy") }
        if classification, names.contains("validation_accuracy") {
            return SelectionRule(metric: "validation_accuracy", higherIsBetter: true, onTrainingData: false)
        }
        if !classification, names.contains("validation_cost") {
            return SelectionRule(metric: "validation_cost", higherIsBetter: false, onTrainingData: false)
        }
        if classification, names.contains("train_accuracy") {
            return SelectionRule(metric: "train_accuracy", higherIsBetter: true, onTrainingData: true)
        }
        // The training loss without the penalty (metrics.csv's `train_cost`) when recorded, since the
        // penalty is a setting of the sweep; runs of older nnexp versions have only `final_cost`.
        if !classification, names.contains("train_cost") {
            return SelectionRule(metric: "train_cost", higherIsBetter: false, onTrainingData: true)
        }
        if names.contains("final_cost") {
            return SelectionRule(metric: "final_cost", higherIsBetter: false, onTrainingData: true)
        }
        return nil
    }

    /// The rule for a set of runs: only runs that count (completed, neither stale nor orphaned).
    public static func rule(for runs: [RunResults]) -> SelectionRule? {
        var names = Set<String>()
        for r in runs where r.counts { for (k, v) in r.metrics where v.isFinite { names.insert(k) } }
        return rule(metricNames: names)
    }

    /// `validation accuracy`.
    public var label: String { metric.replacingOccurrences(of: "_", with: " ") }

    /// One line for pages and terminals: `highest validation accuracy` or
    /// `lowest final cost (selected on training data: no validation split)`.
    public var description: String {
        (higherIsBetter ? "highest " : "lowest ") + label
            + (onTrainingData ? " (selected on training data: no validation split)" : "")
    }

    /// Whether `a` is strictly better than `b` (a non-finite value is never better).
    public func isBetter(_ a: Double, than b: Double) -> Bool {
        guard a.isFinite else { return false }
        guard b.isFinite else { return true }
        return higherIsBetter ? a > b : a < b
    }

    /// The index of the best value (first on ties), ignoring nil and non-finite ones.
    public func best(_ values: [Double?]) -> Int? {
        var best: Int?
        for (i, v) in values.enumerated() {
            guard let v, v.isFinite else { continue }
            if let b = best, !isBetter(v, than: values[b]!) { continue }
            best = i
        }
        return best
    }
}
