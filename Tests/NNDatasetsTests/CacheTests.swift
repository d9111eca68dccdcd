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
            DatasetConfig(source: .mnist(path: t.path), split: SplitConfig(validation: .count(8)))
        ]
        let results = Locked([Int: [Double]]())
        DispatchQueue.concurrentPerform(iterations: 24) { i in
            let c = configs[i % 3]
            let s = try! DatasetLoader.load(c, seed: UInt64(i % 2))
            results.update { d in
                if let prev = d[i % 3 * 10 + (c.usesSeed ? i % 2 : 0)] {
                    XCTAssertEqual(prev, s.train.features)
                } else {
                    d[i % 3 * 10 + (c.usesSeed ? i % 2 : 0)] = s.train.features
                }
            }
        }
        // The cached raw files are read once: deleting them now does not disturb later loads.
        try FileManager.default.removeItem(atPath: t.file("train-images-idx3-ubyte.gz"))
        let other = try DatasetLoader.load(
            DatasetConfig(source: .mnist(path: t.path), preprocessing: [.binarize(threshold: 100)]), seed: 0)
        XCTAssertEqual(other.train.count, 40)
        XCTAssertTrue(other.train.features.allSatisfy { $0 == 0 || $0 == 1 })
    }

    func testSeedIndependentConfigsIgnoreTheSeed() throws {
        let c = DatasetConfig(source: .iris, preprocessing: [.standardize])
        XCTAssertFalse(c.usesSeed)
        XCTAssertEqual(
            try DatasetLoader.load(c, seed: 1).train.features, try DatasetLoader.load(c, seed: 2).train.features)
        let r = DatasetConfig(source: .iris, split: SplitConfig(test: .holdout(.fraction(0.2))))
        XCTAssertTrue(r.usesSeed)
        XCTAssertNotEqual(
            try DatasetLoader.load(r, seed: 1).test!.features, try DatasetLoader.load(r, seed: 2).test!.features)
    }
}

/// A value behind a lock, for collecting results from concurrent test code.
final class Locked<T>: @unchecked Sendable {
    private var value: T
    private let lock = NSLock()
    init(_ v: T) { value = v }
    func update(_ f: (inout T) -> Void) { lock.withLock { f(&value) } }
}

final class CacheReleaseTests: XCTestCase {
    override func setUp() { DatasetCache.shared.removeAll() }
    override func tearDown() { DatasetCache.shared.removeAll() }

    func testASplitIsDroppedWhenItsLastHolderReleasesIt() throws {
        let cache = DatasetCache.shared
        let c = DatasetConfig(source: .moons(count: 50, noise: 0.1), split: SplitConfig(validation: .count(10)))
        cache.retain(c, seed: 1)
        cache.retain(c, seed: 1)
        cache.retain(c, seed: 2)
        let first = try cache.split(c, seed: 1)
        _ = try cache.split(c, seed: 2)
        XCTAssertEqual(cache.splitCount, 2)
        XCTAssertNil(cache.release(c, seed: 1), "dropped while a holder remains")
        XCTAssertEqual(cache.splitCount, 2)
        let gone = cache.release(c, seed: 1)
        XCTAssertEqual(gone?.train.features, first.train.features)
        XCTAssertEqual(cache.splitCount, 1)
        // Built again on demand, the same bytes; a release beyond the retains changes nothing.
        XCTAssertEqual(try cache.split(c, seed: 1).validation?.features, first.validation?.features)
        XCTAssertNil(cache.release(c, seed: 1))
        XCTAssertEqual(cache.splitCount, 2, "an entry nobody retained was dropped")
        XCTAssertNotNil(cache.release(c, seed: 2))
        XCTAssertEqual(cache.splitCount, 1)
    }

    func testSeedIndependentConfigsShareOneHolderCount() throws {
        let cache = DatasetCache.shared
        let c = DatasetConfig(source: .iris)
        cache.retain(c, seed: 1)
        cache.retain(c, seed: 2)
        _ = try cache.split(c, seed: 7)
        XCTAssertNil(cache.release(c, seed: 3))
        XCTAssertNotNil(cache.release(c, seed: 4))
        XCTAssertEqual(cache.splitCount, 0)
    }
}
