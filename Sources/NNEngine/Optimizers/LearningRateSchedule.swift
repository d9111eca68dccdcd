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
/// The older `optimizer.decay` rules are schedules too, spelled as before (`DecayRule`; a spec gives
/// either them or `schedule`):
///
///     inverse-time d:  ηₑ = η₀ / (1 + d·e)
///     compounding d:   ηₑ = ηₑ₋₁ / (1 + d·e), η₋₁ = η₀   (Raschka: η₀ / ∏ₖ₌₁..ₑ (1 + d·k))
///
/// `step` and `compounding` are computed in their chained form (η ← η·factor at each cut; η ← η/(1 + d·e)
/// each epoch, torch's `get_lr` form), the arithmetic the decay rules always did, so runs spelled either
/// way keep their bits; `Tracker.rate` carries the chain from epoch to epoch.
public struct LearningRateSchedule: Hashable, Sendable {
    /// The rate's course without warmup (closed forms above).
    public enum Shape: Hashable, Sendable {
        case constant
        case step(every: Int, factor: Double)
        case exponential(gamma: Double)
        /// `restartEvery` nil: one half cosine over the whole run.
        case cosine(min: Double, restartEvery: Int?)
        case plateau(factor: Double, patience: Int, threshold: Double)
        /// `decay_rule: inverse-time` (older spelling only).
        case inverseTime(Double)
        /// `decay_rule: compounding` (older spelling only).
        case compounding(Double)
    }
    /// The schedule type and its settings.
    public var shape: Shape
    /// Epochs of linear warmup (0: none).
    public var warmup: Int

    /// A schedule of `shape`, with `warmup` epochs of linear warmup (0: none).
    public init(_ shape: Shape, warmup: Int = 0) {
        self.shape = shape
        self.warmup = warmup
    }

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
            shape = .step(
                every: r.int("every", default: 1, min: 1, max: SettingLimits.maxSteps),
                factor: r.double("factor", default: 0.1, .positive))
        case "exponential":
            required("gamma", "the factor per epoch")
            shape = .exponential(gamma: r.double("gamma", default: 1, .positive))
        case "cosine":
            shape = .cosine(
                min: r.double("min", default: 0, .nonNegative),
                restartEvery: r.has("restart_every")
                    ? r.int("restart_every", default: 1, min: 1, max: SettingLimits.maxSteps) : nil)
        case "plateau":
            shape = .plateau(
                factor: r.double("factor", default: 0.1, .positive),
                patience: r.int("patience", default: 10, min: 0, max: SettingLimits.maxSteps),
                threshold: r.double("threshold", default: 1e-4, .nonNegative))
        default:
            required("warmup", "epochs of linear warmup")
            shape = .constant
        }
        warmup = r.has("warmup") ? r.int("warmup", default: 0, min: 1, max: SettingLimits.maxSteps) : 0
    }

    /// The type name and settings, defaults spelled out, for the canonical config. A spec spells
    /// `inverseTime` and `compounding` only with the decay keys (`DecayRule`, written by the optimizer);
    /// set here by an engine caller, they are written as `type: inverse-time|compounding, decay: d`.
    public func write(to w: inout SettingsWriter) {
        switch shape {
        case .inverseTime(let d):
            w.word("type", "inverse-time")
            w.number("decay", d)
        case .compounding(let d):
            w.word("type", "compounding")
            w.number("decay", d)
        case .constant: w.word("type", "warmup")
        case .step(let every, let f):
            w.word("type", "step")
            w.integer("every", every)
            w.number("factor", f)
        case .exponential(let g):
            w.word("type", "exponential")
            w.number("gamma", g)
        case .cosine(let m, let t):
            w.word("type", "cosine")
            w.number("min", m)
            if let t { w.integer("restart_every", t) }
        case .plateau(let f, let p, let th):
            w.word("type", "plateau")
            w.number("factor", f)
            w.integer("patience", p)
            w.number("threshold", th)
        }
        if warmup > 0 { w.integer("warmup", warmup) }
    }

    /// ηₑ for epoch `e` of `epochs`, from η₀ = `base`, after `reductions` plateau cuts (the chained
    /// shapes walk their chain from epoch 0; `Tracker.rate` takes one link per epoch, to the same bits).
    public func rate(epoch e: Int, base: Double, epochs: Int, reductions: Int = 0) -> Double {
        warmed(course(epoch: e, base: base, epochs: epochs, reductions: reductions, previous: nil), epoch: e)
    }

    /// ηₑ before warmup. `previous`: the same for epoch e − 1 when known, so that a chained shape
    /// (step, compounding) takes one link rather than walking from η₀; both give the same bits.
    func course(epoch e: Int, base: Double, epochs: Int, reductions: Int, previous: Double?) -> Double {
        var r: Double
        switch shape {
        case .constant: r = base
        case .step(let every, let f):
            // η ← η·factor at every cut (as `decay_rule: step` always computed it, and torch's StepLR.get_lr).
            if let previous, e > 0 { return e % every == 0 ? previous * f : previous }
            r = base
            for _ in 0..<(e / every) { r *= f }
        case .compounding(let d):
            if let previous, e > 0 { return previous / (1 + d * Double(e)) }
            r = base
            if e > 0 { for k in 1...e { r = r / (1 + d * Double(k)) } }
        case .inverseTime(let d): r = base / (1 + d * Double(e))
        case .exponential(let g): r = base * pow(g, Double(e))
        case .cosine(let lo, let restart):
            let period = restart ?? max(epochs, 1)
            let t = Double(restart == nil ? min(e, period) : e % period)
            r = lo + (base - lo) * (1 + cos(Double.pi * t / Double(period))) / 2
        case .plateau(let f, _, _): r = base * pow(f, Double(reductions))
        }
        return r
    }

    /// `r` with the warmup factor of epoch `e`.
    func warmed(_ r: Double, epoch e: Int) -> Double {
        warmup > 0 && e < warmup ? r * (Double(e + 1) / Double(warmup)) : r
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
        /// The last epoch `rate` answered (−1: none) and its rate before warmup: the link a chained
        /// shape continues from. A cache, not state: not exported, not compared; after a resume the
        /// chain is walked again from η₀, to the same bits.
        var chainEpoch = -1, chainRate = 0.0

        /// ηₑ of `schedule` for epoch `e` of `epochs` from η₀ = `base` (the trainer asks for each epoch
        /// in turn; a chained shape then takes one link per epoch, O(1) rather than O(e)).
        public mutating func rate(epoch e: Int, of schedule: LearningRateSchedule, base: Double, epochs: Int) -> Double
        {
            let previous = e > 0 && chainEpoch == e - 1 ? chainRate : nil
            let r = schedule.course(epoch: e, base: base, epochs: epochs, reductions: reductions, previous: previous)
            chainEpoch = e
            chainRate = r
            return schedule.warmed(r, epoch: e)
        }

        /// Equal when the plateau state is (the chain cache aside).
        public static func == (a: Self, b: Self) -> Bool {
            a.best == b.best && a.badEpochs == b.badEpochs && a.reductions == b.reductions
        }
        /// Hashes the plateau state, consistently with `==`.
        public func hash(into h: inout Hasher) {
            h.combine(best)
            h.combine(badEpochs)
            h.combine(reductions)
        }

        /// Records an epoch's cost; afterwards `reductions` counts the cuts to apply from the next epoch.
        public mutating func observe(_ cost: Double, _ schedule: LearningRateSchedule) {
            guard case .plateau(_, let patience, let threshold) = schedule.shape else { return }
            if cost < best * (1 - threshold) {
                best = cost
                badEpochs = 0
            } else {
                badEpochs += 1
            }
            if badEpochs > patience {
                reductions += 1
                badEpochs = 0
            }
        }

        /// `best`, `bad_epochs`, `reductions` (for checkpoints).
        public func exportState() -> OptimizerState {
            OptimizerState(scalars: ["best": best, "bad_epochs": Double(badEpochs), "reductions": Double(reductions)])
        }

        /// Restores a state written by `exportState`.
        public mutating func importState(_ s: OptimizerState) throws {
            let b = try s.scalar("best")
            let bad = try s.counter("bad_epochs")
            let red = try s.counter("reductions")
            best = b
            badEpochs = bad
            reductions = red
        }
    }
}

/// The older spelling of a schedule, `optimizer.decay` / `decay_rule` / `decay_every` / `decay_factor`
/// (sgd, adam, adamw, rmsprop, adagrad), kept in each optimizer's settings so that specs and canonical
/// configs read and write as they always did. The rates come from the `LearningRateSchedule` it
/// spells (`schedule`), the one mechanism the trainer applies:
///
///     none:                 ηₑ = η₀
///     inverse-time d:       ηₑ = η₀ / (1 + d·e)
///     compounding d:        ηₑ = ηₑ₋₁ / (1 + d·e)         (Raschka)
///     step every, factor:   ηₑ = η₀ · factor^⌊e/every⌋
public enum DecayRule: Hashable, Sendable {
    case none
    /// Raschka: ηₑ = ηₑ₋₁ / (1 + d·e), compounding every epoch.
    case compounding(Double)
    /// ηₑ = η₀ / (1 + d·e).
    case inverseTime(Double)
    /// ηₑ = η₀ · factor^⌊e/every⌋.
    case step(every: Int, factor: Double)

    /// The schedule it spells (a constant rate for `none`).
    public var schedule: LearningRateSchedule {
        switch self {
        case .none: return LearningRateSchedule(.constant)
        case .compounding(let d): return LearningRateSchedule(.compounding(d))
        case .inverseTime(let d): return LearningRateSchedule(.inverseTime(d))
        case .step(let every, let f): return LearningRateSchedule(.step(every: every, factor: f))
        }
    }

    /// The spec keys of a decay rule: `decay` (d ≥ 0, default 0 = constant rate), `decay_rule`
    /// (`inverse-time`, or `step` when `decay_every` is given; `compounding`), `decay_every` (epochs,
    /// required by `step`) and `decay_factor` (> 0, default 0.1).
    public static let keys = ["decay", "decay_rule", "decay_every", "decay_factor"]
    /// The values of `decay_rule`.
    public static let ruleNames = ["compounding", "inverse-time", "step"]

    init(reading r: any SettingsReader) {
        let d = r.double("decay", default: 0, .nonNegative)
        let rule = r.choice("decay_rule", Self.ruleNames, default: r.has("decay_every") ? "step" : "inverse-time")
        switch rule {
        case "step":
            guard r.has("decay_every") else {
                r.error(
                    at: "decay_rule", "`optimizer.decay_rule: step` needs `decay_every` (epochs) and `decay_factor`")
                self = .none
                return
            }
            self = .step(
                every: r.int("decay_every", default: 1, min: 1, max: SettingLimits.maxSteps),
                factor: r.double("decay_factor", default: 0.1, .positive))
        case "compounding": self = d == 0 ? .none : .compounding(d)
        default: self = d == 0 ? .none : .inverseTime(d)
        }
    }

    /// The keys as the canonical config has always written them (`decay: 0` for none).
    func write(to w: inout SettingsWriter) {
        switch self {
        case .none: w.integer("decay", 0)
        case .compounding(let v):
            w.number("decay", v)
            w.word("decay_rule", "compounding")
        case .inverseTime(let v):
            w.number("decay", v)
            w.word("decay_rule", "inverse-time")
        case .step(let e, let f):
            w.word("decay_rule", "step")
            w.integer("decay_every", e)
            w.number("decay_factor", f)
        }
    }
}
