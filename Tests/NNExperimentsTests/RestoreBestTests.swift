import Foundation
import NNEngine
import XCTest

@testable import NNExperiments

/// `training.early_stopping.monitor` and `restore_best` (Keras semantics): the run ends with the best
/// epoch's weights and numbers, exactly those of the same run stopped by hand at that epoch, and an
/// interrupted run resumes to the same bytes.
final class RestoreBestTests: XCTestCase {
    func spec(epochs: Int, earlyStopping: String?, extra: String = "") -> String {
        """
        experiment: rb
        dataset: {name: moons, count: 120, noise: 0.3, split: {validation: 0.25, test: 0.25}}
        model: {hidden: [16], activation: tanh, output: softmax, loss: cross_entropy, reduction: mean}
        optimizer: {type: sgd, learning_rate: 0.8, momentum: 0.5}
        training: {epochs: \(epochs), batch_size: 8, shuffle: true\(earlyStopping.map { ", early_stopping: \($0)" } ?? "")}
        \(extra)
        seed: 5
        """
    }

    func metrics(_ o: RunOutcome) -> [String: String] {
        var m: [String: String] = [:]
        for line in String(decoding: o.files["metrics.csv"] ?? [], as: UTF8.self).split(separator: "\n").dropFirst() {
            let p = line.split(separator: ",", maxSplits: 1).map(String.init)
            if p.count == 2 { m[p[0]] = p[1] }
        }
        return m
    }

    func execute(_ text: String, checkpoints: RunCheckpointing? = nil, stopAfter: Int? = nil) throws -> RunOutcome {
        let folder = try SpecFolder(["s.yaml": text])
        defer { folder.remove() }
        let run = try folder.load("s.yaml").runs[0]
        let seen = Counter()
        return RunExecutor.execute(
            run, shouldStop: { stopAfter.map { seen.next() >= $0 } ?? false }, checkpoints: checkpoints)
    }

    func testRestoreBestEqualsARunStoppedByHandAtTheBestEpoch() throws {
        for monitor in ["validation_cost", "validation_accuracy", "train_cost"] {
            let long = try execute(
                spec(epochs: 40, earlyStopping: "{monitor: \(monitor), restore_best: true, patience: 1000}"))
            XCTAssertEqual(long.status, .completed, monitor)
            let m = metrics(long)
            XCTAssertEqual(m["epochs"], "40", monitor)
            let best = try XCTUnwrap(m["best_epoch"].flatMap { Int($0) }, monitor)
            if monitor != "train_cost" {
                XCTAssertLessThan(best, 40, "\(monitor): the test needs a best epoch before the end")
            }
            // The best epoch is the one the history says: lowest cost or highest accuracy, first on ties.
            let outcome = try execute(spec(epochs: 40, earlyStopping: nil, extra: "outputs: {epoch_metrics: true}"))
            let rows = String(decoding: outcome.files["cost.csv"]!, as: UTF8.self).split(separator: "\n").map {
                $0.split(separator: ",").map(String.init)
            }
            let column = monitor == "train_cost" ? 1 : rows[0].firstIndex(of: monitor)!
            let values = rows.dropFirst().map { Double($0[column])! }
            let expected =
                monitor == "validation_accuracy"
                ? values.firstIndex(of: values.max()!)! + 1 : values.firstIndex(of: values.min()!)! + 1
            XCTAssertEqual(best, expected, monitor)

            let short = try execute(spec(epochs: best, earlyStopping: nil))
            XCTAssertEqual(short.status, .completed)
            XCTAssertEqual(
                long.files["weights.npz"], short.files["weights.npz"],
                "\(monitor): the weights are those after epoch \(best)")
            let ms = metrics(short)
            for k in [
                "final_cost", "train_cost", "train_accuracy", "validation_cost", "validation_accuracy", "test_cost",
                "test_accuracy"
            ] {
                XCTAssertEqual(m[k], ms[k], "\(monitor) \(k)")
            }
            for f in ["confusion-test.csv", "decision-boundary.csv"] {
                XCTAssertEqual(long.files[f], short.files[f], "\(monitor) \(f)")
            }
            XCTAssertNotEqual(long.files["cost.csv"], short.files["cost.csv"], "cost.csv keeps every epoch trained")
        }
    }

    func testStoppingOnValidationAccuracyRestoresTheBestEpoch() throws {
        let o = try execute(
            spec(
                epochs: 200,
                earlyStopping: "{monitor: validation_accuracy, patience: 4, tolerance: 0, restore_best: true}"))
        let m = metrics(o)
        XCTAssertEqual(m["stopped_early"], "true")
        let epochs = try XCTUnwrap(Int(m["epochs"] ?? ""))
        let best = try XCTUnwrap(Int(m["best_epoch"] ?? ""))
        XCTAssertLessThan(epochs, 200)
        XCTAssertEqual(epochs - best, 4, "patience 4 with tolerance 0: stops 4 epochs after the last improvement")
        XCTAssertEqual(try execute(spec(epochs: best, earlyStopping: nil)).files["weights.npz"], o.files["weights.npz"])
        // Without restore_best the run ends with its last epoch's weights and has no best_epoch row.
        let plain = try execute(
            spec(epochs: 200, earlyStopping: "{monitor: validation_accuracy, patience: 4, tolerance: 0}"))
        XCTAssertNil(metrics(plain)["best_epoch"])
        XCTAssertEqual(metrics(plain)["epochs"], m["epochs"])
        XCTAssertEqual(
            try execute(spec(epochs: epochs, earlyStopping: nil)).files["weights.npz"], plain.files["weights.npz"])
    }

    /// Interrupted at every epoch (the best parameters so far in its checkpoint) and resumed: the
    /// same bytes as the run that never stopped.
    func testInterruptedRunsResumeToTheSameBytes() throws {
        let text = spec(
            epochs: 24, earlyStopping: "{monitor: validation_cost, restore_best: true, patience: 1000}",
            extra: "outputs: {epoch_metrics: true}")
        let straight = try execute(text)
        let best = try XCTUnwrap(Int(metrics(straight)["best_epoch"] ?? ""))
        XCTAssertLessThan(best, 24)
        for stop in [1, best, best + 1, 23] {
            let box = CheckpointBox()
            let cancelled = try execute(text, checkpoints: RunCheckpointing { box.value = $0 }, stopAfter: stop)
            XCTAssertEqual(cancelled.status, .cancelled, "stop after \(stop)")
            let saved = try XCTUnwrap(box.value, "stop after \(stop)")
            XCTAssertEqual(saved.epoch, stop)
            XCTAssertNotNil(
                saved.arrays["state.stopping.best_parameters"], "the checkpoint carries the best parameters")
            // Through the file format too.
            let read = try Checkpoint.decode(saved.encoded(), path: "ck")
            let resumed = try execute(text, checkpoints: RunCheckpointing(resume: read) { _ in })
            XCTAssertEqual(resumed.status, .completed)
            XCTAssertTrue(
                resumed.log.contains { $0.contains("resumed from a checkpoint after epoch \(stop)") },
                "\(resumed.log) \(resumed.notes)")
            XCTAssertEqual(Set(resumed.files.keys), Set(straight.files.keys))
            for (name, bytes) in straight.files where resumed.files[name] != bytes {
                XCTFail("stop after \(stop): \(name) differs")
            }
        }
    }

    func testMonitorErrors() throws {
        let noValidation = try SpecFolder([
            "s.yaml": """
            experiment: x
            dataset: {name: moons, count: 50, split: {test: 0.2}}
            model: {hidden: [3]}
            optimizer: {type: sgd, learning_rate: 0.1}
            training: {epochs: 3, early_stopping: {monitor: validation_cost}}
            """
        ])
        defer { noValidation.remove() }
        XCTAssertEqual(
            noValidation.errors("s.yaml"),
            [
                "s.yaml:5:49: error: `training.early_stopping.monitor: validation_cost` needs a validation split: add `dataset.split.validation` (e.g. `validation: 0.1`) or monitor train_cost"
            ])
        let typo = try SpecFolder([
            "s.yaml": """
            experiment: x
            dataset: {name: moons, count: 50, split: {validation: 0.2}}
            model: {hidden: [3]}
            optimizer: {type: sgd, learning_rate: 0.1}
            training: {epochs: 3, early_stopping: {monitor: validation_acuracy, restore_best: maybe}}
            """
        ])
        defer { typo.remove() }
        let e = typo.errors("s.yaml")
        XCTAssertEqual(e.count, 2, "\(e)")
        XCTAssertTrue(
            e[0].hasPrefix("s.yaml:5:49: error:") && e[0].contains("did you mean `validation_accuracy`?"), "\(e)")
        XCTAssertTrue(e[1].hasPrefix("s.yaml:5:83: error:"), "\(e)")
        let fullBatch = try SpecFolder([
            "s.yaml": """
            experiment: x
            dataset: {name: xor}
            model: {layers: [2, 2, 1]}
            optimizer: {type: bfgs}
            training: {early_stopping: {restore_best: true}}
            """
        ])
        defer { fullBatch.remove() }
        XCTAssertTrue(
            fullBatch.errors("s.yaml").contains {
                $0.hasPrefix("s.yaml:5:12: error: `training.early_stopping` does not apply to optimizer 'bfgs'")
            }, "\(fullBatch.errors("s.yaml"))")
        // Accuracy of a regression run: refused when the run starts, with the reason.
        let csv = (0..<20).map { "\($0),\(2 * $0)" }.joined(separator: "\n")
        let regression = try SpecFolder([
            "r.csv": "x,y\n" + csv + "\n",
            "s.yaml": """
            experiment: x
            dataset: {name: csv, path: r.csv, targets: [y], split: {validation: 0.25}}
            model: {hidden: [3], output: linear, loss: mse}
            optimizer: {type: sgd, learning_rate: 0.1}
            training: {epochs: 3, early_stopping: {monitor: validation_accuracy}}
            """
        ])
        defer { regression.remove() }
        let o = RunExecutor.execute(try regression.load("s.yaml").runs[0])
        XCTAssertEqual(
            o.status,
            .failed(
                "`training.early_stopping.monitor: validation_accuracy` needs class labels, but dataset 'r' has regression targets: monitor validation_cost"
            ))
    }

    func testCanonicalConfigWritesTheNewKeysOnlyWhenSet() throws {
        let folder = try SpecFolder([
            "a.yaml": spec(epochs: 5, earlyStopping: "true"),
            "b.yaml": spec(epochs: 5, earlyStopping: "{monitor: validation_accuracy, restore_best: true}")
        ])
        defer { folder.remove() }
        XCTAssertTrue(
            try folder.load("a.yaml").runs[0].canonicalYAML.contains(
                "early_stopping: {tolerance: 0.0001, patience: 10}\n"))
        XCTAssertTrue(
            try folder.load("b.yaml").runs[0].canonicalYAML.contains(
                "early_stopping: {tolerance: 0.0001, patience: 10, monitor: validation_accuracy, restore_best: true}\n")
        )
    }
}

private final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var n = 0
    func next() -> Int {
        lock.lock()
        defer { lock.unlock() }
        n += 1
        return n
    }
}

private final class CheckpointBox: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Checkpoint?
    var value: Checkpoint? {
        get {
            lock.lock()
            defer { lock.unlock() }
            return stored
        }
        set {
            lock.lock()
            stored = newValue
            lock.unlock()
        }
    }
}
