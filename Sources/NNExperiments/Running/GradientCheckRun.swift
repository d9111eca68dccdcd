import NNDatasets
import NNEngine

/// `nnexp gradcheck`: backpropagation against central differences for a run's freshly initialised
/// network on its first few training samples, in Float64 and without dropout (`model.dropout` is a
/// training-time draw; the check is of the deterministic network), judged by the engine's
/// `GradientVerdict` (ok ≤ 1e-7 < warning ≤ 1e-4 < problem).
public enum GradientCheckRun {
    /// Checks one run on `samples` training samples.
    public static func check(_ c: RunConfig, samples count: Int) throws -> GradientCheckReport {
        let data = try RunData.load(c)
        if let problem = RunExecutor.shapeProblem(c, data: data.train) { throw RunError(problem.message) }
        let arch = RunExecutor.architecture(c, data: data.train)
        let all = SampleCache.samples(Double.self, data.train, outputs: arch.outputs)
        let n = min(max(count, 1), all.count)
        let s = Samples<Double>(
            x: Array(all.x.prefix(n * all.inputs)), y: Array(all.y.prefix(n * all.outputs)),
            count: n, inputs: all.inputs, outputs: all.outputs)
        let net = try RunExecutor.initialNetwork(Double.self, c, arch)
        return GradientCheck.run(
            network: net, samples: s, loss: c.model.loss, reduction: c.model.reduction,
            regularization: c.regularization)
    }
}
