/// scikit-learn's convergence rule for its MLP solvers, on the training cost or on a value the
/// caller measures after every epoch (validation cost or accuracy), optionally keeping the best
/// epoch's parameters (Keras's `restore_best_weights`).
public struct EarlyStopping: Hashable, Sendable {
    /// What the rule watches after every epoch.
    public enum Monitor: String, Hashable, Sendable, CaseIterable {
        /// The epoch's training cost (`TrainingResult.epochCosts`), lower is better. The default.
        case trainCost = "train_cost"
        /// The validation cost `EpochObserver.monitored` returns, lower is better.
        case validationCost = "validation_cost"
        /// The validation accuracy `EpochObserver.monitored` returns, higher is better.
        case validationAccuracy = "validation_accuracy"

        /// True for accuracies (higher is better).
        public var higherIsBetter: Bool { self == .validationAccuracy }
    }
    /// Least improvement of the best value that resets the count, ≥ 0. Default 1e-4 (scikit-learn's `tol`).
    public var tolerance: Double
    /// Epochs without such improvement before stopping, ≥ 1. Default 10 (scikit-learn's `n_iter_no_change`).
    public var patience: Int
    /// The value watched. Default the training cost.
    public var monitor: Monitor = .trainCost
    /// When training ends (stopped early or after its last epoch), put back the parameters of the
    /// epoch with the best watched value (strictly best, the first on ties; scikit-learn's
    /// `best_coefs_`, Keras's `restore_best_weights` with `min_delta` 0) and report that epoch in
    /// `TrainingResult.bestEpoch`. Default false.
    public var restoreBest = false
    /// The rule with the defaults above.
    public init(tolerance: Double = 1e-4, patience: Int = 10, monitor: Monitor = .trainCost, restoreBest: Bool = false)
    {
        self.tolerance = tolerance
        self.patience = patience
        self.monitor = monitor
        self.restoreBest = restoreBest
    }

    /// Tracks epochs without improvement; `observe` returns true when training should stop. Values
    /// are kept as costs (an accuracy is negated) so that lower is always better.
    struct Tracker {
        let rule: EarlyStopping
        var best = Double.infinity
        var stale = 0
        /// Epochs done when the best value was seen (0: none yet).
        var bestEpoch = 0
        /// The parameters after `bestEpoch` epochs (only with `restoreBest`).
        var bestParameters: [Double] = []

        init(rule: EarlyStopping) { self.rule = rule }

        /// Observes the watched value after `done` epochs; a NaN value never improves.
        mutating func observe<T: Real>(_ value: Double, done: Int, parameters: [T]) -> Bool {
            let cost = rule.monitor.higherIsBetter ? -value : value
            if !(cost <= best - rule.tolerance) { stale += 1 } else { stale = 0 }
            if cost < best {
                best = cost
                bestEpoch = done
                if rule.restoreBest {
                    if bestParameters.count != parameters.count {
                        bestParameters = [Double](repeating: 0, count: parameters.count)
                    }
                    for i in parameters.indices { bestParameters[i] = Double(parameters[i]) }
                }
            }
            return stale >= rule.patience
        }
    }
}
