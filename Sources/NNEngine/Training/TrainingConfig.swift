/// How the training set is cut into minibatches each epoch.
public enum Batching: Hashable, Sendable {
    /// k nearly equal batches, the first `n mod k` one sample larger (NumPy's `array_split`, Raschka).
    case count(Int)
    /// Consecutive batches of this size, the last one smaller (`1` is per-sample SGD).
    case size(Int)
    /// The whole training set at once (plain gradient descent).
    case full

    /// Batch boundaries for `n` samples.
    public func ranges(samples n: Int) -> [Range<Int>] {
        switch self {
        case .full: return n > 0 ? [0..<n] : []
        case .size(let s):
            return stride(from: 0, to: n, by: max(s, 1)).map { $0..<min($0 + max(s, 1), n) }
        case .count(let k):
            let k = max(1, min(k, n))
            let base = n / k, extra = n % k
            var start = 0
            return (0..<k).map { i in
                let len = base + (i < extra ? 1 : 0)
                defer { start += len }
                return start..<(start + len)
            }
        }
    }
    /// Rows of the largest batch for `n` samples (1 when there are none): the workspace capacity needed.
    public func largestBatch(samples n: Int) -> Int { ranges(samples: n).map(\.count).max() ?? 1 }
}

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
    public init(tolerance: Double = 1e-4, patience: Int = 10, monitor: Monitor = .trainCost, restoreBest: Bool = false) {
        self.tolerance = tolerance; self.patience = patience; self.monitor = monitor; self.restoreBest = restoreBest
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
                    if bestParameters.count != parameters.count { bestParameters = [Double](repeating: 0, count: parameters.count) }
                    for i in parameters.indices { bestParameters[i] = Double(parameters[i]) }
                }
            }
            return stale >= rule.patience
        }
    }
}

/// Everything the engine needs to train one run (already validated by the caller).
public struct TrainingConfig: Hashable, Sendable {
    /// The per-sample loss.
    public var loss: Loss
    /// How a batch's losses are combined. Default `sum`.
    public var reduction: Reduction
    /// L1/L2 penalties on weights. Default none.
    public var regularization: Regularization
    /// The optimizer with its settings, clipping and schedule.
    public var optimizer: OptimizerConfig
    /// Epochs for first-order optimizers (iterations of full-batch gradient descent count as epochs).
    /// BFGS, L-BFGS and CG ignore it: `FullBatchConfig.maxIterations` bounds them.
    public var epochs: Int
    /// How each epoch is cut into minibatches. Default the full batch.
    public var batching: Batching
    /// Reshuffle the samples before each epoch (from the seed's "shuffle" stream). Default false.
    public var shuffle: Bool
    /// Record the cost of every minibatch (Raschka plots it) besides the per-epoch cost.
    public var recordBatchCosts: Bool
    /// Seed of the run; the shuffle draws from its "shuffle" stream.
    public var seed: UInt64
    /// Stop first-order training when the epoch cost has not improved on the best so far by more
    /// than `tolerance` for `patience` epochs in a row (scikit-learn's `tol` / `n_iter_no_change`).
    public var earlyStopping: EarlyStopping?
    /// Batches of one sample under plain SGD apply the step while backpropagating, without a gradient
    /// buffer (FusedPerSampleSGD.swift): equal to the general path up to rounding. Off only to compare.
    public var fusePerSampleSGD = true
    /// Threads the run's products may use, asked every epoch (nil: one). Never changes a result's bits:
    /// products are cut into blocks by their shape alone (`ProductBlocks`).
    public var threads: ThreadBudget? = nil
    /// Inverted dropout on the hidden layers during first-order training (nil: none; Dropout.swift).
    /// Masks come from the seed's "dropout" stream. Full-batch minimisers (bfgs, lbfgs, cg) ignore it:
    /// their line searches need one deterministic cost function.
    public var dropout: Dropout? = nil
    /// Record per epoch and layer norms and unit activity in `TrainingResult.diagnostics` (first-order
    /// optimizers; off: no cost). Per-sample SGD then takes the general path rather than the fused one.
    public var diagnostics = false

    /// A configuration with the defaults above (no dropout, diagnostics, threads or early stopping).
    public init(loss: Loss, reduction: Reduction = .sum, regularization: Regularization = .none,
                optimizer: OptimizerConfig, epochs: Int, batching: Batching = .full, shuffle: Bool = false,
                recordBatchCosts: Bool = false, seed: UInt64 = 0) {
        self.loss = loss; self.reduction = reduction; self.regularization = regularization
        self.optimizer = optimizer; self.epochs = epochs; self.batching = batching; self.shuffle = shuffle
        self.recordBatchCosts = recordBatchCosts; self.seed = seed
    }
}

/// How training ended.
public enum TrainingStatus: Hashable, Sendable {
    case completed
    /// Cost became NaN or infinite during this epoch (0-based); training stopped.
    case diverged(epoch: Int)
    /// The caller asked to stop (interrupt).
    case cancelled
}

/// What training produced besides the trained parameters: cost histories, status and counters.
public struct TrainingResult: Equatable, Sendable {
    /// Cost per epoch (first-order: mean of the epoch's minibatch costs, each taken before its update;
    /// full-batch optimizers: the initial cost, then the cost after each iteration, so
    /// `epochCosts[k]` follows iteration k).
    public var epochCosts: [Double] = []
    /// The learning rate of every epoch (first-order optimizers with one; empty for rprop and the
    /// full-batch optimizers).
    public var epochRates: [Double] = []
    /// Per epoch, one row per weight layer (`TrainingConfig.diagnostics`; else empty).
    public var diagnostics: [[LayerDiagnostics]] = []
    /// Cost of every minibatch, in order, when recorded.
    public var batchCosts: [Double] = []
    /// How training ended. Default completed.
    public var status: TrainingStatus = .completed
    /// Optimizer iterations performed (parameter updates).
    public var iterations = 0
    /// First-order training ended by its early-stopping rule before the last epoch.
    public var stoppedEarly = false
    /// With `EarlyStopping.restoreBest`: the epoch (counted from 1) whose parameters the network
    /// holds at the end; nil otherwise, and when no epoch had a finite watched value.
    public var bestEpoch: Int? = nil
    /// Why a full-batch optimizer stopped (nil for first-order optimizers).
    public var stopReason: MinimizerStop? = nil
    /// Why `Checkpointing.resume` was not used (it did not fit the run), training from the start
    /// instead; nil when there was nothing to resume or it was used.
    public var resumeProblem: String? = nil
    /// An empty result (no epochs yet).
    public init() {}
}

/// Called after every epoch with (epoch index, its cost); return false to stop training (interrupt).
/// Full-batch optimizers call it after every iteration with the iteration number (from 1), the index
/// of that cost in `TrainingResult.epochCosts`.
public typealias ProgressHandler = @Sendable (_ epoch: Int, _ cost: Double) -> Bool
