import Foundation
import XCTest

/// `nnexp prune` on a folder with a stale run (another version of the spec made it) and an orphan
/// (a sweep value the spec dropped): listed without --yes, deleted with it, and the experiment files
/// brought up to date.
final class PruneCLITests: XCTestCase {
    func spec(epochs: Int, rates: String) -> String {
        """
        experiment: pr
        dataset: {name: xor}
        model: {layers: [2, 3, 1], activation: tanh, output: sigmoid, loss: logistic}
        optimizer: {type: sgd, learning_rate: 0.5}
        training: {epochs: \(epochs)}
        seed: 1
        sweep:
          optimizer.learning_rate: [\(rates)]
        """
    }

    func testListsThenDeletesStaleAndOrphanedRuns() throws {
        let dir = try tempDir()
        try write(spec(epochs: 5, rates: "0.5, 1.0, 2.0"), to: "p.yaml", in: dir)
        XCTAssertEqual(try run(["run", "p.yaml", "--quiet"], cwd: dir).status, 0)
        // New spec: 6 epochs (every config changes) without 2.0; only 0.5 is retrained, so 1.0 is stale.
        try write(spec(epochs: 6, rates: "0.5, 1.0"), to: "p.yaml", in: dir)
        let partial = try run(["run", "p.yaml", "--only", "learning_rate=0.5"], cwd: dir)
        XCTAssertEqual(partial.status, 0, partial.err)  // every run --only picked completed
        XCTAssertTrue(partial.out.contains("2 stale or orphaned runs left out"), partial.out)
        let exp = dir.appendingPathComponent("results/pr")
        let summary = try String(contentsOf: exp.appendingPathComponent("summary.csv"), encoding: .utf8)
        XCTAssertTrue(summary.contains("learning_rate=1.0,1.0,completed,5,"), summary)
        XCTAssertTrue(summary.contains(",stale,"), summary)
        XCTAssertTrue(summary.contains("learning_rate=2.0,2.0,completed,5,") && summary.contains(",orphaned,"), summary)

        let list = try run(["prune", "results/pr"], cwd: dir)
        XCTAssertEqual(list.status, 0, list.err)
        XCTAssertTrue(list.out.contains("orphaned  results/pr/learning_rate=2.0"), list.out)
        XCTAssertTrue(list.out.contains("stale     results/pr/learning_rate=1.0"), list.out)
        XCTAssertTrue(list.out.contains("2 runs to prune in results/pr; pass --yes"), list.out)
        XCTAssertTrue(
            FileManager.default.fileExists(atPath: exp.appendingPathComponent("learning_rate=2.0").path),
            "listing deletes nothing")

        let del = try run(["prune", "results/pr", "--yes"], cwd: dir)
        XCTAssertEqual(del.status, 0, del.err)
        XCTAssertFalse(FileManager.default.fileExists(atPath: exp.appendingPathComponent("learning_rate=2.0").path))
        XCTAssertFalse(FileManager.default.fileExists(atPath: exp.appendingPathComponent("learning_rate=1.0").path))
        XCTAssertTrue(
            FileManager.default.fileExists(atPath: exp.appendingPathComponent("learning_rate=0.5/metrics.csv").path))
        let after = try String(contentsOf: exp.appendingPathComponent("summary.csv"), encoding: .utf8)
        XCTAssertFalse(after.contains("learning_rate=2.0"), after)
        XCTAssertTrue(after.contains("learning_rate=1.0,1.0,not-run,"), after)
        XCTAssertFalse(after.contains("stale") || after.contains("orphaned"), after)
        let report = try String(contentsOf: exp.appendingPathComponent("report.html"), encoding: .utf8)
        XCTAssertFalse(report.contains("learning_rate=2.0"))
        XCTAssertEqual(try run(["prune", "results/pr"], cwd: dir).out, "results/pr: no stale or orphaned runs\n")
        // The same command brings the last run back.
        XCTAssertEqual(try run(["run", "p.yaml", "--quiet"], cwd: dir).status, 0)

        let missing = try run(["prune", "results/nothing"], cwd: dir)
        XCTAssertEqual(missing.status, 3)
        XCTAssertTrue(missing.err.contains("no summary.csv"), missing.err)
    }
}
