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
}
