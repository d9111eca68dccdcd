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
