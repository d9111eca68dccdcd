import NNDatasets
import NNEngine

/// `nnexp gradcheck`: backpropagation against central differences for a run's freshly initialised
/// network on its first few training samples, in Float64 and without dropout (`model.dropout` is a
/// training-time draw; the check is of the deterministic network), judged ok ≤ 1e-7 < warning ≤ 1e-4 < problem.
public enum GradientCheckRun {
    /// The judgement of a relative error (thresholds above).
    public enum Verdict: String, Sendable, Comparable {
        case ok, warning, problem
        /// The verdict for relative error e: ok when e ≤ 1e-7, warning when e ≤ 1e-4, problem above (or NaN).
        public init(_ e: Double) { self = !(e <= 1e-4) ? .problem : e <= 1e-7 ? .ok : .warning }
        /// ok < warning < problem.
        public static func < (a: Self, b: Self) -> Bool { a.rank < b.rank }
        var rank: Int { self == .ok ? 0 : self == .warning ? 1 : 2 }
    }

    /// The check's relative errors.
    public struct Result: Sendable {
        /// Relative error over all parameters.
        public var overall: Double
        /// Relative error of each weight layer (its weights and biases), layer 1 first.
        public var layers: [Double]
        /// The worst verdict of the overall and per-layer errors.
        public var verdict: Verdict { ([Verdict(overall)] + layers.map(Verdict.init)).max()! }
    }

    /// Checks one run on `samples` training samples.
    public static func check(_ c: RunConfig, samples count: Int) throws -> Result {
        let data = try DataCache.load(c)
        if let problem = RunExecutor.shapeProblem(c, data: data.train) { throw RunError(problem.message) }
        let arch = RunExecutor.architecture(c, data: data.train)
        let all = SampleCache.samples(Double.self, data.train, outputs: arch.outputs)
        let n = min(max(count, 1), all.count)
        let s = Samples<Double>(x: Array(all.x.prefix(n * all.inputs)), y: Array(all.y.prefix(n * all.outputs)),
                                count: n, inputs: all.inputs, outputs: all.outputs)
        let net = try RunExecutor.initialNetwork(Double.self, c, arch)
        return compare(net, s, c.model.loss, c.model.reduction, c.regularization)
    }

    /// The engine's check (NNEngine/Diagnostics/GradientCheck.swift), reduced to what the command prints.
    static func compare(_ net: Network<Double>, _ s: Samples<Double>, _ loss: Loss, _ reduction: Reduction,
                        _ reg: Regularization) -> Result {
        let r = GradientCheck.run(network: net, samples: s, loss: loss, reduction: reduction, regularization: reg)
        return Result(overall: r.relativeError, layers: r.layers.map(\.relativeError))
    }
}
