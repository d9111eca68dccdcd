/// Full-batch training with BFGS, L-BFGS or conjugate gradient: the network's cost over the whole
/// training set as a function of its flattened parameters, minimised in Float64.
enum FullBatch {
    static func minimize<T: Real>(
        _ net: inout Network<T>, data: Samples<T>, config: TrainingConfig,
        method: FullBatchMethod, options: FullBatchConfig,
        checkpoints: Checkpointing? = nil, progress: ProgressHandler?
    ) -> TrainingResult {
        let objective = NetworkObjective(
            architecture: net.architecture, samples: data, loss: config.loss,
            reduction: config.reduction, regularization: config.regularization)
        objective.threads = config.threads
        let x0 = net.parameters.map { Double($0) }
        let handler: IterationHandler? = progress.map { p in { iteration, cost in p(iteration, cost) } }
        // L-BFGS takes no checkpoints (its history lives in liblbfgs): its runs restart from the beginning.
        let saving =
            method == .lbfgs
            ? nil
            : checkpoints.map { c in
                MinimizerCheckpoints(resume: c.resume.map(snapshotOfMinimizer), due: c.due) {
                    c.save(snapshotOfRun($0))
                }
            }
        let r = Minimizer.minimize(
            method, objective.evaluate, from: x0, options: options, checkpoints: saving,
            onIteration: handler)
        for i in 0..<r.x.count { net.parameters[i] = T(r.x[i]) }
        var result = TrainingResult()
        result.epochCosts = r.costs
        result.iterations = r.iterations
        result.stopReason = r.stop
        result.resumeProblem = r.resumeProblem
        if method == .lbfgs, checkpoints?.resume != nil {
            result.resumeProblem = "L-BFGS runs restart from the beginning"
        }
        switch r.stop {
        case .converged, .maxIterations, .lineSearchFailed: result.status = .completed
        case .diverged: result.status = .diverged(epoch: r.iterations)
        case .cancelled: result.status = .cancelled
        }
        return result
    }

    /// A minimiser's state as a run's snapshot: x as the parameters, the costs as the history, the
    /// rest under `minimizer.`.
    static func snapshotOfRun(_ m: MinimizerSnapshot) -> TrainingSnapshot {
        var history = TrainingResult()
        history.epochCosts = m.costs
        history.iterations = m.iterations
        var s = TrainingSnapshot(done: m.iterations, parameters: m.x, history: history)
        var own = m.own
        own.arrays["g"] = m.g
        own.scalars["fx"] = m.fx
        own.scalars["evaluations"] = Double(m.evaluations)
        s.add(own, as: "minimizer")
        return s
    }

    /// The reverse of `snapshotOfRun`; missing parts make a snapshot the minimiser refuses.
    static func snapshotOfMinimizer(_ s: TrainingSnapshot) -> MinimizerSnapshot {
        var own = s.part("minimizer")
        let g = own.arrays.removeValue(forKey: "g") ?? []
        let fx = own.scalars.removeValue(forKey: "fx") ?? .nan
        let evaluations = (try? own.counter("evaluations")) ?? -1
        own.scalars["evaluations"] = nil
        return MinimizerSnapshot(
            x: s.parameters, g: g, fx: fx, costs: s.history.epochCosts,
            iterations: s.done == s.history.iterations ? s.done : -1, evaluations: evaluations, own: own)
    }
}

/// The cost of a network over a whole sample set, and its gradient, as an `Objective` on Float64
/// parameters. The set is processed in chunks of at most `chunkSize` rows (so memory stays bounded on
/// MNIST-sized sets) with sum reduction, the chunk gradients accumulated in Float64; then the mean
/// scaling and the regularisation penalty (on the Float64 parameters) are applied once.
public final class NetworkObjective<T: Real>: @unchecked Sendable {
    /// The network shape whose flat parameters the objective takes.
    public let architecture: Architecture
    let samples: Samples<T>
    let loss: Loss
    let reduction: Reduction
    let regularization: Regularization
    let ws: Workspace<T>
    let chunkSize: Int
    var parameters: [T]
    var chunkGradient: [T]
    private var loaded = false
    /// Threads each evaluation's products may use (nil: one); results do not depend on it.
    public var threads: ThreadBudget?

    /// An objective over `samples` (at least one), evaluated in chunks of `chunkSize` rows (default 2048).
    public init(
        architecture: Architecture, samples: Samples<T>, loss: Loss, reduction: Reduction,
        regularization: Regularization, chunkSize: Int = 2048
    ) {
        precondition(samples.count > 0, "no samples")
        self.architecture = architecture
        self.samples = samples
        self.loss = loss
        self.reduction = reduction
        self.regularization = regularization
        self.chunkSize = max(1, min(chunkSize, samples.count))
        ws = Workspace(architecture: architecture, capacity: self.chunkSize)
        parameters = [T](repeating: 0, count: architecture.parameterCount)
        chunkGradient = parameters
    }

    /// f(x) and ∇f(x) for the flat parameter vector `x` (length `architecture.parameterCount`).
    public func evaluate(_ x: UnsafePointer<Double>, _ g: UnsafeMutablePointer<Double>) -> Double {
        let np = parameters.count
        let n = samples.count
        let nin = samples.inputs
        let nout = samples.outputs
        ws.threads = threads?.current ?? 1
        for i in 0..<np { parameters[i] = T(x[i]) }
        g.update(repeating: 0, count: np)
        var total = 0.0
        var start = 0
        parameters.withUnsafeBufferPointer { pb in
            chunkGradient.withUnsafeMutableBufferPointer { cb in
                while start < n {
                    let rows = min(chunkSize, n - start)
                    if !(loaded && rows == n) {
                        samples.x.withUnsafeBufferPointer {
                            ws.input.update(from: $0.baseAddress! + start * nin, count: rows * nin)
                        }
                        samples.y.withUnsafeBufferPointer {
                            ws.targets.update(from: $0.baseAddress! + start * nout, count: rows * nout)
                        }
                        loaded = true
                    }
                    total += architecture.costAndGradient(
                        ws, rows: rows, loss: loss, reduction: .sum, regularization: .none,
                        parameters: pb.baseAddress!, gradient: cb.baseAddress!)
                    let c = cb.baseAddress!
                    for i in 0..<np { g[i] += Double(c[i]) }
                    start += rows
                }
            }
        }
        let scale = reduction == .mean ? 1 / Double(n) : 1
        if scale != 1 {
            total *= scale
            for i in 0..<np { g[i] *= scale }
        }
        if regularization.isActive {
            total += regularization.addPenalty(
                parameters: x, gradient: g, sizes: architecture.sizes,
                weightOffsets: ws.weightOffsets, scale: scale)
        }
        return total
    }
}
