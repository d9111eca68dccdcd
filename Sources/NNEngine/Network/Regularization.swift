/// L1 and L2 penalties on weights (never biases, as in every seed).
///
/// Penalty = l1·Σ|w| + (l2/2)·Σw², gradient l1·sign(w) + l2·w (the true subgradient: Raschka's code
/// adds l1·w, a bug not copied). The penalty scales like the data term: added as is to a `sum`-reduced
/// cost (Raschka: λ/2·Σw²), divided by the batch size for a `mean`-reduced cost (Coursera: λ/(2m)·Σw²).
public struct Regularization: Hashable, Sendable {
    /// λ₁ of the L1 penalty l1·Σ|w|, ≥ 0. Default 0.
    public var l1: Double
    /// λ₂ of the L2 penalty (l2/2)·Σw², ≥ 0. Default 0.
    public var l2: Double
    /// Penalties l1 and l2, both 0 (none) by default.
    public init(l1: Double = 0, l2: Double = 0) {
        self.l1 = l1
        self.l2 = l2
    }
    /// No penalty (l1 = l2 = 0).
    public static let none = Regularization()
    /// Whether either penalty is non-zero.
    public var isActive: Bool { l1 != 0 || l2 != 0 }
}

extension Regularization {
    /// Adds the penalty's gradient to `grad` for every weight block and returns the penalty, both
    /// multiplied by `scale` (1 for sum-reduced costs, 1/rows for mean-reduced ones).
    @inline(__always)
    func addPenalty<T: Real>(
        parameters p: UnsafePointer<T>, gradient grad: UnsafeMutablePointer<T>,
        sizes: [Int], weightOffsets: [Int], scale: T
    ) -> T {
        let l1 = T(self.l1) * scale
        let l2 = T(self.l2) * scale
        for l in 0..<weightOffsets.count {
            let n = sizes[l] * sizes[l + 1]
            let w = p + weightOffsets[l]
            let g = grad + weightOffsets[l]
            if self.l1 == 0 {
                // L2 only (Raschka, scikit-learn): g += l2·w at the CPU's full width (penalty.c).
                T.addL2Gradient(g, weights: w, count: n, lambda: l2)
                continue
            }
            for i in 0..<n {
                let wi = w[i]
                // True subgradient of |w|: sign(w), and 0 at w = 0.
                let sign: T = wi > 0 ? 1 : (wi < 0 ? -1 : 0)
                g[i] += l1 * sign + l2 * wi
            }
        }
        return penalty(parameters: p, sizes: sizes, weightOffsets: weightOffsets, scale: scale)
    }

    /// The penalty l1·Σ|w| + (l2/2)·Σw² over every weight block, times `scale`: the one place it is
    /// summed (the minibatch cost, the full-batch cost and the fused per-sample SGD step all call it).
    ///
    /// Blocks are summed in layer order. With l1 = 0, Σw² is BLAS's dot (vectorised; a sum inside a
    /// scalar loop stays scalar); otherwise Σ|w| and Σw² are summed in one pass, in index order.
    @inline(__always)
    func penalty<T: Real>(parameters p: UnsafePointer<T>, sizes: [Int], weightOffsets: [Int], scale: T) -> T {
        let l1 = T(self.l1) * scale
        let halfL2 = T(self.l2) * scale / 2
        var penalty: T = 0
        for l in 0..<weightOffsets.count {
            let n = sizes[l] * sizes[l + 1]
            let w = p + weightOffsets[l]
            if self.l1 == 0 {
                penalty += halfL2 * T.dot(n, w, w)
                continue
            }
            var absSum: T = 0
            var sqSum: T = 0
            for i in 0..<n {
                absSum += abs(w[i])
                sqSum += w[i] * w[i]
            }
            penalty += l1 * absSum + halfL2 * sqSum
        }
        return penalty
    }
}
