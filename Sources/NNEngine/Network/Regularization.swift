/// L1 and L2 penalties on weights (never biases, as in every seed).
///
/// Penalty = l1·Σ|w| + (l2/2)·Σw², gradient l1·sign(w) + l2·w (the true subgradient: Raschka's code
/// adds l1·w, a bug not copied). The penalty scales like the data term: added as is to a `sum`-reduced
/// cost (Raschka: λ/2·Σw²), divided by the batch size for a `mean`-reduced cost (Coursera: λ/(2m)·Σw²).
public struct Regularization: Hashable, Sendable {
    public var l1: Double
    public var l2: Double
    public init(l1: Double = 0, l2: Double = 0) { self.l1 = l1; self.l2 = l2 }
    public static let none = Regularization()
    public var isActive: Bool { l1 != 0 || l2 != 0 }
}
