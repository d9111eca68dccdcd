/// Which optimizer trains a run, with its settings. First-order rules (`sgd`, `adam`) step on
/// minibatches; `bfgs`, `lbfgs` and `cg` minimise the full-batch cost over the flat parameter vector.
public enum OptimizerConfig: Hashable, Sendable {
    case sgd(SGDConfig)
    case adam(AdamConfig)
    case bfgs(FullBatchConfig)
    case lbfgs(FullBatchConfig)
    case cg(FullBatchConfig)

    public var name: String {
        switch self {
        case .sgd: "sgd"
        case .adam: "adam"
        case .bfgs: "bfgs"
        case .lbfgs: "lbfgs"
        case .cg: "cg"
        }
    }
    public var isFullBatch: Bool {
        switch self {
        case .sgd, .adam: false
        case .bfgs, .lbfgs, .cg: true
        }
    }
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

/// How the learning rate changes from epoch to epoch (epoch e counts from 0).
public enum DecayRule: Hashable, Sendable {
    case none
    /// Raschka: ηₑ = ηₑ₋₁ / (1 + d·e), compounding every epoch.
    case compounding(Double)
    /// ηₑ = η₀ / (1 + d·e).
    case inverseTime(Double)
    /// ηₑ = η₀ · factor^⌊e/every⌋.
    case step(every: Int, factor: Double)

    /// The learning rate of epoch `e`, given epoch e−1's rate.
    public func rate(epoch e: Int, initial: Double, previous: Double) -> Double {
        switch self {
        case .none: return initial
        case .compounding(let d): return previous / (1 + d * Double(e))
        case .inverseTime(let d): return initial / (1 + d * Double(e))
        case .step(let every, let f):
            var r = initial
            for _ in 0..<(e / max(every, 1)) { r *= f }
            return r
        }
    }
}

public struct SGDConfig: Hashable, Sendable {
    public var learningRate: Double
    public var momentum: Double
    public var momentumRule: MomentumRule
    public var decay: DecayRule
    public init(learningRate: Double, momentum: Double = 0, momentumRule: MomentumRule = .heavyBall, decay: DecayRule = .none) {
        self.learningRate = learningRate; self.momentum = momentum; self.momentumRule = momentumRule; self.decay = decay
    }
}

public struct AdamConfig: Hashable, Sendable {
    public var learningRate: Double
    public var beta1: Double
    public var beta2: Double
    public var epsilon: Double
    public var decay: DecayRule
    public init(learningRate: Double = 0.001, beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-8, decay: DecayRule = .none) {
        self.learningRate = learningRate; self.beta1 = beta1; self.beta2 = beta2; self.epsilon = epsilon; self.decay = decay
    }
}

/// Settings shared by the full-batch optimizers.
public struct FullBatchConfig: Hashable, Sendable {
    /// Stop after this many iterations.
    public var maxIterations: Int
    /// Converged when ‖∇f‖∞ ≤ this (scipy's `gtol` with `norm=inf`).
    public var gradientTolerance: Double
    /// L-BFGS history length.
    public var memory: Int
    public init(maxIterations: Int = 200, gradientTolerance: Double = 1e-5, memory: Int = 10) {
        self.maxIterations = maxIterations; self.gradientTolerance = gradientTolerance; self.memory = memory
    }
}
