import CLBFGS

/// L-BFGS through Debian's liblbfgs (Okazaki's C port of Nocedal's L-BFGS, More–Thuente line search).
///
/// liblbfgs drives the loop and calls back into Swift; a C function pointer cannot capture, so the
/// callbacks find their Swift state through the `instance` pointer. Its own stopping test
/// (‖g‖₂ < ε·max(1, ‖x‖₂)) is switched off (ε = 0) and replaced in the progress callback by the same
/// ‖g‖∞ ≤ tolerance test the other minimisers use, so the three stop alike.
public enum LBFGS {
    final class Context {
        let f: Objective
        let n: Int
        let options: MinimizerOptions
        let onIteration: IterationHandler?
        var costs: [Double]
        var evaluations = 0
        var iterations = 0
        var stop: MinimizerStop?
        /// Whether any evaluation since the last accepted iterate was finite (to tell overflow, which
        /// leaves nothing to step to, from an ordinary line-search failure).
        var finiteSinceIterate = false
        var nonFiniteSinceIterate = false
        /// Iterations done by earlier lbfgs() calls (after a restart liblbfgs counts from 1 again).
        var iterationOffset = 0
        init(
            f: @escaping Objective, n: Int, options: MinimizerOptions, onIteration: IterationHandler?,
            initialCost: Double
        ) {
            self.f = f
            self.n = n
            self.options = options
            self.onIteration = onIteration
            costs = [initialCost]
            costs.reserveCapacity(options.maxIterations + 1)
        }
    }

    /// Minimises `f` from `x0` with liblbfgs (Nocedal's L-BFGS, `options.memory` correction pairs, More–Thuente
    /// line search, restarted from the last iterate when it gives up, then backtracking strong Wolfe), stopping
    /// when ‖∇f‖∞ ≤ `options.gradientTolerance` or after `options.maxIterations`.
    public static func minimize(
        _ f: @escaping Objective, from x0: [Double], options: MinimizerOptions = .init(),
        onIteration: IterationHandler? = nil
    ) -> MinimizationResult {
        let n = x0.count
        // liblbfgs built with SSE needs n to be a multiple of 16 and x 16-byte aligned: pad with
        // variables whose gradient is always 0 (they never move and add nothing to any norm).
        let padded = max(16, (n + 15) / 16 * 16)
        guard let x = lbfgs_malloc(Int32(padded)) else { preconditionFailure("lbfgs_malloc failed") }
        defer { lbfgs_free(x) }
        for i in 0..<padded { x[i] = i < n ? x0[i] : 0 }

        // Evaluate the start ourselves: it records the initial cost and tests convergence before
        // liblbfgs runs (it would otherwise take a first step even from a minimum).
        var g0 = [Double](repeating: 0, count: n)
        let f0 = f(x, &g0)
        let ctx = Context(f: f, n: n, options: options, onIteration: onIteration, initialCost: f0)
        ctx.evaluations = 1
        func result(_ stop: MinimizerStop) -> MinimizationResult {
            MinimizationResult(
                x: Array(UnsafeBufferPointer(start: x, count: n)), cost: ctx.costs[ctx.costs.count - 1],
                costs: ctx.costs, iterations: ctx.iterations, evaluations: ctx.evaluations, stop: stop)
        }
        if !f0.isFinite || !Vec.allFinite(n, g0) { return result(.diverged) }
        if Vec.maxAbs(n, g0) <= options.gradientTolerance { return result(.converged) }
        if options.maxIterations <= 0 { return result(.maxIterations) }

        let evaluate: lbfgs_evaluate_t = { instance, x, g, n, _ in
            let ctx = Unmanaged<Context>.fromOpaque(instance!).takeUnretainedValue()
            let v = ctx.f(x!, g!)
            for i in ctx.n..<Int(n) { g![i] = 0 }
            ctx.evaluations += 1
            if v.isFinite && Vec.allFinite(ctx.n, g!) {
                ctx.finiteSinceIterate = true
            } else {
                ctx.nonFiniteSinceIterate = true
            }
            return v
        }
        let progress: lbfgs_progress_t = { instance, _, g, fx, _, _, _, _, k, _ in
            let ctx = Unmanaged<Context>.fromOpaque(instance!).takeUnretainedValue()
            ctx.iterations = ctx.iterationOffset + Int(k)
            ctx.costs.append(fx)
            ctx.finiteSinceIterate = false
            ctx.nonFiniteSinceIterate = false
            if !fx.isFinite {
                ctx.stop = .diverged
                return 1
            }
            if let h = ctx.onIteration, !h(ctx.iterations, fx) {
                ctx.stop = .cancelled
                return 1
            }
            if Vec.maxAbs(ctx.n, g!) <= ctx.options.gradientTolerance {
                ctx.stop = .converged
                return 1
            }
            if ctx.iterations >= ctx.options.maxIterations {
                ctx.stop = .maxIterations
                return 1
            }
            return 0
        }

        // liblbfgs's More–Thuente search gives up (LBFGSERR_ROUNDING_ERROR) now and then on nonconvex
        // costs long before a minimum, a known weakness of its implementation. lbfgs() then restores
        // the last iterate, so the run is restarted from there with a fresh history; if a restart makes
        // no progress, once more with liblbfgs's backtracking strong-Wolfe search, then it stops.
        var backtracking = false
        while true {
            var param = lbfgs_parameter_t()
            lbfgs_parameter_init(&param)
            param.m = Int32(max(1, options.memory))
            param.epsilon = 0
            param.max_iterations = Int32(clamping: options.maxIterations - ctx.iterations)
            if backtracking { param.linesearch = Int32(LBFGS_LINESEARCH_BACKTRACKING_STRONG_WOLFE) }
            ctx.iterationOffset = ctx.iterations
            var fx = 0.0
            let ret = withExtendedLifetime(ctx) {
                lbfgs(Int32(padded), x, &fx, evaluate, progress, Unmanaged.passUnretained(ctx).toOpaque(), &param)
            }
            if let stop = ctx.stop { return result(stop) }
            switch Int(ret) {
            case Int(LBFGS_SUCCESS), Int(LBFGS_STOP), Int(LBFGS_ALREADY_MINIMIZED): return result(.converged)
            case Int(LBFGSERR_MAXIMUMITERATION): return result(.maxIterations)
            default:
                // If every trial point since the last iterate overflowed, there is nowhere finite to go.
                if ctx.nonFiniteSinceIterate && !ctx.finiteSinceIterate { return result(.diverged) }
                let progressed = ctx.iterations > ctx.iterationOffset
                if progressed {
                    backtracking = false
                    continue
                }
                if !backtracking {
                    backtracking = true
                    continue
                }
                return result(.lineSearchFailed)
            }
        }
    }
}

/// `optimizer.type: lbfgs`: limited-memory BFGS through liblbfgs on the full-batch cost. Spec keys
/// `max_iterations` (200), `tolerance` (1e-5, on ‖∇f‖∞) and `memory` (10 correction pairs).
public struct LBFGSConfig: FullBatchOptimizer {
    /// Iterations, tolerance (and memory for lbfgs); defaults 200, 1e-5, 10.
    public var options: FullBatchConfig
    /// Settings, all defaults unless given.
    public init(_ options: FullBatchConfig = .init()) { self.options = options }

    /// The value of `optimizer.type` that selects it: `lbfgs`.
    public static let name = "lbfgs"
    /// True: the spec key `memory` (correction pairs kept, default 10) applies.
    public static let takesMemory = true

    /// liblbfgs keeps its correction pairs and line-search state in C, out of reach: a run could only
    /// be resumed approximately, so L-BFGS runs are never checkpointed and restart from the beginning.
    public var checkpointProblem: String? {
        "L-BFGS keeps its history inside liblbfgs, which cannot be saved exactly, so lbfgs runs restart from the beginning"
    }

    /// Minimises the full-batch cost of `net` through `FullBatch.minimize` with method `.lbfgs`; the cost
    /// history counts iterations from 0.
    // @_specialize: the objective's forward and backward passes, inlined into each copy, run unboxed.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public func train<T: Real>(
        _ net: inout Network<T>, on data: Samples<T>, config: TrainingConfig,
        epochEnd: EpochObserver<T>?, checkpoints: Checkpointing?,
        progress: ProgressHandler?
    ) -> TrainingResult {
        FullBatch.minimize(
            &net, data: data, config: config, method: .lbfgs, options: options,
            checkpoints: checkpoints, progress: progress)
    }
}

extension OptimizerConfig {
    /// `optimizer.type: lbfgs`.
    public static func lbfgs(_ c: FullBatchConfig) -> OptimizerConfig { OptimizerConfig(LBFGSConfig(c)) }
}

extension LBFGSConfig {
    /// State bytes: `memory` correction pairs and six Float64 vectors.
    public func stateBytes(parameters p: Double, valueBytes w: Double) -> Double {
        (2 * Double(options.memory) + 6) * p * 8
    }
}
