import XCTest

@testable import NNDatasets

/// Splits are views over the one loaded pool (issue 13: each seed's split was a Float64 copy of the
/// data, and a second, unpreprocessed copy was kept for the report's pictures). Checks that parts and
/// seeds share the cached bytes, and that reading through a view gives what transforming a copy by
/// hand gives, bit for bit.
final class SplitViewTests: XCTestCase {
    override func setUp() { DatasetCache.shared.removeAll() }
    override func tearDown() { DatasetCache.shared.removeAll() }

    private func config(_ path: String, _ steps: [PreprocessStep]) -> DatasetConfig {
        DatasetConfig(
            source: .mnist(path: path), trainCount: 10,
            split: SplitConfig(validation: .count(3), shuffle: true), preprocessing: steps)
    }

    private func address(_ bytes: [UInt8]) -> UInt {
        bytes.withUnsafeBufferPointer { UInt(bitPattern: $0.baseAddress) }
    }

    private func tableBytes(_ d: Dataset) -> [UInt8]? {
        if case .bytes(let b) = d.view.table.storage { return b } else { return nil }
    }

    func testEverySeedsPartsAreViewsOfTheCachedPixels() throws {
        let t = try TempFolder()
        try writeIDXFolder(t, trainCount: 12, testCount: 5)
        let raw = try DatasetCache.shared.idxFolder(t.path, set: .mnist)
        for seed in [UInt64(1), 2, 3] {
            let s = try DatasetLoader.build(config(t.path, [.scale(255), .standardize]), seed: seed)
            let parts = [s.train, s.validation!]
            for p in parts {
                let bytes = try XCTUnwrap(
                    tableBytes(p), "seed \(seed): \(p.name) holds Float64 values, not the loaded bytes")
                XCTAssertEqual(
                    address(bytes), address(raw.train.images.pixels), "seed \(seed): a part copied the training pixels")
            }
            let test = try XCTUnwrap(s.test.flatMap(tableBytes))
            XCTAssertEqual(
                address(test), address(raw.test.images.pixels), "seed \(seed): the test part copied its pixels")
            XCTAssertEqual(Set(s.train.view.rows!).intersection(s.validation!.view.rows!), [])
            XCTAssertEqual(s.train.view.steps.count, 2, "preprocessing must stay steps on the view")
        }
    }

    func testReadingThroughAViewEqualsTransformingTheRowsByHand() throws {
        let t = try TempFolder()
        try writeIDXFolder(t, trainCount: 12, testCount: 5)
        let pixels = idxImages(count: 12, rows: 4, cols: 3, seed: 1).pixels
        let testPixels = idxImages(count: 5, rows: 4, cols: 3, seed: 2).pixels
        let s = try DatasetLoader.build(config(t.path, [.scale(255), .standardize]), seed: 7)
        let d = 12
        func row(_ p: [UInt8], _ r: Int) -> [Double] { p[(r * d)..<((r + 1) * d)].map { Double($0) / 255 } }
        let trainRows = s.train.view.rows!.map { row(pixels, $0) }
        // Population mean and standard deviation per column over the training rows, two passes.
        var mean = [Double](repeating: 0, count: d)
        var std = [Double](repeating: 0, count: d)
        for r in trainRows { for j in 0..<d { mean[j] += r[j] } }
        for j in 0..<d { mean[j] /= Double(trainRows.count) }
        for r in trainRows { for j in 0..<d { std[j] += (r[j] - mean[j]) * (r[j] - mean[j]) } }
        std = std.map {
            let v = ($0 / Double(trainRows.count)).squareRoot()
            return v > 0 ? v : 1
        }
        func standardised(_ rows: [[Double]]) -> [Double] {
            rows.flatMap { r in (0..<d).map { (r[$0] - mean[$0]) / std[$0] } }
        }
        XCTAssertEqual(s.train.features, standardised(trainRows))
        XCTAssertEqual(s.validation!.features, standardised(s.validation!.view.rows!.map { row(pixels, $0) }))
        XCTAssertEqual(s.test!.features, standardised((0..<5).map { row(testPixels, $0) }))
        var seen: [Double] = []
        s.train.forEachRow { _, x in seen += x }
        XCTAssertEqual(seen, standardised(trainRows))
    }

    func testUnpreprocessedRowsAreTheLoadedPixelsOfTheSameSamples() throws {
        let t = try TempFolder()
        try writeIDXFolder(t, trainCount: 12, testCount: 5)
        let pixels = idxImages(count: 12, rows: 4, cols: 3, seed: 1).pixels
        let testPixels = idxImages(count: 5, rows: 4, cols: 3, seed: 2).pixels
        var c = config(t.path, [.standardize])
        c.split = SplitConfig(test: .holdout(.count(3)), validation: .count(2), shuffle: true)
        c.mergeTest = true
        let s = try DatasetLoader.build(c, seed: 3)
        let pool = Array(pixels[0..<(10 * 12)]) + testPixels  // first 10 training images, then the 5 test images
        let test = try XCTUnwrap(s.test)
        XCTAssertEqual(test.count, 3)
        for i in 0..<test.count {
            let r = test.view.rows![i]
            XCTAssertEqual(test.unpreprocessedRow(i), pool[(r * 12)..<((r + 1) * 12)].map(Double.init))
            XCTAssertNotEqual(test.unpreprocessedRow(i), Array(test.features[(i * 12)..<((i + 1) * 12)]))
        }
        // Merging keeps bytes (one small copy of the pool), not Float64 values.
        XCTAssertTrue(test.view.table.holdsBytes)
        XCTAssertEqual(test.view.table.byteCount, 15 * 12)
    }

    func testSubsetsComposeAndCopyNoFeature() {
        let ds = Dataset(
            name: "d", features: (0..<12).map(Double.init), count: 6, dimension: 2,
            targets: .values((0..<6).map(Double.init), dimension: 1))
        let a = ds.subset([5, 1, 3])
        let b = a.subset([2, 0])
        XCTAssertTrue(b.view.table === ds.view.table)
        XCTAssertEqual(b.view.rows, [3, 5])
        XCTAssertEqual(b.features, [6, 7, 10, 11])
        XCTAssertEqual(b.targets, .values([3, 5], dimension: 1))
        let scaled = b.appending(.divide(2))
        XCTAssertEqual(scaled.features, [3, 3.5, 5, 5.5])
        XCTAssertEqual(scaled.unpreprocessedRow(1), [10, 11])
        XCTAssertEqual(b.features, [6, 7, 10, 11], "appending a step changed the view it came from")
    }
}
