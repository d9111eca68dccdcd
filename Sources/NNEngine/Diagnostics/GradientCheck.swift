/// Gradient checking: backpropagation against central differences, (f(θ+εeᵢ) − f(θ−εeᵢ)) / 2ε, one
/// parameter at a time, always in Float64 (in Float32 the differences drown in rounding).
///
/// The score is the relative error ‖g − n‖₂ / (‖g‖₂ + ‖n‖₂), overall and per layer (weights and
/// biases of that layer), judged as Raschka's `MLPGradientCheck` does: ok ≤ 1e-7, warning ≤ 1e-4,
/// problem above. The one judgement of a gradient check: `nnexp gradcheck` prints these verdicts too.
public enum GradientVerdict: String, Hashable, Sendable, Comparable {
    /// e ≤ 1e-7: backpropagation agrees with the differences to their accuracy.
    case ok
    /// 1e-7 < e ≤ 1e-4: worth a look (kinks such as ReLU's at 0 can cause it).
    case warning
    /// e > 1e-4, or NaN: the gradient is wrong.
    case problem

    /// The verdict for relative error e: ok when e ≤ 1e-7, warning when e ≤ 1e-4, problem above (or NaN).
    public init(relativeError e: Double) {
        if e <= 1e-7 { self = .ok } else if e <= 1e-4 { self = .warning } else { self = .problem }
    }

    /// ok < warning < problem, so the worst of several verdicts is their `max`.
    public static func < (a: Self, b: Self) -> Bool { a.rank < b.rank }
    private var rank: Int { self == .ok ? 0 : self == .warning ? 1 : 2 }
}

/// The gradient check's score for one weight layer (its weights and biases together).
public struct LayerGradientError: Hashable, Sendable {
    /// Weight layer, counted from 1 (W1, b1 …).
    public var layer: Int
    /// ‖g − n‖₂ / (‖g‖₂ + ‖n‖₂) over this layer's parameters.
    public var relativeError: Double
    /// The verdict for `relativeError` (thresholds on `GradientVerdict`).
    public var verdict: GradientVerdict { GradientVerdict(relativeError: relativeError) }
}

/// The outcome of a gradient check: the overall and per-layer relative errors and both gradients.
public struct GradientCheckReport: Sendable {
    /// ‖g − n‖₂ / (‖g‖₂ + ‖n‖₂) over all parameters.
    public var relativeError: Double
    /// One row per weight layer, in order.
    public var layers: [LayerGradientError]
    /// Backpropagated and numerical gradients in the flat parameter layout.
    public var analytic: [Double]
    /// The central-difference gradient, same layout as `analytic`.
    public var numeric: [Double]
    /// The verdict for the overall `relativeError`.
    public var verdict: GradientVerdict { GradientVerdict(relativeError: relativeError) }
    /// The worst of the overall and per-layer verdicts.
    public var worstVerdict: GradientVerdict { layers.map(\.verdict).reduce(verdict, max) }
}

/// Runs a gradient check (method and score in the comment on `GradientVerdict`).
public enum GradientCheck {
    /// Compares the gradient of the (reduced, regularised) cost over all `samples` at `parameters`.
    public static func run(
        architecture arch: Architecture, parameters: [Double], samples: Samples<Double>,
        loss: Loss, reduction: Reduction, regularization: Regularization,
        epsilon: Double = 1e-6
    ) -> GradientCheckReport {
        precondition(parameters.count == arch.parameterCount, "gradient check: parameter count mismatch")
        precondition(
            samples.inputs == arch.inputs && samples.outputs == arch.outputs, "gradient check: sample shape mismatch")
        let ws = Workspace<Double>(architecture: arch, capacity: samples.count)
        ws.input.update(from: samples.x, count: samples.x.count)
        ws.targets.update(from: samples.y, count: samples.y.count)
        let n = parameters.count
        var theta = parameters
        var analytic = [Double](repeating: 0, count: n)
        var scratch = analytic
        var numeric = analytic
        func cost(_ g: inout [Double]) -> Double {
            theta.withUnsafeBufferPointer { p in
                g.withUnsafeMutableBufferPointer { gb in
                    arch.costAndGradient(
                        ws, rows: samples.count, loss: loss, reduction: reduction,
                        regularization: regularization, parameters: p.baseAddress!, gradient: gb.baseAddress!)
                }
            }
        }
        _ = cost(&analytic)
        for i in 0..<n {
            let saved = theta[i]
            theta[i] = saved + epsilon
            let plus = cost(&scratch)
            theta[i] = saved - epsilon
            let minus = cost(&scratch)
            theta[i] = saved
            numeric[i] = (plus - minus) / (2 * epsilon)
        }
        var layers: [LayerGradientError] = []
        for (l, off) in arch.layout.enumerated() {
            let end = off.bias.map { $0 + arch.sizes[l + 1] } ?? off.weights + arch.sizes[l] * arch.sizes[l + 1]
            layers.append(
                LayerGradientError(layer: l + 1, relativeError: relativeError(analytic, numeric, off.weights..<end)))
        }
        return GradientCheckReport(
            relativeError: relativeError(analytic, numeric, 0..<n), layers: layers,
            analytic: analytic, numeric: numeric)
    }

    /// The same check for a network in either precision: parameters and samples are widened to Float64.
    public static func run<T: Real>(
        network: Network<T>, samples: Samples<T>, loss: Loss, reduction: Reduction,
        regularization: Regularization, epsilon: Double = 1e-6
    ) -> GradientCheckReport {
        let s = Samples<Double>(
            x: samples.x.map { Double($0) }, y: samples.y.map { Double($0) }, count: samples.count,
            inputs: samples.inputs, outputs: samples.outputs)
        return run(
            architecture: network.architecture, parameters: network.parameters.map { Double($0) }, samples: s,
            loss: loss, reduction: reduction, regularization: regularization, epsilon: epsilon)
    }

    /// ‖a − b‖ / (‖a‖ + ‖b‖) over `range`; 0 when both are zero.
    static func relativeError(_ a: [Double], _ b: [Double], _ range: Range<Int>) -> Double {
        var diff = 0.0
        var na = 0.0
        var nb = 0.0
        for i in range {
            diff += (a[i] - b[i]) * (a[i] - b[i])
            na += a[i] * a[i]
            nb += b[i] * b[i]
        }
        let denom = na.squareRoot() + nb.squareRoot()
        return denom == 0 ? 0 : diff.squareRoot() / denom
    }
}
