import NNEngine
import XCTest

@testable import NNExperiments

/// `training.checkpoint` decides only when state is saved: it is read and checked like any key but
/// never enters a run's canonical config (config.yaml, fingerprint).
final class CheckpointSpecTests: XCTestCase {
    let head = "experiment: v\ndataset: {name: xor}\nmodel: {layers: [2, 3, 1]}\n"

    func testCheckpointKeysAreReadButLeaveTheConfigUnchanged() throws {
        let folder = try SpecFolder([
            "plain.yaml": head + "optimizer: {type: sgd}\ntraining: {epochs: 7}\n",
            "every.yaml": head + "optimizer: {type: sgd}\ntraining: {epochs: 7, checkpoint: {every: 3}}\n",
            "both.yaml": head + "optimizer: {type: sgd}\ntraining: {epochs: 7, checkpoint: {every: 2, seconds: 1.5}}\n",
            "cg.yaml": head + "optimizer: {type: cg}\ntraining: {checkpoint: {seconds: 60}}\n",
            "cg-plain.yaml": head + "optimizer: {type: cg}\n"
        ])
        defer { folder.remove() }
        let plain = try folder.load("plain.yaml").runs[0]
        let every = try folder.load("every.yaml").runs[0]
        let both = try folder.load("both.yaml").runs[0]
        XCTAssertNil(plain.training.checkpoint)
        XCTAssertEqual(every.training.checkpoint, CheckpointSchedule(every: 3))
        XCTAssertEqual(both.training.checkpoint, CheckpointSchedule(every: 2, seconds: 1.5))
        XCTAssertEqual(every.canonicalYAML, plain.canonicalYAML)
        XCTAssertEqual(both.canonicalYAML, plain.canonicalYAML)
        XCTAssertFalse(every.canonicalYAML.contains("checkpoint"))
        XCTAssertEqual(Checkpoint.fingerprint(of: every), Checkpoint.fingerprint(of: plain))
        XCTAssertEqual(every, plain)
        let cg = try folder.load("cg.yaml").runs[0]
        XCTAssertEqual(cg.training.checkpoint, CheckpointSchedule(seconds: 60))
        XCTAssertEqual(cg.canonicalYAML, try folder.load("cg-plain.yaml").runs[0].canonicalYAML)
    }

    func testCheckpointMistakes() throws {
        let folder = try SpecFolder([
            "empty.yaml": head + "optimizer: {type: sgd}\ntraining: {checkpoint: {}}\n",
            "bad.yaml": head + "optimizer: {type: sgd}\ntraining: {checkpoint: {every: 0, seconds: -1, evry: 2}}\n",
            "lbfgs.yaml": head + "optimizer: {type: lbfgs}\ntraining: {checkpoint: {every: 1}}\n",
            "sweep.yaml": head + "optimizer: {type: sgd}\nsweep:\n  training.checkpoint.every: [1, 2]\n"
        ])
        defer { folder.remove() }
        XCTAssertEqual(
            folder.errors("empty.yaml"),
            [
                "empty.yaml:5:24: error: `training.checkpoint` needs `every` (epochs or iterations) or `seconds`, e.g. {every: 10}"
            ])
        let bad = folder.errors("bad.yaml")
        XCTAssertEqual(bad.count, 3, "\(bad)")
        XCTAssertTrue(bad.contains { $0.contains("training.checkpoint.every") }, "\(bad)")
        XCTAssertTrue(bad.contains { $0.contains("training.checkpoint.seconds") }, "\(bad)")
        XCTAssertTrue(bad.contains { $0.contains("evry") && $0.contains("did you mean `every`") }, "\(bad)")
        XCTAssertEqual(
            folder.errors("lbfgs.yaml"),
            [
                "lbfgs.yaml:5:12: error: `training.checkpoint` does not apply to optimizer 'lbfgs': L-BFGS keeps its history inside liblbfgs, which cannot be saved exactly, so lbfgs runs restart from the beginning; remove it"
            ])
        let sweep = folder.errors("sweep.yaml")
        XCTAssertEqual(sweep.count, 1, "\(sweep)")
        XCTAssertTrue(sweep.first?.contains("`training.checkpoint` cannot be swept") == true, "\(sweep)")
    }
}
