/// Adagrad (Duchi, Hazan & Singer 2011), `optimizer.type: adagrad`, as torch.optim.Adagrad documents it
/// (without its `lr_decay`; the decay keys of `DecayRule` schedule η instead):
///
///     s ← s + g²
///     p ← p − η·g / (√s + ε)
///
/// with s starting at `initial_accumulator`. Each parameter's rate shrinks with its own history of
/// gradients.
///
/// Spec keys and defaults: `learning_rate` (η, > 0, 0.01), `epsilon` (ε > 0, 1e-10),
/// `initial_accumulator` (s₀ ≥ 0, 0), and the decay keys.
public struct AdagradConfig: Optimizer {
    /// η. Default 0.01.
    public var learningRate: Double
    /// ε: added to √s. Default 1e-10.
    public var epsilon: Double
    /// s₀: the accumulator's start. Default 0.
    public var initialAccumulator: Double
    /// How η changes from epoch to epoch. Default constant.
    public var decay: DecayRule

    /// Settings with the defaults above.
    public init(
        learningRate: Double = 0.01, epsilon: Double = 1e-10, initialAccumulator: Double = 0, decay: DecayRule = .none
    ) {
        self.learningRate = learningRate
        self.epsilon = epsilon
        self.initialAccumulator = initialAccumulator
        self.decay = decay
    }

    /// The value of `optimizer.type` that selects it: `adagrad`.
    public static let name = "adagrad"
    /// Spec keys besides `type`, in the order the canonical config writes them.
    public static let keys = ["learning_rate", "epsilon", "initial_accumulator"] + DecayRule.keys

    /// Reads and validates the spec keys above with their documented defaults and ranges; a mistake is
    /// reported through the reader and the default kept.
    public init(reading r: any SettingsReader) {
        self.init(
            learningRate: r.double("learning_rate", default: 0.01, .positive),
            epsilon: r.double("epsilon", default: 1e-10, .positive),
            initialAccumulator: r.double("initial_accumulator", default: 0, .nonNegative),
            decay: DecayRule(reading: r))
    }

    /// Writes every setting, defaults spelled out, in `keys` order (the run's canonical config).
    public func write(to w: inout SettingsWriter) {
        w.number("learning_rate", learningRate)
        w.number("epsilon", epsilon)
        w.number("initial_accumulator", initialAccumulator)
        decay.write(to: &w)
    }

    /// Trains `net` with the Adagrad rule above through `Trainer.firstOrder` (one step per minibatch).
    // @_specialize: the update loop inlined into each copy does Float/Double arithmetic, not Real witness calls.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public func train<T: Real>(
        _ net: inout Network<T>, on data: Samples<T>, config: TrainingConfig,
        epochEnd: EpochObserver<T>?, checkpoints: Checkpointing?,
        progress: ProgressHandler?
    ) -> TrainingResult {
        Trainer.firstOrder(
            &net, data: data, config: config, rule: Adagrad<T>(self, count: net.parameters.count),
            epochEnd: epochEnd, checkpoints: checkpoints, progress: progress)
    }
}

extension OptimizerConfig {
    /// `optimizer.type: adagrad`.
    public static func adagrad(_ c: AdagradConfig) -> OptimizerConfig { OptimizerConfig(c) }
}

/// The Adagrad update rule (equations on `AdagradConfig`).
struct Adagrad<T: Real>: FirstOrderOptimizer {
    let config: AdagradConfig
    private(set) var rate: Double
    var learningRate: Double? {
        get { rate }
        set { if let v = newValue { rate = v } }
    }
    private var sum: [T]

    init(_ config: AdagradConfig, count: Int) {
        self.config = config
        rate = config.learningRate
        sum = [T](repeating: T(config.initialAccumulator), count: count)
    }

    mutating func step(
        parameters p: UnsafeMutablePointer<T>, gradient g: UnsafePointer<T>, count n: Int, team: ThreadTeam
    ) {
        let eta = T(rate)
        let eps = T(config.epsilon)
        sum.withUnsafeMutableBufferPointer { sb in
            let s = sb.baseAddress!
            // Per element, in a C kernel with exactly these roundings (Swift left the loop scalar;
            // KernelTests checks the bits):
            //     s[i] += g[i] * g[i]
            //     p[i] -= eta * (g[i] / (s[i].squareRoot() + eps))
            team.forEachRange(n) { r in
                let o = r.lowerBound
                T.adagradUpdate(p + o, gradient: g + o, sum: s + o, count: r.count, eta: eta, epsilon: eps)
            }
        }
    }

    /// `sum` (s) and `learning_rate`.
    func exportState() -> OptimizerState {
        OptimizerState(arrays: ["sum": OptimizerState.widen(sum)], scalars: ["learning_rate": rate])
    }

    mutating func importState(_ s: OptimizerState) throws {
        let v = try s.array("sum", count: sum.count, as: T.self)
        rate = try s.scalar("learning_rate")
        sum = v
    }
}

extension AdagradConfig {
    /// State bytes: the sum of squares.
    public func stateBytes(parameters p: Double, valueBytes w: Double) -> Double { p * w }
}
