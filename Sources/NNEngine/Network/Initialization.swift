/// How initial weights are drawn. Biases start at zero unless `biasesToo` says otherwise (Raschka draws
/// his bias column from the same uniform as the weights).
public enum Initialization: Hashable, Sendable {
    case uniform(Double, Double)
    case normal(mean: Double, std: Double)
    /// Glorot & Bengio: U(±√(6/(in+out))).
    case xavierUniform
    /// N(0, √(2/(in+out))).
    case xavierNormal
    /// He et al.: N(0, √(2/in)).
    case he
    /// Coursera rule: U(±ε), ε = √6/√(in+out): the same distribution as `xavierUniform` under Coursera's
    /// name (kept so specs can say which course they follow); the bound is computed in that order, so it
    /// can differ from Xavier's √(6/(in+out)) in the last bit and the draws are not bit-identical.
    case epsilon
}

extension Initialization {
    /// Fills the flat parameter vector `p` for `arch`, drawing from `rng` layer by layer, weights
    /// row-major then biases, so the order of draws is fixed and documented.
    public func fill<T: Real>(_ p: inout [T], arch: Architecture, biasesToo: Bool, rng: inout RNG) {
        precondition(p.count == arch.parameterCount)
        for (l, off) in arch.layout.enumerated() {
            let fanIn = arch.sizes[l]
            let fanOut = arch.sizes[l + 1]
            for i in 0..<(fanIn * fanOut) { p[off.weights + i] = T(draw(fanIn: fanIn, fanOut: fanOut, rng: &rng)) }
            if let b = off.bias {
                for i in 0..<fanOut { p[b + i] = biasesToo ? T(draw(fanIn: fanIn, fanOut: fanOut, rng: &rng)) : 0 }
            }
        }
    }

    private func draw(fanIn: Int, fanOut: Int, rng: inout RNG) -> Double {
        let fi = Double(fanIn)
        let fo = Double(fanOut)
        switch self {
        case .uniform(let a, let b): return rng.uniform(a, b)
        case .normal(let m, let s): return rng.normal(mean: m, std: s)
        case .xavierUniform:
            let r = (6 / (fi + fo)).squareRoot()
            return rng.uniform(-r, r)
        case .xavierNormal: return rng.normal(mean: 0, std: (2 / (fi + fo)).squareRoot())
        case .he: return rng.normal(mean: 0, std: (2 / fi).squareRoot())
        case .epsilon:
            let e = 6.0.squareRoot() / (fi + fo).squareRoot()
            return rng.uniform(-e, e)
        }
    }
}
