import XCTest

@testable import NNExperiments

/// `outputs.diagnostics` and `model.dropout` through a whole run: diagnostics.csv's layout, and the
/// determinism of a run with dropout.
final class DiagnosticsOutputTests: XCTestCase {
    func run(_ extra: String) throws -> RunOutcome {
        let spec = FileManager.default.temporaryDirectory.appendingPathComponent("diag-\(UUID().uuidString).yaml")
        try """
        experiment: diag
        dataset: {name: moons, count: 120, noise: 0.1, split: {test: 0.25}}
        model: {hidden: [8, 6], activation: [relu, sigmoid], output: softmax, loss: cross_entropy, reduction: mean\(extra)}
        optimizer: {type: sgd, learning_rate: 0.5}
        training: {epochs: 5, batch_size: 30, shuffle: true}
        outputs: {diagnostics: true}
        seed: 4
        """.write(to: spec, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: spec) }
        return RunExecutor.execute(try Experiment.load(path: spec.path).runs[0])
    }

    func testDiagnosticsCSVHasOneRowPerEpochAndLayer() throws {
        let o = try run("")
        XCTAssertEqual(o.status, .completed)
        let rows = String(decoding: try XCTUnwrap(o.files["diagnostics.csv"]), as: UTF8.self)
            .split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        XCTAssertEqual(
            rows[0], ["epoch", "layer", "weight_norm", "gradient_norm", "update_ratio", "dead_share", "saturated_share"]
        )
        XCTAssertEqual(rows.count, 1 + 5 * 3)
        XCTAssertEqual(rows[1].prefix(2), ["1", "1"])
        XCTAssertEqual(rows[15].prefix(2), ["5", "3"])
        for r in rows.dropFirst() {
            XCTAssertGreaterThan(Double(r[2])!, 0)
            XCTAssertGreaterThan(Double(r[3])!, 0)
            XCTAssertGreaterThan(Double(r[4])!, 0)
            switch r[1] {
            case "1":
                XCTAssertNotNil(Double(r[5]))
                XCTAssertEqual(r[6], "")  // relu: dead share
            case "2":
                XCTAssertEqual(r[5], "")
                XCTAssertNotNil(Double(r[6]))  // sigmoid: saturated share
            default:
                XCTAssertEqual(r[5], "")
                XCTAssertEqual(r[6], "")  // output layer
            }
        }
        XCTAssertTrue(String(decoding: o.files["config.yaml"]!, as: UTF8.self).contains("  diagnostics: true\n"))
    }

    /// Dropout changes training (another cost history); a rerun gives the same bytes everywhere.
    func testDropoutChangesTrainingAndRerunsAreIdentical() throws {
        let plain = try run("")
        let dropped = try run(", dropout: 0.5")
        let again = try run(", dropout: 0.5")
        XCTAssertNotEqual(plain.files["cost.csv"], dropped.files["cost.csv"])
        XCTAssertEqual(dropped.files["cost.csv"], again.files["cost.csv"])
        XCTAssertEqual(dropped.files["metrics.csv"], again.files["metrics.csv"])
        XCTAssertEqual(dropped.files["confusion-test.csv"], again.files["confusion-test.csv"])
        XCTAssertNotNil(dropped.accuracy["test"])
    }
}
