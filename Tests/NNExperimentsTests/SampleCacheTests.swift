import NNEngine
import XCTest

@testable import NNDatasets
@testable import NNExperiments

/// SampleCache converts a view's rows (preprocessing applied) straight into the run's precision, one
/// entry per view: parts sharing one table are still different samples.
final class SampleCacheTests: XCTestCase {
    override func setUp() { SampleCache.removeAll() }
    override func tearDown() { SampleCache.removeAll() }

    func testSamplesAreTheViewsValuesRoundedOnceAndCachedPerView() {
        let pool = Dataset(
            name: "p", features: [0, 10, 1, 20, 2, 30, 3, 40], count: 4, dimension: 2,
            targets: .classes([0, 1, 1, 0], names: ["a", "b"]))
        let a = pool.subset([3, 1]).appending(.affine(shift: [1, 0.1], divisor: [3, 7]))
        let b = pool.subset([0, 2])
        XCTAssertTrue(a.view.table === b.view.table)
        // Computed by hand: row 3 = (3, 40), row 1 = (1, 20).
        let expected: [Double] = [(3 - 1) / 3.0, (40 - 0.1) / 7, (1 - 1) / 3.0, (20 - 0.1) / 7]
        let sa = SampleCache.samples(Float.self, a, outputs: 2)
        XCTAssertEqual(sa.x, expected.map { Float($0) })
        XCTAssertEqual(sa.y, [1, 0, 0, 1])
        XCTAssertEqual(SampleCache.samples(Double.self, a, outputs: 2).x, expected)
        XCTAssertEqual(SampleCache.samples(Float.self, b, outputs: 2).x, [0, 10, 2, 30])
        XCTAssertEqual(SampleCache.count, 3)
        XCTAssertEqual(SampleCache.samples(Float.self, a, outputs: 2).x, sa.x)
        XCTAssertEqual(SampleCache.count, 3, "the same view converted twice")
        SampleCache.forget(SplitDataset(train: a, test: b))
        XCTAssertEqual(SampleCache.count, 0)
    }

    /// Pixels (a byte table) standardised or scaled reach the engine with their bytes and the step, so
    /// minibatches are gathered from the bytes; other steps (binarise, two steps) and Float64 tables
    /// do not, and unpreprocessed pixels are bytes already.
    func testScaledAndStandardisedPixelsKeepTheirBytesForTheGather() {
        let pixels: [UInt8] = [0, 10, 255, 20, 2, 30, 3, 40]
        let pool = Dataset(
            name: "p", view: FeatureView(table: FeatureTable(bytes: pixels, count: 4, dimension: 2)),
            targets: .classes([0, 1, 1, 0], names: ["a", "b"]))
        let standardised = pool.subset([3, 1, 2]).appending(.affine(shift: [1.5, 0.1], divisor: [3, 7]))
        let s = SampleCache.samples(Float.self, standardised, outputs: 2)
        XCTAssertEqual(s.bytes, [3, 40, 255, 20, 2, 30])
        XCTAssertEqual(s.decoding, ByteDecoding(shift: [1.5, 0.1], divisor: [3, 7]))
        let expected: [Double] = [
            (3 - 1.5) / 3.0, (40 - 0.1) / 7, (255 - 1.5) / 3.0, (20 - 0.1) / 7, (2 - 1.5) / 3.0, (30 - 0.1) / 7
        ]
        XCTAssertEqual(s.x, expected.map { Float($0) })
        let scaled = SampleCache.samples(Double.self, pool.appending(.divide(255)), outputs: 2)
        XCTAssertEqual(scaled.bytes, pixels)
        XCTAssertEqual(scaled.decoding, ByteDecoding(shift: [0, 0], divisor: [255, 255]))
        XCTAssertNil(SampleCache.samples(Float.self, pool.appending(.binarize(5)), outputs: 2).decoding)
        let twice = pool.appending(.divide(2)).appending(.divide(3))
        XCTAssertNil(SampleCache.samples(Float.self, twice, outputs: 2).decoding)
        let raw = SampleCache.samples(Float.self, pool, outputs: 2)
        XCTAssertEqual(raw.bytes, pixels)
        XCTAssertNil(raw.decoding)
        let doubles = Dataset(
            name: "d", features: [0, 10, 1, 20], count: 2, dimension: 2, targets: .classes([0, 1], names: ["a", "b"]))
        XCTAssertNil(SampleCache.samples(Float.self, doubles.appending(.divide(255)), outputs: 2).decoding)
    }
}
