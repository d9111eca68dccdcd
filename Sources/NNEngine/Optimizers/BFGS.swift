/// Dense BFGS (Nocedal & Wright algorithm 6.1), like scipy's `minimize(method='BFGS')`: an explicit
/// n×n inverse-Hessian approximation, so it is meant for small networks (the Welch Labs 2-3-1 net).
public enum BFGS {
    /// Largest parameter count BFGS accepts (the inverse Hessian takes n² doubles: 128 MB at this n).
    /// Callers validate against it before training; beyond it, use `lbfgs`.
    public static let maximumParameterCount = 4096

    /// `checkpoints` saves the state after iterations (x, g, f, the costs, the counters and the
    /// inverse Hessian `h` with `h_is_identity`) and resumes from such a state exactly; a state that
    /// does not fit is not used (`MinimizationResult.resumeProblem`).
    public static func minimize(
        _ f: @escaping Objective, from x0: [Double], options: MinimizerOptions = .init(),
        checkpoints: MinimizerCheckpoints? = nil,
        onIteration: IterationHandler? = nil
    ) -> MinimizationResult {
        let n = x0.count
        precondition(n <= maximumParameterCount, "BFGS: \(n) parameters exceed \(maximumParameterCount); use lbfgs")
        var h = [Double](repeating: 0, count: n * n)
        var d = [Double](repeating: 0, count: n)
        var xNew = d
        var gNew = d
        var s = d
        var y = d
        var hy = d
        var hIsIdentity = true
        func resetH() {
            for i in 0..<(n * n) { h[i] = 0 }
            for i in 0..<n { h[i * n + i] = 1 }
            hIsIdentity = true
        }
        resetH()
        var resumeProblem: String? = nil
        var resumed: MinimizerState? = nil
        if let r = checkpoints?.resume {
            if let st = MinimizerState(resuming: r, n: n, maxIterations: options.maxIterations),
                let hh = r.own.arrays["h"], hh.count == n * n, let flag = r.own.scalars["h_is_identity"],
                flag == 0 || flag == 1
            {
                resumed = st
                h = hh
                hIsIdentity = flag == 1
            } else {
                resumeProblem = "its BFGS state does not fit this problem of \(n) variables"
            }
        }
        var st = resumed ?? MinimizerState(f, x0: x0, maxIterations: options.maxIterations)
        let search = StrongWolfeLineSearch(c1: 1e-4, c2: 0.9)
        func finish(_ stop: MinimizerStop) -> MinimizationResult {
            var r = st.result(stop)
            r.resumeProblem = resumeProblem
            return r
        }
        /// After an iteration (its inverse-Hessian update done): report it, save, or stop.
        func endIteration() -> Bool {
            let proceed = onIteration?(st.iterations, st.fx) ?? true
            if let checkpoints, !proceed || (st.iterations < options.maxIterations && checkpoints.due(st.iterations)) {
                checkpoints.save(
                    st.snapshot(OptimizerState(arrays: ["h": h], scalars: ["h_is_identity": hIsIdentity ? 1 : 0])))
            }
            return proceed
        }

        while true {
            if let stop = st.stopBeforeIteration(options) { return finish(stop) }
            // d = −H·g
            for i in 0..<n {
                var acc = 0.0
                for j in 0..<n { acc += h[i * n + j] * st.g[j] }
                d[i] = -acc
            }
            var slope = Vec.dot(n, st.g, d)
            if !(slope < 0) {
                resetH()
                for i in 0..<n { d[i] = -st.g[i] }
                slope = Vec.dot(n, st.g, d)
            }
            // First step: scipy's guess min(1, 1.01/‖g‖₂); afterwards the quasi-Newton step of 1.
            let initial = st.iterations == 0 ? min(1, 1.01 / Vec.dot(n, st.g, st.g).squareRoot()) : 1
            let out = search.search(
                f, count: n, x: st.x, cost: st.fx, slope: slope, direction: d,
                initialStep: initial, xNew: &xNew, gNew: &gNew)
            st.evaluations += out.evaluations
            guard out.accepted else {
                if !hIsIdentity {
                    resetH()
                    continue
                }  // retry once along steepest descent
                return finish(.lineSearchFailed)
            }
            for i in 0..<n {
                s[i] = xNew[i] - st.x[i]
                y[i] = gNew[i] - st.g[i]
            }
            swap(&st.x, &xNew)
            swap(&st.g, &gNew)
            st.fx = out.cost
            st.iterations += 1
            st.costs.append(st.fx)

            let ys = Vec.dot(n, y, s)
            // Skip the update unless the curvature condition yᵀs > 0 holds (it does after a strong
            // Wolfe step; the fallback sufficient-decrease step may violate it).
            guard ys > 1e-12 * Vec.dot(n, y, y).squareRoot() * Vec.dot(n, s, s).squareRoot() else {
                if !endIteration() { return finish(.cancelled) }
                continue
            }
            if hIsIdentity {
                // N&W eq. 6.20: scale H₀ = (yᵀs / yᵀy)·I before the first update.
                let scale = ys / Vec.dot(n, y, y)
                for i in 0..<n { h[i * n + i] = scale }
                hIsIdentity = false
            }
            // H ← (I − ρsyᵀ) H (I − ρysᵀ) + ρssᵀ, expanded for symmetric H:
            // H − ρ(Hy·sᵀ + s·(Hy)ᵀ) + (ρ²·yᵀHy + ρ)·ssᵀ
            let rho = 1 / ys
            for i in 0..<n {
                var acc = 0.0
                for j in 0..<n { acc += h[i * n + j] * y[j] }
                hy[i] = acc
            }
            let yhy = Vec.dot(n, y, hy)
            let c = rho * rho * yhy + rho
            for i in 0..<n {
                for j in 0..<n {
                    h[i * n + j] += -rho * (hy[i] * s[j] + s[i] * hy[j]) + c * s[i] * s[j]
                }
            }
            if !endIteration() { return finish(.cancelled) }
        }
    }
}

/// `optimizer.type: bfgs`: dense BFGS on the full-batch cost (the algorithm above), for networks of
/// at most `BFGS.maximumParameterCount` parameters. Spec keys `max_iterations` (200) and `tolerance`
/// (1e-5, on ‖∇f‖∞).
public struct BFGSConfig: FullBatchOptimizer {
    /// Iterations, tolerance (and memory for lbfgs); defaults 200, 1e-5, 10.
    public var options: FullBatchConfig
    /// Settings, all defaults unless given.
    public init(_ options: FullBatchConfig = .init()) { self.options = options }

    /// The value of `optimizer.type` that selects it: `bfgs`.
    public static let name = "bfgs"
    /// False: the spec key `memory` does not apply (it belongs to lbfgs).
    public static let takesMemory = false

    /// The dense inverse Hessian takes n² values: networks above `BFGS.maximumParameterCount` parameters are
    /// refused, with a hint to use lbfgs.
    public func parameterProblem(count params: Int) -> String? {
        guard params > BFGS.maximumParameterCount else { return nil }
        return
            "optimizer 'bfgs' keeps a dense \(params)×\(params) inverse Hessian; this network has \(params) parameters (at most \(BFGS.maximumParameterCount)): use `type: lbfgs`"
    }

    /// Minimises the full-batch cost of `net` through `FullBatch.minimize` with method `.bfgs`; the cost
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
            &net, data: data, config: config, method: .bfgs, options: options,
            checkpoints: checkpoints, progress: progress)
    }
}

extension OptimizerConfig {
    /// `optimizer.type: bfgs`.
    public static func bfgs(_ c: FullBatchConfig) -> OptimizerConfig { OptimizerConfig(BFGSConfig(c)) }
}

extension BFGSConfig {
    /// State bytes: the dense inverse Hessian and six Float64 vectors.
    public func stateBytes(parameters p: Double, valueBytes w: Double) -> Double { 8 * p * p + 6 * p * 8 }
}
