/// Stochastic gradient descent, `optimizer.type: sgd`, with three momentum rules and a decay rule.
///
/// With gradient g of the minibatch cost, learning rate η (of the current epoch) and momentum μ:
///
///     plain (μ = 0):          p ← p − η·g
///     heavy-ball:             v ← μ·v − η·g;        p ← p + v
///     nesterov (Sutskever):   v ← μ·v + g;          p ← p − η·(g + μ·v)
///     previous-step (Raschka): Δ = η·g;  p ← p − (Δ + μ·Δ_prev);  Δ_prev ← Δ
///
/// torch.optim.SGD(lr, momentum, nesterov) computes heavy-ball and nesterov in the equivalent forms
/// b ← μ·b + g; p ← p − η·b (heavy ball: v = −η·b while η is constant) and p ← p − η·(g + μ·b).
/// State starts at 0.
///
/// Spec keys and defaults: `learning_rate` (η, > 0, 0.1), `momentum` (μ, 0…1, 0), `momentum_rule`
/// (`heavy-ball`), and the decay keys of `DecayRule` (`decay` 0: constant rate).
public struct SGDConfig: Optimizer {
    /// η: step size, > 0. Default 0.1.
    public var learningRate: Double
    /// μ: momentum factor in 0…1. Default 0 (no state, and per-sample steps are fused into backprop).
    public var momentum: Double
    /// How momentum enters the step. Default heavy ball.
    public var momentumRule: MomentumRule
    /// How η changes from epoch to epoch. Default constant.
    public var decay: DecayRule

    /// Settings with the defaults above (`learningRate` has no default here: callers of the engine always choose it;
    /// the spec default is 0.1).
    public init(
        learningRate: Double, momentum: Double = 0, momentumRule: MomentumRule = .heavyBall, decay: DecayRule = .none
    ) {
        self.learningRate = learningRate
        self.momentum = momentum
        self.momentumRule = momentumRule
        self.decay = decay
    }

    /// The value of `optimizer.type` that selects it: `sgd`.
    public static let name = "sgd"
    /// Spec keys besides `type`, in the order the canonical config writes them.
    public static let keys = ["learning_rate", "momentum", "momentum_rule"] + DecayRule.keys

    /// Reads and validates the spec keys above with their documented defaults and ranges; a mistake is
    /// reported through the reader and the default kept.
    public init(reading r: any SettingsReader) {
        let rule = MomentumRule(
            rawValue: r.choice("momentum_rule", MomentumRule.allCases.map(\.rawValue), default: "heavy-ball"))!
        self.init(
            learningRate: r.double("learning_rate", default: 0.1, .positive),
            momentum: r.double("momentum", default: 0, .unit),
            momentumRule: rule, decay: DecayRule(reading: r))
    }

    /// Writes every setting, defaults spelled out, in `keys` order (the run's canonical config).
    public func write(to w: inout SettingsWriter) {
        w.number("learning_rate", learningRate)
        w.number("momentum", momentum)
        w.word("momentum_rule", momentumRule.rawValue)
        decay.write(to: &w)
    }

    /// Trains `net` with the SGD rule above through `Trainer.firstOrder` (one step per minibatch, or fused into
    /// backpropagation per sample when plain).
    // @_specialize: the update loop inlined into each copy does Float/Double arithmetic, not Real witness calls.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public func train<T: Real>(
        _ net: inout Network<T>, on data: Samples<T>, config: TrainingConfig,
        epochEnd: EpochObserver<T>?, checkpoints: Checkpointing?,
        progress: ProgressHandler?
    ) -> TrainingResult {
        Trainer.firstOrder(
            &net, data: data, config: config, rule: SGD<T>(self, count: net.parameters.count),
            epochEnd: epochEnd, checkpoints: checkpoints, progress: progress)
    }
}

extension OptimizerConfig {
    /// `optimizer.type: sgd`.
    public static func sgd(_ c: SGDConfig) -> OptimizerConfig { OptimizerConfig(c) }
}

/// How momentum enters an SGD step.
public enum MomentumRule: String, Hashable, Sendable, CaseIterable {
    /// Raschka: w ← w − (Δ + α·Δ_prev), Δ = η·g, the previous *step* times alpha.
    case previousStep = "previous-step"
    /// Classical heavy ball: v ← μv − ηg; w ← w + v.
    case heavyBall = "heavy-ball"
    /// Nesterov (Sutskever form): v ← μv + g; w ← w − η(g + μv).
    case nesterov
}

/// The SGD update rule (equations on `SGDConfig`).
struct SGD<T: Real>: FirstOrderOptimizer {
    let config: SGDConfig
    private(set) var rate: Double
    var learningRate: Double? {
        get { rate }
        set { if let v = newValue { rate = v } }
    }
    private var state: [T]  // previous step (Raschka) or velocity

    init(_ config: SGDConfig, count: Int) {
        self.config = config
        self.rate = config.learningRate
        self.state = config.momentum != 0 ? [T](repeating: 0, count: count) : []
    }

    var plainRate: T? { state.isEmpty ? T(rate) : nil }

    mutating func step(
        parameters p: UnsafeMutablePointer<T>, gradient g: UnsafePointer<T>, count n: Int, team: ThreadTeam
    ) {
        let eta = T(rate)
        let mu = T(config.momentum)
        // The formulas (CKernels' sgd.c, bit-identical at every vector width):
        //   plain          p ← p − η·g
        //   previous-step  δ ← η·g;  p ← p − (δ + μ·s);  s ← δ
        //   heavy ball     s ← μ·s − η·g;  p ← p + s
        //   Nesterov       s ← μ·s + g;  p ← p − η·(g + μ·s)
        if state.isEmpty {
            team.forEachRange(n) { r in
                T.sgdUpdate(
                    p + r.lowerBound, gradient: g + r.lowerBound, velocity: nil, count: r.count, eta: eta,
                    momentum: mu, rule: 0)
            }
            return
        }
        let rule: Int32
        switch config.momentumRule {
        case .previousStep: rule = 1
        case .heavyBall: rule = 2
        case .nesterov: rule = 3
        }
        state.withUnsafeMutableBufferPointer { sb in
            guard let s = sb.baseAddress else { return }
            team.forEachRange(n) { r in
                T.sgdUpdate(
                    p + r.lowerBound, gradient: g + r.lowerBound, velocity: s + r.lowerBound, count: r.count,
                    eta: eta, momentum: mu, rule: rule)
            }
        }
    }

    /// `learning_rate` (the current epoch's η) and, with momentum, `velocity` (the previous step for
    /// `previous-step`).
    func exportState() -> OptimizerState {
        var s = OptimizerState(scalars: ["learning_rate": rate])
        if !state.isEmpty { s.arrays["velocity"] = OptimizerState.widen(state) }
        return s
    }

    mutating func importState(_ s: OptimizerState) throws {
        rate = try s.scalar("learning_rate")
        if !state.isEmpty { state = try s.array("velocity", count: state.count) }
    }
}

extension SGDConfig {
    /// State bytes: the velocity, only with momentum.
    public func stateBytes(parameters p: Double, valueBytes w: Double) -> Double { (momentum > 0 ? 1 : 0) * p * w }
}
