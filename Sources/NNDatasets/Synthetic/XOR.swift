import NNEngine
import NNRandom

/// Synthetic sets generated from the run's seed. The two-moons, circles and blobs generators follow
/// scikit-learn's make_moons / make_circles / make_blobs formulas (same shapes, class order and noise
/// model) but draw from our RNG, so the numbers differ from NumPy's while the distributions agree.
public enum Synthetic {
    /// The four XOR points, each repeated `repeats` times (labels 0/1), optionally jittered by `noise`.
    public static func xor(repeats: Int = 1, noise: Double = 0, rng: inout RNG) -> Dataset {
        let base: [(Double, Double, Int)] = [(0, 0, 0), (0, 1, 1), (1, 0, 1), (1, 1, 0)]
        var f: [Double] = []
        var l: [Int] = []
        for _ in 0..<max(repeats, 1) {
            for (a, b, y) in base {
                f.append(a + noise * rng.normal())
                f.append(b + noise * rng.normal())
                l.append(y)
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
    static func shuffleAndJitter(_ points: [(Double, Double)], _ labels: [Int], noise: Double, rng: inout RNG) -> (
        [Double], [Int]
    ) {
        var order = Array(0..<labels.count)
        rng.shuffle(&order)
        var f = [Double]()
        f.reserveCapacity(2 * labels.count)
        var l = [Int]()
        l.reserveCapacity(labels.count)
        for i in order {
            f.append(points[i].0)
            f.append(points[i].1)
            l.append(labels[i])
        }
        if noise > 0 { for k in f.indices { f[k] += noise * rng.normal() } }
        return (f, l)
    }
}

/// `dataset.name: xor` — `Synthetic.xor`. Keys: `repeats` (copies of the four points, 1…25·10⁶, 1),
/// `noise` (Gaussian jitter ≥ 0, 0: the exact points, the same for every seed).
public struct XORSource: DataSource {
    /// Copies of the four points. Default 1.
    public var repeats: Int
    /// Standard deviation of the jitter. Default 0.
    public var noise: Double
    /// The `repeats` argument.
    public static let repeatsArgument = IntArgument("repeats", default: 1, min: 1, max: DatasetLimits.maxRepeats)
    /// The `noise` argument.
    public static let noiseArgument = NumberArgument("noise", default: 0, .nonNegative)
    /// Arguments as given.
    public init(repeats: Int = 1, noise: Double = 0) {
        self.repeats = repeats
        self.noise = noise
    }

    /// `xor`.
    public static let name = "xor"
    /// `repeats`, `noise`.
    public static let keys = ["repeats", "noise"]
    /// Reads both arguments through their validators.
    public init(reading r: any SourceReader) {
        self.init(repeats: r.int(Self.repeatsArgument), noise: r.number(Self.noiseArgument))
    }
    /// `repeats`, `noise`.
    public func write(to w: inout SettingsWriter) {
        w.integer("repeats", repeats)
        w.number("noise", noise)
    }
    /// The decoder's validators again.
    public func check() throws {
        try Self.repeatsArgument.check(repeats, source: Self.name)
        try Self.noiseArgument.check(noise, source: Self.name)
    }
    /// Only jittered points depend on the seed.
    public var usesSeed: Bool { noise > 0 }
    /// 4 × `repeats` points, 2 features, 2 classes.
    public func nominalShape(dataRoot: String?) -> NominalShape {
        NominalShape(samples: 4 * repeats, features: 2, outputs: 2, exact: true)
    }
    /// The points; no own test part.
    public func load(dataRoot: String?, rng: inout RNG) throws -> (train: Dataset, test: Dataset?) {
        (Synthetic.xor(repeats: repeats, noise: noise, rng: &rng), nil)
    }
}

extension DatasetConfig.Source {
    /// `dataset.name: xor`.
    public static func xor(repeats: Int, noise: Double) -> Self { Self(XORSource(repeats: repeats, noise: noise)) }
}
