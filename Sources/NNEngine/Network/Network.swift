/// A fully connected network: an architecture plus one flat parameter vector. Layer l's weights are an
/// out×in row-major block (the layout `.npz` files use), followed by its biases. Keeping all parameters
/// in one vector lets every optimizer, from SGD to BFGS, work on the same contiguous memory.
public struct Network<T: Real>: Sendable {
    public let architecture: Architecture
    public var parameters: [T]

    public init(architecture: Architecture, parameters: [T]) {
        precondition(parameters.count == architecture.parameterCount)
        self.architecture = architecture
        self.parameters = parameters
    }

    /// A network with parameters drawn by `initialization` from the stream "init" of `seed`.
    public init(architecture: Architecture, initialization: Initialization, biasesToo: Bool = false, seed: UInt64) {
        var p = [T](repeating: 0, count: architecture.parameterCount)
        var rng = RNG(seed: seed, stream: "init")
        initialization.fill(&p, arch: architecture, biasesToo: biasesToo, rng: &rng)
        self.init(architecture: architecture, parameters: p)
    }

    /// Mask of regularised parameters (1 for weights, 0 for biases).
    public var weightMask: [Bool] {
        var m = [Bool](repeating: false, count: parameters.count)
        for (l, off) in architecture.layout.enumerated() {
            for i in 0..<(architecture.sizes[l] * architecture.sizes[l + 1]) { m[off.weights + i] = true }
        }
        return m
    }
}

/// Buffers for forward and backward passes over batches of up to `capacity` samples, allocated once
/// per run so that the training loop allocates nothing.
public final class Workspace<T: Real>: @unchecked Sendable {
    public let capacity: Int
    let sizes: [Int]
    /// acts[0] is the input batch; acts[l] the outputs of layer l.
    let acts: [UnsafeMutablePointer<T>]
    /// Output-layer pre-activations (logits), kept for numerically stable losses.
    let logits: UnsafeMutablePointer<T>
    /// deltas[l] is ∂cost/∂z of layer l (index 0 unused).
    let deltas: [UnsafeMutablePointer<T>]
    /// Targets of the current batch.
    let targets: UnsafeMutablePointer<T>

    public init(architecture: Architecture, capacity: Int) {
        self.capacity = max(capacity, 1)
        self.sizes = architecture.sizes
        acts = sizes.map { UnsafeMutablePointer<T>.allocate(capacity: $0 * max(capacity, 1)) }
        logits = .allocate(capacity: architecture.outputs * max(capacity, 1))
        deltas = sizes.map { UnsafeMutablePointer<T>.allocate(capacity: $0 * max(capacity, 1)) }
        targets = .allocate(capacity: architecture.outputs * max(capacity, 1))
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

    /// Copies rows `indices` of a row-major matrix with `cols` columns into `dst` (a batch gather).
    @inline(__always)
    static func gather(_ src: UnsafePointer<T>, cols: Int, indices: UnsafeBufferPointer<Int>, into dst: UnsafeMutablePointer<T>) {
        for (r, i) in indices.enumerated() {
            (dst + r * cols).update(from: src + i * cols, count: cols)
        }
    }
}

extension Architecture {
    /// Forward pass of `rows` samples already placed in `ws.input`.
    public func forward<T: Real>(_ ws: Workspace<T>, rows: Int, parameters p: UnsafePointer<T>) {
        let arch = self
        let L = arch.layerCount
        for (l, off) in arch.layout.enumerated() {
            let nin = arch.sizes[l], nout = arch.sizes[l + 1]
            let out = l == L - 1 ? ws.logits : ws.acts[l + 1]
            var beta: T = 0
            if let b = off.bias {
                for r in 0..<rows { (out + r * nout).update(from: p + b, count: nout) }
                beta = 1
            }
            T.gemm(transA: false, transB: true, m: rows, n: nout, k: nin, alpha: 1,
                   a: ws.acts[l], lda: nin, b: p + off.weights, ldb: nin, beta: beta, c: out, ldc: nout)
            if l == L - 1 { ws.acts[L].update(from: ws.logits, count: rows * nout) }
            arch.activations[l].apply(ws.acts[l + 1], rows: rows, cols: nout)
        }
    }

    /// Cost of the batch in `ws` (reduced, plus the regularisation penalty) and its gradient, written to
    /// `grad` (overwritten). `weightMask` marks the regularised entries.
    public func costAndGradient<T: Real>(_ ws: Workspace<T>, rows: Int, loss: Loss, reduction: Reduction,
                                regularization reg: Regularization,
                                parameters p: UnsafePointer<T>, gradient grad: UnsafeMutablePointer<T>) -> Double {
        forward(ws, rows: rows, parameters: p)
        let arch = self
        let L = arch.layerCount
        let nOut = arch.outputs
        let scale: T = reduction == .mean ? 1 / T(rows) : 1
        var cost = loss.total(z: ws.logits, a: ws.acts[L], y: ws.targets, rows: rows, cols: nOut, output: arch.output)
        cost *= scale
        loss.outputDelta(a: ws.acts[L], y: ws.targets, delta: ws.deltas[L], rows: rows, cols: nOut, output: arch.output)
        if scale != 1 { for i in 0..<(rows * nOut) { ws.deltas[L][i] *= scale } }

        let layout = arch.layout
        for l in stride(from: L, through: 1, by: -1) {
            let nin = arch.sizes[l - 1], nout = arch.sizes[l]
            let off = layout[l - 1]
            let delta = ws.deltas[l]
            // dW = δᵀ · a_{l−1}
            T.gemm(transA: true, transB: false, m: nout, n: nin, k: rows, alpha: 1,
                   a: delta, lda: nout, b: ws.acts[l - 1], ldb: nin, beta: 0, c: grad + off.weights, ldc: nin)
            if let b = off.bias {
                let gb = grad + b
                for j in 0..<nout { gb[j] = 0 }
                for r in 0..<rows {
                    let dr = delta + r * nout
                    for j in 0..<nout { gb[j] += dr[j] }
                }
            }
            if l > 1 {
                // δ_{l−1} = (δ_l · W_l) ⊙ f'(a_{l−1}); never computed for the input layer.
                T.gemm(transA: false, transB: false, m: rows, n: nin, k: nout, alpha: 1,
                       a: delta, lda: nout, b: p + off.weights, ldb: nin, beta: 0, c: ws.deltas[l - 1], ldc: nin)
                arch.activations[l - 2].multiplyDerivative(ws.deltas[l - 1], output: ws.acts[l - 1], count: rows * nin)
            }
        }

        if reg.isActive {
            let l1 = T(reg.l1) * scale, l2 = T(reg.l2) * scale
            var penalty: T = 0
            for (l, off) in layout.enumerated() {
                let n = arch.sizes[l] * arch.sizes[l + 1]
                let w = p + off.weights, g = grad + off.weights
                for i in 0..<n {
                    let wi = w[i]
                    let sign: T = wi > 0 ? 1 : (wi < 0 ? -1 : 0)
                    penalty += l1 * abs(wi) + l2 / 2 * wi * wi
                    g[i] += l1 * sign + l2 * wi
                }
            }
            cost += penalty
        }
        return Double(cost)
    }

}

extension Network {
    /// Cost and gradient over a whole dataset at once (for full-batch optimizers and gradient checks).
    public func costAndGradient(samples: Samples<T>, loss: Loss, reduction: Reduction, regularization: Regularization,
                                parameters: [T], gradient: inout [T], workspace ws: Workspace<T>) -> Double {
        precondition(ws.capacity >= samples.count)
        ws.input.update(from: samples.x, count: samples.count * samples.inputs)
        ws.targets.update(from: samples.y, count: samples.count * samples.outputs)
        return parameters.withUnsafeBufferPointer { p in
            gradient.withUnsafeMutableBufferPointer { g in
                architecture.costAndGradient(ws, rows: samples.count, loss: loss, reduction: reduction,
                                regularization: regularization, parameters: p.baseAddress!, gradient: g.baseAddress!)
            }
        }
    }

    /// Predicted class (argmax of the outputs; for one sigmoid output, output ≥ 0.5) per sample, and the
    /// raw outputs, computed in chunks of the workspace's capacity.
    public func predict(_ x: [T], count: Int, workspace ws: Workspace<T>) -> (classes: [Int], outputs: [T]) {
        let nin = architecture.inputs, nout = architecture.outputs
        var classes = [Int](repeating: 0, count: count)
        var outputs = [T](repeating: 0, count: count * nout)
        parameters.withUnsafeBufferPointer { p in
            x.withUnsafeBufferPointer { xs in
                var start = 0
                while start < count {
                    let rows = min(ws.capacity, count - start)
                    ws.input.update(from: xs.baseAddress! + start * nin, count: rows * nin)
                    architecture.forward(ws, rows: rows, parameters: p.baseAddress!)
                    let o = ws.output
                    for r in 0..<rows {
                        let row = o + r * nout
                        if nout == 1 {
                            classes[start + r] = row[0] >= 0.5 ? 1 : 0
                        } else {
                            var best = 0
                            for j in 1..<nout where row[j] > row[best] { best = j }
                            classes[start + r] = best
                        }
                        for j in 0..<nout { outputs[(start + r) * nout + j] = row[j] }
                    }
                    start += rows
                }
            }
        }
        return (classes, outputs)
    }
}
