import NNRandom
import XCTest

@testable import NNDatasets

final class SyntheticTests: XCTestCase {
    private func rows(_ d: Dataset) -> [(Double, Double, Int)] {
        let f = d.features
        let l = d.labels!
        return (0..<d.count).map { (f[2 * $0], f[2 * $0 + 1], l[$0]) }
    }

    func testMoonsWithoutNoiseLieOnTheirHalfCircles() {
        var rng = RNG(seed: 1)
        let d = Synthetic.moons(count: 201, noise: 0, rng: &rng)
        XCTAssertEqual(d.count, 201)
        XCTAssertEqual(d.dimension, 2)
        XCTAssertEqual(d.labels!.filter { $0 == 0 }.count, 100)  // 201 / 2 to the upper moon
        for (x, y, l) in rows(d) {
            if l == 0 {
                XCTAssertEqual(x * x + y * y, 1, accuracy: 1e-12)
                XCTAssertGreaterThanOrEqual(y, -1e-12)
            } else {
                XCTAssertEqual((x - 1) * (x - 1) + (y - 0.5) * (y - 0.5), 1, accuracy: 1e-12)
                XCTAssertLessThanOrEqual(y, 0.5 + 1e-12)
            }
        }
        // Both end points of each moon are there (linspace includes its endpoint).
        XCTAssertTrue(rows(d).contains { $0.2 == 0 && abs($0.0 + 1) < 1e-12 })
        XCTAssertTrue(rows(d).contains { $0.2 == 1 && abs($0.0 - 2) < 1e-12 })
    }

    func testCirclesRadiiAndNoise() {
        var rng = RNG(seed: 2)
        let d = Synthetic.circles(count: 100, noise: 0, factor: 0.5, rng: &rng)
        for (x, y, l) in rows(d) { XCTAssertEqual((x * x + y * y).squareRoot(), l == 0 ? 1 : 0.5, accuracy: 1e-12) }
        var r2 = RNG(seed: 2)
        let noisy = Synthetic.circles(count: 4000, noise: 0.1, factor: 0.5, rng: &r2)
        // Radial deviation of the outer ring ≈ N(0, 0.1²): its spread should be near 0.1.
        let dev = rows(noisy).filter { $0.2 == 0 }.map { ($0.0 * $0.0 + $0.1 * $0.1).squareRoot() - 1 }
        let sd = (dev.map { $0 * $0 }.reduce(0, +) / Double(dev.count)).squareRoot()
        XCTAssertEqual(sd, 0.1, accuracy: 0.01)
    }

    func testBlobsCountsPerCentreAndSpread() {
        var rng = RNG(seed: 3)
        let d = Synthetic.blobs(count: 3001, centers: 3, std: 0.5, dimension: 3, rng: &rng)
        XCTAssertEqual(d.dimension, 3)
        XCTAssertEqual(d.classNames, ["0", "1", "2"])
        XCTAssertEqual((0..<3).map { c in d.labels!.filter { $0 == c }.count }, [1001, 1000, 1000])
        // Each cluster's mean lies in the centre box and its per-axis spread is ≈ std.
        for c in 0..<3 {
            let idx = d.labels!.indices.filter { d.labels![$0] == c }
            let xs = idx.map { d.features[$0 * 3] }
            let m = xs.reduce(0, +) / Double(xs.count)
            XCTAssertTrue((-10.1)...(10.1) ~= m)
            let sd = (xs.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Double(xs.count)).squareRoot()
            XCTAssertEqual(sd, 0.5, accuracy: 0.05)
        }
    }

    func testSpiralsArmsAndRadius() {
        var rng = RNG(seed: 4)
        let d = Synthetic.spirals(count: 300, classes: 3, noise: 0.2, rng: &rng)
        XCTAssertEqual((0..<3).map { c in d.labels!.filter { $0 == c }.count }, [100, 100, 100])
        let radii = rows(d).map { ($0.0 * $0.0 + $0.1 * $0.1).squareRoot() }
        XCTAssertEqual(radii.max()!, 1, accuracy: 1e-12)  // r runs to 1 whatever the angle noise
        XCTAssertEqual(radii.min()!, 0, accuracy: 1e-12)
    }

    func testGeneratorsAreDeterministicAndSeedDependent() throws {
        let configs: [DatasetConfig.Source] = [
            .moons(count: 50, noise: 0.2), .circles(count: 50, noise: 0.1, factor: 0.8),
            .blobs(count: 50, centers: 4, std: 1, dimension: 2), .spirals(count: 60, classes: 3, noise: 0.2),
            .xor(repeats: 5, noise: 0.1)
        ]
        for s in configs {
            let a = try DatasetLoader.build(DatasetConfig(source: s), seed: 7).train
            let b = try DatasetLoader.build(DatasetConfig(source: s), seed: 7).train
            let c = try DatasetLoader.build(DatasetConfig(source: s), seed: 8).train
            XCTAssertEqual(a.features, b.features, "\(s)")
            XCTAssertEqual(a.labels, b.labels)
            XCTAssertNotEqual(a.features, c.features, "\(s)")
        }
    }

    func testXORWithoutNoiseIsTheTruthTable() throws {
        let d = try DatasetLoader.build(DatasetConfig(source: .xor(repeats: 2, noise: 0)), seed: 0).train
        XCTAssertEqual(d.count, 8)
        for (x, y, l) in rows(d) { XCTAssertEqual(l, (x == 1) != (y == 1) ? 1 : 0) }
        XCTAssertFalse(DatasetConfig(source: .xor(repeats: 1, noise: 0)).usesSeed)
    }

    func testBadGeneratorArguments() {
        // The loader checks a config built in code with the validators the spec decoder uses, in the same words.
        assertDatasetError(["moons: `dataset.count` must be at least 2, found 0"]) {
            _ = try DatasetLoader.build(DatasetConfig(source: .moons(count: 0, noise: 0.1)), seed: 0)
        }
        assertDatasetError(["circles: `dataset.factor` must be at most 1, found 1.5"]) {
            _ = try DatasetLoader.build(DatasetConfig(source: .circles(count: 10, noise: 0, factor: 1.5)), seed: 0)
        }
        // Factor 1 passes the bounds but not the circles' own rule (the decoder refused it, the loader did too).
        assertDatasetError(["circles: `dataset.factor` must be less than 1"]) {
            _ = try DatasetLoader.build(DatasetConfig(source: .circles(count: 10, noise: 0, factor: 1)), seed: 0)
        }
        assertDatasetError(["spirals: `dataset.noise` must be at least 0, found -1"]) {
            _ = try DatasetLoader.build(DatasetConfig(source: .spirals(count: 10, classes: 2, noise: -1)), seed: 0)
        }
        assertDatasetError(["xor: `dataset.noise` must be a finite number"]) {
            _ = try DatasetLoader.build(DatasetConfig(source: .xor(repeats: 1, noise: .nan)), seed: 0)
        }
    }
}
