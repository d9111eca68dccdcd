/// Nonlinear conjugate gradient, Polak–Ribière with the "+" restart (β = max(0, βᴾᴿ)), with a strong
/// Wolfe line search (c2 = 0.4), as scipy's `fmin_cg` — the Coursera-style port trains with it.
public enum ConjugateGradient {
    /// `checkpoints` saves the state after iterations (x, g, f, the costs, the counters, the direction
    /// `d`, `previous_cost` and `steepest`) and resumes from such a state exactly; a state that does
    /// not fit is not used (`MinimizationResult.resumeProblem`).
    public static func minimize(
        _ f: @escaping Objective, from x0: [Double], options: MinimizerOptions = .init(),
        checkpoints: MinimizerCheckpoints? = nil,
        onIteration: IterationHandler? = nil
    ) -> MinimizationResult {
        let n = x0.count
        var resumeProblem: String? = nil
        var resumed: (MinimizerState, [Double], Double, Bool)? = nil
        if let r = checkpoints?.resume {
            if let st = MinimizerState(resuming: r, n: n, maxIterations: options.maxIterations),
                let d = r.own.arrays["d"], d.count == n, let pc = r.own.scalars["previous_cost"],
                let flag = r.own.scalars["steepest"], flag == 0 || flag == 1
            {
                resumed = (st, d, pc, flag == 1)
            } else {
                resumeProblem = "its CG state does not fit this problem of \(n) variables"
            }
        }
        var st = resumed?.0 ?? MinimizerState(f, x0: x0, maxIterations: options.maxIterations)
        let search = StrongWolfeLineSearch(c1: 1e-4, c2: 0.4)
        var d = resumed?.1 ?? st.g.map { -$0 }
        var xNew = [Double](repeating: 0, count: n)
        var gNew = xNew
        var previousCost = resumed?.2 ?? Double.nan
        var steepest = resumed?.3 ?? true
        func finish(_ stop: MinimizerStop) -> MinimizationResult {
            var r = st.result(stop)
            r.resumeProblem = resumeProblem
            return r
        }

        while true {
            if let stop = st.stopBeforeIteration(options) { return finish(stop) }
            var slope = Vec.dot(n, st.g, d)
            if !(slope < 0) {
                for i in 0..<n { d[i] = -st.g[i] }
                slope = Vec.dot(n, st.g, d)
                steepest = true
            }
            // scipy's first guess: the step a quadratic model would take if f fell as much as in the
            // previous iteration (on the first, as if it fell by ‖g‖₂/2), capped at 1.
            let drop = previousCost.isNaN ? Vec.dot(n, st.g, st.g).squareRoot() / 2 : previousCost - st.fx
            var initial = 1.01 * 2 * drop / -slope
            if !(initial > 0) || !initial.isFinite { initial = 1 }
            initial = min(1, initial)
            let out = search.search(
                f, count: n, x: st.x, cost: st.fx, slope: slope, direction: d,
                initialStep: initial, xNew: &xNew, gNew: &gNew)
            st.evaluations += out.evaluations
            guard out.accepted else {
                if !steepest {  // restart along steepest descent once before giving up
                    for i in 0..<n { d[i] = -st.g[i] }
                    steepest = true
                    continue
                }
                return finish(.lineSearchFailed)
            }
            // β = max(0, g₊·(g₊ − g) / g·g), then d ← −g₊ + β·d
            let gg = Vec.dot(n, st.g, st.g)
            var num = 0.0
            for i in 0..<n { num += gNew[i] * (gNew[i] - st.g[i]) }
            let beta = gg > 0 ? max(0, num / gg) : 0
            for i in 0..<n { d[i] = -gNew[i] + beta * d[i] }
            steepest = beta == 0
            swap(&st.x, &xNew)
            swap(&st.g, &gNew)
            previousCost = st.fx
            st.fx = out.cost
            st.iterations += 1
            st.costs.append(st.fx)
            let proceed = onIteration?(st.iterations, st.fx) ?? true
            if let checkpoints, !proceed || (st.iterations < options.maxIterations && checkpoints.due(st.iterations)) {
                checkpoints.save(
                    st.snapshot(
                        OptimizerState(
                            arrays: ["d": d],
                            scalars: [
                                "previous_cost": previousCost,
                                "steepest": steepest ? 1 : 0
                            ])))
            }
            if !proceed { return finish(.cancelled) }
        }
    }
}

/// `optimizer.type: cg`: Polak–Ribière+ conjugate gradient on the full-batch cost. Spec keys
/// `max_iterations` (200) and `tolerance` (1e-5, on ‖∇f‖∞).
public struct CGConfig: FullBatchOptimizer {
    /// Iterations, tolerance (and memory for lbfgs); defaults 200, 1e-5, 10.
    public var options: FullBatchConfig
    /// Settings, all defaults unless given.
    public init(_ options: FullBatchConfig = .init()) { self.options = options }

    /// The value of `optimizer.type` that selects it: `cg`.
    public static let name = "cg"
    /// False: the spec key `memory` does not apply (it belongs to lbfgs).
    public static let takesMemory = false

    /// Minimises the full-batch cost of `net` through `FullBatch.minimize` with method `.cg`; the cost
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
            &net, data: data, config: config, method: .cg, options: options,
            checkpoints: checkpoints, progress: progress)
    }
}

extension OptimizerConfig {
    /// `optimizer.type: cg`.
    public static func cg(_ c: FullBatchConfig) -> OptimizerConfig { OptimizerConfig(CGConfig(c)) }
}

extension CGConfig {
    /// State bytes: four Float64 vectors.
    public func stateBytes(parameters p: Double, valueBytes w: Double) -> Double { 4 * p * 8 }
}
