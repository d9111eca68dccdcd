import Foundation
import XCTest

@testable import NNDatasets
@testable import NNExperiments

/// misclassified.csv draws each image from the pixels as loaded, even when the run standardises them
/// (issue 13: a whole unpreprocessed copy of the split was kept for this; now the split's own rows are
/// read back from the shared raw bytes). Expected values are computed here from the bytes written.
final class MisclassifiedPicturesTests: XCTestCase {
    override func setUp() {
        DatasetCache.shared.removeAll()
        SampleCache.removeAll()
    }
    override func tearDown() {
        DatasetCache.shared.removeAll()
        SampleCache.removeAll()
    }

    /// An IDX file: magic, big-endian dimensions, payload.
    private func idx(_ magic: UInt32, _ dims: [Int], _ payload: [UInt8]) -> Data {
        var b: [UInt8] = []
        for v in [magic] + dims.map(UInt32.init) { b += [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: v >> $0) } }
        return Data(b + payload)
    }

    func testPixelsAreTheLoadedBytesScaledToTheirOwnRange() throws {
        let (n, t, d) = (40, 30, 12)  // train and test images of 4×3 pixels
        func pixels(_ count: Int, _ salt: Int) -> [UInt8] {
            (0..<(count * d)).map { UInt8(truncatingIfNeeded: ($0 * 97 + salt) ^ ($0 >> 2) * 31) }
        }
        let train = pixels(n, 5)
        let test = pixels(t, 11)
        let folder = try SpecFolder([:])
        defer { folder.remove() }
        try """
        experiment: pictures
        dataset: {name: mnist, path: \(folder.path("idx")), preprocess: [standardize]}
        model: {layers: [12, 4, 10], activation: tanh, output: softmax, loss: cross_entropy}
        optimizer: {type: sgd, learning_rate: 0.01}
        training: {epochs: 1, batch_size: 10, precision: float32}
        seed: 1
        """.write(toFile: folder.path("s.yaml"), atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(atPath: folder.path("idx"), withIntermediateDirectories: true)
        try idx(2051, [n, 4, 3], train).write(to: URL(fileURLWithPath: folder.path("idx/train-images-idx3-ubyte")))
        try idx(2049, [n], (0..<n).map { UInt8($0 % 10) }).write(
            to: URL(fileURLWithPath: folder.path("idx/train-labels-idx1-ubyte")))
        try idx(2051, [t, 4, 3], test).write(to: URL(fileURLWithPath: folder.path("idx/t10k-images-idx3-ubyte")))
        try idx(2049, [t], (0..<t).map { UInt8(($0 * 7) % 10) }).write(
            to: URL(fileURLWithPath: folder.path("idx/t10k-labels-idx1-ubyte")))

        let run = try folder.load("s.yaml").runs[0]
        let outcome = RunExecutor.execute(run)
        XCTAssertEqual(outcome.status, .completed)
        let rows = String(decoding: try XCTUnwrap(outcome.files["misclassified.csv"]), as: UTF8.self)
            .split(separator: "\n").dropFirst().map { $0.split(separator: ",").map(String.init) }
        XCTAssertFalse(rows.isEmpty, "an untrained network should misclassify some of 30 images")
        let standardised = try DatasetLoader.build(run.dataset, seed: 1).test!
        var differsFromPreprocessed = false
        for r in rows {
            let i = try XCTUnwrap(Int(r[0]))
            let raw = test[(i * d)..<((i + 1) * d)].map(Double.init)
            let lo = raw.min()!
            let hi = raw.max()!
            XCTAssertEqual(
                Array(r[5...]), raw.map { String(Int((($0 - lo) / (hi - lo) * 255).rounded())) }, "image \(i)")
            let pre = Array(standardised.features[(i * d)..<((i + 1) * d)])
            if Array(r[5...]) != PictureFiles.grey(pre[...]) { differsFromPreprocessed = true }
        }
        XCTAssertTrue(differsFromPreprocessed, "the test cannot tell raw from standardised pixels")
    }
}
