import Foundation
import XCTest

@testable import NNExperiments

final class ProgressDisplayTests: XCTestCase {
    final class Lines: @unchecked Sendable {
        let lock = NSLock()
        var text = ""
        func add(_ s: String) {
            lock.lock()
            text += s
            lock.unlock()
        }
    }

    func testPlainLinesPerRunAndQuietKeepsOnlyProblems() throws {
        let folder = try SpecFolder(["t.yaml": validHead + "sweep: {seed: [1, 2]}\n"])
        defer { folder.remove() }
        let runs = try folder.load("t.yaml").runs.map { PlannedRun(config: $0, action: .train(reason: nil)) }
        var ok = RunOutcome(config: runs[0].config, status: .completed)
        ok.finalCost = 0.2500061035156  // printed with four significant digits, as the leaderboard prints costs
        let bad = RunOutcome(config: runs[1].config, status: .diverged(epoch: 4))

        let plain = Lines()
        let d = ProgressDisplay(total: 2, options: .init(live: false, quiet: false)) { plain.add($0) }
        d.started(runs[0])
        d.progress(runs[0], step: 3, total: 100, cost: 0.5)
        d.finished(runs[0], outcome: ok, writeError: nil)
        d.started(runs[1])
        d.finished(runs[1], outcome: bad, writeError: nil)
        let lines = plain.text.split(separator: "\n").map {
            $0.replacingOccurrences(of: #" \([0-9.]+s\)$"#, with: "", options: .regularExpression)
        }
        XCTAssertEqual(lines, ["[1/2] v/seed=1: completed, final cost 0.25", "[2/2] v/seed=2: diverged at epoch 5"])

        let quiet = Lines()
        let q = ProgressDisplay(total: 2, options: .init(live: false, quiet: true)) { quiet.add($0) }
        q.started(runs[0])
        q.finished(runs[0], outcome: ok, writeError: nil)
        q.started(runs[1])
        q.finished(runs[1], outcome: bad, writeError: nil)
        XCTAssertTrue(quiet.text.hasPrefix("[2/2] v/seed=2: diverged at epoch 5"), quiet.text)
        XCTAssertEqual(quiet.text.split(separator: "\n").count, 1)
    }

    /// The overall line's ETA comes from the estimated work: after the small run of a small + large
    /// pair, half the runs but only a sliver of the work is done, so the ETA is long.
    func testOverallEtaUsesEstimatedWork() throws {
        let folder = try SpecFolder(["t.yaml": validHead + "sweep: {training.epochs: [1, 1000]}\n"])
        defer { folder.remove() }
        let runs = try folder.load("t.yaml").runs.map { PlannedRun(config: $0, action: .train(reason: nil)) }
        let work = runs.reduce(0) { $0 + $1.config.estimatedFlops }
        XCTAssertEqual(runs[1].config.estimatedFlops, 1000 * runs[0].config.estimatedFlops, accuracy: 1e-6 * work)
        let out = Lines()
        let d = ProgressDisplay(total: 2, work: work, options: .init(live: false, quiet: false, plainInterval: 0)) {
            out.add($0)
        }
        d.start()
        d.started(runs[0])
        d.progress(runs[0], step: 0, total: 1, cost: 0.5)
        d.finished(runs[0], outcome: RunOutcome(config: runs[0].config, status: .completed), writeError: nil)
        Thread.sleep(forTimeInterval: 1.5)
        d.stop()
        // ETA = elapsed × 1000 (work left ÷ work done): far beyond the elapsed time, which a count-based ETA would give.
        let status = out.text.split(separator: "\n").last { $0.contains("runs done") }.map(String.init) ?? ""
        XCTAssertTrue(status.hasPrefix("1/2 runs done"), out.text)
        let eta = status.components(separatedBy: "ETA ").last ?? ""
        XCTAssertTrue(
            eta.contains("m"), "an ETA of minutes (about 1000 × the ~1 s elapsed), found \(eta) in: \(status)")
    }

    func testDurations() {
        XCTAssertEqual(ProgressDisplay.duration(3.14), "3.1s")
        XCTAssertEqual(ProgressDisplay.duration(42), "42s")
        XCTAssertEqual(ProgressDisplay.duration(187), "3m07s")
        XCTAssertEqual(ProgressDisplay.duration(7500), "2h05m")
    }
}
