/// Forward and backward passes over a batch held in a `Workspace`.
///
/// A batch of `rows` samples is a row-major rows×in matrix, so layer l computes Z = A·Wᵀ (+ b) with
/// one GEMM. A single sample (per-sample SGD) goes through GEMV and GER instead: the same arithmetic
/// without GEMM's blocking overhead, which dominates at batch size 1.
extension Architecture {
    /// Forward pass of `rows` samples already placed in `ws.input`, or read from `input` (rows × inputs,
    /// row-major; more than one row) where given: evaluation passes the stored samples themselves rather
    /// than copying each chunk into the workspace first.
    // @_specialize(exported:): the hot path of every step, also called from other modules; exported copies run unboxed.
    @_specialize(exported:true,where T == Float)
    @_specialize(exported:true,where T == Double)
    public func forward<T: Real>(
        _ ws: Workspace<T>, rows: Int, parameters p: UnsafePointer<T>, input: UnsafePointer<T>? = nil
    ) {
        precondition(
            rows >= 1 && rows <= ws.capacity, "batch of \(rows) rows does not fit the workspace (\(ws.capacity))")
        precondition(ws.fits(self), "workspace was built for another architecture")
        precondition(input == nil || rows > 1, "a single row is read from the workspace (GEMV)")
        let L = layerCount
        for l in 0..<L {
            let nin = sizes[l]
            let nout = sizes[l + 1]
            let out = l == L - 1 ? ws.logits : ws.acts[l + 1]
            let a = l == 0 ? (input ?? UnsafePointer(ws.acts[0])) : UnsafePointer(ws.acts[l])
            let w = p + ws.weightOffsets[l]
            let b = ws.biasOffsets[l]
            if rows == 1 {
                var beta: T = 0
                if b >= 0 {
                    out.update(from: p + b, count: nout)
                    beta = 1
                }
                T.gemv(trans: false, m: nout, n: nin, alpha: 1, a: w, lda: nin, x: ws.acts[l], beta: beta, y: out)
                if l == L - 1 { ws.acts[L].update(from: ws.logits, count: nout) }
                if l == L - 1 && activations[l] == .softmax {
                    Activation.softmax(
                        ws.acts[L], rows: 1, cols: nout, maxima: ws.softmaxMaxima, sums: ws.softmaxSums)
                } else {
                    activations[l].apply(ws.acts[l + 1], rows: 1, cols: nout)
                }
                if let m = ws.masks[l + 1] {
                    Self.applyMask(ws.acts[l + 1], mask: m, kept: ws.kept[l + 1]!, count: nout)
                }
                continue
            }
            // Z = A·Wᵀ (+ b), cut into blocks by shape (ProductBlocks): each block's bias rows are written
            // just before its product, the activation runs on each row block (or row range).
            let bias: UnsafePointer<T>? = b >= 0 ? p + b : nil
            let act = activations[l]
            let next = ws.acts[l + 1]
            let last = l == L - 1
            let mask = ws.masks[l + 1]
            let kept = ws.kept[l + 1]
            ProductBlocks.gemm(
                transA: false, transB: true, m: rows, n: nout, k: nin, alpha: 1, a: a, lda: nin,
                b: w, ldb: nin, beta: bias == nil ? 0 : 1, c: out, ldc: nout, team: ws.team,
                prepare: { rs, cs in
                    guard let bias else { return }
                    // An element loop, not a memmove call per row (rows are short: 50
                    // values in Raschka's hidden layer, 1 200 rows a batch).
                    for r in rs {
                        let row = out + r * nout
                        for j in cs { row[j] = bias[j] }
                    }
                }
            ) { r in
                if last { (next + r.lowerBound * nout).update(from: out + r.lowerBound * nout, count: r.count * nout) }
                if last && act == .softmax {
                    // Each row's maximum and exp sum kept for the cross-entropy (Loss.total).
                    Activation.softmax(
                        next + r.lowerBound * nout, rows: r.count, cols: nout,
                        maxima: ws.softmaxMaxima + r.lowerBound, sums: ws.softmaxSums + r.lowerBound)
                } else {
                    act.apply(next + r.lowerBound * nout, rows: r.count, cols: nout)
                }
                if let mask {
                    let o = r.lowerBound * nout
                    Self.applyMask(next + o, mask: mask + o, kept: kept! + o, count: r.count * nout)
                }
            }
        }
    }

    /// Cost of the batch in `ws` (reduced, plus the regularisation penalty) and its gradient, written to
    /// `grad` (overwritten). Biases are never regularised.
    // @_specialize(exported:): the hot path of every step, also called from other modules; exported copies run unboxed.
    @_specialize(exported:true,where T == Float)
    @_specialize(exported:true,where T == Double)
    public func costAndGradient<T: Real>(
        _ ws: Workspace<T>, rows: Int, loss: Loss, reduction: Reduction,
        regularization reg: Regularization,
        parameters p: UnsafePointer<T>, gradient grad: UnsafeMutablePointer<T>
    ) -> Double {
        forward(ws, rows: rows, parameters: p)
        let L = layerCount
        let nOut = outputs
        let scale: T = reduction == .mean ? 1 / T(rows) : 1
        var cost = loss.total(
            z: ws.logits, a: ws.acts[L], y: ws.targets, rows: rows, cols: nOut, output: output,
            scratch: ws.deltas[L],  // free until outputDelta fills it
            softmaxRows: ws.softmaxRows)
        cost *= scale
        loss.outputDelta(a: ws.acts[L], y: ws.targets, delta: ws.deltas[L], rows: rows, cols: nOut, output: output)
        if scale != 1 {
            let d = ws.deltas[L]
            for i in 0..<(rows * nOut) { d[i] *= scale }
        }

        for l in stride(from: L, through: 1, by: -1) {
            let nin = sizes[l - 1]
            let nout = sizes[l]
            let delta = ws.deltas[l]
            let w = p + ws.weightOffsets[l - 1]
            let gw = grad + ws.weightOffsets[l - 1]
            let b = ws.biasOffsets[l - 1]
            if rows > 1 {
                backwardLayer(
                    ws, layer: l, rows: rows, weights: w, weightGradient: gw, biasGradient: b >= 0 ? grad + b : nil)
                continue
            }
            // One sample: dW = δᵀ·a_{l−1} by GER, δ_{l−1} by GEMV.
            gw.update(repeating: 0, count: nout * nin)
            T.ger(m: nout, n: nin, alpha: 1, x: delta, y: ws.acts[l - 1], a: gw, lda: nin)
            if b >= 0 { (grad + b).update(from: delta, count: nout) }
            if l > 1 {
                T.gemv(trans: true, m: nout, n: nin, alpha: 1, a: w, lda: nin, x: delta, beta: 0, y: ws.deltas[l - 1])
                let mask = ws.masks[l - 1]
                activations[l - 2].multiplyDerivative(
                    ws.deltas[l - 1], output: mask == nil ? ws.acts[l - 1] : ws.kept[l - 1]!, count: nin)
                if let mask { for i in 0..<nin { ws.deltas[l - 1][i] *= mask[i] } }
            }
        }

        if reg.isActive {
            cost += reg.addPenalty(
                parameters: p, gradient: grad, sizes: sizes, weightOffsets: ws.weightOffsets, scale: scale)
        }
        return Double(cost)
    }

    /// Backpropagation through weight layer `l` for a batch of `rows` > 1, given δ_l in `ws.deltas[l]`:
    /// dW = δᵀ·a_{l−1} (blocked by shape), the bias gradient (column sums of δ, each over the rows in
    /// order, split by columns) and, below the first layer, δ_{l−1} = (δ·W) ⊙ f'(a_{l−1}) (blocked by
    /// shape; with dropout f' comes from the outputs before masking, and δ takes the mask too).
    ///
    /// The three depend only on δ_l and W, so their blocks form one parallel region: the small products
    /// of a narrow layer (one block each) run beside each other instead of one after the other. Each
    /// block is the same call as on its own, writing its own memory, so the bits cannot change.
    @inline(__always)
    func backwardLayer<T: Real>(
        _ ws: Workspace<T>, layer l: Int, rows: Int, weights w: UnsafePointer<T>,
        weightGradient gw: UnsafeMutablePointer<T>, biasGradient gb: UnsafeMutablePointer<T>?
    ) {
        let nin = sizes[l - 1]
        let nout = sizes[l]
        let delta = ws.deltas[l]
        let below = ws.acts[l - 1]
        let dw = ProductBlocks(m: nout, n: nin, k: rows, transA: true)
        let back: ProductBlocks? = l > 1 ? ProductBlocks(m: rows, n: nin, k: nout) : nil
        let grain = Self.columnGrain(columns: nout, threads: ws.team.threads)
        let biasTasks = gb == nil ? 0 : (nout + grain - 1) / grain
        let nd = dw.count
        let nb = back?.count ?? 0
        let mask = l > 1 ? ws.masks[l - 1] : nil
        let backOut = l > 1 ? ws.deltas[l - 1] : delta
        let fa: UnsafePointer<T> =
            l > 1 ? UnsafePointer(mask == nil ? ws.acts[l - 1] : ws.kept[l - 1]!) : UnsafePointer(delta)
        let act = l > 1 ? activations[l - 2] : .linear
        // f' is applied inside a δ block when the block holds whole rows, else after the region.
        let derivativeInBlock = back.map { $0.cut == .rows || $0.count == 1 } ?? true
        func derivative(_ r: Range<Int>) {
            let o = r.lowerBound * nin
            act.multiplyDerivative(backOut + o, output: fa + o, count: r.count * nin)
            if let mask { for i in o..<(o + r.count * nin) { backOut[i] *= mask[i] } }
        }
        func task(_ t: Int) {
            if t < nd {
                dw.computeBlock(
                    t, transA: true, transB: false, m: nout, n: nin, k: rows, alpha: 1, a: delta, lda: nout,
                    b: below, ldb: nin, beta: 0, c: gw, ldc: nin)
            } else if t < nd + nb, let back {
                let i = t - nd
                back.computeBlock(
                    i, transA: false, transB: false, m: rows, n: nin, k: nout, alpha: 1, a: delta, lda: nout,
                    b: w, ldb: nin, beta: 0, c: backOut, ldc: nin)
                if derivativeInBlock { derivative(back.count == 1 ? 0..<rows : back.range(i)) }
            } else if let gb {
                let lo = (t - nd - nb) * grain
                let cs = lo..<min(lo + grain, nout)
                // gb[j] = δ[0][j], then gb[j] += δ[r][j] for r = 1… in order, in a C kernel at the
                // CPU's full width (KernelTests checks the bits).
                T.columnSums(delta + cs.lowerBound, rows: rows, stride: nout, cols: cs.count, into: gb + cs.lowerBound)
            }
        }
        let tasks = nd + nb + biasTasks
        let flops = dw.flops + (back?.flops ?? 0)
        if ws.team.threads > 1 && flops >= ProductBlocks.parallelFlopsPerBlock {
            ws.team.run(tasks) { task($0) }
        } else {
            for t in 0..<tasks { task(t) }
        }
        if !derivativeInBlock {
            if ws.team.threads > 1 {
                ws.team.forEachRange(rows, grain: ThreadTeam.rowGrain(cols: nin)) { derivative($0) }
            } else {
                derivative(0..<rows)
            }
        }
    }

    /// Columns per task of the bias gradient's column sums: the columns shared among `threads` (whole
    /// 16-column tiles, at least one), so one thread sums all of them in one call, where the kernel keeps
    /// a narrow δ's sums in registers (cut into 16-column tasks, a 1200×50 δ cost 3.4× as much).
    /// Each column's sum is the same whoever computes it, so the split cannot change a bit.
    @inline(__always)
    static func columnGrain(columns: Int, threads: Int) -> Int {
        let per = (columns + max(threads, 1) - 1) / max(threads, 1)
        return max(16, (per + 15) / 16 * 16)
    }

    /// kept ← a, then a ← a ⊙ mask (inverted dropout, Dropout.swift).
    @inline(__always)
    static func applyMask<T: Real>(
        _ a: UnsafeMutablePointer<T>, mask: UnsafePointer<T>, kept: UnsafeMutablePointer<T>, count n: Int
    ) {
        kept.update(from: a, count: n)
        for i in 0..<n { a[i] *= mask[i] }
    }
}
