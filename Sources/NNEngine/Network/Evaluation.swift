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
        var classes = [Int](repeating: 0, count: count)
        var outputs = [T](repeating: 0, count: count * nout)
        var sum = 0.0
        parameters.withUnsafeBufferPointer { p in
            x.withUnsafeBufferPointer { xs in
                y.withUnsafeBufferPointer { ys in
                    var start = 0
                    while start < count {
                        let rows = min(ws.capacity, count - start)
                        ws.input.update(from: xs.baseAddress! + start * nin, count: rows * nin)
                        architecture.forward(ws, rows: rows, parameters: p.baseAddress!)
                        sum += Double(
                            loss.total(
                                z: ws.logits, a: ws.acts[L], y: ys.baseAddress! + start * nout,
                                rows: rows, cols: nout, output: architecture.output))
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
        }
        return (sum, classes, outputs)
    }
}
