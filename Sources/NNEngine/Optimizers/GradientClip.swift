/// Gradient clipping before each first-order step, `optimizer.clip` (torch.nn.utils' two forms):
///
///     norm: c    if ‖g‖₂ > c:  g ← g · c/‖g‖₂     (‖g‖₂ over every parameter at once)
///     value: c   gᵢ ← min(max(gᵢ, −c), c)
///
/// The norm form caps ‖g‖₂ at c exactly (up to rounding); torch's `clip_grad_norm_` divides by
/// ‖g‖₂ + 1e-6, which leaves the norm a hair below c. The clipped gradient is what the optimizer
/// sees (the regularization penalty's share included).
public enum GradientClip: Hashable, Sendable {
    case norm(Double)
    case value(Double)

    /// The spec forms: `{norm: X}` or `{value: X}`, X > 0.
    public static let kinds = ["norm", "value"]

    /// Clips `g` (length n) in place.
    @inline(__always)
    func apply<T: Real>(_ g: UnsafeMutablePointer<T>, count n: Int) {
        switch self {
        case .norm(let c):
            var sq = 0.0
            for i in 0..<n {
                let x = Double(g[i])
                sq += x * x
            }
            let norm = sq.squareRoot()
            guard norm > c else { return }
            let scale = T(c / norm)
            for i in 0..<n { g[i] *= scale }
        case .value(let c):
            let hi = T(c)
            let lo = -T(c)
            for i in 0..<n { g[i] = min(max(g[i], lo), hi) }
        }
    }
}
