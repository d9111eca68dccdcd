/// A fully connected network: an architecture plus one flat parameter vector. Layer l's weights are an
/// out×in row-major block (the layout `.npz` files use), followed by its biases. Keeping all parameters
/// in one vector lets every optimizer, from SGD to BFGS, work on the same contiguous memory.
public struct Network<T: Real>: Sendable {
    /// The shape the parameters belong to.
    public let architecture: Architecture
    /// All weights and biases in the flat layout of `Architecture.layout` (`parameterCount` values).
    public var parameters: [T]

    /// A network with the given parameters (their count must be `architecture.parameterCount`).
    public init(architecture: Architecture, parameters: [T]) {
        precondition(parameters.count == architecture.parameterCount)
        self.architecture = architecture
        self.parameters = parameters
    }

    /// A network with parameters drawn by `initialization` from the stream "init" of `seed`.
    // @_specialize(exported:): called from other modules (NNExperiments, NNBench); exported copies run unboxed.
    @_specialize(exported:true,where T == Float)
    @_specialize(exported:true,where T == Double)
    public init(architecture: Architecture, initialization: Initialization, biasesToo: Bool = false, seed: UInt64) {
        var p = [T](repeating: 0, count: architecture.parameterCount)
        var rng = RNG(seed: seed, stream: "init")
        initialization.fill(&p, arch: architecture, biasesToo: biasesToo, rng: &rng)
        self.init(architecture: architecture, parameters: p)
    }
}

extension Network {
    /// Cost and gradient over a whole dataset at once (for full-batch optimizers and gradient checks).
    // @_specialize(exported:): called from other modules (NNExperiments, NNBench); exported copies run unboxed.
    @_specialize(exported:true,where T == Float)
    @_specialize(exported:true,where T == Double)
    public func costAndGradient(
        samples: Samples<T>, loss: Loss, reduction: Reduction, regularization: Regularization,
        parameters: [T], gradient: inout [T], workspace ws: Workspace<T>
    ) -> Double {
        precondition(ws.capacity >= samples.count)
        ws.input.update(from: samples.x, count: samples.count * samples.inputs)
        ws.targets.update(from: samples.y, count: samples.count * samples.outputs)
        return parameters.withUnsafeBufferPointer { p in
            gradient.withUnsafeMutableBufferPointer { g in
                architecture.costAndGradient(
                    ws, rows: samples.count, loss: loss, reduction: reduction,
                    regularization: regularization, parameters: p.baseAddress!, gradient: g.baseAddress!)
            }
        }
    }

    /// Predicted class (argmax of the outputs; for one sigmoid output, output ≥ 0.5) per sample, and the
    /// raw outputs, computed in chunks of the workspace's capacity.
    // @_specialize(exported:): called from other modules (NNExperiments, NNBench); exported copies run unboxed.
    @_specialize(exported:true,where T == Float)
    @_specialize(exported:true,where T == Double)
    public func predict(_ x: [T], count: Int, workspace ws: Workspace<T>) -> (classes: [Int], outputs: [T]) {
        forwardInChunks(x, count: count, workspace: ws) { _, _ in }
    }

    /// The forward pass over `count` samples of `x` in chunks of the workspace's capacity, recording
    /// each sample's predicted class (argmax of the outputs; for one sigmoid output, output ≥ 0.5) and
    /// raw outputs; `afterChunk(start, rows)` sees the workspace after each chunk's pass (`evaluate`
    /// adds the chunk's loss there). The one chunked forward loop of `predict` and `evaluate`.
    @inline(__always)
    func forwardInChunks(
        _ x: [T], count: Int, workspace ws: Workspace<T>, afterChunk: (_ start: Int, _ rows: Int) -> Void
    ) -> (classes: [Int], outputs: [T]) {
        let nin = architecture.inputs
        let nout = architecture.outputs
        var classes = [Int](repeating: 0, count: count)
        var outputs = [T](repeating: 0, count: count * nout)
        parameters.withUnsafeBufferPointer { p in
            x.withUnsafeBufferPointer { xs in
                var start = 0
                while start < count {
                    let rows = min(ws.capacity, count - start)
                    let chunk = xs.baseAddress! + start * nin
                    if rows > 1 {
                        // The first product reads the samples where they are (no 3 MB copy per chunk).
                        architecture.forward(ws, rows: rows, parameters: p.baseAddress!, input: chunk)
                    } else {
                        // One row goes through GEMV from the workspace, the path (and input buffer) the
                        // per-sample step uses, so a last chunk of one row keeps its bits.
                        ws.input.update(from: chunk, count: nin)
                        architecture.forward(ws, rows: 1, parameters: p.baseAddress!)
                    }
                    afterChunk(start, rows)
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
