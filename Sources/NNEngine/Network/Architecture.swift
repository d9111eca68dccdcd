/// The shape of a fully connected network: layer sizes `[inputs, hidden…, outputs]`, one activation per
/// weight layer (hidden layers then output), and whether layers carry a bias.
public struct Architecture: Hashable, Sendable {
    /// Units per layer: inputs, each hidden layer, outputs (at least two entries).
    public var sizes: [Int]
    /// One activation per weight layer (`sizes.count − 1`), the last one the output's.
    public var activations: [Activation]
    /// Whether every layer has biases. Default true.
    public var bias: Bool

    /// An architecture from its sizes and one activation per weight layer (checked by precondition).
    public init(sizes: [Int], activations: [Activation], bias: Bool = true) {
        precondition(sizes.count >= 2, "a network needs at least an input and an output layer")
        precondition(activations.count == sizes.count - 1, "one activation per weight layer")
        self.sizes = sizes
        self.activations = activations
        self.bias = bias
    }

    /// All hidden layers share `hidden`; the last layer uses `output`.
    public init(sizes: [Int], hidden: Activation, output: Activation, bias: Bool = true) {
        self.init(
            sizes: sizes, activations: Array(repeating: hidden, count: max(sizes.count - 2, 0)) + [output],
            bias: bias)
    }

    /// Weight layers: `sizes.count − 1`.
    public var layerCount: Int { sizes.count - 1 }
    /// Input features: `sizes[0]`.
    public var inputs: Int { sizes[0] }
    /// Output units: the last size.
    public var outputs: Int { sizes[sizes.count - 1] }
    /// The output layer's activation.
    public var output: Activation { activations[activations.count - 1] }

    /// Offsets of each layer's weights (out×in, row-major) and biases in the flat parameter vector.
    public var layout: [(weights: Int, bias: Int?)] {
        var off = 0
        var result: [(Int, Int?)] = []
        for l in 0..<layerCount {
            let w = off
            off += sizes[l + 1] * sizes[l]
            var b: Int? = nil
            if bias {
                b = off
                off += sizes[l + 1]
            }
            result.append((w, b))
        }
        return result
    }

    /// Σ over layers of out·in weights, plus out biases when `bias`.
    public var parameterCount: Int {
        (0..<layerCount).reduce(0) { $0 + sizes[$1 + 1] * sizes[$1] + (bias ? sizes[$1 + 1] : 0) }
    }

    /// Multiply–adds of one forward pass for one sample (for GFLOP/s figures: ×2 for flops, ×3 with backprop).
    public var forwardMACsPerSample: Int { (0..<layerCount).reduce(0) { $0 + sizes[$1] * sizes[$1 + 1] } }
}
