/// Buffers for forward and backward passes over batches of up to `capacity` samples, allocated once
/// per run so that the training loop allocates nothing. It also caches the architecture's parameter
/// offsets, because `Architecture.layout` builds a fresh array on every call.
public final class Workspace<T: Real>: @unchecked Sendable {
    /// Rows the buffers hold (at least 1).
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
    /// Each row's maximum logit and sum of exp(z − max) from the last forward pass's softmax output
    /// (`Activation.softmax`), for the cross-entropy (`softmaxRows`); unused for other outputs.
    let softmaxMaxima: UnsafeMutablePointer<T>
    let softmaxSums: UnsafeMutablePointer<T>
    /// `softmaxMaxima` and `softmaxSums` as `Loss.total` takes them.
    var softmaxRows: (maxima: UnsafePointer<T>, sums: UnsafePointer<T>) {
        (UnsafePointer(softmaxMaxima), UnsafePointer(softmaxSums))
    }
    /// Dropout masks per layer (acts index; nil: none), the layer's outputs before masking (`kept`,
    /// for f'(a) in backpropagation) and its drop rate; set by `enableDropout` (Dropout.swift).
    var masks: [UnsafeMutablePointer<T>?]
    var kept: [UnsafeMutablePointer<T>?]
    var dropRates: [Double]
    /// The run's threads (`ThreadTeam`): products (`ProductBlocks`), elementwise work and the optimizer
    /// update of a step use them; results are the same bits for any number.
    public let team = ThreadTeam()
    /// Threads a step may use (capped at `ThreadTeam.maxThreads`); results are the same bits for any value.
    public var threads: Int {
        get { team.threads }
        set { team.threads = newValue }
    }

    /// Buffers for `architecture` and batches of up to `capacity` rows (raised to 1), dropout off.
    // @_specialize(exported:): built by other modules (every run builds two or three); unspecialised,
    // zeroing the buffers went through a value-witness call per element (~3 % of a one-epoch MNIST run).
    @_specialize(exported:true,where T == Float)
    @_specialize(exported:true,where T == Double)
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
        softmaxMaxima = .allocate(capacity: cap)
        softmaxSums = .allocate(capacity: cap)
        masks = sizes.map { _ in nil }
        kept = sizes.map { _ in nil }
        dropRates = sizes.map { _ in 0 }
        // Defined contents, so that reading a buffer before writing it is never undefined behaviour.
        for (i, s) in sizes.enumerated() {
            acts[i].initialize(repeating: 0, count: s * cap)
            deltas[i].initialize(repeating: 0, count: s * cap)
        }
        logits.initialize(repeating: 0, count: architecture.outputs * cap)
        targets.initialize(repeating: 0, count: architecture.outputs * cap)
        softmaxMaxima.initialize(repeating: 0, count: cap)
        softmaxSums.initialize(repeating: 0, count: cap)
    }

    deinit {
        acts.forEach { $0.deallocate() }
        deltas.forEach { $0.deallocate() }
        logits.deallocate()
        targets.deallocate()
        softmaxMaxima.deallocate()
        softmaxSums.deallocate()
        disableDropout()
    }

    /// The input batch (capacity × inputs, row-major), filled by the caller before `forward`.
    public var input: UnsafeMutablePointer<T> { acts[0] }
    /// The output layer's activations after `forward`.
    public var output: UnsafePointer<T> { UnsafePointer(acts[acts.count - 1]) }

    /// Whether this workspace was built for `architecture`'s layer sizes.
    func fits(_ architecture: Architecture) -> Bool {
        sizes == architecture.sizes && (biasOffsets[0] >= 0) == architecture.bias
    }

    /// Writes one-hot rows into `dst`: row r is +0 everywhere but 1 at column classes[indices[r]] (the
    /// targets of a minibatch, the very values gathering the one-hot rows would copy).
    @inline(__always)
    static func oneHotRows(
        _ classes: UnsafePointer<Int32>, indices: UnsafeBufferPointer<Int>, cols: Int, into dst: UnsafeMutablePointer<T>
    ) {
        dst.update(repeating: 0, count: indices.count * cols)
        for r in 0..<indices.count { dst[r * cols + Int(classes[indices[r]])] = 1 }
    }

    /// Copies rows `indices` of a row-major matrix with `cols` columns into `dst` (a batch gather).
    ///
    /// The rows sit at random places in a training set far larger than the caches, so a row-by-row
    /// memcpy waits on one cache miss after another (it was ~20 % of a Raschka MNIST epoch). Copying
    /// four rows side by side, one 64-byte line of each in turn, keeps four misses in flight; the
    /// bytes copied are the same.
    @inline(__always)
    static func gather(
        _ src: UnsafePointer<T>, cols: Int, indices: UnsafeBufferPointer<Int>, into dst: UnsafeMutablePointer<T>
    ) {
        let rowBytes = cols * MemoryLayout<T>.stride
        let n = indices.count
        // Rows shorter than a cache line (targets: 10 values of MNIST's one-hot rows) as an element
        // loop: a memmove call per row cost ~2 % of a Raschka epoch (60 000 calls) in `perf`.
        if rowBytes < 64 {
            for r in 0..<n {
                let s = src + indices[r] * cols
                let d = dst + r * cols
                for j in 0..<cols { d[j] = s[j] }
            }
            return
        }
        let lines = rowBytes / 64
        let tail = rowBytes - lines * 64
        var r = 0
        while r + 4 <= n {
            let s0 = UnsafeRawPointer(src + indices[r] * cols)
            let s1 = UnsafeRawPointer(src + indices[r + 1] * cols)
            let s2 = UnsafeRawPointer(src + indices[r + 2] * cols)
            let s3 = UnsafeRawPointer(src + indices[r + 3] * cols)
            let d = UnsafeMutableRawPointer(dst + r * cols)
            for c in 0..<lines {
                let o = c * 64
                let v0 = (s0 + o).loadUnaligned(as: SIMD16<Float>.self)
                let v1 = (s1 + o).loadUnaligned(as: SIMD16<Float>.self)
                let v2 = (s2 + o).loadUnaligned(as: SIMD16<Float>.self)
                let v3 = (s3 + o).loadUnaligned(as: SIMD16<Float>.self)
                (d + o).storeBytes(of: v0, as: SIMD16<Float>.self)
                (d + rowBytes + o).storeBytes(of: v1, as: SIMD16<Float>.self)
                (d + 2 * rowBytes + o).storeBytes(of: v2, as: SIMD16<Float>.self)
                (d + 3 * rowBytes + o).storeBytes(of: v3, as: SIMD16<Float>.self)
            }
            if tail > 0 {
                let o = lines * 64
                (d + o).copyMemory(from: s0 + o, byteCount: tail)
                (d + rowBytes + o).copyMemory(from: s1 + o, byteCount: tail)
                (d + 2 * rowBytes + o).copyMemory(from: s2 + o, byteCount: tail)
                (d + 3 * rowBytes + o).copyMemory(from: s3 + o, byteCount: tail)
            }
            r += 4
        }
        while r < n {
            (dst + r * cols).update(from: src + indices[r] * cols, count: cols)
            r += 1
        }
    }
}
