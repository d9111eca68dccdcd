import NNRandom

/// Synthetic sets generated from the run's seed. The two-moons, circles and blobs generators follow
/// scikit-learn's make_moons / make_circles / make_blobs formulas (same shapes, class order and noise
/// model) but draw from our RNG, so the numbers differ from NumPy's while the distributions agree.
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

    /// `count` evenly spaced points from `from` to `to`; with `endpoint` false the last is left out
    /// (NumPy's linspace).
    static func linspace(_ from: Double, _ to: Double, _ count: Int, endpoint: Bool = true) -> [Double] {
        guard count > 0 else { return [] }
        if count == 1 { return [from] }
        let step = (to - from) / Double(endpoint ? count - 1 : count)
        return (0..<count).map { from + Double($0) * step }
    }

    /// Shuffles the samples (rows of `dimension`) and labels together, then adds N(0, noise²) to each
    /// coordinate — scikit-learn's order of operations.
    static func shuffleAndJitter(_ points: [(Double, Double)], _ labels: [Int], noise: Double, rng: inout RNG) -> ([Double], [Int]) {
        var order = Array(0..<labels.count)
        rng.shuffle(&order)
        var f = [Double](); f.reserveCapacity(2 * labels.count)
        var l = [Int](); l.reserveCapacity(labels.count)
        for i in order { f.append(points[i].0); f.append(points[i].1); l.append(labels[i]) }
        if noise > 0 { for k in f.indices { f[k] += noise * rng.normal() } }
        return (f, l)
    }
}
