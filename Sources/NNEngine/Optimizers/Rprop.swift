/// Resilient backpropagation, `optimizer.type: rprop` (Riedmiller & Braun 1993), in the iRprop⁻
/// variant torch.optim.Rprop implements: each parameter has its own step size Δ, adapted from the sign
/// of g·g_prev, and moves by Δ against the sign of its gradient — the gradient's size is ignored.
///
///     s = sign(gᵢ · gᵢ_prev)
///     s > 0:  Δᵢ ← min(Δᵢ · η⁺, Δ_max)
///     s < 0:  Δᵢ ← max(Δᵢ · η⁻, Δ_min);  gᵢ ← 0   (the sign changed: shrink, and skip this update)
///     s = 0:  Δᵢ ← clamp(Δᵢ, Δ_min, Δ_max)
///     pᵢ ← pᵢ − sign(gᵢ) · Δᵢ;   gᵢ_prev ← gᵢ
///
/// Δ starts at `learning_rate` and g_prev at 0 (so the first step is clamp(η, Δ_min, Δ_max)·sign(g)).
/// The sign rule needs the same cost at every step, so Rprop trains on the full batch only (FANN's
/// default algorithm); `training.minibatches` above 1 or `training.batch_size` is an error.
///
/// Spec keys and defaults: `learning_rate` (initial Δ, > 0, 0.01), `eta_minus` (η⁻ in (0, 1), 0.5),
/// `eta_plus` (η⁺ > 1, 1.2), `step_min` (Δ_min ≥ 0, 1e-6), `step_max` (Δ_max > 0, 50; at least step_min).
public struct RpropConfig: Optimizer {
    /// Initial step size Δ₀. Default 0.01.
    public var learningRate: Double
    /// η⁻: factor that shrinks Δ after a sign change, in (0, 1). Default 0.5.
    public var etaMinus: Double
    /// η⁺: factor that grows Δ while the sign holds, > 1. Default 1.2.
    public var etaPlus: Double
    /// Δ_min. Default 1e-6.
    public var stepMin: Double
    /// Δ_max. Default 50.
    public var stepMax: Double

    /// Settings with the defaults above.
    public init(
        learningRate: Double = 0.01, etaMinus: Double = 0.5, etaPlus: Double = 1.2,
        stepMin: Double = 1e-6, stepMax: Double = 50
    ) {
        self.learningRate = learningRate
        self.etaMinus = etaMinus
        self.etaPlus = etaPlus
        self.stepMin = stepMin
        self.stepMax = stepMax
    }

    /// The value of `optimizer.type` that selects it: `rprop`.
    public static let name = "rprop"
    /// Spec keys besides `type`, in the order the canonical config writes them.
    public static let keys = ["learning_rate", "eta_minus", "eta_plus", "step_min", "step_max"]
    /// Its steps adapt themselves; `learning_rate` is only the first.
    public static var acceptsSchedule: Bool { false }

    /// Reads and validates the spec keys above with their documented defaults and ranges; a mistake is
    /// reported through the reader and the default kept.
    public init(reading r: any SettingsReader) {
        self.init(
            learningRate: r.double("learning_rate", default: 0.01, .positive),
            etaMinus: r.double("eta_minus", default: 0.5, .positive),
            etaPlus: r.double("eta_plus", default: 1.2, .positive),
            stepMin: r.double("step_min", default: 1e-6, .nonNegative),
            stepMax: r.double("step_max", default: 50, .positive))
        if r.has("eta_minus"), !(etaMinus < 1) {
            r.error(
                at: "eta_minus", "`optimizer.eta_minus` must be less than 1 (it shrinks the step), found \(etaMinus)")
        }
        if r.has("eta_plus"), !(etaPlus > 1) {
            r.error(at: "eta_plus", "`optimizer.eta_plus` must be greater than 1 (it grows the step), found \(etaPlus)")
        }
        if stepMin > stepMax {
            r.error(
                at: r.has("step_min") ? "step_min" : "step_max",
                "`optimizer.step_min` (\(stepMin)) must not exceed `optimizer.step_max` (\(stepMax))")
        }
    }

    /// Writes every setting, defaults spelled out, in `keys` order (the run's canonical config).
    public func write(to w: inout SettingsWriter) {
        w.number("learning_rate", learningRate)
        w.number("eta_minus", etaMinus)
        w.number("eta_plus", etaPlus)
        w.number("step_min", stepMin)
        w.number("step_max", stepMax)
    }

    /// Rprop needs the same cost at every step: only the full batch (`minibatches: 1`, no `batch_size`) is
    /// accepted; otherwise the reason.
    public static func batchingProblem(_ b: Batching) -> String? {
        if case .count(1) = b { return nil }
        if case .full = b { return nil }
        return
            "optimizer 'rprop' trains on the full batch only (its step sizes follow the sign of one cost's gradient from step to step); remove `training.minibatches` / `training.batch_size`"
    }

    /// Trains `net` with the Rprop rule above through `Trainer.firstOrder` on the full batch (one step per epoch; see
    /// `batchingProblem`).
    // @_specialize: the update loop inlined into each copy does Float/Double arithmetic, not Real witness calls.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public func train<T: Real>(
        _ net: inout Network<T>, on data: Samples<T>, config: TrainingConfig,
        epochEnd: EpochObserver<T>?, checkpoints: Checkpointing?,
        progress: ProgressHandler?
    ) -> TrainingResult {
        // The spec decoder refuses minibatches (batchingProblem); called directly with them, it steps per
        // minibatch, its sign rule then comparing gradients of different costs.
        return Trainer.firstOrder(
            &net, data: data, config: config, rule: Rprop<T>(self, count: net.parameters.count),
            epochEnd: epochEnd, checkpoints: checkpoints, progress: progress)
    }
}

extension OptimizerConfig {
    /// `optimizer.type: rprop`.
    public static func rprop(_ c: RpropConfig) -> OptimizerConfig { OptimizerConfig(c) }
}

/// The iRprop⁻ update rule (equations on `RpropConfig`).
struct Rprop<T: Real>: FirstOrderOptimizer {
    let config: RpropConfig
    private var previous: [T]
    private var stepSize: [T]

    init(_ config: RpropConfig, count: Int) {
        self.config = config
        previous = [T](repeating: 0, count: count)
        stepSize = [T](repeating: T(config.learningRate), count: count)
    }

    var learningRate: Double? {
        get { nil }
        set {}
    }

    mutating func step(
        parameters p: UnsafeMutablePointer<T>, gradient g: UnsafePointer<T>, count n: Int, team: ThreadTeam
    ) {
        let up = T(config.etaPlus)
        let down = T(config.etaMinus)
        let lo = T(config.stepMin)
        let hi = T(config.stepMax)
        previous.withUnsafeMutableBufferPointer { pb in
            stepSize.withUnsafeMutableBufferPointer { sb in
                let prev = pb.baseAddress!
                let delta = sb.baseAddress!
                team.forEachRange(n) { r in
                    for i in r {
                        var gi = g[i]
                        let s = gi * prev[i]
                        let factor: T = s > 0 ? up : (s < 0 ? down : 1)
                        delta[i] = min(max(delta[i] * factor, lo), hi)
                        if s < 0 { gi = 0 }
                        if gi > 0 { p[i] -= delta[i] } else if gi < 0 { p[i] += delta[i] }
                        prev[i] = gi
                    }
                }
            }
        }
    }

    /// `previous` (the last gradient, 0 where the update was skipped) and `step_size` (Δ).
    func exportState() -> OptimizerState {
        OptimizerState(arrays: ["previous": OptimizerState.widen(previous), "step_size": OptimizerState.widen(stepSize)]
        )
    }

    mutating func importState(_ s: OptimizerState) throws {
        let prev = try s.array("previous", count: previous.count, as: T.self)
        stepSize = try s.array("step_size", count: stepSize.count, as: T.self)
        previous = prev
    }
}
