import Foundation
import XCTest
@testable import NNExperiments

final class ProgressDisplayTests: XCTestCase {
    final class Lines: @unchecked Sendable {
        let lock = NSLock()
        var text = ""
        func add(_ s: String) { lock.lock(); text += s; lock.unlock() }
    }

    func testPlainLinesPerRunAndQuietKeepsOnlyProblems() throws {
        let folder = try SpecFolder(["t.yaml": validHead + "sweep: {seed: [1, 2]}\n"])
        defer { folder.remove() }
        let runs = try folder.load("t.yaml").runs.map { PlannedRun(config: $0, action: .train(reason: nil)) }
        var ok = RunOutcome(config: runs[0].config, status: .completed)
        ok.finalCost = 0.25
        let bad = RunOutcome(config: runs[1].config, status: .diverged(epoch: 4))

        let plain = Lines()
        let d = ProgressDisplay(total: 2, options: .init(live: false, quiet: false)) { plain.add($0) }
        d.started(runs[0]); d.progress(runs[0], step: 3, total: 100, cost: 0.5); d.finished(runs[0], outcome: ok, writeError: nil)
        d.started(runs[1]); d.finished(runs[1], outcome: bad, writeError: nil)
        let lines = plain.text.split(separator: "\n").map { $0.replacingOccurrences(of: #" \([0-9.]+s\)$"#, with: "", options: .regularExpression) }
        XCTAssertEqual(lines, ["[1/2] v/seed=1: completed, final cost 0.25", "[2/2] v/seed=2: diverged at epoch 5"])

        let quiet = Lines()
        let q = ProgressDisplay(total: 2, options: .init(live: false, quiet: true)) { quiet.add($0) }
        q.started(runs[0]); q.finished(runs[0], outcome: ok, writeError: nil)
        q.started(runs[1]); q.finished(runs[1], outcome: bad, writeError: nil)
        XCTAssertTrue(quiet.text.hasPrefix("[2/2] v/seed=2: diverged at epoch 5"), quiet.text)
        XCTAssertEqual(quiet.text.split(separator: "\n").count, 1)
    }

    func testDurations() {
        XCTAssertEqual(ProgressDisplay.duration(3.14), "3.1s")
        XCTAssertEqual(ProgressDisplay.duration(42), "42s")
        XCTAssertEqual(ProgressDisplay.duration(187), "3m07s")
        XCTAssertEqual(ProgressDisplay.duration(7500), "2h05m")
    }
}
