import NNDatasets
import XCTest

@testable import NNExperiments

/// The memory estimate against sums worked by hand from the formula in docs/spec.md (Limits).
final class RunFootprintTests: XCTestCase {
    func config(_ spec: String) throws -> RunConfig {
        let folder = try SpecFolder(["t.yaml": spec])
        defer { folder.remove() }
        return try folder.load("t.yaml").runs[0]
    }

    /// xor (4 samples, 2 features, 2 target columns), 2-3-1 with biases, float64, full-batch sgd, 100 epochs:
    /// data 4·(2+2)·(8+8) = 256; P = 3·3 + 4·1 = 13, parameters 4·13·8 = 416, workspace 4·(2+3+1)·3·8 = 576;
    /// no momentum state; costs 100·8 = 800. Total 2048.
    func testSmallNetworkByHand() throws {
        let c = try config("experiment: f\ndataset: {name: xor}\nmodel: {layers: [2, 3, 1]}\noptimizer: {type: sgd}\n")
        let f = RunFootprint(c, data: c.dataset.expectedShape!)
        XCTAssertEqual(f.parameters, 13)
        XCTAssertEqual(f.bytes, 2048)
        XCTAssertEqual(f.largestPart, "model")
        XCTAssertNil(f.problem())
    }

    /// bfgs on hidden sizes resolved from blobs (10 features, 3 classes): 10-20-3 → P = 11·20 + 21·3 = 283;
    /// state 8·283² + 6·283·8 = 654,296; data 50·13·16 = 10,400; parameters 4·283·8 = 9,056;
    /// workspace 50·33·3·8 = 39,600; 200 iterations · 8 = 1,600. Total 714,952, the optimizer weighing most.
    func testBFGSStateByHand() throws {
        let c = try config(
            "experiment: f\ndataset: {name: blobs, count: 50, dimension: 10, centers: 3}\nmodel: {hidden: [20]}\noptimizer: {type: bfgs}\n"
        )
        let f = RunFootprint(c, data: c.dataset.expectedShape!)
        XCTAssertEqual(f.parameters, 283)
        XCTAssertEqual(f.bytes, 714_952)
        XCTAssertEqual(f.largestPart, "optimizer")
        XCTAssertNotNil(f.problem(available: 700_000))
        XCTAssertNil(f.problem(available: 800_000))
    }
}
