import NNDatasets
import NNEngine

/// `nnexp gradcheck`: backpropagation against central differences for a run's freshly initialised
/// network on its first few training samples, in Float64, judged ok ≤ 1e-7 < warning ≤ 1e-4 < problem.
public enum GradientCheckRun {
    public enum Verdict: String, Sendable, Comparable {
        case ok, warning, problem
        public init(_ e: Double) { self = !(e <= 1e-4) ? .problem : e <= 1e-7 ? .ok : .warning }
        public static func < (a: Self, b: Self) -> Bool { a.rank < b.rank }
        var rank: Int { self == .ok ? 0 : self == .warning ? 1 : 2 }
    }

    public struct Result: Sendable {
        public var overall: Double
        /// Relative error of each weight layer (its weights and biases), layer 1 first.
        public var layers: [Double]
        public var verdict: Verdict { ([Verdict(overall)] + layers.map(Verdict.init)).max()! }
    }

    /// Checks one run on `samples` training samples.
    public static func check(_ c: RunConfig, samples count: Int) throws -> Result {
        let data = try DataCache.load(c)
        if let problem = RunExecutor.shapeProblem(c, data: data.train) { throw RunError(problem) }
        let arch = RunExecutor.architecture(c, data: data.train)
        let all = SampleCache.samples(Double.self, data.train, outputs: arch.outputs)
        let n = min(max(count, 1), all.count)
        let s = Samples<Double>(x: Array(all.x.prefix(n * all.inputs)), y: Array(all.y.prefix(n * all.outputs)),
                                count: n, inputs: all.inputs, outputs: all.outputs)
        let net = try RunExecutor.initialNetwork(Double.self, c, arch)
        return compare(net, s, c.model.loss, c.model.reduction, c.regularization)
    }

    /// LEAD: once the engine's `GradientCheck` is merged, this is the single call site to switch:
    ///     let r = GradientCheck.run(network: net, samples: s, loss: loss, reduction: reduction,
    ///                               regularization: reg)
    ///     return Result(overall: r.relativeError, layers: r.layers.map(\.relativeError))
    /// Until then the local central-difference check below does the same computation.
    static func compare(_ net: Network<Double>, _ s: Samples<Double>, _ loss: Loss, _ reduction: Reduction,
                        _ reg: Regularization) -> Result {
        let arch = net.architecture
        let ws = Workspace<Double>(architecture: arch, capacity: s.count)
        var theta = net.parameters
        var analytic = [Double](repeating: 0, count: theta.count), scratch = analytic, numeric = analytic
        _ = net.costAndGradient(samples: s, loss: loss, reduction: reduction, regularization: reg,
                                parameters: theta, gradient: &analytic, workspace: ws)
        let eps = 1e-6
        for i in 0..<theta.count {
            let saved = theta[i]
            theta[i] = saved + eps
            let plus = net.costAndGradient(samples: s, loss: loss, reduction: reduction, regularization: reg,
                                           parameters: theta, gradient: &scratch, workspace: ws)
            theta[i] = saved - eps
            let minus = net.costAndGradient(samples: s, loss: loss, reduction: reduction, regularization: reg,
                                            parameters: theta, gradient: &scratch, workspace: ws)
            theta[i] = saved
            numeric[i] = (plus - minus) / (2 * eps)
        }
        var layers: [Double] = []
        for (l, off) in arch.layout.enumerated() {
            let end = off.bias.map { $0 + arch.sizes[l + 1] } ?? off.weights + arch.sizes[l] * arch.sizes[l + 1]
            layers.append(relativeError(analytic, numeric, off.weights..<end))
        }
        return Result(overall: relativeError(analytic, numeric, 0..<theta.count), layers: layers)
    }

    /// ‖a − b‖ / (‖a‖ + ‖b‖) over `range`, 0 when both vanish.
    static func relativeError(_ a: [Double], _ b: [Double], _ r: Range<Int>) -> Double {
        var d = 0.0, na = 0.0, nb = 0.0
        for i in r { d += (a[i] - b[i]) * (a[i] - b[i]); na += a[i] * a[i]; nb += b[i] * b[i] }
        let denom = na.squareRoot() + nb.squareRoot()
        return denom == 0 ? 0 : d.squareRoot() / denom
    }
}
