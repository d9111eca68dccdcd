import NNRandom

/// Synthetic two-dimensional sets generated from the run's seed.
public enum Synthetic {
    /// The four XOR points, each repeated `repeats` times (labels 0/1), optionally jittered by `noise`.
    public static func xor(repeats: Int = 1, noise: Double = 0, rng: inout RNG) -> Dataset {
        let base: [(Double, Double, Int)] = [(0, 0, 0), (0, 1, 1), (1, 0, 1), (1, 1, 0)]
        var f: [Double] = [], l: [Int] = []
        for _ in 0..<max(repeats, 1) {
            for (a, b, y) in base {
                f.append(a + noise * rng.normal()); f.append(b + noise * rng.normal()); l.append(y)
            }
        }
        return Dataset(name: "xor", features: f, count: l.count, dimension: 2, targets: .classes(l, names: ["0", "1"]))
    }
}
