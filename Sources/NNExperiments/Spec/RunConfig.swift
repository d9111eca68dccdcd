import NNDatasets
import NNEngine

/// Floating-point precision a run trains in.
public enum Precision: String, Hashable, Sendable, CaseIterable { case float32, float64 }

/// Hidden/visible layer sizes as written: a full list, or hidden sizes with input and output taken
/// from the data.
public enum LayerSizes: Hashable, Sendable {
    case explicit([Int])
    case hidden([Int])
}

public struct ModelConfig: Hashable, Sendable {
    public var layers: LayerSizes = .hidden([])
    /// One activation for every hidden layer, or one per hidden layer.
    public var activations: [Activation] = [.sigmoid]
    public var output: Activation = .sigmoid
    public var loss: Loss = .logistic
    public var reduction: Reduction = .sum
    public var bias = true
    public var initialization: Initialization = .xavierUniform
    /// Draw biases from `initialization` too (Raschka) instead of starting them at zero.
    public var initBiases = false
    /// `.npz` file with initial weights (relative to the spec), instead of drawing them.
    public var initFile: String?
    /// Where `layers` or `hidden` was written, to report sizes that contradict the data (not part
    /// of the config's identity).
    public var sizesLocation: SourceLocation?
    /// Drop probability of inverted dropout during training: one for every hidden layer or one per
    /// hidden layer (nil: none; written to the canonical config only when set).
    public var dropout: [Double]?
    public init() {}

    public static func == (a: Self, b: Self) -> Bool {
        a.layers == b.layers && a.activations == b.activations && a.output == b.output && a.loss == b.loss
            && a.reduction == b.reduction && a.bias == b.bias && a.initialization == b.initialization
            && a.initBiases == b.initBiases && a.initFile == b.initFile && a.dropout == b.dropout
    }

    /// The engine's dropout for an architecture with `hidden` hidden layers (nil: none).
    public func dropout(hidden: Int) -> Dropout? {
        guard let d = dropout, hidden > 0 else { return nil }
        return Dropout(rates: d.count == 1 ? Array(repeating: d[0], count: hidden) : d)
    }
    public func hash(into h: inout Hasher) { h.combine(layers); h.combine(activations); h.combine(output); h.combine(loss) }

    /// The architecture for data with `inputs` features and `outputs` targets.
    public func architecture(inputs: Int, outputs: Int) -> Architecture {
        let sizes: [Int]
        switch layers {
        case .explicit(let s): sizes = s
        case .hidden(let h): sizes = [inputs] + h + [outputs]
        }
        let hiddenCount = sizes.count - 2
        let acts = activations.count == 1 ? Array(repeating: activations[0], count: hiddenCount) : activations
        return Architecture(sizes: sizes, activations: acts + [output], bias: bias)
    }
}

public struct TrainingSection: Hashable, Sendable {
    public var epochs = 100
    public var batching: Batching = .full
    public var shuffle = false
    public var precision: Precision = .float64
    /// Stop when the epoch cost stalls (first-order optimizers only).
    public var earlyStopping: EarlyStopping?
    /// When state is saved for resuming (`training.checkpoint`); never part of the canonical config
    /// (it changes no result), so it is left out of `==` and the hash as well.
    public var checkpoint: CheckpointSchedule?
    public init() {}

    public static func == (a: Self, b: Self) -> Bool {
        a.epochs == b.epochs && a.batching == b.batching && a.shuffle == b.shuffle && a.precision == b.precision
            && a.earlyStopping == b.earlyStopping
    }
    public func hash(into h: inout Hasher) { h.combine(epochs); h.combine(batching); h.combine(shuffle); h.combine(precision) }
}

/// How finely the cost history is recorded.
public enum CostGranularity: String, Hashable, Sendable, CaseIterable {
    /// `cost.csv`: one row per epoch (per iteration for full-batch optimizers).
    case epoch
    /// Also `cost-minibatch.csv`: one row per minibatch step (first-order optimizers only).
    case minibatch
}

/// Which files a run writes beyond the defaults.
public struct OutputsConfig: Hashable, Sendable {
    public var cost: CostGranularity = .epoch
    /// Splits whose confusion matrix is written.
    public var confusion: [String] = ["train", "validation", "test"]
    /// Accuracy of every split after every epoch in `cost.csv` (costs one prediction pass per epoch).
    public var epochAccuracy = false
    /// Write the trained weights to `weights.npz`.
    public var weights = true
    /// Write `diagnostics.csv`: per epoch and layer norms and unit activity (first-order optimizers).
    public var diagnostics = false
    public init() {}
}

/// One fully resolved run: everything needed to train it and nothing else.
public struct RunConfig: Hashable, Sendable {
    public var experiment: String
    public var description: String = ""
    /// Readable, filesystem-safe name from the sweep values (`run` when the spec has no sweep).
    public var runName: String = "run"
    /// The sweep values that made this run, in axis order, as written (`regularization.l2` → `0.1`).
    public var axisValues: [(key: String, value: String)] = []
    public var dataset: DatasetConfig
    /// Seed of the data's random draws when the spec's dataset gives its own; else the run's seed.
    public var dataSeed: UInt64?
    public var model = ModelConfig()
    public var optimizer: OptimizerConfig = .sgd(SGDConfig(learningRate: 0.1))
    public var training = TrainingSection()
    public var regularization = Regularization.none
    public var seed: UInt64 = 0
    public var outputs = OutputsConfig()
    /// Folder of the spec file, for relative paths.
    public var specDirectory: String = "."
    /// The SHA-256 of every file the run reads, as (name, hex digest), set by `InputHashes` before
    /// planning; part of the identity (the `inputs:` block of config.yaml). Empty for runs that read
    /// no file.
    public var inputs: [(name: String, sha256: String)] = []
    /// Where `experiment:` was written (for messages; not part of the config's identity).
    public var experimentLocation: SourceLocation?
    /// Where each key of the spec was written, by dotted path up to three levels (`dataset`,
    /// `dataset.split`, `model.init.file`), so that checks made after decoding (against the data, the
    /// memory) can still point at a line. Not part of the config's identity.
    public var locations: [String: SourceLocation] = [:]

    /// The location of the first of `paths` the spec wrote, else of the experiment.
    public func location(_ paths: String...) -> SourceLocation? {
        for p in paths { if let l = locations[p] { return l } }
        return experimentLocation
    }

    public init(experiment: String, dataset: DatasetConfig) { self.experiment = experiment; self.dataset = dataset }

    public static func == (a: RunConfig, b: RunConfig) -> Bool { a.canonicalYAML == b.canonicalYAML }
    public func hash(into h: inout Hasher) { h.combine(canonicalYAML) }
}

