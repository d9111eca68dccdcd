import Foundation
import NNEngine
import NNRandom

extension Synthetic {
    /// Two interleaving half circles (make_moons): the upper moon (label 0) is the unit half circle,
    /// the lower (label 1) its copy flipped and shifted to (1, 0.5). `count / 2` points go to the upper
    /// moon, the rest to the lower; then shuffled and jittered by Gaussian `noise`.
    public static func moons(count: Int, noise: Double, rng: inout RNG) -> Dataset {
        let nOut = count / 2
        let nIn = count - nOut
        var pts: [(Double, Double)] = []
        var labels: [Int] = []
        for t in linspace(0, .pi, nOut) {
            pts.append((cos(t), sin(t)))
            labels.append(0)
        }
        for t in linspace(0, .pi, nIn) {
            pts.append((1 - cos(t), 1 - sin(t) - 0.5))
            labels.append(1)
        }
        let (f, l) = shuffleAndJitter(pts, labels, noise: noise, rng: &rng)
        return Dataset(name: "moons", features: f, count: count, dimension: 2, targets: .classes(l, names: ["0", "1"]))
    }

    /// A large circle (label 0, radius 1) around a smaller one (label 1, radius `factor`), each with
    /// evenly spaced angles from 0 (endpoint 2π excluded) (make_circles).
    public static func circles(count: Int, noise: Double, factor: Double = 0.8, rng: inout RNG) -> Dataset {
        let nOut = count / 2
        let nIn = count - nOut
        var pts: [(Double, Double)] = []
        var labels: [Int] = []
        for t in linspace(0, 2 * .pi, nOut, endpoint: false) {
            pts.append((cos(t), sin(t)))
            labels.append(0)
        }
        for t in linspace(0, 2 * .pi, nIn, endpoint: false) {
            pts.append((factor * cos(t), factor * sin(t)))
            labels.append(1)
        }
        let (f, l) = shuffleAndJitter(pts, labels, noise: noise, rng: &rng)
        return Dataset(
            name: "circles", features: f, count: count, dimension: 2, targets: .classes(l, names: ["0", "1"]))
    }
}

/// `dataset.name: moons` — `Synthetic.moons` from the seed. Keys: `count` (whole number 2…10⁸, 200),
/// `noise` (Gaussian jitter ≥ 0, 0).
public struct MoonsSource: DataSource {
    /// Number of points. Default 200.
    public var count: Int
    /// Standard deviation of the Gaussian jitter. Default 0.
    public var noise: Double
    /// The `count` argument: 2 at least, one point per moon.
    public static let countArgument = IntArgument("count", default: 200, min: 2, max: DatasetLimits.maxSamples)
    /// The `noise` argument.
    public static let noiseArgument = NumberArgument("noise", default: 0, .nonNegative)
    /// Arguments as given.
    public init(count: Int = 200, noise: Double = 0) {
        self.count = count
        self.noise = noise
    }

    /// `moons`.
    public static let name = "moons"
    /// `count`, `noise`.
    public static let keys = ["count", "noise"]
    /// Reads `count` and `noise` through their arguments' validators.
    public init(reading r: any SourceReader) {
        self.init(count: r.int(Self.countArgument), noise: r.number(Self.noiseArgument))
    }
    /// `count`, `noise`.
    public func write(to w: inout SettingsWriter) {
        w.integer("count", count)
        w.number("noise", noise)
    }
    /// The decoder's validators again.
    public func check() throws {
        try Self.countArgument.check(count, source: Self.name)
        try Self.noiseArgument.check(noise, source: Self.name)
    }
    /// Generated from the seed.
    public var usesSeed: Bool { true }
    /// `count` points, 2 features, 2 classes.
    public func nominalShape(dataRoot: String?) -> NominalShape {
        NominalShape(samples: count, features: 2, outputs: 2, exact: true)
    }
    /// Generates the points; no own test part.
    public func load(dataRoot: String?, rng: inout RNG) throws -> (train: Dataset, test: Dataset?) {
        (Synthetic.moons(count: count, noise: noise, rng: &rng), nil)
    }
}

/// `dataset.name: circles` — `Synthetic.circles` from the seed. Keys: `count` (whole number 2…10⁸,
/// 200), `noise` (≥ 0, 0), `factor` (the inner radius, in (0, 1), 0.8 as scikit-learn).
public struct CirclesSource: DataSource {
    /// Number of points. Default 200.
    public var count: Int
    /// Standard deviation of the Gaussian jitter. Default 0.
    public var noise: Double
    /// Radius of the inner circle, in (0, 1). Default 0.8.
    public var factor: Double
    /// The `count` argument: 2 at least, one point per circle.
    public static let countArgument = IntArgument("count", default: 200, min: 2, max: DatasetLimits.maxSamples)
    /// The `noise` argument.
    public static let noiseArgument = NumberArgument("noise", default: 0, .nonNegative)
    /// The `factor` argument: radius 1 would draw the inner circle on the outer one.
    public static let factorArgument = NumberArgument(
        "factor", default: 0.8, Bounds(lower: 0, upper: 1, exclusiveLower: true)
    ) {
        $0 < 1 ? nil : "must be less than 1 (the inner circle's radius; 1 puts it on the outer circle)"
    }
    /// Arguments as given.
    public init(count: Int = 200, noise: Double = 0, factor: Double = 0.8) {
        self.count = count
        self.noise = noise
        self.factor = factor
    }

    /// `circles`.
    public static let name = "circles"
    /// `count`, `noise`, `factor`.
    public static let keys = ["count", "noise", "factor"]
    /// Reads the three arguments through their validators.
    public init(reading r: any SourceReader) {
        self.init(
            count: r.int(Self.countArgument), noise: r.number(Self.noiseArgument), factor: r.number(Self.factorArgument)
        )
    }
    /// `count`, `noise`, `factor`.
    public func write(to w: inout SettingsWriter) {
        w.integer("count", count)
        w.number("noise", noise)
        w.number("factor", factor)
    }
    /// The decoder's validators again.
    public func check() throws {
        try Self.countArgument.check(count, source: Self.name)
        try Self.noiseArgument.check(noise, source: Self.name)
        try Self.factorArgument.check(factor, source: Self.name)
    }
    /// Generated from the seed.
    public var usesSeed: Bool { true }
    /// `count` points, 2 features, 2 classes.
    public func nominalShape(dataRoot: String?) -> NominalShape {
        NominalShape(samples: count, features: 2, outputs: 2, exact: true)
    }
    /// Generates the points; no own test part.
    public func load(dataRoot: String?, rng: inout RNG) throws -> (train: Dataset, test: Dataset?) {
        (Synthetic.circles(count: count, noise: noise, factor: factor, rng: &rng), nil)
    }
}

extension DatasetConfig.Source {
    /// `dataset.name: moons`.
    public static func moons(count: Int, noise: Double) -> Self { Self(MoonsSource(count: count, noise: noise)) }
    /// `dataset.name: circles`.
    public static func circles(count: Int, noise: Double, factor: Double) -> Self {
        Self(CirclesSource(count: count, noise: noise, factor: factor))
    }
}
