import Foundation
import XCTest

@testable import NNDatasets

/// Loads the real MNIST / Fashion-MNIST files when they are on this machine (after `make data`);
/// skipped with a message otherwise.
final class RealDataTests: XCTestCase {
    /// The package root (two levels above this file's folder).
    private var packageRoot: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().path
    }

    private func folder(_ set: IDXSet) -> String? {
        var candidates: [String] = []
        if let env = ProcessInfo.processInfo.environment[DataRoot.environmentVariable] {
            candidates.append((env as NSString).appendingPathComponent(set.rawValue))
        }
        candidates.append((packageRoot as NSString).appendingPathComponent("data/" + set.rawValue))
        if set == .fashionMNIST { candidates.append(IDXSet.debianFashionMNIST) }
        return candidates.first {
            FileManager.default.fileExists(
                atPath: ($0 as NSString).appendingPathComponent("train-labels-idx1-ubyte.gz"))
                || FileManager.default.fileExists(
                    atPath: ($0 as NSString).appendingPathComponent("train-labels-idx1-ubyte"))
        }
    }

    private func check(_ set: IDXSet, firstTrainLabels: [Int], firstTestLabels: [Int]) throws {
        guard let dir = folder(set) else {
            throw XCTSkip(
                "\(set.displayName) files not found (run `make data`, or set NNEXP_DATA); skipping the real-data check")
        }
        let s = try DatasetLoader.build(
            DatasetConfig(
                source: set == .mnist ? .mnist(path: dir) : .fashionMNIST(path: dir),
                preprocessing: [.scale(255)]), seed: 0)
        XCTAssertEqual(s.train.count, 60000)
        XCTAssertEqual(s.test?.count, 10000)
        XCTAssertEqual(s.train.dimension, 784)
        XCTAssertEqual(s.train.imageShape?.0, 28)
        XCTAssertEqual(s.train.imageShape?.1, 28)
        XCTAssertEqual(Array(s.train.labels!.prefix(10)), firstTrainLabels)
        XCTAssertEqual(Array(s.test!.labels!.prefix(10)), firstTestLabels)
        XCTAssertEqual(s.train.features.max(), 1)
        XCTAssertEqual(s.train.features.min(), 0)
        // Both sets are balanced or nearly: every class has between 5 000 and 7 000 training images.
        for c in 0..<10 { XCTAssertTrue(5000...7000 ~= s.train.labels!.filter { $0 == c }.count) }
    }

    func testMNIST() throws {
        try check(
            .mnist, firstTrainLabels: [5, 0, 4, 1, 9, 2, 1, 3, 1, 4], firstTestLabels: [7, 2, 1, 0, 4, 1, 4, 9, 5, 9])
    }

    func testFashionMNIST() throws {
        try check(
            .fashionMNIST, firstTrainLabels: [9, 0, 0, 3, 0, 2, 7, 2, 5, 5],
            firstTestLabels: [9, 2, 1, 1, 6, 1, 4, 6, 5, 7])
    }
}
