/// Nonlinear conjugate gradient, Polak–Ribière with the "+" restart (β = max(0, βᴾᴿ)), with a strong
/// Wolfe line search (c2 = 0.4), as scipy's `fmin_cg` — the Coursera-style port trains with it.
public enum ConjugateGradient {
    public static func minimize(_ f: @escaping Objective, from x0: [Double], options: MinimizerOptions = .init(),
                                onIteration: IterationHandler? = nil) -> MinimizationResult {
        let n = x0.count
        var st = MinimizerState(f, x0: x0, maxIterations: options.maxIterations)
        let search = StrongWolfeLineSearch(c1: 1e-4, c2: 0.4)
        var d = st.g.map { -$0 }
        var xNew = [Double](repeating: 0, count: n), gNew = xNew
        var previousCost = Double.nan
        var steepest = true

        while true {
            if let stop = st.stopBeforeIteration(options) { return st.result(stop) }
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
            let out = search.search(f, count: n, x: st.x, cost: st.fx, slope: slope, direction: d,
                                    initialStep: initial, xNew: &xNew, gNew: &gNew)
            st.evaluations += out.evaluations
            guard out.accepted else {
                if !steepest {   // restart along steepest descent once before giving up
                    for i in 0..<n { d[i] = -st.g[i] }
                    steepest = true
                    continue
                }
                return st.result(.lineSearchFailed)
            }
            // β = max(0, g₊·(g₊ − g) / g·g), then d ← −g₊ + β·d
            let gg = Vec.dot(n, st.g, st.g)
            var num = 0.0
            for i in 0..<n { num += gNew[i] * (gNew[i] - st.g[i]) }
            let beta = gg > 0 ? max(0, num / gg) : 0
            for i in 0..<n { d[i] = -gNew[i] + beta * d[i] }
            steepest = beta == 0
            swap(&st.x, &xNew); swap(&st.g, &gNew)
            previousCost = st.fx
            st.fx = out.cost
            st.iterations += 1
            st.costs.append(st.fx)
            if let onIteration, !onIteration(st.iterations, st.fx) { return st.result(.cancelled) }
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

    public static let name = "cg"
    public static let takesMemory = false

    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public func train<T: Real>(_ net: inout Network<T>, on data: Samples<T>, config: TrainingConfig,
                               epochEnd: EpochObserver<T>?, progress: ProgressHandler?) -> TrainingResult {
        FullBatch.minimize(&net, data: data, config: config, method: .cg, options: options, progress: progress)
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
