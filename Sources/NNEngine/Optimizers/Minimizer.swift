/// Generic unconstrained minimisation of a smooth f: ℝⁿ → ℝ, shared by the full-batch optimizers.
///
/// Everything works in Float64 on a contiguous vector so that the same code minimises a network's
/// flattened parameters (through an adapter that converts to the network's precision) and the test
/// functions (Rosenbrock, quadratics) the minimisers are verified on.

/// Evaluates f at `x` and writes ∇f(x) into `gradient` (length n); returns f(x). A non-finite value
/// means the point is unusable (overflow); line searches then step back.
public typealias Objective = (_ x: UnsafePointer<Double>, _ gradient: UnsafeMutablePointer<Double>) -> Double

/// Called after every iteration with (iteration number from 1, cost); return false to stop.
public typealias IterationHandler = (_ iteration: Int, _ cost: Double) -> Bool

/// The three full-batch minimisers: dense BFGS, limited-memory BFGS (liblbfgs), Polak–Ribière+ conjugate gradient.
public enum FullBatchMethod: String, Hashable, Sendable, CaseIterable {
    case bfgs, lbfgs, cg
}

/// Settings shared by the full-batch optimizers.
public struct FullBatchConfig: Hashable, Sendable {
    /// Stop after this many iterations. Default 200.
    public var maxIterations: Int
    /// Converged when ‖∇f‖∞ ≤ this (scipy's `gtol` with `norm=inf`). Default 1e-5.
    public var gradientTolerance: Double
    /// L-BFGS history length (the others ignore it). Default 10.
    public var memory: Int
    /// Settings with the defaults above (200 iterations, tolerance 1e-5, memory 10).
    public init(maxIterations: Int = 200, gradientTolerance: Double = 1e-5, memory: Int = 10) {
        self.maxIterations = maxIterations
        self.gradientTolerance = gradientTolerance
        self.memory = memory
    }

    /// Spec keys `max_iterations` (≥ 1, 200) and `tolerance` (≥ 0, 1e-5); with `memory`, also
    /// `memory` (≥ 1, 10).
    static func keys(memory: Bool) -> [String] { ["max_iterations", "tolerance"] + (memory ? ["memory"] : []) }

    init(reading r: any SettingsReader, memory: Bool) {
        self.init(
            maxIterations: r.int("max_iterations", default: 200, min: 1, max: SettingLimits.maxSteps),
            gradientTolerance: r.double("tolerance", default: 1e-5, .nonNegative),
            memory: memory ? r.int("memory", default: 10, min: 1, max: SettingLimits.maxMemory) : 10)
    }

    func write(to w: inout SettingsWriter, memory: Bool) {
        w.integer("max_iterations", maxIterations)
        w.number("tolerance", gradientTolerance)
        if memory { w.integer("memory", self.memory) }
    }
}

/// A full-batch optimizer unit (bfgs, lbfgs, cg): its settings are `FullBatchConfig`; the unit names
/// itself, says whether it takes `memory`, and trains through `FullBatch.minimize`.
public protocol FullBatchOptimizer: Optimizer {
    /// Iterations, tolerance and (lbfgs) memory.
    var options: FullBatchConfig { get set }
    init(_ options: FullBatchConfig)
    /// Whether the spec key `memory` applies.
    static var takesMemory: Bool { get }
}

extension FullBatchOptimizer {
    /// `max_iterations`, `tolerance` and, when `takesMemory`, `memory`.
    public static var keys: [String] { FullBatchConfig.keys(memory: takesMemory) }
    /// True: full-batch optimizers count iterations, not epochs.
    public static var isFullBatch: Bool { true }
    /// Reads `max_iterations` (≥ 1, 200), `tolerance` (≥ 0, 1e-5) and, when it applies, `memory` (≥ 1, 10).
    public init(reading r: any SettingsReader) { self.init(FullBatchConfig(reading: r, memory: Self.takesMemory)) }
    /// Writes the keys read above, defaults spelled out.
    public func write(to w: inout SettingsWriter) { options.write(to: &w, memory: Self.takesMemory) }
    /// `options.maxIterations`: full-batch optimizers are limited in iterations, not epochs.
    public var maxIterations: Int? { options.maxIterations }
}

/// The minimizers take the same settings a spec gives a full-batch optimizer.
public typealias MinimizerOptions = FullBatchConfig

/// Why a minimiser stopped.
public enum MinimizerStop: String, Hashable, Sendable {
    /// ‖∇f‖∞ reached the tolerance.
    case converged
    case maxIterations = "max-iterations"
    /// No step along the search direction satisfied the line search (usually: at the limit of
    /// floating-point precision near a minimum). The last accepted point is kept.
    case lineSearchFailed = "line-search-failed"
    /// f or ∇f became NaN or infinite at an accepted point (or at the start).
    case diverged
    /// The iteration handler asked to stop.
    case cancelled
}

/// What a minimiser returns: the last accepted point, its cost and history, counters and why it stopped.
public struct MinimizationResult: Sendable {
    /// The last accepted point.
    public var x: [Double]
    /// f at `x`.
    public var cost: Double
    /// f at the start, then after every iteration.
    public var costs: [Double]
    /// Iterations completed (accepted steps).
    public var iterations: Int
    /// Objective evaluations, including those of line searches.
    public var evaluations: Int
    /// Why it stopped.
    public var stop: MinimizerStop
    /// Why `MinimizerCheckpoints.resume` was not used (it did not fit), the minimisation starting at
    /// x0 instead; nil otherwise.
    public var resumeProblem: String? = nil
}

/// Entry point to the hand-written and liblbfgs minimisers by `FullBatchMethod`.
public enum Minimizer {
    /// Minimises `f` from `x0` with `method`; `checkpoints` saves and resumes BFGS and CG exactly
    /// (L-BFGS ignores it: liblbfgs keeps its history in C, so its runs restart from the beginning).
    public static func minimize(
        _ method: FullBatchMethod, _ f: @escaping Objective, from x0: [Double],
        options: MinimizerOptions = .init(), checkpoints: MinimizerCheckpoints? = nil,
        onIteration: IterationHandler? = nil
    ) -> MinimizationResult {
        switch method {
        case .bfgs:
            return BFGS.minimize(f, from: x0, options: options, checkpoints: checkpoints, onIteration: onIteration)
        case .lbfgs: return LBFGS.minimize(f, from: x0, options: options, onIteration: onIteration)
        case .cg:
            return ConjugateGradient.minimize(
                f, from: x0, options: options, checkpoints: checkpoints, onIteration: onIteration)
        }
    }
}

/// A hand-written minimiser's state between two iterations, exactly: the point, its gradient and
/// cost, the cost history, the counters, and the method's own state in `own` (BFGS: the inverse
/// Hessian `h` and `h_is_identity`; CG: the previous direction `d`, `previous_cost`, `steepest`).
public struct MinimizerSnapshot: Equatable, Sendable {
    /// The current point.
    public var x: [Double]
    /// ∇f at `x`.
    public var g: [Double]
    /// f at `x`.
    public var fx: Double
    /// f at the start, then after every iteration.
    public var costs: [Double]
    /// Iterations completed.
    public var iterations: Int
    /// Objective evaluations, including those of line searches.
    public var evaluations: Int
    /// The method's own state (see the type's summary for its keys).
    public var own: OptimizerState
    /// A snapshot of the given state.
    public init(
        x: [Double], g: [Double], fx: Double, costs: [Double], iterations: Int, evaluations: Int, own: OptimizerState
    ) {
        self.x = x
        self.g = g
        self.fx = fx
        self.costs = costs
        self.iterations = iterations
        self.evaluations = evaluations
        self.own = own
    }
}

/// Saving a minimiser's state and resuming from it: `due` is asked after every iteration with the
/// iterations done; `save` receives the state then, and always when the iteration handler asked to
/// stop. `resume` (nil: start at x0) must come from the same method, options and objective.
public struct MinimizerCheckpoints {
    /// The state to resume from; nil starts at x0.
    public var resume: MinimizerSnapshot?
    /// Asked after every iteration with the iterations done: true saves the state. Default: never.
    public var due: (_ iterations: Int) -> Bool
    /// Receives the state when `due` says so, and when the iteration handler asks to stop.
    public var save: (MinimizerSnapshot) -> Void
    /// Checkpointing with the given resume point, timing and sink.
    public init(
        resume: MinimizerSnapshot? = nil, due: @escaping (_ iterations: Int) -> Bool = { _ in false },
        save: @escaping (MinimizerSnapshot) -> Void
    ) {
        self.resume = resume
        self.due = due
        self.save = save
    }
}

/// Small dense vector helpers over unsafe pointers (n is tiny to moderate; BLAS level 1 is not worth
/// the call overhead for the BFGS-sized problems, and these keep the minimisers readable).
enum Vec {
    @inline(__always) static func dot(_ n: Int, _ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>) -> Double {
        var s = 0.0
        for i in 0..<n { s += a[i] * b[i] }
        return s
    }
    @inline(__always) static func maxAbs(_ n: Int, _ a: UnsafePointer<Double>) -> Double {
        var m = 0.0
        for i in 0..<n { m = Swift.max(m, Swift.abs(a[i])) }
        return m
    }
    @inline(__always) static func allFinite(_ n: Int, _ a: UnsafePointer<Double>) -> Bool {
        var s = 0.0
        for i in 0..<n { s += a[i] * 0 }  // NaN or ±inf anywhere makes the sum NaN
        return s == 0
    }
}

/// Bookkeeping common to the hand-written minimisers (BFGS, CG): the current point, gradient and cost,
/// the cost history, and the stopping tests after each iteration.
struct MinimizerState {
    let n: Int
    var x: [Double]
    var g: [Double]
    var fx: Double
    var costs: [Double]
    var iterations = 0
    var evaluations = 0

    init(_ f: Objective, x0: [Double], maxIterations: Int) {
        n = x0.count
        x = x0
        g = [Double](repeating: 0, count: x0.count)
        fx = .nan
        costs = []
        costs.reserveCapacity(maxIterations + 1)
        fx = x.withUnsafeBufferPointer { xb in g.withUnsafeMutableBufferPointer { f(xb.baseAddress!, $0.baseAddress!) }
        }
        evaluations = 1
        costs.append(fx)
    }

    /// The state `s` describes, checked to fit a problem of `n` variables (else nil).
    init?(resuming s: MinimizerSnapshot, n: Int, maxIterations: Int) {
        guard s.x.count == n, s.g.count == n, s.iterations >= 0, s.iterations <= maxIterations,
            s.costs.count == s.iterations + 1, s.evaluations >= s.iterations + 1
        else { return nil }
        self.n = n
        x = s.x
        g = s.g
        fx = s.fx
        costs = s.costs
        costs.reserveCapacity(maxIterations + 1)
        iterations = s.iterations
        evaluations = s.evaluations
    }

    func snapshot(_ own: OptimizerState) -> MinimizerSnapshot {
        MinimizerSnapshot(x: x, g: g, fx: fx, costs: costs, iterations: iterations, evaluations: evaluations, own: own)
    }

    var pointIsFinite: Bool { fx.isFinite && g.withUnsafeBufferPointer { Vec.allFinite(n, $0.baseAddress!) } }
    var gradientNorm: Double { g.withUnsafeBufferPointer { Vec.maxAbs(n, $0.baseAddress!) } }

    /// The reason to stop before the next iteration, if any.
    func stopBeforeIteration(_ options: MinimizerOptions) -> MinimizerStop? {
        if !pointIsFinite { return .diverged }
        if gradientNorm <= options.gradientTolerance { return .converged }
        if iterations >= options.maxIterations { return .maxIterations }
        return nil
    }

    func result(_ stop: MinimizerStop) -> MinimizationResult {
        MinimizationResult(x: x, cost: fx, costs: costs, iterations: iterations, evaluations: evaluations, stop: stop)
    }
}
