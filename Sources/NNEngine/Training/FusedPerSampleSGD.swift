/// Per-sample SGD without a gradient buffer: one step for a batch of one sample under plain SGD.
///
/// Why: at batch size 1 the cost of a step is passes over the first-layer weights (100 KB for
/// 784-32), not arithmetic. The general path makes five of them per sample — GEMV forward, zeroing the
/// gradient, GER into it, then the optimizer reading gradient and parameters and writing parameters.
/// Plain SGD (no momentum, no optimizer state) subtracts η·δ·aᵀ from each weight matrix, a rank-1
/// update applied straight into the parameters (as GER would, row by row), so the weights are read once forward and
/// read/written once backward.
///
/// Same arithmetic as `costAndGradient` + `SGD.step` up to rounding: each layer's δ for the layer
/// below is computed from the weights *before* they are updated (backprop runs top-down and updates a
/// layer only after using it), the L1/L2 term is taken from the weights before the step (its penalty
/// is summed in a read-only pass first, so the cost returned is the cost before the update and a
/// non-finite cost leaves the parameters untouched, as in the general path). Only the order of the
/// two subtractions (regulariser, then data term) differs from w − η(g_data + g_reg).
extension Architecture {
    /// Cost of the single sample in `ws.input`/`ws.targets` under the parameters before the step, then
    /// (if that cost is finite) the SGD step p ← p − η∇cost applied in place.
    func fusedPerSampleSGDStep<T: Real>(
        _ ws: Workspace<T>, loss: Loss, reduction: Reduction,
        regularization reg: Regularization,
        parameters p: UnsafeMutablePointer<T>, rate eta: T
    ) -> Double {
        forward(ws, rows: 1, parameters: p)
        let L = layerCount
        let nOut = outputs
        // One sample: the mean over the batch equals the sum, scale 1, whatever the reduction.
        _ = reduction
        var cost = loss.total(
            z: ws.logits, a: ws.acts[L], y: ws.targets, rows: 1, cols: nOut, output: output,
            scratch: ws.deltas[L],  // free until outputDelta fills it
            softmaxRows: ws.softmaxRows)
        if reg.isActive { cost += reg.penalty(parameters: p, sizes: sizes, weightOffsets: ws.weightOffsets, scale: 1) }
        guard cost.isFinite else { return Double(cost) }

        loss.outputDelta(a: ws.acts[L], y: ws.targets, delta: ws.deltas[L], rows: 1, cols: nOut, output: output)
        for l in stride(from: L, through: 1, by: -1) {
            let nin = sizes[l - 1]
            let nout = sizes[l]
            let delta = ws.deltas[l]
            let w = p + ws.weightOffsets[l - 1]
            if l > 1 {
                // δ_{l−1} = (δ_l · W_l) ⊙ f'(a_{l−1}), from W_l before its update.
                T.gemv(trans: true, m: nout, n: nin, alpha: 1, a: w, lda: nin, x: delta, beta: 0, y: ws.deltas[l - 1])
                activations[l - 2].multiplyDerivative(ws.deltas[l - 1], output: ws.acts[l - 1], count: nin)
            }
            if reg.isActive { reg.step(weights: w, count: nout * nin, rate: eta) }
            // W ← W − η·δ·aᵀ, one AXPY per row; rows whose δ is exactly 0 (ReLU units that are off:
            // about half of them) are left as they are: for finite activations they would only add 0.
            let a = ws.acts[l - 1]
            for i in 0..<nout where delta[i] != 0 { T.axpy(nin, -eta * delta[i], a, w + i * nin) }
            let b = ws.biasOffsets[l - 1]
            if b >= 0 { T.axpy(nout, -eta, delta, p + b) }
        }
        return Double(cost)
    }
}

extension Regularization {
    /// w ← w − η(l1·sign(w) + l2·w), the regulariser's share of an SGD step (sign(0) = 0).
    @inline(__always)
    func step<T: Real>(weights w: UnsafeMutablePointer<T>, count n: Int, rate eta: T) {
        let l1 = T(self.l1)
        let l2 = T(self.l2)
        for i in 0..<n {
            let wi = w[i]
            let sign: T = wi > 0 ? 1 : (wi < 0 ? -1 : 0)
            w[i] = wi - eta * (l1 * sign + l2 * wi)
        }
    }
}
