import NNEngine

/// Case 2: the matrix products alone. `gemm` times exactly the BLAS calls of one Raschka epoch
/// (`GEMMProbe`, same shapes and transposes, one thread); `square` measures the machine's large-square
/// GEMM rate, the usual yardstick for what the BLAS can reach.
enum GEMMCeiling {
    static func run(_ o: BenchOptions) throws -> [String: Any] {
        o.precision == "float32" ? try run(Float.self, o) : try run(Double.self, o)
    }

    static func run<T: Real>(_: T.Type, _ o: BenchOptions) throws -> [String: Any] {
        let n = o.samples ?? 60_000
        let (_, architecture, batching) = try RaschkaEpoch.load(o)
        // Whole products, and the same products cut as training cuts them (ProductBlocks) on one thread,
        // timed alternately, one repetition each in turn, the best of each kept: the blocking cost is a
        // difference of a few per cent, and timing all of one before all of the other let the host's
        // drift between the two phases decide its sign (−2.1 % to +4.9 % over four bench runs).
        func once(blocked: Bool) -> GEMMTiming {
            GEMMProbe.timeEpoch(
                T.self, architecture: architecture, samples: n, batching: batching, repetitions: 1, blocked: blocked)
        }
        var t = once(blocked: false)
        var b = once(blocked: true)
        for _ in 1..<max(1, o.repeats) {
            let (u, c) = (once(blocked: false), once(blocked: true))
            (t.seconds, t.cpuSeconds) = (min(t.seconds, u.seconds), min(t.cpuSeconds, u.cpuSeconds))
            (b.seconds, b.cpuSeconds) = (min(b.seconds, c.seconds), min(b.cpuSeconds, c.cpuSeconds))
        }
        return [
            "case": "gemm", "precision": T.precisionName, "samples": n, "seconds_per_epoch": t.seconds,
            "gflops": t.gflopsPerSecond, "cpu_seconds_per_epoch": t.cpuSeconds,
            "blocked_seconds_per_epoch": b.seconds, "blocked_cpu_seconds_per_epoch": b.cpuSeconds
        ]
    }

    static func square(_ o: BenchOptions) -> [String: Any] {
        o.precision == "float32" ? square(Float.self, o) : square(Double.self, o)
    }

    static func square<T: Real>(_: T.Type, _ o: BenchOptions) -> [String: Any] {
        let n = o.size
        let a = UnsafeMutablePointer<T>.allocate(capacity: n * n)
        let b = UnsafeMutablePointer<T>.allocate(capacity: n * n)
        let c = UnsafeMutablePointer<T>.allocate(capacity: n * n)
        defer {
            a.deallocate()
            b.deallocate()
            c.deallocate()
        }
        for i in 0..<(n * n) {
            a[i] = T(Double(i % 13) * 0.01)
            b[i] = T(Double(i % 7) * 0.02)
            c[i] = 0
        }
        let clock = ContinuousClock()
        var best = Double.infinity
        for _ in 0..<(o.repeats + 1) {  // the first call pays for page faults and is discarded by min
            let start = clock.now
            T.gemm(
                transA: false, transB: false, m: n, n: n, k: n, alpha: 1, a: a, lda: n, b: b, ldb: n, beta: 0, c: c,
                ldc: n)
            best = min(best, seconds(clock.now - start))
        }
        let flops = 2 * Double(n) * Double(n) * Double(n)
        return [
            "case": "square", "precision": T.precisionName, "size": n, "seconds": best, "gflops": flops / best / 1e9
        ]
    }
}
