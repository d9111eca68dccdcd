/// How a run ended, as recorded in `metrics.csv` and `summary.csv`.
public enum RunStatus: Hashable, Sendable {
    case completed
    case diverged(epoch: Int)
    case failed(String)
    case cancelled

    /// The word `metrics.csv` records: completed, diverged, failed or cancelled.
    public var label: String {
        switch self {
        case .completed: "completed"
        case .diverged: "diverged"
        case .failed: "failed"
        case .cancelled: "cancelled"
        }
    }
}

/// What one run produced: its status, headline numbers and the files to write (name → contents).
public struct RunOutcome: Sendable {
    /// The run.
    public var config: RunConfig
    /// How it ended.
    public var status: RunStatus
    /// Its last training cost, when it trained.
    public var finalCost: Double?
    /// Accuracy per split ("train", "validation", "test") for classification runs.
    public var accuracy: [String: Double] = [:]
    /// Final numbers per split in metrics.csv order (`train_cost`, `train_accuracy` or `train_rmse`,
    /// `train_mae`, `train_r2`, then validation and test; `SplitMetrics`), when it completed.
    public var splitMetrics: [(name: String, value: Double)] = []
    /// With `training.early_stopping.restore_best`: the epoch (from 1) whose parameters and numbers
    /// the run ends with.
    public var bestEpoch: Int?
    /// Epochs (or full-batch iterations) it ran.
    public var epochsRun = 0
    /// Optimizer iterations (parameter updates).
    public var iterations = 0
    /// Training ended by `training.early_stopping` before its last epoch.
    public var stoppedEarly = false
    /// The result files to write, by name.
    public var files: [String: [UInt8]] = [:]
    /// Human-readable log lines (timings allowed; written to the git-ignored run.log).
    public var log: [String] = []
    /// Things to tell the user about the run besides its progress (a checkpoint that could not be
    /// used or written); said by the scheduler when the run ends.
    public var notes: [String] = []
    /// Epochs (iterations) done at the last checkpoint this run saved, if any.
    public var checkpointed: Int?
    /// The files could not be written (the scheduler sets this; the run itself may have succeeded).
    public var writeFailed = false
    /// The state after the last epoch, as a checkpoint of the longer run that continues this one
    /// (`RunCheckpointing.continuation`, successive halving); saved once the run's folder is in place.
    public var continuation: Checkpoint?

    /// An outcome with no numbers or files yet.
    public init(config: RunConfig, status: RunStatus) {
        self.config = config
        self.status = status
    }
}
