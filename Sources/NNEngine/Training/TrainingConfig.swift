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
    public init(
        loss: Loss, reduction: Reduction = .sum, regularization: Regularization = .none,
        optimizer: OptimizerConfig, epochs: Int, batching: Batching = .full, shuffle: Bool = false,
        recordBatchCosts: Bool = false, seed: UInt64 = 0
    ) {
        self.loss = loss
        self.reduction = reduction
        self.regularization = regularization
        self.optimizer = optimizer
        self.epochs = epochs
        self.batching = batching
        self.shuffle = shuffle
        self.recordBatchCosts = recordBatchCosts
        self.seed = seed
    }
}
