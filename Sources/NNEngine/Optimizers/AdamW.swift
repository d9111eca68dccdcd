/// AdamW (Loshchilov & Hutter 2019), `optimizer.type: adamw`: Adam with decoupled weight decay, as
/// torch.optim.AdamW documents it:
///
///     p ← p − η·λ·p                      (decoupled decay, before the Adam step)
///     m ← β₁·m + (1 − β₁)·g;   v ← β₂·v + (1 − β₂)·g²
///     p ← p − η·m̂ / (√v̂ + ε),   m̂ = m/(1 − β₁ᵗ),  v̂ = v/(1 − β₂ᵗ)
///
/// The Adam step is `Adam`'s own arithmetic (its folded ε, see `AdamConfig`), so λ = 0 gives Adam's
/// bits. How it differs from `regularization.l2` with Adam: the L2 penalty adds λ·w to g, which then
/// passes through m and √v̂ — weights with large gradients are barely decayed, and the decay takes part
/// in the moments. Here every parameter shrinks by the same factor 1 − ηλ each step, independent of its
/// gradient history. Biases are decayed too (torch's default) unless `decay_biases: false`.
///
/// Spec keys and defaults: `learning_rate` (η, > 0, 0.001), `beta1` (0.9), `beta2` (0.999), `epsilon`
/// (1e-8), `weight_decay` (λ ≥ 0, 0.01), `decay_biases` (true), and the decay keys of `DecayRule`
/// (η of the epoch scales both steps, as in torch).
public struct AdamWConfig: Optimizer {
    /// η. Default 0.001.
    public var learningRate: Double
    /// β₁. Default 0.9.
    public var beta1: Double
    /// β₂. Default 0.999.
    public var beta2: Double
    /// ε. Default 1e-8.
    public var epsilon: Double
    /// λ: decoupled weight decay per unit of η. Default 0.01.
    public var weightDecay: Double
    /// Decay biases too. Default true.
    public var decayBiases: Bool
    /// How η changes from epoch to epoch. Default constant.
    public var decay: DecayRule

    /// Settings with the defaults above.
    public init(
        learningRate: Double = 0.001, beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-8,
        weightDecay: Double = 0.01, decayBiases: Bool = true, decay: DecayRule = .none
    ) {
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.weightDecay = weightDecay
        self.decayBiases = decayBiases
        self.decay = decay
    }

    /// The value of `optimizer.type` that selects it: `adamw`.
    public static let name = "adamw"
    /// Spec keys besides `type`, in the order the canonical config writes them.
    public static let keys =
        ["learning_rate", "beta1", "beta2", "epsilon", "weight_decay", "decay_biases"] + DecayRule.keys

    /// Reads and validates the spec keys above with their documented defaults and ranges; a mistake is
    /// reported through the reader and the default kept.
    public init(reading r: any SettingsReader) {
        self.init(
            learningRate: r.double("learning_rate", default: 0.001, .positive),
            beta1: r.double("beta1", default: 0.9, .unit),
            beta2: r.double("beta2", default: 0.999, .unit),
            epsilon: r.double("epsilon", default: 1e-8, .positive),
            weightDecay: r.double("weight_decay", default: 0.01, .nonNegative),
            decayBiases: r.bool("decay_biases", default: true),
            decay: DecayRule(reading: r))
    }

    /// Writes every setting, defaults spelled out, in `keys` order (the run's canonical config).
    public func write(to w: inout SettingsWriter) {
        w.number("learning_rate", learningRate)
        w.number("beta1", beta1)
        w.number("beta2", beta2)
        w.number("epsilon", epsilon)
        w.number("weight_decay", weightDecay)
        w.flag("decay_biases", decayBiases)
        decay.write(to: &w)
    }

    /// The Adam part of the settings.
    var adam: AdamConfig {
        AdamConfig(learningRate: learningRate, beta1: beta1, beta2: beta2, epsilon: epsilon, decay: decay)
    }

    /// The parameter ranges that decay: all, or each layer's weight block when biases are spared.
    func decayed(_ architecture: Architecture) -> [Range<Int>] {
        if decayBiases { return [0..<architecture.parameterCount] }
        return architecture.layout.enumerated().map { l, block in
            block.weights..<(block.weights + architecture.sizes[l] * architecture.sizes[l + 1])
        }
    }

    /// Trains `net` with the AdamW rule above through `Trainer.firstOrder` (one step per minibatch).
    // @_specialize: the update loop inlined into each copy does Float/Double arithmetic, not Real witness calls.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public func train<T: Real>(
        _ net: inout Network<T>, on data: Samples<T>, config: TrainingConfig,
        epochEnd: EpochObserver<T>?, checkpoints: Checkpointing?,
        progress: ProgressHandler?
    ) -> TrainingResult {
        Trainer.firstOrder(
            &net, data: data, config: config,
            rule: AdamW<T>(self, count: net.parameters.count, decayed: decayed(net.architecture)),
            epochEnd: epochEnd, checkpoints: checkpoints, progress: progress)
    }
}

extension OptimizerConfig {
    /// `optimizer.type: adamw`.
    public static func adamw(_ c: AdamWConfig) -> OptimizerConfig { OptimizerConfig(c) }
}

/// The AdamW update rule: the decoupled decay, then `Adam`'s step (equations on `AdamWConfig`).
struct AdamW<T: Real>: FirstOrderOptimizer {
    let weightDecay: Double
    /// Ranges of the flat parameter vector that decay.
    let decayed: [Range<Int>]
    private var adam: Adam<T>

    init(_ config: AdamWConfig, count: Int, decayed: [Range<Int>]? = nil) {
        weightDecay = config.weightDecay
        self.decayed = decayed ?? [0..<count]
        adam = Adam(config.adam, count: count)
    }

    var learningRate: Double? {
        get { adam.learningRate }
        set { adam.learningRate = newValue }
    }

    mutating func step(
        parameters p: UnsafeMutablePointer<T>, gradient g: UnsafePointer<T>, count n: Int, team: ThreadTeam
    ) {
        if weightDecay != 0 {
            let keep = T(1 - adam.rate * weightDecay)
            for d in decayed {
                team.forEachRange(d.count) { r in for i in r { p[d.lowerBound + i] *= keep } }
            }
        }
        adam.step(parameters: p, gradient: g, count: n, team: team)
    }

    /// Adam's state: `m`, `v`, `t`, `learning_rate`.
    func exportState() -> OptimizerState { adam.exportState() }
    mutating func importState(_ s: OptimizerState) throws { try adam.importState(s) }
}

extension AdamWConfig {
    /// State bytes: first and second moments.
    public func stateBytes(parameters p: Double, valueBytes w: Double) -> Double { 2 * p * w }
}
