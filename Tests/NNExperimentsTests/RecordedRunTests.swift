import Foundation
import XCTest

@testable import NNExperiments

/// A run's config.yaml is a spec of that one run: decoding it gives back the very same config.
final class RecordedRunTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..")
        .standardized

    /// Every run of every committed experiment: its config.yaml, loaded as a spec, resolves to the
    /// same config.yaml, byte for byte (run name, sweep record and every section).
    func testEveryCommittedRunsConfigIsASpecOfThatRun() throws {
        let dir = Self.root.appendingPathComponent("experiments")
        let specs = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".yaml") }
            .sorted()
        XCTAssertGreaterThan(specs.count, 5)
        let tmp = FileManager.default.temporaryDirectory.appendingPathComponent("nnexp-recorded-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: tmp, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: tmp) }
        var checked = 0
        for spec in specs {
            let e = try Experiment.load(path: dir.appendingPathComponent(spec).path)
            for r in e.runs {
                var r = r
                r.inputs = [("data/train.csv", String(repeating: "ab", count: 32))]  // a recorded input block is read past too
                let file = tmp.appendingPathComponent("\(checked).yaml").path
                try r.canonicalYAML.write(toFile: file, atomically: true, encoding: .utf8)
                let again = try Experiment.load(path: file)
                XCTAssertEqual(again.runs.count, 1)
                var back = again.runs[0]
                back.inputs = r.inputs
                XCTAssertEqual(back.canonicalYAML, r.canonicalYAML, "\(spec) \(r.runName)")
                XCTAssertEqual(back.runName, r.runName)
                XCTAssertEqual(again.name, e.name)
                checked += 1
            }
        }
        XCTAssertGreaterThan(checked, 30)
    }

    func testRecordMistakes() throws {
        let f = try SpecFolder([
            "c.yaml": """
            nnexp_version: 0.1.0
            experiment: x
            run: ../escape
            sweep: [1]
            dataset: {name: xor}
            model: {layers: [2, 3, 1]}
            optimizer: {type: sgd, learning_rate: 0.1}
            training: {epochs: 3, batching: half}
            """
        ])
        defer { f.remove() }
        XCTAssertEqual(
            f.errors("c.yaml"),
            [
                "c.yaml:3:6: error: `run` of a config.yaml names the run's folder: letters, digits and `-_.+=,~`, found '../escape'",
                "c.yaml:4:8: error: `sweep` of a config.yaml records the run's sweep values as `path: value`, found a list",
                "c.yaml:8:33: error: `training.batching` in a config.yaml is `full` (otherwise it gives `minibatches` or `batch_size`), found 'half'"
            ])
        let g = try SpecFolder([
            "c.yaml": """
            nnexp_version: 0.1.0
            experiment: x
            run: l2=0.1
            dataset: {name: xor}
            model: {layers: [2, 3, 1]}
            optimizer: {type: sgd, learning_rate: 0.1}
            training: {epochs: 3, batching: half}
            """
        ])
        defer { g.remove() }
        XCTAssertEqual(
            g.errors("c.yaml"),
            [
                "c.yaml:7:33: error: `training.batching` in a config.yaml is `full` (otherwise it gives `minibatches` or `batch_size`), found 'half'"
            ])
        XCTAssertThrowsError(try Experiment.load(path: g.path("c.yaml"), overrides: Overrides(sweeps: ["seed=1,2"])))
    }
}
