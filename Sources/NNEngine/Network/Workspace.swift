/// Buffers for forward and backward passes over batches of up to `capacity` samples, allocated once
/// per run so that the training loop allocates nothing. It also caches the architecture's parameter
/// offsets, because `Architecture.layout` builds a fresh array on every call.
public final class Workspace<T: Real>: @unchecked Sendable {
    public let capacity: Int
    let sizes: [Int]
    /// Offset of each layer's weights in the flat parameter vector.
    let weightOffsets: [Int]
    /// Offset of each layer's biases, or −1 when the network has none.
    let biasOffsets: [Int]
    /// acts[0] is the input batch; acts[l] the outputs of layer l.
    let acts: [UnsafeMutablePointer<T>]
    /// Output-layer pre-activations (logits), kept for numerically stable losses.
    let logits: UnsafeMutablePointer<T>
    /// deltas[l] is ∂cost/∂z of layer l (index 0 unused).
    let deltas: [UnsafeMutablePointer<T>]
    /// Targets of the current batch.
    let targets: UnsafeMutablePointer<T>

    public init(architecture: Architecture, capacity: Int) {
        let cap = max(capacity, 1)
        self.capacity = cap
        self.sizes = architecture.sizes
        let layout = architecture.layout
        weightOffsets = layout.map(\.weights)
        biasOffsets = layout.map { $0.bias ?? -1 }
        acts = sizes.map { UnsafeMutablePointer<T>.allocate(capacity: $0 * cap) }
        logits = .allocate(capacity: architecture.outputs * cap)
        deltas = sizes.map { UnsafeMutablePointer<T>.allocate(capacity: $0 * cap) }
        targets = .allocate(capacity: architecture.outputs * cap)
        // Defined contents, so that reading a buffer before writing it is never undefined behaviour.
        for (i, s) in sizes.enumerated() {
            acts[i].initialize(repeating: 0, count: s * cap)
            deltas[i].initialize(repeating: 0, count: s * cap)
        }
        logits.initialize(repeating: 0, count: architecture.outputs * cap)
        targets.initialize(repeating: 0, count: architecture.outputs * cap)
    }

    deinit {
        acts.forEach { $0.deallocate() }
        deltas.forEach { $0.deallocate() }
        logits.deallocate()
        targets.deallocate()
    }

    public var input: UnsafeMutablePointer<T> { acts[0] }
    public var target: UnsafeMutablePointer<T> { targets }
    public var output: UnsafePointer<T> { UnsafePointer(acts[acts.count - 1]) }

    /// Whether this workspace was built for `architecture`'s layer sizes.
    func fits(_ architecture: Architecture) -> Bool { sizes == architecture.sizes && (biasOffsets[0] >= 0) == architecture.bias }

    /// Copies rows `indices` of a row-major matrix with `cols` columns into `dst` (a batch gather).
    @inline(__always)
    static func gather(_ src: UnsafePointer<T>, cols: Int, indices: UnsafeBufferPointer<Int>, into dst: UnsafeMutablePointer<T>) {
        for (r, i) in indices.enumerated() {
            (dst + r * cols).update(from: src + i * cols, count: cols)
        }
    }
}
