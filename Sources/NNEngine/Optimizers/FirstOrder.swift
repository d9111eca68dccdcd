/// A rule that updates parameters in place from a minibatch gradient. One small type per rule, with
/// its state allocated once per run (the hot loop allocates nothing).
protocol FirstOrderOptimizer {
    associatedtype T: Real
    /// p ← the rule's update of p from g (n values). State shared by all parameters (Adam's step count and
    /// bias corrections) is updated once; the elementwise loop runs over `team`'s fixed ranges
    /// (`ThreadTeam.forEachRange`), each index computed the same way whichever thread runs it.
    mutating func step(
        parameters p: UnsafeMutablePointer<T>, gradient g: UnsafePointer<T>, count n: Int, team: ThreadTeam)
    /// The learning rate when a step is exactly p ← p − η·g with no state (plain SGD), else nil.
    /// Per-sample training then applies the step while backpropagating (FusedPerSampleSGD.swift).
    var plainRate: T? { get }
    /// η of the current epoch, set by the trainer from the run's schedule (`OptimizerConfig.effectiveSchedule`)
    /// before the epoch's first step; nil for a rule without one (rprop, whose steps adapt themselves).
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
        self.arrays = arrays
        self.scalars = scalars
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

extension Trainer {
    /// Trains with a fresh first-order `rule` (the entry of every minibatch optimizer's `train`).
    @inline(__always)
    static func firstOrder<T: Real, O: FirstOrderOptimizer>(
        _ net: inout Network<T>, data: Samples<T>, config: TrainingConfig, rule: O,
        epochEnd: EpochObserver<T>?, checkpoints: Checkpointing? = nil, progress: ProgressHandler?
    ) -> TrainingResult where O.T == T {
        var rule = rule
        return firstOrder(
            &net, data: data, config: config, optimizer: &rule, progress: progress, epochEnd: epochEnd,
            checkpoints: checkpoints)
    }
}
