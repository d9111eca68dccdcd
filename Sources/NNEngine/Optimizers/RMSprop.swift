/// RMSprop (Hinton's lecture 6e), `optimizer.type: rmsprop`, as torch.optim.RMSprop documents it:
///
///     v ← α·v + (1 − α)·g²
///     centered:  ḡ ← α·ḡ + (1 − α)·g;   ṽ = v − ḡ²      else ṽ = v
///     momentum μ > 0:  b ← μ·b + g / (√ṽ + ε);   p ← p − η·b
///     μ = 0:           p ← p − η·g / (√ṽ + ε)
///
/// with v, ḡ, b starting at 0 and η the current epoch's learning rate (decay keys of `DecayRule`).
///
/// Spec keys and defaults: `learning_rate` (η, > 0, 0.01), `alpha` (α in 0…1, 0.99), `epsilon`
/// (ε > 0, 1e-8), `momentum` (μ in 0…1, 0), `centered` (false), and the decay keys.
public struct RMSpropConfig: Optimizer {
    /// η. Default 0.01.
    public var learningRate: Double
    /// α: decay of the mean square. Default 0.99.
    public var alpha: Double
    /// ε: added to the root mean square. Default 1e-8.
    public var epsilon: Double
    /// μ: momentum of the scaled step. Default 0.
    public var momentum: Double
    /// Divide by the centred second moment (an estimate of the variance). Default false.
    public var centered: Bool
    /// How η changes from epoch to epoch. Default constant.
    public var decay: DecayRule

    /// Settings with the defaults above.
    public init(
        learningRate: Double = 0.01, alpha: Double = 0.99, epsilon: Double = 1e-8, momentum: Double = 0,
        centered: Bool = false, decay: DecayRule = .none
    ) {
        self.learningRate = learningRate
        self.alpha = alpha
        self.epsilon = epsilon
        self.momentum = momentum
        self.centered = centered
        self.decay = decay
    }

    /// The value of `optimizer.type` that selects it: `rmsprop`.
    public static let name = "rmsprop"
    /// Spec keys besides `type`, in the order the canonical config writes them.
    public static let keys = ["learning_rate", "alpha", "epsilon", "momentum", "centered"] + DecayRule.keys

    /// Reads and validates the spec keys above with their documented defaults and ranges; a mistake is
    /// reported through the reader and the default kept.
    public init(reading r: any SettingsReader) {
        self.init(
            learningRate: r.double("learning_rate", default: 0.01, .positive),
            alpha: r.double("alpha", default: 0.99, .unit),
            epsilon: r.double("epsilon", default: 1e-8, .positive),
            momentum: r.double("momentum", default: 0, .unit),
            centered: r.bool("centered", default: false),
            decay: DecayRule(reading: r))
    }

    /// Writes every setting, defaults spelled out, in `keys` order (the run's canonical config).
    public func write(to w: inout SettingsWriter) {
        w.number("learning_rate", learningRate)
        w.number("alpha", alpha)
        w.number("epsilon", epsilon)
        w.number("momentum", momentum)
        w.flag("centered", centered)
        decay.write(to: &w)
    }

    /// Trains `net` with the RMSprop rule above through `Trainer.firstOrder` (one step per minibatch).
    // @_specialize: the update loop inlined into each copy does Float/Double arithmetic, not Real witness calls.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public func train<T: Real>(
        _ net: inout Network<T>, on data: Samples<T>, config: TrainingConfig,
        epochEnd: EpochObserver<T>?, checkpoints: Checkpointing?,
        progress: ProgressHandler?
    ) -> TrainingResult {
        Trainer.firstOrder(
            &net, data: data, config: config, rule: RMSprop<T>(self, count: net.parameters.count),
            epochEnd: epochEnd, checkpoints: checkpoints, progress: progress)
    }
}

extension OptimizerConfig {
    /// `optimizer.type: rmsprop`.
    public static func rmsprop(_ c: RMSpropConfig) -> OptimizerConfig { OptimizerConfig(c) }
}

/// The RMSprop update rule (equations on `RMSpropConfig`).
struct RMSprop<T: Real>: FirstOrderOptimizer {
    let config: RMSpropConfig
    private(set) var rate: Double
    var learningRate: Double? {
        get { rate }
        set { if let v = newValue { rate = v } }
    }
    private var square: [T]
    /// ḡ (centered only).
    private var mean: [T]
    /// b (momentum only).
    private var buffer: [T]

    init(_ config: RMSpropConfig, count: Int) {
        self.config = config
        rate = config.learningRate
        square = [T](repeating: 0, count: count)
        mean = config.centered ? [T](repeating: 0, count: count) : []
        buffer = config.momentum != 0 ? [T](repeating: 0, count: count) : []
    }

    mutating func step(
        parameters p: UnsafeMutablePointer<T>, gradient g: UnsafePointer<T>, count n: Int, team: ThreadTeam
    ) {
        let a = T(config.alpha)
        let eps = T(config.epsilon)
        let mu = T(config.momentum)
        let eta = T(rate)
        let centered = config.centered
        let hasMomentum = !buffer.isEmpty
        square.withUnsafeMutableBufferPointer { vb in
            mean.withUnsafeMutableBufferPointer { mb in
                buffer.withUnsafeMutableBufferPointer { bb in
                    let v = vb.baseAddress!
                    let mp = centered ? mb.baseAddress : nil
                    let bp = hasMomentum ? bb.baseAddress : nil
                    // Per element, in a C kernel with exactly these roundings (Swift left the loop
                    // scalar; KernelTests checks the bits):
                    //     v[i] = a * v[i] + (1 - a) * (g[i] * g[i])
                    //     centred: m[i] = a * m[i] + (1 - a) * g[i];  vt = v[i] - m[i] * m[i]  (else vt = v[i])
                    //     q = g[i] / (vt.squareRoot() + eps)
                    //     momentum: b[i] = mu * b[i] + q;  p[i] -= eta * b[i]   (else p[i] -= eta * q)
                    team.forEachRange(n) { r in
                        let o = r.lowerBound
                        T.rmspropUpdate(
                            p + o, gradient: g + o, square: v + o, mean: mp.map { $0 + o }, buffer: bp.map { $0 + o },
                            count: r.count, alpha: a, epsilon: eps, momentum: mu, eta: eta)
                    }
                }
            }
        }
    }

    /// `square` (v), `mean` (ḡ, centered only), `buffer` (b, with momentum) and `learning_rate`.
    func exportState() -> OptimizerState {
        var s = OptimizerState(arrays: ["square": OptimizerState.widen(square)], scalars: ["learning_rate": rate])
        if !mean.isEmpty { s.arrays["mean"] = OptimizerState.widen(mean) }
        if !buffer.isEmpty { s.arrays["buffer"] = OptimizerState.widen(buffer) }
        return s
    }

    mutating func importState(_ s: OptimizerState) throws {
        let v = try s.array("square", count: square.count, as: T.self)
        let m = mean.isEmpty ? [] : try s.array("mean", count: mean.count, as: T.self)
        let b = buffer.isEmpty ? [] : try s.array("buffer", count: buffer.count, as: T.self)
        rate = try s.scalar("learning_rate")
        square = v
        mean = m
        buffer = b
    }
}
