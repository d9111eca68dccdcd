import XCTest

@testable import NNExperiments

final class EpochAccuracyTests: XCTestCase {
    /// cost.csv gains one accuracy column per labelled split; its last value is the final accuracy the
    /// run reports, and it changes while the network learns.
    func testEpochAccuracyColumnsFollowTraining() throws {
        let spec = FileManager.default.temporaryDirectory.appendingPathComponent("epoch-acc-\(UUID().uuidString).yaml")
        try """
        experiment: acc
        dataset: {name: moons, count: 200, noise: 0.1, split: {test: 0.25}}
        model: {hidden: [8], activation: tanh, output: softmax, loss: cross_entropy, reduction: mean}
        optimizer: {type: sgd, learning_rate: 0.5}
        training: {epochs: 60, batch_size: 20, shuffle: true}
        outputs: {epoch_accuracy: true}
        seed: 4
        """.write(to: spec, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: spec) }
        let run = try Experiment.load(path: spec.path).runs[0]
        let o = RunExecutor.execute(run)
        XCTAssertEqual(o.status, .completed)
        let rows = String(decoding: try XCTUnwrap(o.files["cost.csv"]), as: UTF8.self).split(separator: "\n").map {
            $0.split(separator: ",").map(String.init)
        }
        // The accuracy columns follow the learning rate's.
        XCTAssertEqual(rows[0], ["epoch", "cost", "learning_rate", "train_accuracy", "test_accuracy"])
        XCTAssertEqual(rows.count, 61)
        XCTAssertEqual(Double(rows[60][3]), o.accuracy["train"])
        XCTAssertEqual(Double(rows[60][4]), o.accuracy["test"])
        XCTAssertLessThan(Double(rows[1][3])!, Double(rows[60][3])!)
    }

    func testEpochAccuracyIsRefusedForFullBatchOptimizers() throws {
        let sink = DiagnosticSink()
        let root = try YAMLParser.parse(
            """
            experiment: x
            dataset: {name: xor}
            model: {layers: [2, 2, 1]}
            optimizer: {type: bfgs}
            outputs: {epoch_accuracy: true}
            """, file: "x.yaml")
        _ = SpecDecoder(sink: sink).decode(root)
        XCTAssertEqual(
            sink.diagnostics.map(\.description),
            [
                "x.yaml:5:27: error: `outputs.epoch_accuracy` needs epochs, but optimizer 'bfgs' runs full-batch iterations"
            ])
    }
}
