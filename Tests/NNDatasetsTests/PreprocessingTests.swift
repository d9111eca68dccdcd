import XCTest

@testable import NNDatasets

final class PreprocessingTests: XCTestCase {
    private func ds(_ rows: [[Double]], labels: [Int]? = nil) -> Dataset {
        Dataset(
            name: "t", features: rows.flatMap { $0 }, count: rows.count, dimension: rows[0].count,
            targets: .classes(labels ?? rows.map { _ in 0 }, names: ["0", "1"]))
    }

    func testStandardiseUsesTrainStatisticsOnly() throws {
        // Column 0: train 1,3 → mean 2, std 1. Column 1 constant 5 → centred only.
        var s = SplitDataset(train: ds([[1, 5], [3, 5]]), validation: ds([[2, 5]]), test: ds([[7, 9]]))
        try Preprocessing.apply([.standardize], to: &s)
        XCTAssertEqual(s.train.features, [-1, 0, 1, 0])
        XCTAssertEqual(s.validation!.features, [0, 0])
        XCTAssertEqual(s.test!.features, [5, 4])  // (7-2)/1, (9-5) — test values never moved the statistics
    }

    /// The vectorised column sums are the scalar loop's bits: every width from 1 to 19 (tails after whole
    /// groups of eight), values of mixed magnitude and sign so that the order of additions would show.
    func testColumnSumsAreTheScalarLoopBitForBit() {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> Double {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Double(Int64(bitPattern: state >> 11) - (1 << 52)) / Double(1 << 40) * (state % 3 == 0 ? 1e-7 : 1)
        }
        for d in 1...19 {
            let rows = (0..<50).map { _ in (0..<d).map { _ in next() } }
            let mean = (0..<d).map { _ in next() }
            var sums = [Double](repeating: 0, count: d)
            var squares = [Double](repeating: 0, count: d)
            var plainSums = sums
            var plainSquares = squares
            for x in rows {
                x.withUnsafeBufferPointer { xb in
                    sums.withUnsafeMutableBufferPointer { ColumnSums.add(xb, into: $0) }
                    mean.withUnsafeBufferPointer { mb in
                        squares.withUnsafeMutableBufferPointer {
                            ColumnSums.addSquaredDeviations(xb, from: mb, into: $0)
                        }
                    }
                }
                for j in 0..<d {
                    plainSums[j] += x[j]
                    let e = x[j] - mean[j]
                    plainSquares[j] += e * e
                }
            }
            XCTAssertEqual(sums.map(\.bitPattern), plainSums.map(\.bitPattern), "width \(d)")
            XCTAssertEqual(squares.map(\.bitPattern), plainSquares.map(\.bitPattern), "width \(d)")
        }
    }

    func testStandardiseMatchesClosedForm() throws {
        let train: [[Double]] = [[2, 10], [4, 20], [4, 30], [5, 40], [7, 50]]
        var s = SplitDataset(train: ds(train))
        try Preprocessing.apply([.standardize], to: &s)
        let mean = 22.0 / 5
        let sd = ((4 - 4.4) * (4 - 4.4) * 2 + 2.4 * 2.4 + 0.6 * 0.6 + 2.6 * 2.6) / 5
        XCTAssertEqual(s.train.features[0], (2 - mean) / sd.squareRoot(), accuracy: 1e-15)
        for j in 0..<2 {
            let col = (0..<5).map { s.train.features[$0 * 2 + j] }
            XCTAssertEqual(col.reduce(0, +) / 5, 0, accuracy: 1e-12)
            XCTAssertEqual(col.map { $0 * $0 }.reduce(0, +) / 5, 1, accuracy: 1e-12)
        }
    }

    func testScaleBinariseAndOrder() throws {
        var a = SplitDataset(train: ds([[0, 127, 128, 255]]))
        try Preprocessing.apply([.scale(255), .binarize(threshold: 0.5)], to: &a)
        XCTAssertEqual(a.train.features, [0, 0, 1, 1])
        var b = SplitDataset(train: ds([[0, 1, 2, 255]]))
        try Preprocessing.apply([.binarize(threshold: 0)], to: &b)  // the classic seed's astype(bool)
        XCTAssertEqual(b.train.features, [0, 1, 1, 1])
        var c = SplitDataset(train: ds([[0, 51, 255]]))
        try Preprocessing.apply([.scale(255)], to: &c)
        XCTAssertEqual(c.train.features, [0, 0.2, 1])
    }

    func testMaxScaleIsWelchsAndFittedOnTrain() throws {
        // Welch's hours of sleep / study and scores.
        let train = Dataset(
            name: "w", features: [3, 5, 5, 1, 10, 2], count: 3, dimension: 2,
            targets: .values([75, 82, 93], dimension: 1))
        let test = Dataset(
            name: "w", features: [4, 5.5, 20, 0], count: 2, dimension: 2, targets: .values([70, 89], dimension: 1))
        var s = SplitDataset(train: train, test: test)
        try Preprocessing.apply([.maxScale, .scaleTargets(100)], to: &s)
        XCTAssertEqual(s.train.features, [0.3, 1, 0.5, 0.2, 1, 0.4])
        XCTAssertEqual(s.test!.features, [0.4, 1.1, 2, 0])
        XCTAssertEqual(s.train.targets, .values([0.75, 0.82, 0.93], dimension: 1))
        XCTAssertEqual(s.test!.targets, .values([0.7, 0.89], dimension: 1))
    }

    func testBadSteps() {
        var s = SplitDataset(train: ds([[1]]))
        assertDatasetError(["scale factor", "non-zero"]) { try Preprocessing.apply([.scale(0)], to: &s) }
        assertDatasetError(["scale-targets", "class labels"]) { try Preprocessing.apply([.scaleTargets(10)], to: &s) }
    }
}
