import Foundation

/// Adam (Kingma & Ba 2015), `optimizer.type: adam`, as torch.optim.Adam documents it:
///
///     m ← β₁·m + (1 − β₁)·g
///     v ← β₂·v + (1 − β₂)·g²
///     m̂ = m / (1 − β₁ᵗ);  v̂ = v / (1 − β₂ᵗ)
///     p ← p − η·m̂ / (√v̂ + ε)
///
/// with t the step count from 1 and m, v starting at 0. It is computed in the equivalent folded form of
/// Kingma & Ba's section 2, one division fewer per parameter:
///
///     p ← p − η·√(1 − β₂ᵗ)/(1 − β₁ᵗ) · m / (√v + ε̂),   ε̂ = ε·√(1 − β₂ᵗ)
///
/// (equal in exact arithmetic; the last bits may differ from torch's order of operations).
///
/// Spec keys and defaults: `learning_rate` (η, > 0, 0.001), `beta1` (0…1, 0.9), `beta2` (0…1, 0.999),
/// `epsilon` (> 0, 1e-8), and the decay keys of `DecayRule`.
public struct AdamConfig: Optimizer {
    /// η. Default 0.001.
    public var learningRate: Double
    /// β₁: decay of the first moment. Default 0.9.
    public var beta1: Double
    /// β₂: decay of the second moment. Default 0.999.
    public var beta2: Double
    /// ε: added to √v̂. Default 1e-8.
    public var epsilon: Double
    /// How η changes from epoch to epoch. Default constant.
    public var decay: DecayRule

    /// Settings with the defaults above.
    public init(
        learningRate: Double = 0.001, beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-8,
        decay: DecayRule = .none
    ) {
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.decay = decay
    }

    /// The value of `optimizer.type` that selects it: `adam`.
    public static let name = "adam"
    /// Spec keys besides `type`, in the order the canonical config writes them.
    public static let keys = ["learning_rate", "beta1", "beta2", "epsilon"] + DecayRule.keys

    /// Reads and validates the spec keys above with their documented defaults and ranges; a mistake is
    /// reported through the reader and the default kept.
    public init(reading r: any SettingsReader) {
        self.init(
            learningRate: r.double("learning_rate", default: 0.001, .positive),
            beta1: r.double("beta1", default: 0.9, .unit),
            beta2: r.double("beta2", default: 0.999, .unit),
            epsilon: r.double("epsilon", default: 1e-8, .positive),
            decay: DecayRule(reading: r))
    }

    /// Writes every setting, defaults spelled out, in `keys` order (the run's canonical config).
    public func write(to w: inout SettingsWriter) {
        w.number("learning_rate", learningRate)
        w.number("beta1", beta1)
        w.number("beta2", beta2)
        w.number("epsilon", epsilon)
        decay.write(to: &w)
    }

    /// Trains `net` with the Adam rule above through `Trainer.firstOrder` (one step per minibatch).
    // @_specialize: the update loop inlined into each copy does Float/Double arithmetic, not Real witness calls.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public func train<T: Real>(
        _ net: inout Network<T>, on data: Samples<T>, config: TrainingConfig,
        epochEnd: EpochObserver<T>?, checkpoints: Checkpointing?,
        progress: ProgressHandler?
    ) -> TrainingResult {
        Trainer.firstOrder(
            &net, data: data, config: config, rule: Adam<T>(self, count: net.parameters.count),
            epochEnd: epochEnd, checkpoints: checkpoints, progress: progress)
    }
}

extension OptimizerConfig {
    /// `optimizer.type: adam`.
    public static func adam(_ c: AdamConfig) -> OptimizerConfig { OptimizerConfig(c) }
}

/// The Adam update rule (equations on `AdamConfig`).
struct Adam<T: Real>: FirstOrderOptimizer {
    let config: AdamConfig
    private(set) var rate: Double
    var learningRate: Double? {
        get { rate }
        set { if let v = newValue { rate = v } }
    }
    private var m: [T], v: [T]
    private var t = 0

    init(_ config: AdamConfig, count: Int) {
        self.config = config
        self.rate = config.learningRate
        m = [T](repeating: 0, count: count)
        v = [T](repeating: 0, count: count)
    }

    mutating func step(
        parameters p: UnsafeMutablePointer<T>, gradient g: UnsafePointer<T>, count n: Int, team: ThreadTeam
    ) {
        t += 1
        let b1 = T(config.beta1)
        let b2 = T(config.beta2)
        let eps = T(config.epsilon)
        let c1 = 1 - Foundation.pow(config.beta1, Double(t))
        let c2 = 1 - Foundation.pow(config.beta2, Double(t))
        let stepSize = T(rate * c2.squareRoot() / c1)
        let epsHat = eps * T(c2.squareRoot())
        m.withUnsafeMutableBufferPointer { mb in
            v.withUnsafeMutableBufferPointer { vb in
                let m = mb.baseAddress!
                let v = vb.baseAddress!
                // t, the step size and ε̂ above are computed once per step; the loop is per element:
                //     m[i] = b1 * m[i] + (1 - b1) * g[i]
                //     v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i]
                //     p[i] -= stepSize * m[i] / (v[i].squareRoot() + epsHat)
                // in a C kernel with exactly these roundings (Swift left it scalar: ~28 % of a
                // 784-100-10 epoch; KernelTests checks the bits).
                team.forEachRange(n) { r in
                    let o = r.lowerBound
                    T.adamUpdate(
                        p + o, gradient: g + o, m: m + o, v: v + o, count: r.count, beta1: b1, beta2: b2,
                        step: stepSize, epsHat: epsHat)
                }
            }
        }
    }

    /// `m`, `v`, the step count `t` and the current `learning_rate`.
    func exportState() -> OptimizerState {
        OptimizerState(
            arrays: ["m": OptimizerState.widen(m), "v": OptimizerState.widen(v)],
            scalars: ["t": Double(t), "learning_rate": rate])
    }

    mutating func importState(_ s: OptimizerState) throws {
        let m = try s.array("m", count: self.m.count, as: T.self)
        let v = try s.array("v", count: self.v.count, as: T.self)
        t = try s.counter("t")
        rate = try s.scalar("learning_rate")
        self.m = m
        self.v = v
    }
}

extension AdamConfig {
    /// State bytes: first and second moments.
    public func stateBytes(parameters p: Double, valueBytes w: Double) -> Double { 2 * p * w }
}
