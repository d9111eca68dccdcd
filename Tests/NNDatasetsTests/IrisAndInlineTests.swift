import XCTest

@testable import NNDatasets

final class IrisAndInlineTests: XCTestCase {
    func testIrisResource() throws {
        let d = try Iris.load()
        XCTAssertEqual(d.count, 150)
        XCTAssertEqual(d.dimension, 4)
        XCTAssertEqual(d.classNames, ["setosa", "versicolor", "virginica"])
        XCTAssertEqual((0..<3).map { c in d.labels!.filter { $0 == c }.count }, [50, 50, 50])
        XCTAssertEqual(Array(d.features[0..<4]), [5.1, 3.5, 1.4, 0.2])  // Fisher's first flower
        // Column means near the published summary statistics (5.84 3.05 3.76 1.20, rounded; 3.057 here).
        var means = [Double](repeating: 0, count: 4)
        for i in 0..<150 { for j in 0..<4 { means[j] += d.features[i * 4 + j] / 150 } }
        for (m, want) in zip(means, [5.84, 3.05, 3.76, 1.20]) { XCTAssertEqual(m, want, accuracy: 0.01) }
    }

    func testInlineRegressionAndErrors() throws {
        let x = InlineData(features: [[3, 5], [5, 1], [10, 2]], targets: .values([[75], [82], [93]]))
        let s = try DatasetLoader.build(
            DatasetConfig(source: .inline(train: x, test: nil), preprocessing: [.maxScale, .scaleTargets(100)]), seed: 0
        )
        XCTAssertEqual(s.train.targets, .values([0.75, 0.82, 0.93], dimension: 1))
        XCTAssertNil(s.test)
        let ragged = InlineData(features: [[1, 2], [3]], targets: .labels(["a", "b"]))
        assertDatasetError(["inline train data", "row 2 has 1 features, expected 2"]) {
            _ = try DatasetLoader.build(DatasetConfig(source: .inline(train: ragged, test: nil)), seed: 0)
        }
        let short = InlineData(features: [[1], [3]], targets: .labels(["a"]))
        assertDatasetError(["1 labels for 2 feature rows"]) {
            _ = try DatasetLoader.build(DatasetConfig(source: .inline(train: short, test: nil)), seed: 0)
        }
    }
}
