import XCTest

@testable import NNEngine

/// How `Batching` cuts a training set into minibatches (boundaries by hand).
final class BatchingTests: XCTestCase {
    func testBatching() {
        XCTAssertEqual(Batching.count(3).ranges(samples: 10), [0..<4, 4..<7, 7..<10])
        XCTAssertEqual(Batching.size(4).ranges(samples: 10), [0..<4, 4..<8, 8..<10])
        XCTAssertEqual(Batching.full.ranges(samples: 10), [0..<10])
        XCTAssertEqual(Batching.size(1).ranges(samples: 3).count, 3)
        XCTAssertEqual(Batching.count(20).ranges(samples: 5).count, 5)
        XCTAssertEqual(Batching.count(3).largestBatch(samples: 10), 4)
    }
}
