import Foundation

/// How a first-order optimizer's learning rate changes from epoch to epoch, `optimizer.schedule`
/// (torch.optim.lr_scheduler's closed forms; epoch e counts from 0, η₀ is `optimizer.learning_rate`,
/// E the run's epochs):
///
///     step:         ηₑ = η₀ · factor^⌊e/every⌋                                  (StepLR)
///     exponential:  ηₑ = η₀ · γ^e                                                (ExponentialLR)
///     cosine:       ηₑ = min + (η₀ − min)·(1 + cos(π·t/T))/2, t = e, T = E;
///                   with `restart_every: T`, t = e mod T                         (CosineAnnealing[WarmRestarts])
///     plateau:      ηₑ = η₀ · factor^k, k the reductions so far: after an epoch whose training cost is
///                   not below best·(1 − threshold), a counter grows; when it exceeds `patience` the rate
///                   is cut and the counter restarts (ReduceLROnPlateau, mode min, relative threshold)
///     warmup N:     ηₑ ← ηₑ · min(1, (e + 1)/N), on top of any of the above (`type: warmup` alone: on a
///                   constant rate)
///
/// The older `optimizer.decay` rules (inverse-time, compounding, step) are schedules too, spelled
/// as before; a spec gives either them or `schedule`.
public struct LearningRateSchedule: Hashable, Sendable {
    /// The rate's course without warmup (closed forms above).
    public enum Shape: Hashable, Sendable {
        case constant
        case step(every: Int, factor: Double)
        case exponential(gamma: Double)
        /// `restartEvery` nil: one half cosine over the whole run.
        case cosine(min: Double, restartEvery: Int?)
        case plateau(factor: Double, patience: Int, threshold: Double)
    }
    /// The schedule type and its settings.
    public var shape: Shape
    /// Epochs of linear warmup (0: none).
    public var warmup: Int

    /// A schedule of `shape`, with `warmup` epochs of linear warmup (0: none).
    public init(_ shape: Shape, warmup: Int = 0) { self.shape = shape; self.warmup = warmup }

    /// Values of `schedule.type`.
    public static let typeNames = ["step", "exponential", "cosine", "warmup", "plateau"]

    /// Keys of each type besides `type` and `warmup`.
    public static func keys(_ type: String) -> [String] {
        switch type {
        case "step": return ["every", "factor"]
        case "exponential": return ["gamma"]
        case "cosine": return ["min", "restart_every"]
        case "plateau": return ["factor", "patience", "threshold"]
        default: return []
        }
    }

    /// Every key of a schedule, each once.
    public static var allKeys: [String] {
        var seen = ["type", "warmup"]
        for t in typeNames { for k in keys(t) where !seen.contains(k) { seen.append(k) } }
        return seen
    }

    /// Reads the schedule of `type` (already checked to be one of `typeNames`). Defaults: step
    /// `factor` 0.1 (`every` required); exponential `gamma` required; cosine `min` 0; plateau `factor`
    /// 0.1, `patience` 10, `threshold` 1e-4; `warmup` 0 (required, ≥ 1, for `type: warmup`).
    public init(type: String, reading r: any SettingsReader) {
        func required(_ key: String, _ what: String) {
            if !r.has(key) { r.error(at: "type", "`optimizer.schedule: {type: \(type)}` needs `\(key)` (\(what))") }
        }
        switch type {
        case "step":
            required("every", "epochs between cuts")
            shape = .step(every: r.int("every", default: 1, min: 1, max: SettingLimits.maxSteps), factor: r.double("factor", default: 0.1, .positive))
        case "exponential":
            required("gamma", "the factor per epoch")
            shape = .exponential(gamma: r.double("gamma", default: 1, .positive))
        case "cosine":
            shape = .cosine(min: r.double("min", default: 0, .nonNegative),
                            restartEvery: r.has("restart_every") ? r.int("restart_every", default: 1, min: 1, max: SettingLimits.maxSteps) : nil)
        case "plateau":
            shape = .plateau(factor: r.double("factor", default: 0.1, .positive), patience: r.int("patience", default: 10, min: 0, max: SettingLimits.maxSteps),
                             threshold: r.double("threshold", default: 1e-4, .nonNegative))
        default:
            required("warmup", "epochs of linear warmup")
            shape = .constant
        }
        warmup = r.has("warmup") ? r.int("warmup", default: 0, min: 1, max: SettingLimits.maxSteps) : 0
    }

    /// The type name and settings, defaults spelled out, for the canonical config.
    public func write(to w: inout SettingsWriter) {
        switch shape {
        case .constant: w.word("type", "warmup")
        case .step(let every, let f): w.word("type", "step"); w.integer("every", every); w.number("factor", f)
        case .exponential(let g): w.word("type", "exponential"); w.number("gamma", g)
        case .cosine(let m, let t):
            w.word("type", "cosine"); w.number("min", m)
            if let t { w.integer("restart_every", t) }
        case .plateau(let f, let p, let th):
            w.word("type", "plateau"); w.number("factor", f); w.integer("patience", p); w.number("threshold", th)
        }
        if warmup > 0 { w.integer("warmup", warmup) }
    }

    /// ηₑ for epoch `e` of `epochs`, from η₀ = `base`, after `reductions` plateau cuts.
    public func rate(epoch e: Int, base: Double, epochs: Int, reductions: Int = 0) -> Double {
        var r: Double
        switch shape {
        case .constant: r = base
        case .step(let every, let f): r = base * pow(f, Double(e / every))
        case .exponential(let g): r = base * pow(g, Double(e))
        case .cosine(let lo, let restart):
            let period = restart ?? max(epochs, 1)
            let t = Double(restart == nil ? min(e, period) : e % period)
            r = lo + (base - lo) * (1 + cos(Double.pi * t / Double(period))) / 2
        case .plateau(let f, _, _): r = base * pow(f, Double(reductions))
        }
        if warmup > 0, e < warmup { r *= Double(e + 1) / Double(warmup) }
        return r
    }

    /// Plateau bookkeeping across epochs (a no-op for the other shapes).
    public struct Tracker: Hashable, Sendable {
        /// The lowest epoch cost so far.
        public var best = Double.infinity
        /// Epochs since the last improvement (or cut).
        public var badEpochs = 0
        /// Cuts so far.
        public var reductions = 0
        /// Before the first epoch.
        public init() {}

        /// Records an epoch's cost; afterwards `reductions` counts the cuts to apply from the next epoch.
        public mutating func observe(_ cost: Double, _ schedule: LearningRateSchedule) {
            guard case .plateau(_, let patience, let threshold) = schedule.shape else { return }
            if cost < best * (1 - threshold) { best = cost; badEpochs = 0 } else { badEpochs += 1 }
            if badEpochs > patience { reductions += 1; badEpochs = 0 }
        }

        /// `best`, `bad_epochs`, `reductions` (for checkpoints).
        public func exportState() -> OptimizerState {
            OptimizerState(scalars: ["best": best, "bad_epochs": Double(badEpochs), "reductions": Double(reductions)])
        }

        /// Restores a state written by `exportState`.
        public mutating func importState(_ s: OptimizerState) throws {
            let b = try s.scalar("best"), bad = try s.counter("bad_epochs"), red = try s.counter("reductions")
            best = b; badEpochs = bad; reductions = red
        }
    }
}
