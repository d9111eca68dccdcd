import Foundation
import NNEngine
import NNRandom

extension Synthetic {
    /// Isotropic Gaussian clusters (make_blobs with an integer number of centres): centres drawn
    /// uniformly in the box [-10, 10)^dimension, `count / centers` points each (the first
    /// `count % centers` clusters get one more), spread `std` around their centre, then shuffled.
    public static func blobs(count: Int, centers: Int, std: Double, dimension: Int = 2, rng: inout RNG) -> Dataset {
        precondition(centers > 0 && dimension > 0)
        var c = [Double]()
        for _ in 0..<(centers * dimension) { c.append(rng.uniform(-10, 10)) }
        var rows: [[Double]] = []
        var labels: [Int] = []
        for k in 0..<centers {
            let n = count / centers + (k < count % centers ? 1 : 0)
            for _ in 0..<n {
                rows.append((0..<dimension).map { c[k * dimension + $0] + std * rng.normal() })
                labels.append(k)
            }
        }
        var order = Array(0..<labels.count)
        rng.shuffle(&order)
        var f = [Double]()
        f.reserveCapacity(count * dimension)
        for i in order { f.append(contentsOf: rows[i]) }
        return Dataset(
            name: "blobs", features: f, count: count, dimension: dimension,
            targets: .classes(order.map { labels[$0] }, names: (0..<centers).map(String.init)))
    }

    /// Interleaved spiral arms (the CS231n spiral set): for class j, radius r runs linearly 0→1 and angle
    /// θ = 4j → 4(j+1) plus N(0, noise²); the point is (r·sin θ, r·cos θ). `count / classes` points per
    /// arm (the first `count % classes` arms get one more); shuffled.
    public static func spirals(count: Int, classes: Int, noise: Double, rng: inout RNG) -> Dataset {
        precondition(classes > 0)
        var pts: [(Double, Double)] = []
        var labels: [Int] = []
        for j in 0..<classes {
            let n = count / classes + (j < count % classes ? 1 : 0)
            let radii = linspace(0, 1, n)
            let angles = linspace(4 * Double(j), 4 * Double(j + 1), n)
            for i in 0..<n {
                let t = angles[i] + noise * rng.normal()
                pts.append((radii[i] * sin(t), radii[i] * cos(t)))
                labels.append(j)
            }
        }
        let (f, l) = shuffleAndJitter(pts, labels, noise: 0, rng: &rng)
        return Dataset(
            name: "spirals", features: f, count: count, dimension: 2,
            targets: .classes(l, names: (0..<classes).map(String.init)))
    }
}

/// `dataset.name: blobs` — `Synthetic.blobs` from the seed. Keys: `count` (1…10⁸, 200), `centers`
/// (1…10⁵, 3), `std` (≥ 0, 1), `dimension` (features, 1…10⁶, 2).
public struct BlobsSource: DataSource {
    /// Number of points. Default 200.
    public var count: Int
    /// Number of clusters (classes). Default 3.
    public var centers: Int
    /// Spread of each cluster. Default 1.
    public var std: Double
    /// Features per point. Default 2.
    public var dimension: Int
    /// The `count` argument.
    public static let countArgument = IntArgument("count", default: 200, min: 1, max: DatasetLimits.maxSamples)
    /// The `centers` argument.
    public static let centersArgument = IntArgument("centers", default: 3, min: 1, max: DatasetLimits.maxClasses)
    /// The `std` argument.
    public static let stdArgument = NumberArgument("std", default: 1, .nonNegative)
    /// The `dimension` argument.
    public static let dimensionArgument = IntArgument("dimension", default: 2, min: 1, max: DatasetLimits.maxDimension)
    /// Arguments as given.
    public init(count: Int = 200, centers: Int = 3, std: Double = 1, dimension: Int = 2) {
        self.count = count
        self.centers = centers
        self.std = std
        self.dimension = dimension
    }

    /// `blobs`.
    public static let name = "blobs"
    /// `count`, `centers`, `std`, `dimension`.
    public static let keys = ["count", "centers", "std", "dimension"]
    /// Reads the four arguments through their validators.
    public init(reading r: any SourceReader) {
        self.init(
            count: r.int(Self.countArgument), centers: r.int(Self.centersArgument), std: r.number(Self.stdArgument),
            dimension: r.int(Self.dimensionArgument))
    }
    /// `count`, `centers`, `std`, `dimension`.
    public func write(to w: inout SettingsWriter) {
        w.integer("count", count)
        w.integer("centers", centers)
        w.number("std", std)
        w.integer("dimension", dimension)
    }
    /// The decoder's validators again.
    public func check() throws {
        try Self.countArgument.check(count, source: Self.name)
        try Self.centersArgument.check(centers, source: Self.name)
        try Self.stdArgument.check(std, source: Self.name)
        try Self.dimensionArgument.check(dimension, source: Self.name)
    }
    /// Generated from the seed.
    public var usesSeed: Bool { true }
    /// `count` points, `dimension` features, `centers` classes.
    public func nominalShape(dataRoot: String?) -> NominalShape {
        NominalShape(samples: count, features: dimension, outputs: centers, exact: true)
    }
    /// Generates the points; no own test part.
    public func load(dataRoot: String?, rng: inout RNG) throws -> (train: Dataset, test: Dataset?) {
        (Synthetic.blobs(count: count, centers: centers, std: std, dimension: dimension, rng: &rng), nil)
    }
}

/// `dataset.name: spirals` — `Synthetic.spirals` from the seed. Keys: `count` (1…10⁸, 300), `classes`
/// (arms, 2…10⁵, 3), `noise` (angle noise ≥ 0, 0.2 as CS231n).
public struct SpiralsSource: DataSource {
    /// Number of points. Default 300.
    public var count: Int
    /// Number of arms (classes). Default 3.
    public var classes: Int
    /// Angle noise. Default 0.2.
    public var noise: Double
    /// The `count` argument.
    public static let countArgument = IntArgument("count", default: 300, min: 1, max: DatasetLimits.maxSamples)
    /// The `classes` argument.
    public static let classesArgument = IntArgument("classes", default: 3, min: 2, max: DatasetLimits.maxClasses)
    /// The `noise` argument.
    public static let noiseArgument = NumberArgument("noise", default: 0.2, .nonNegative)
    /// Arguments as given.
    public init(count: Int = 300, classes: Int = 3, noise: Double = 0.2) {
        self.count = count
        self.classes = classes
        self.noise = noise
    }

    /// `spirals`.
    public static let name = "spirals"
    /// `count`, `classes`, `noise`.
    public static let keys = ["count", "classes", "noise"]
    /// Reads the three arguments through their validators.
    public init(reading r: any SourceReader) {
        self.init(
            count: r.int(Self.countArgument), classes: r.int(Self.classesArgument), noise: r.number(Self.noiseArgument))
    }
    /// `count`, `classes`, `noise`.
    public func write(to w: inout SettingsWriter) {
        w.integer("count", count)
        w.integer("classes", classes)
        w.number("noise", noise)
    }
    /// The decoder's validators again.
    public func check() throws {
        try Self.countArgument.check(count, source: Self.name)
        try Self.classesArgument.check(classes, source: Self.name)
        try Self.noiseArgument.check(noise, source: Self.name)
    }
    /// Generated from the seed.
    public var usesSeed: Bool { true }
    /// `count` points, 2 features, `classes` classes.
    public func nominalShape(dataRoot: String?) -> NominalShape {
        NominalShape(samples: count, features: 2, outputs: classes, exact: true)
    }
    /// Generates the points; no own test part.
    public func load(dataRoot: String?, rng: inout RNG) throws -> (train: Dataset, test: Dataset?) {
        (Synthetic.spirals(count: count, classes: classes, noise: noise, rng: &rng), nil)
    }
}

extension DatasetConfig.Source {
    /// `dataset.name: blobs`.
    public static func blobs(count: Int, centers: Int, std: Double, dimension: Int) -> Self {
        Self(BlobsSource(count: count, centers: centers, std: std, dimension: dimension))
    }
    /// `dataset.name: spirals`.
    public static func spirals(count: Int, classes: Int, noise: Double) -> Self {
        Self(SpiralsSource(count: count, classes: classes, noise: noise))
    }
}
