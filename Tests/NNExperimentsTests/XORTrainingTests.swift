import XCTest

@testable import NNExperiments

final class XORTrainingTests: XCTestCase {
    /// The committed walking-skeleton spec reaches 100 % training accuracy and writes parseable CSVs.
    func testCommittedXORSpecTrainsToFullAccuracy() throws {
        let spec = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
            "../../experiments/xor.yaml"
        ).standardized.path
        let e = try Experiment.load(path: spec)
        XCTAssertEqual(e.runs.count, 1)
        let o = RunExecutor.execute(e.runs[0])
        XCTAssertEqual(o.status, .completed)
        XCTAssertEqual(o.accuracy["train"], 1.0)
        let cost = String(decoding: try XCTUnwrap(o.files["cost.csv"]), as: UTF8.self).split(separator: "\n")
        XCTAssertEqual(cost.first, "epoch,cost,learning_rate")
        XCTAssertEqual(cost.count, e.runs[0].training.epochs + 1)
        for row in cost.dropFirst() { XCTAssertNotNil(Double(row.split(separator: ",")[1]), String(row)) }
    }
}
