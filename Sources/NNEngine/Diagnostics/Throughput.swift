#if canImport(Glibc)
    import Glibc
#endif

/// CPU seconds the calling thread has used (`CLOCK_THREAD_CPUTIME_ID`).
public func threadCPUSeconds() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
}

/// Hooks for the benchmark: how much matrix arithmetic an epoch needs, and how long the BLAS calls
/// alone take, so measured training speed can be compared with what the BLAS library could deliver.

/// Flop counts of training and prediction, for GFLOP/s figures in the benchmark.
public enum Throughput {
    /// Floating-point operations (multiply and add counted separately) of the matrix products in one
    /// training epoch over `samples` samples: per layer, the forward product Z = A·Wᵀ and the weight
    /// gradient δᵀ·A (2·rows·in·out each), plus the backpropagated δ·W for every layer but the first.
    /// Batching does not change the count (it changes how the products are cut), but is taken so the
    /// signature matches `GEMMProbe`.
    public static func flopsPerEpoch(architecture arch: Architecture, samples: Int, batching: Batching = .full)
        -> Double
    {
        var perSample = 0.0
        for l in 0..<arch.layerCount {
            let mac = Double(arch.sizes[l] * arch.sizes[l + 1])
            perSample += 2 * mac * (l == 0 ? 2 : 3)
        }
        let rows = batching.ranges(samples: samples).reduce(0) { $0 + $1.count }
        return perSample * Double(rows)
    }

    /// Flops of one forward pass over `samples` samples (prediction).
    public static func forwardFlops(architecture arch: Architecture, samples: Int) -> Double {
        2 * Double(arch.forwardMACsPerSample) * Double(samples)
    }
}

/// What `GEMMProbe.timeEpoch` measured: times and the flops they cover.
public struct GEMMTiming: Sendable {
    /// Wall time of the products of one epoch (the best of the repetitions).
    public var seconds: Double
    /// CPU time of the calling thread for the same products (the best of the repetitions): unlike wall
    /// time, barely affected by other processes on a loaded machine.
    public var cpuSeconds: Double = 0
    /// Flops of the timed products (`Throughput.flopsPerEpoch`).
    public var flops: Double
    /// flops / seconds / 10⁹, or 0 when nothing was timed.
    public var gflopsPerSecond: Double { seconds > 0 ? flops / seconds / 1e9 : 0 }
}

/// Times exactly the BLAS calls one epoch of training makes — the same shapes, transposes and
/// GEMV/GER substitution for single-sample batches as `Architecture.costAndGradient` — on scratch
/// buffers, without activations, losses or updates. With `blocked`, each product is cut as training
/// cuts it (`ProductBlocks`, computed in turn on one thread): the difference is what blocking costs a
/// single thread.
public enum GEMMProbe {
    /// Times the BLAS calls of one epoch of `arch` over `samples` rows cut by `batching`, the best of `repetitions`.
    // @_specialize(exported:): nnexp-bench calls it from another module; exported copies keep its loop unboxed there.
    @_specialize(exported:true,where T == Float)
    @_specialize(exported:true,where T == Double)
    public static func timeEpoch<T: Real>(
        _: T.Type, architecture arch: Architecture, samples: Int, batching: Batching,
        repetitions: Int = 3, blocked: Bool = false
    ) -> GEMMTiming {
        let ranges = batching.ranges(samples: samples)
        let cap = max(1, ranges.map(\.count).max() ?? 1)
        let widest = arch.sizes.max() ?? 1
        let acts = arch.sizes.map { _ in UnsafeMutablePointer<T>.allocate(capacity: cap * widest) }
        let deltas = arch.sizes.map { _ in UnsafeMutablePointer<T>.allocate(capacity: cap * widest) }
        let weights = UnsafeMutablePointer<T>.allocate(capacity: arch.parameterCount)
        let grads = UnsafeMutablePointer<T>.allocate(capacity: arch.parameterCount)
        defer {
            (acts + deltas).forEach { $0.deallocate() }
            weights.deallocate()
            grads.deallocate()
        }
        // Small, varied values: denormals or NaNs would distort timings.
        for b in acts + deltas { for i in 0..<(cap * widest) { b[i] = T(Double(i % 7) * 0.01 + 0.01) } }
        for i in 0..<arch.parameterCount {
            weights[i] = T(Double(i % 11) * 0.001 - 0.005)
            grads[i] = 0
        }
        let offsets = arch.layout.map(\.weights)

        /// C ← op(A)·op(B), cut like training cuts it when `blocked` (blocks in turn on one thread).
        func gemm(
            _ tA: Bool, _ tB: Bool, _ m: Int, _ n: Int, _ k: Int, _ a: UnsafePointer<T>, _ lda: Int,
            _ b: UnsafePointer<T>, _ ldb: Int, _ c: UnsafeMutablePointer<T>, _ ldc: Int
        ) {
            if blocked {
                ProductBlocks.gemm(
                    transA: tA, transB: tB, m: m, n: n, k: k, alpha: 1, a: a, lda: lda, b: b, ldb: ldb,
                    beta: 0, c: c, ldc: ldc, team: nil)
            } else {
                T.gemm(
                    transA: tA, transB: tB, m: m, n: n, k: k, alpha: 1, a: a, lda: lda, b: b, ldb: ldb, beta: 0, c: c,
                    ldc: ldc)
            }
        }
        let clock = ContinuousClock()
        var best = Double.infinity
        var bestCPU = Double.infinity
        for _ in 0..<max(1, repetitions) {
            let start = clock.now
            let startCPU = threadCPUSeconds()
            for r in ranges {
                let rows = r.count
                for l in 0..<arch.layerCount {
                    let nin = arch.sizes[l]
                    let nout = arch.sizes[l + 1]
                    let w = weights + offsets[l]
                    if rows == 1 {
                        T.gemv(
                            trans: false, m: nout, n: nin, alpha: 1, a: w, lda: nin, x: acts[l], beta: 0, y: acts[l + 1]
                        )
                    } else {
                        gemm(false, true, rows, nout, nin, acts[l], nin, w, nin, acts[l + 1], nout)
                    }
                }
                for l in stride(from: arch.layerCount, through: 1, by: -1) {
                    let nin = arch.sizes[l - 1]
                    let nout = arch.sizes[l]
                    let w = weights + offsets[l - 1]
                    let g = grads + offsets[l - 1]
                    if rows == 1 {
                        T.ger(m: nout, n: nin, alpha: 1, x: deltas[l], y: acts[l - 1], a: g, lda: nin)
                        if l > 1 {
                            T.gemv(
                                trans: true, m: nout, n: nin, alpha: 1, a: w, lda: nin, x: deltas[l], beta: 0,
                                y: deltas[l - 1])
                        }
                    } else {
                        gemm(true, false, nout, nin, rows, deltas[l], nout, acts[l - 1], nin, g, nin)
                        if l > 1 { gemm(false, false, rows, nin, nout, deltas[l], nout, w, nin, deltas[l - 1], nin) }
                    }
                }
            }
            let d = clock.now - start
            let seconds = Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
            best = min(best, seconds)
            bestCPU = min(bestCPU, threadCPUSeconds() - startCPU)
        }
        return GEMMTiming(
            seconds: best, cpuSeconds: bestCPU,
            flops: Throughput.flopsPerEpoch(architecture: arch, samples: samples, batching: batching))
    }
}
