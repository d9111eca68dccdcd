/// A line search for the strong Wolfe conditions (Nocedal & Wright, Numerical Optimization, 2nd ed.,
/// algorithms 3.5 and 3.6: bracketing, then "zoom" with safeguarded cubic interpolation).
///
/// Hand-written because BFGS and nonlinear CG need one and no Debian library exposes one on its own:
/// liblbfgs has More–Thuente and backtracking searches, but only inside `lbfgs()`. Its conditions, for
/// φ(α) = f(x + α·d):
///   sufficient decrease  φ(α) ≤ φ(0) + c1·α·φ'(0)
///   curvature            |φ'(α)| ≤ c2·|φ'(0)|
/// BFGS uses c2 = 0.9 (scipy's `minimize(method='BFGS')`), conjugate gradient c2 = 0.4 (scipy's
/// `fmin_cg`), which keeps PR+ directions descent directions.
public struct StrongWolfeLineSearch: Sendable {
    /// c1 of the sufficient-decrease condition. Default 1e-4.
    public var c1: Double
    /// c2 of the curvature condition, c1 < c2 < 1. Default 0.9.
    public var c2: Double
    /// Objective evaluations allowed per search.
    public var maxEvaluations: Int
    /// Largest step α tried. Default 1e10.
    public var maxStep: Double

    /// Settings with the defaults above (0 < c1 < c2 < 1 checked by precondition).
    public init(c1: Double = 1e-4, c2: Double = 0.9, maxEvaluations: Int = 40, maxStep: Double = 1e10) {
        precondition(0 < c1 && c1 < c2 && c2 < 1, "line search needs 0 < c1 < c2 < 1")
        self.c1 = c1
        self.c2 = c2
        self.maxEvaluations = maxEvaluations
        self.maxStep = maxStep
    }

    /// The result of one search.
    public struct Outcome: Sendable {
        /// The accepted step α (0 when the search failed).
        public var step: Double
        /// φ(α) and φ'(α) at the accepted step.
        public var cost: Double
        /// φ'(α), the directional derivative at the accepted step.
        public var slope: Double
        /// Objective evaluations this search made.
        public var evaluations: Int
        /// Both strong Wolfe conditions hold at `step`.
        public var strongWolfe: Bool
        /// A step was accepted: strong Wolfe, or (fallback after the evaluation budget) at least
        /// sufficient decrease. When false, `xNew`/`gNew` hold no meaningful point.
        public var accepted: Bool
    }

    /// Searches along `d` from `x` (cost `fx`, directional derivative `slope` = ∇f(x)·d < 0). On
    /// acceptance, `xNew` and `gNew` hold x + α·d and its gradient.
    public func search(
        _ f: Objective, count n: Int, x: UnsafePointer<Double>, cost fx: Double, slope dphi0: Double,
        direction d: UnsafePointer<Double>, initialStep: Double,
        xNew: UnsafeMutablePointer<Double>, gNew: UnsafeMutablePointer<Double>
    ) -> Outcome {
        var evaluations = 0
        var lastEvaluated = -1.0
        func phi(_ a: Double) -> (Double, Double) {
            for i in 0..<n { xNew[i] = x[i] + a * d[i] }
            let v = f(UnsafePointer(xNew), gNew)
            evaluations += 1
            lastEvaluated = a
            let s = Vec.dot(n, UnsafePointer(gNew), d)
            return (v, s)
        }
        func finish(_ a: Double, _ v: Double, _ s: Double, wolfe: Bool) -> Outcome {
            var v = v
            var s = s
            if a != lastEvaluated { (v, s) = phi(a) }
            return Outcome(step: a, cost: v, slope: s, evaluations: evaluations, strongWolfe: wolfe, accepted: true)
        }
        let failed = {
            Outcome(step: 0, cost: fx, slope: dphi0, evaluations: evaluations, strongWolfe: false, accepted: false)
        }
        guard dphi0 < 0, fx.isFinite else { return failed() }

        func armijo(_ a: Double, _ v: Double) -> Bool { v.isFinite && v <= fx + c1 * a * dphi0 }
        func curvature(_ s: Double) -> Bool { abs(s) <= -c2 * dphi0 }

        // Zoom between a_lo (satisfies sufficient decrease, lowest φ so far) and a_hi.
        func zoom(_ lo0: (Double, Double, Double), _ hi0: (Double, Double, Double)) -> Outcome {
            var lo = lo0
            var hi = hi0
            while evaluations < maxEvaluations {
                let a = Self.interpolate(lo, hi)
                let (v, s) = phi(a)
                if !armijo(a, v) || v >= lo.1 {
                    hi = (a, v, s)
                } else {
                    if curvature(s) { return finish(a, v, s, wolfe: true) }
                    if s * (hi.0 - lo.0) >= 0 { hi = lo }
                    lo = (a, v, s)
                }
                if abs(hi.0 - lo.0) <= 1e-16 * max(1, abs(lo.0)) { break }
            }
            // Budget spent or interval collapsed: keep the best sufficient-decrease point, if any.
            if lo.0 > 0 { return finish(lo.0, lo.1, lo.2, wolfe: false) }
            return failed()
        }

        var prev = (0.0, fx, dphi0)
        var a = min(max(initialStep, 1e-20), maxStep)
        var first = true
        while evaluations < maxEvaluations {
            let (v, s) = phi(a)
            if !armijo(a, v) || (!first && v >= prev.1) { return zoom(prev, (a, v, s)) }
            if curvature(s) { return finish(a, v, s, wolfe: true) }
            if s >= 0 { return zoom((a, v, s), prev) }
            prev = (a, v, s)
            first = false
            if a >= maxStep { break }
            a = min(2 * a, maxStep)
        }
        if prev.0 > 0 { return finish(prev.0, prev.1, prev.2, wolfe: false) }
        return failed()
    }

    /// Minimiser of the cubic through (α, φ, φ') at both ends (N&W eq. 3.59), kept at least 10 % of
    /// the interval away from either end; bisection when the cubic is unusable (e.g. φ infinite).
    static func interpolate(_ p: (Double, Double, Double), _ q: (Double, Double, Double)) -> Double {
        let (a, fa, ga) = p
        let (b, fb, gb) = q
        let mid = (a + b) / 2
        guard fa.isFinite, fb.isFinite, ga.isFinite, gb.isFinite, a != b else { return mid }
        let d1 = ga + gb - 3 * (fa - fb) / (a - b)
        let disc = d1 * d1 - ga * gb
        guard disc >= 0 else { return mid }
        let d2 = (b > a ? 1.0 : -1.0) * disc.squareRoot()
        let denom = gb - ga + 2 * d2
        guard denom != 0 else { return mid }
        let t = b - (b - a) * (gb + d2 - d1) / denom
        let lo = min(a, b)
        let hi = max(a, b)
        let margin = 0.1 * (hi - lo)
        guard t.isFinite, t >= lo + margin, t <= hi - margin else { return mid }
        return t
    }
}
