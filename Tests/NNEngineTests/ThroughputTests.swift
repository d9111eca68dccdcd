import Foundation
import XCTest

@testable import NNEngine

/// Flop counts of `Throughput` (by hand) and the BLAS timing probe over every batch shape.
final class ThroughputTests: XCTestCase {
    func testFlopCount() {
        let arch = Architecture(sizes: [784, 100, 10], hidden: .sigmoid, output: .softmax)
        // Layer 1: forward + weight gradient (no δ for the input) = 2 products of 2·784·100 flops;
        // layer 2: three products of 2·100·10 flops. Per sample: 313600 + 6000.
        XCTAssertEqual(Throughput.flopsPerEpoch(architecture: arch, samples: 1), 319_600)
        XCTAssertEqual(Throughput.flopsPerEpoch(architecture: arch, samples: 1000, batching: .size(64)), 319_600_000)
        XCTAssertEqual(Throughput.forwardFlops(architecture: arch, samples: 2), 2 * 2 * (78_400 + 1_000))
    }

    func testProbeRunsEveryShape() {
        let arch = Architecture(sizes: [20, 16, 8, 3], hidden: .relu, output: .softmax)
        for batching in [Batching.size(1), .size(7), .full] {
            let t = GEMMProbe.timeEpoch(Float.self, architecture: arch, samples: 30, batching: batching, repetitions: 1)
            XCTAssertGreaterThan(t.seconds, 0)
            XCTAssertEqual(t.flops, Throughput.flopsPerEpoch(architecture: arch, samples: 30))
            XCTAssertGreaterThan(t.gflopsPerSecond, 0)
        }
    }
}
