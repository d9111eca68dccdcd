import Foundation
import NNEngine
import XCTest

@testable import NNDatasets

/// The `npz` source against archives written by NumPy itself (Fixtures/make_npz.py holds the values):
/// stored and deflated members, float32/float64/integer/boolean/big-endian/Fortran-order arrays,
/// labels numbered like CSV labels, regression targets, images, an own test part, and each mistake
/// naming the file and what is wrong.
final class NPZSourceTests: XCTestCase {
    func fixture(_ name: String) -> String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/\(name)").path
    }

    func load(_ s: NPZSource) throws -> SplitDataset {
        try DatasetLoader.build(DatasetConfig(source: .npz(s), split: SplitConfig(shuffle: false)), seed: 0)
    }

    func testDefaultArraysXAndYAsClassLabels() throws {
        let d = try load(NPZSource(path: fixture("labels.npz")))
        XCTAssertEqual(d.train.count, 6)
        XCTAssertEqual(d.train.dimension, 2)
        XCTAssertEqual(d.train.features, [0.5, -1.0, 2.0, 3.25, 1e-3, 7.0, 4.0, 4.0, -2.5, 0.0, 6.0, 1.0])
        // int64 labels 2 0 1 2 0 1 keep their values (sorted numbering, as CSV labels).
        XCTAssertEqual(d.train.labels, [2, 0, 1, 2, 0, 1])
        XCTAssertEqual(d.train.classNames, ["0", "1", "2"])
        XCTAssertNil(d.test)
        XCTAssertFalse(
            DatasetConfig(source: .npz(NPZSource(path: "x.npz")), split: SplitConfig(shuffle: false)).usesSeed)
    }

    func testCompressedFloat32FortranOrderAndLabelsNumberedInOrder() throws {
        let d = try load(NPZSource(path: fixture("compressed.npz")))
        XCTAssertEqual(d.train.count, 4)
        XCTAssertEqual(d.train.dimension, 3)
        XCTAssertEqual(d.train.features, (1...12).map { Double($0) / 4 })
        // Labels 5 3 5 3 → classes "3" (0) and "5" (1).
        XCTAssertEqual(d.train.classNames, ["3", "5"])
        XCTAssertEqual(d.train.labels, [1, 0, 1, 0])
    }

    func testRegressionTargetsUnderOtherNamesBigEndian() throws {
        let d = try load(NPZSource(path: fixture("regression.npz"), features: "inputs", target: .targets("t")))
        XCTAssertEqual(d.train.features, [1, 2, 3, 4, 5, 6])
        XCTAssertEqual(d.train.targets, .values([0.5, 1.5, 2.5, 3.5, 4.5, 5.5], dimension: 2))
    }

    func testImagesAreFlattenedWithTheirShapeAndBooleanLabels() throws {
        let d = try load(NPZSource(path: fixture("images.npz")))
        XCTAssertEqual(d.train.count, 3)
        XCTAssertEqual(d.train.dimension, 6)
        XCTAssertEqual(d.train.features, (0..<18).map(Double.init))
        XCTAssertEqual(d.train.imageShape.map { [$0.0, $0.1] }, [2, 3])
        XCTAssertEqual(d.train.classNames, ["0", "1"])
        XCTAssertEqual(d.train.labels, [1, 0, 1])
    }

    func testTestFileSharesTheClassNumbering() throws {
        let d = try load(NPZSource(path: fixture("labels.npz"), testPath: fixture("labels-test.npz")))
        let test = try XCTUnwrap(d.test)
        XCTAssertEqual(test.features, [1, 1, 2, 2])
        // Its own file numbers 1 and 2 as 0 and 1; the training numbering gives 2 and 1.
        XCTAssertEqual(test.labels, [2, 1])
        XCTAssertEqual(test.classNames, ["0", "1", "2"])
        XCTAssertEqual(
            DatasetConfig(source: .npz(NPZSource(path: "a.npz", testPath: "b.npz"))).inputFiles().map(\.name),
            ["a.npz", "b.npz"])
    }

    func testMistakesNameTheFileAndTheProblem() {
        assertDatasetError(["nope.npz", "not found"]) { _ = try self.load(NPZSource(path: self.fixture("nope.npz"))) }
        assertDatasetError(["labels.npz", "no array `features`", "`X`, `y`"]) {
            _ = try self.load(NPZSource(path: self.fixture("labels.npz"), features: "features"))
        }
        assertDatasetError(["fractional-labels.npz", "label 0.5 of sample 1", "not a whole number", "dataset.targets"])
        {
            _ = try self.load(NPZSource(path: self.fixture("fractional-labels.npz")))
        }
        assertDatasetError(["short-labels.npz", "shape (2,)", "3 samples"]) {
            _ = try self.load(NPZSource(path: self.fixture("short-labels.npz")))
        }
        assertDatasetError(["flat-features.npz", "shape (4,)", "(samples, features)"]) {
            _ = try self.load(NPZSource(path: self.fixture("flat-features.npz")))
        }
        // Not an archive at all: the CSV fixture's neighbour, make_npz.py.
        assertDatasetError(["make_npz.py", "not a readable .npz archive"]) {
            _ = try self.load(NPZSource(path: self.fixture("make_npz.py")))
        }
        assertDatasetError(["npz: `dataset.features` must name an array"]) {
            _ = try self.load(NPZSource(path: "x.npz", features: ""))
        }
    }

    func testNonFiniteFeaturesAreRefused() throws {
        let t = try TempFolder()
        let bytes = NPZ.encode([
            ("X", NPYArray(shape: [2, 1], values: [1, .nan])), ("y", NPYArray(shape: [2], values: [0, 1]))
        ])
        let path = try t.write("nan.npz", bytes)
        assertDatasetError(["nan.npz", "not a finite number", "sample 2"]) { _ = try self.load(NPZSource(path: path)) }
    }
}
