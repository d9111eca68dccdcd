extension Network {
    /// One pass over `count` samples: the data loss summed over them (the training loss without any
    /// penalty and before a reduction: Σ over samples of `loss`, as `Loss` defines it), the predicted
    /// classes (as `predict`) and the raw outputs, in chunks of the workspace's capacity. `y` holds
    /// `count × outputs` targets (one-hot rows for classes).
    // @_specialize(exported:): called from NNExperiments once per split and epoch.
    @_specialize(exported:true,where T == Float)
    @_specialize(exported:true,where T == Double)
    public func evaluate(_ x: [T], targets y: [T], count: Int, loss: Loss, workspace ws: Workspace<T>)
        -> (lossSum: Double, classes: [Int], outputs: [T])
    {
        let nin = architecture.inputs
        let nout = architecture.outputs
        let L = architecture.layerCount
        precondition(x.count >= count * nin && y.count >= count * nout, "evaluate: samples do not fill count × size")
        var sum = 0.0
        let (classes, outputs) = y.withUnsafeBufferPointer { ys in
            forwardInChunks(x, count: count, workspace: ws) { start, rows in
                // rows ≥ 1 here, so the precondition leaves `y` non-empty; no force unwrap regardless.
                guard let yb = ys.baseAddress else { return }
                sum += Double(
                    loss.total(
                        z: ws.logits, a: ws.acts[L], y: yb + start * nout,
                        rows: rows, cols: nout, output: architecture.output, softmaxRows: ws.softmaxRows))
            }
        }
        return (sum, classes, outputs)
    }
}
