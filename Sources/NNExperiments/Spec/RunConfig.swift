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

/// The `model` section: layer sizes, activations, loss, initialisation, dropout (defaults in docs/spec.md).
public struct ModelConfig: Hashable, Sendable {
    /// `layers` (all sizes) or `hidden` (hidden sizes). Default no hidden layer.
    public var layers: LayerSizes = .hidden([])
    /// One activation for every hidden layer, or one per hidden layer.
    public var activations: [Activation] = [.sigmoid]
    /// The output layer's activation. Default sigmoid.
    public var output: Activation = .sigmoid
    /// The per-sample loss. Default logistic.
    public var loss: Loss = .logistic
    /// How a batch's losses are combined. Default sum.
    public var reduction: Reduction = .sum
    /// Whether layers have biases. Default true.
    public var bias = true
    /// How weights are drawn. Default `xavier_uniform`.
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
    /// The defaults above.
    public init() {}

    /// Equal when every setting that decides the run is (the location of the sizes is not one).
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
    /// Hashes sizes, activations, output and loss: a subset of what `==` compares, so consistent with it.
    public func hash(into h: inout Hasher) {
        h.combine(layers)
        h.combine(activations)
        h.combine(output)
        h.combine(loss)
    }

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

/// The `training` section: epochs, batching, shuffling, precision, early stopping, checkpoints.
public struct TrainingSection: Hashable, Sendable {
    /// Epochs for first-order optimizers. Default 100.
    public var epochs = 100
    /// Minibatches per epoch (`minibatches`/`batch_size`). Default the full batch.
    public var batching: Batching = .full
    /// Reshuffle before every epoch. Default false.
    public var shuffle = false
    /// The precision the network trains in. Default float64.
    public var precision: Precision = .float64
    /// Stop when the epoch cost stalls (first-order optimizers only).
    public var earlyStopping: EarlyStopping?
    /// When state is saved for resuming (`training.checkpoint`); never part of the canonical config
    /// (it changes no result), so it is left out of `==` and the hash as well.
    public var checkpoint: CheckpointSchedule?
    /// The defaults above.
    public init() {}

    /// Equal when every setting but `checkpoint` is.
    public static func == (a: Self, b: Self) -> Bool {
        a.epochs == b.epochs && a.batching == b.batching && a.shuffle == b.shuffle && a.precision == b.precision
            && a.earlyStopping == b.earlyStopping
    }
    /// Hashes epochs, batching, shuffle and precision: a subset of what `==` compares, so consistent with it.
    public func hash(into h: inout Hasher) {
        h.combine(epochs)
        h.combine(batching)
        h.combine(shuffle)
        h.combine(precision)
    }
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
    /// How finely costs are recorded. Default per epoch.
    public var cost: CostGranularity = .epoch
    /// Splits whose confusion matrix is written.
    public var confusion: [String] = ["train", "validation", "test"]
    /// Accuracy of every split after every epoch in `cost.csv` (costs one prediction pass per epoch).
    public var epochAccuracy = false
    /// Cost and accuracy (regression: cost and RMSE) of every split after every epoch in `cost.csv`
    /// (`outputs.epoch_metrics`; one evaluation pass per split per epoch). Default false.
    public var epochMetrics = false
    /// Write the trained weights to `weights.npz`.
    public var weights = true
    /// Write `diagnostics.csv`: per epoch and layer norms and unit activity (first-order optimizers).
    public var diagnostics = false
    /// The defaults above.
    public init() {}
}

/// One fully resolved run: everything needed to train it and nothing else.
public struct RunConfig: Hashable, Sendable {
    /// The experiment's name (`experiment:`), its folder under results/.
    public var experiment: String
    /// The spec's `description`. Default empty.
    public var description: String = ""
    /// Readable, filesystem-safe name from the sweep values (`run` when the spec has no sweep).
    public var runName: String = "run"
    /// The sweep values that made this run, in axis order, as written (`regularization.l2` → `0.1`).
    public var axisValues: [(key: String, value: String)] = []
    /// Everything that decides the data.
    public var dataset: DatasetConfig
    /// Seed of the data's random draws when the spec's dataset gives its own; else the run's seed.
    public var dataSeed: UInt64?
    /// The `model` section.
    public var model = ModelConfig()
    /// The `optimizer` section. Default SGD with η = 0.1.
    public var optimizer: OptimizerConfig = .sgd(SGDConfig(learningRate: 0.1))
    /// The `training` section.
    public var training = TrainingSection()
    /// L1/L2 penalties. Default none.
    public var regularization = Regularization.none
    /// The run's seed: initial weights, shuffling, dropout and (without `dataset.seed`) the data. Default 0.
    public var seed: UInt64 = 0
    /// The `outputs` section.
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

    /// A run of `experiment` on `dataset`, every other setting at its default.
    public init(experiment: String, dataset: DatasetConfig) {
        self.experiment = experiment
        self.dataset = dataset
    }

    /// Equal when their canonical configs are: equal runs give equal results.
    public static func == (a: RunConfig, b: RunConfig) -> Bool { a.canonicalYAML == b.canonicalYAML }
    /// Hashes the canonical config, consistently with `==`.
    public func hash(into h: inout Hasher) { h.combine(canonicalYAML) }
}
