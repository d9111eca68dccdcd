/// A rule that updates parameters in place from a minibatch gradient. One small type per rule, with
/// its state allocated once per run (the hot loop allocates nothing).
protocol FirstOrderOptimizer {
    associatedtype T: Real
    /// Called at the start of each epoch (learning-rate schedules).
    mutating func beginEpoch(_ epoch: Int)
    /// p ← the rule's update of p from g (n values). State shared by all parameters (Adam's step count and
    /// bias corrections) is updated once; the elementwise loop runs over `team`'s fixed ranges
    /// (`ThreadTeam.forEachRange`), each index computed the same way whichever thread runs it.
    mutating func step(parameters p: UnsafeMutablePointer<T>, gradient g: UnsafePointer<T>, count n: Int, team: ThreadTeam)
    /// The learning rate when a step is exactly p ← p − η·g with no state (plain SGD), else nil.
    /// Per-sample training then applies the step while backpropagating (FusedPerSampleSGD.swift).
    var plainRate: T? { get }
    /// η of the current epoch, set by `optimizer.schedule` after `beginEpoch`; nil for a rule without
    /// one (rprop, whose steps adapt themselves).
    var learningRate: Double? { get set }
    /// Everything the rule carries from step to step, exactly (for checkpoints): importing it into a
    /// fresh rule of the same settings and continuing gives the same bits as never stopping.
    func exportState() -> OptimizerState
    /// Restores a state written by `exportState` of a rule with the same settings and parameter count.
    mutating func importState(_ state: OptimizerState) throws
}

extension FirstOrderOptimizer {
    var plainRate: T? { nil }
}

/// An optimizer's state as named arrays and scalars. Arrays hold the rule's per-parameter state in
/// Float64 (a Float32 value widens exactly and narrows back to the same bits); scalars hold counters
/// and the current learning rate (integers up to 2⁵³ are exact).
public struct OptimizerState: Hashable, Sendable {
    /// Per-parameter state by name (velocity, m, v, …).
    public var arrays: [String: [Double]] = [:]
    /// Counters and the current learning rate by name.
    public var scalars: [String: Double] = [:]
    /// A state from its parts.
    public init(arrays: [String: [Double]] = [:], scalars: [String: Double] = [:]) {
        self.arrays = arrays; self.scalars = scalars
    }

    /// The array `name` converted to `T`, which must hold `count` values.
    func array<T: Real>(_ name: String, count: Int, as _: T.Type = T.self) throws -> [T] {
        guard let a = arrays[name] else { throw OptimizerStateError("optimizer state has no array '\(name)'") }
        guard a.count == count else {
            throw OptimizerStateError("optimizer state array '\(name)' holds \(a.count) values, expected \(count)")
        }
        return a.map { T($0) }
    }

    func scalar(_ name: String) throws -> Double {
        guard let v = scalars[name] else { throw OptimizerStateError("optimizer state has no scalar '\(name)'") }
        return v
    }

    /// A scalar that counts (steps): a whole number ≥ 0.
    func counter(_ name: String) throws -> Int {
        let v = try scalar(name)
        guard v >= 0, v == v.rounded(), v < 9.0e15 else {
            throw OptimizerStateError("optimizer state scalar '\(name)' must be a whole number ≥ 0, found \(v)")
        }
        return Int(v)
    }

    static func widen<T: Real>(_ a: [T]) -> [Double] { a.map { Double($0) } }
}

/// A state that does not fit the optimizer it is imported into.
public struct OptimizerStateError: Error, CustomStringConvertible, Sendable {
    /// What does not fit, naming the array or scalar.
    public let description: String
    init(_ message: String) { description = message }
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
                r.error(at: "decay_rule", "`optimizer.decay_rule: step` needs `decay_every` (epochs) and `decay_factor`")
                self = .none
                return
            }
            self = .step(every: r.int("decay_every", default: 1, min: 1, max: SettingLimits.maxSteps),
                         factor: r.double("decay_factor", default: 0.1, .positive))
        case "compounding": self = d == 0 ? .none : .compounding(d)
        default: self = d == 0 ? .none : .inverseTime(d)
        }
    }

    func write(to w: inout SettingsWriter) {
        switch self {
        case .none: w.integer("decay", 0)
        case .compounding(let v): w.number("decay", v); w.word("decay_rule", "compounding")
        case .inverseTime(let v): w.number("decay", v); w.word("decay_rule", "inverse-time")
        case .step(let e, let f): w.word("decay_rule", "step"); w.integer("decay_every", e); w.number("decay_factor", f)
        }
    }
}

extension Trainer {
    /// Trains with a fresh first-order `rule` (the entry of every minibatch optimizer's `train`).
    @inline(__always)
    static func firstOrder<T: Real, O: FirstOrderOptimizer>(
        _ net: inout Network<T>, data: Samples<T>, config: TrainingConfig, rule: O,
        epochEnd: EpochObserver<T>?, checkpoints: Checkpointing? = nil, progress: ProgressHandler?
    ) -> TrainingResult where O.T == T {
        var rule = rule
        return firstOrder(&net, data: data, config: config, optimizer: &rule, progress: progress, epochEnd: epochEnd,
                          checkpoints: checkpoints)
    }
}
