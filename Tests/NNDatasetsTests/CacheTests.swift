import Foundation
import XCTest
@testable import NNDatasets

final class CacheTests: XCTestCase {
    override func setUp() { DatasetCache.shared.removeAll() }

    func testConcurrentLoadsShareOneResult() throws {
        let t = try TempFolder()
        try writeIDXFolder(t, trainCount: 40, testCount: 10, gzip: true)
        let configs = [
            DatasetConfig(source: .mnist(path: t.path), preprocessing: [.scale(255)]),
            DatasetConfig(source: .mnist(path: t.path), preprocessing: [.standardize]),
            DatasetConfig(source: .mnist(path: t.path), split: SplitConfig(validation: .count(8))),
        ]
        let results = Locked([Int: [Double]]())
        DispatchQueue.concurrentPerform(iterations: 24) { i in
            let c = configs[i % 3]
            let s = try! DatasetLoader.load(c, seed: UInt64(i % 2))
            results.update { d in
                if let prev = d[i % 3 * 10 + (c.usesSeed ? i % 2 : 0)] { XCTAssertEqual(prev, s.train.features) }
                else { d[i % 3 * 10 + (c.usesSeed ? i % 2 : 0)] = s.train.features }
            }
        }
        // The cached raw files are read once: deleting them now does not disturb later loads.
        try FileManager.default.removeItem(atPath: t.file("train-images-idx3-ubyte.gz"))
        let other = try DatasetLoader.load(DatasetConfig(source: .mnist(path: t.path), preprocessing: [.binarize(threshold: 100)]), seed: 0)
        XCTAssertEqual(other.train.count, 40)
        XCTAssertTrue(other.train.features.allSatisfy { $0 == 0 || $0 == 1 })
    }

    func testSeedIndependentConfigsIgnoreTheSeed() throws {
        let c = DatasetConfig(source: .iris, preprocessing: [.standardize])
        XCTAssertFalse(c.usesSeed)
        XCTAssertEqual(try DatasetLoader.load(c, seed: 1).train.features, try DatasetLoader.load(c, seed: 2).train.features)
        let r = DatasetConfig(source: .iris, split: SplitConfig(test: .holdout(.fraction(0.2))))
        XCTAssertTrue(r.usesSeed)
        XCTAssertNotEqual(try DatasetLoader.load(r, seed: 1).test!.features, try DatasetLoader.load(r, seed: 2).test!.features)
    }
}

/// A value behind a lock, for collecting results from concurrent test code.
final class Locked<T>: @unchecked Sendable {
    private var value: T
    private let lock = NSLock()
    init(_ v: T) { value = v }
    func update(_ f: (inout T) -> Void) { lock.withLock { f(&value) } }
}
