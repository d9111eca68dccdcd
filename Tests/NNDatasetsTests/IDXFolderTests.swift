import XCTest

@testable import NNDatasets

final class IDXFolderTests: XCTestCase {
    override func setUp() { DatasetCache.shared.removeAll() }

    func testFolderLoadsThroughConfigPlainAndGzip() throws {
        for gzip in [false, true] {
            let t = try TempFolder()
            try writeIDXFolder(t, trainCount: 12, testCount: 5, gzip: gzip)
            let s = try DatasetLoader.build(DatasetConfig(source: .mnist(path: t.path)), seed: 1)
            XCTAssertEqual(s.train.count, 12)
            XCTAssertEqual(s.train.dimension, 12)
            XCTAssertEqual(s.test?.count, 5)
            XCTAssertNil(s.validation)
            XCTAssertEqual(s.train.imageShape?.0, 4)
            XCTAssertEqual(s.train.imageShape?.1, 3)
            XCTAssertEqual(s.train.classNames, (0...9).map(String.init))
            XCTAssertEqual(s.train.labels, (0..<12).map { $0 % 10 })
            XCTAssertEqual(s.test?.labels, (0..<5).map { ($0 * 3) % 10 })
            XCTAssertEqual(s.train.features, idxImages(count: 12, rows: 4, cols: 3, seed: 1).pixels.map(Double.init))
        }
    }

    func testDataRootAndFashionNames() throws {
        let t = try TempFolder()
        try FileManager.default.createDirectory(atPath: t.file("fashion-mnist"), withIntermediateDirectories: true)
        let inner = try TempFolder()
        try writeIDXFolder(inner)
        for f in try FileManager.default.contentsOfDirectory(atPath: inner.path) {
            try FileManager.default.copyItem(atPath: inner.file(f), toPath: t.file("fashion-mnist/" + f))
        }
        let s = try DatasetLoader.build(DatasetConfig(source: .fashionMNIST(path: nil), dataRoot: t.path), seed: 0)
        XCTAssertEqual(s.train.classNames.first, "T-shirt/top")
        XCTAssertEqual(s.train.classNames.count, 10)
    }

    func testMissingFolderSaysRunMakeData() throws {
        let t = try TempFolder()
        assertDatasetError(["MNIST", t.file("mnist"), "does not exist", "run `make data`"]) {
            _ = try DatasetLoader.build(DatasetConfig(source: .mnist(path: nil), dataRoot: t.path), seed: 0)
        }
    }

    func testMissingFileInFolder() throws {
        let t = try TempFolder()
        try writeIDXFolder(t)
        try FileManager.default.removeItem(atPath: t.file("t10k-labels-idx1-ubyte"))
        assertDatasetError([t.path, "no t10k labels file", "t10k-labels-idx1-ubyte.gz", "run `make data`"]) {
            _ = try IDXFolder.read(t.path, setName: "MNIST", classCount: 10)
        }
    }

    func testImageAndLabelCountsMustAgree() throws {
        let t = try TempFolder()
        try writeIDXFolder(t)
        try t.write("train-labels-idx1-ubyte", idxLabels([1, 2, 3]))
        assertDatasetError([t.file("train-labels-idx1-ubyte"), "3 labels", "12 images"]) {
            _ = try IDXFolder.read(t.path, setName: "MNIST", classCount: 10)
        }
    }

    func testLabelOutOfRange() throws {
        let t = try TempFolder()
        try writeIDXFolder(t, trainCount: 3)
        try t.write("train-labels-idx1-ubyte", idxLabels([1, 12, 3]))
        assertDatasetError(["label 12 at index 1", "0..<10"]) {
            _ = try IDXFolder.read(t.path, setName: "MNIST", classCount: 10)
        }
    }

    func testSwappedFilesAreCaught() throws {
        let t = try TempFolder()
        try writeIDXFolder(t)
        try FileManager.default.removeItem(atPath: t.file("train-images-idx3-ubyte"))
        try FileManager.default.copyItem(
            atPath: t.file("train-labels-idx1-ubyte"), toPath: t.file("train-images-idx3-ubyte"))
        assertDatasetError([t.file("train-images-idx3-ubyte"), "bad magic number 2049"]) {
            _ = try IDXFolder.read(t.path, setName: "MNIST", classCount: 10)
        }
    }

    func testDottedSpellingIsFound() throws {
        let t = try TempFolder()
        try writeIDXFolder(t)
        try FileManager.default.moveItem(
            atPath: t.file("train-images-idx3-ubyte"), toPath: t.file("train-images.idx3-ubyte"))
        XCTAssertEqual(try IDXFolder.read(t.path, setName: "MNIST", classCount: 10).train.images.count, 12)
    }
}
