import NNRandom

/// Inverted dropout (Srivastava et al. 2014) on the hidden layers, during training only.
///
/// Each training step draws, for every hidden unit of every sample of the batch, a mask
/// m = 0 with probability p and m = 1/(1−p) otherwise, and the layer's output becomes a ⊙ m, so
/// E[a ⊙ m] = a: evaluation uses the network unchanged (no rescaling at test time). Backpropagation
/// multiplies the layer's delta by the same m: δ = (δ_next · W) ⊙ f'(a) ⊙ m.
///
/// Masks come from the run's seed through their own named stream ("dropout"), drawn one layer after
/// another, row by row, before the step's forward pass: they depend on the seed and the step alone,
/// never on threads or product blocking. A rate of 0 draws nothing (bit-identical to no dropout).
public struct Dropout: Hashable, Sendable {
    /// Drop probability p of each hidden layer, 0 ≤ p < 1 (index 0: the first hidden layer).
    public var rates: [Double]

    /// Dropout with these per-layer rates, each in [0, 1) (checked by precondition).
    public init(rates: [Double]) {
        precondition(rates.allSatisfy { $0 >= 0 && $0 < 1 }, "dropout rates must be in [0, 1)")
        self.rates = rates
    }

    /// Whether any hidden layer drops anything.
    public var isActive: Bool { rates.contains { $0 > 0 } }

    /// The name of the stream masks are drawn from.
    public static let stream = "dropout"
}

extension Workspace {
    /// Allocates mask buffers for `dropout` (once, before training: the loop then allocates nothing).
    /// Layers whose rate is 0 get none. Rates beyond the hidden layers are ignored.
    public func enableDropout(_ dropout: Dropout) {
        let hidden = sizes.count - 2
        precondition(
            dropout.rates.count == hidden || dropout.rates.count == 1,
            "dropout has \(dropout.rates.count) rates for \(hidden) hidden layers")
        disableDropout()
        for h in 0..<hidden {
            let p = dropout.rates.count == 1 ? dropout.rates[0] : dropout.rates[h]
            guard p > 0 else { continue }
            let n = sizes[h + 1] * capacity
            let m = UnsafeMutablePointer<T>.allocate(capacity: n)
            let k = UnsafeMutablePointer<T>.allocate(capacity: n)
            m.initialize(repeating: 1, count: n)
            k.initialize(repeating: 0, count: n)
            masks[h + 1] = m
            kept[h + 1] = k
            dropRates[h + 1] = p
        }
    }

    /// Frees the masks: forward and backward passes are plain again.
    public func disableDropout() {
        for i in masks.indices {
            masks[i]?.deallocate()
            kept[i]?.deallocate()
            masks[i] = nil
            kept[i] = nil
            dropRates[i] = 0
        }
    }

    /// Whether masks are applied in the passes.
    public var dropoutEnabled: Bool { masks.contains { $0 != nil } }

    /// Draws the masks of a batch of `rows` samples from `rng`: layer by layer, row by row, unit by
    /// unit, one uniform u per unit, m = u < p ? 0 : 1/(1−p).
    public func drawDropoutMasks(rows: Int, rng: inout RNG) {
        for l in masks.indices {
            guard let m = masks[l] else { continue }
            let p = dropRates[l]
            let keep = T(1 / (1 - p))
            for i in 0..<(rows * sizes[l]) { m[i] = rng.uniform() < p ? 0 : keep }
        }
    }

    /// The mask buffer of layer `l` (acts index; nil when that layer has none), for tests that fix a mask.
    public func dropoutMask(layer l: Int) -> UnsafeMutablePointer<T>? { masks[l] }
}
