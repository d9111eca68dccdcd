import XCTest

@testable import NNExperiments

/// The ETA from the estimated work left (`WorkProgress`), with hand-computed numbers.
final class WorkProgressTests: XCTestCase {
    func testEtaFollowsWorkNotRunCounts() {
        // A small run (10 units over 10 epochs) and a large one (90 units over 30 epochs).
        var w = WorkProgress(total: 100)
        XCTAssertNil(w.eta(elapsed: 5), "nothing done yet: no estimate")
        w.start("small", work: 10, steps: 10)
        // A fresh run reports every epoch from the first.
        for e in 1...5 { w.progress("small", stepsDone: e) }
        XCTAssertEqual(w.done, 5)
        XCTAssertEqual(w.eta(elapsed: 2)!, 2 * 95 / 5, accuracy: 1e-9)
        w.progress("small", stepsDone: 10)
        w.finish("small", completed: true)
        // Half the runs are done, a tenth of the work: 4 s for 10 units leaves 36 s, not 4 s.
        XCTAssertEqual(w.fraction, 0.1, accuracy: 1e-12)
        XCTAssertEqual(w.eta(elapsed: 4)!, 36, accuracy: 1e-9)
        w.start("large", work: 90, steps: 30)
        w.progress("large", stepsDone: 1)
        w.progress("large", stepsDone: 15)
        XCTAssertEqual(w.done, 55, accuracy: 1e-12)
        XCTAssertEqual(w.eta(elapsed: 22)!, 22 * 45 / 55, accuracy: 1e-9)
        w.progress("large", stepsDone: 30)
        w.finish("large", completed: true)
        XCTAssertNil(w.eta(elapsed: 40), "nothing left")
        XCTAssertEqual(w.fraction, 1)
    }

    func testEarlyStopResumeAndSkippedRunsLeaveTheTotal() {
        var w = WorkProgress(total: 300)
        // Stopped early after 4 of 10 epochs of 100 units: the 60 it did not do leave the total.
        w.start("a", work: 100, steps: 10)
        for e in 1...4 { w.progress("a", stepsDone: e) }
        w.finish("a", completed: true)
        XCTAssertEqual(w.total, 240, accuracy: 1e-9)
        XCTAssertEqual(w.done, 40, accuracy: 1e-9)
        // Resumed from a checkpoint after 6 of 10 epochs: its first report is epoch 7; the 6 done
        // before do not count as this session's throughput.
        w.start("b", work: 100, steps: 10)
        w.progress("b", stepsDone: 7)
        XCTAssertEqual(w.total, 180, accuracy: 1e-9)
        XCTAssertEqual(w.done, 50, accuracy: 1e-9)
        w.progress("b", stepsDone: 10)
        w.finish("b", completed: true)
        XCTAssertEqual(w.done, 80, accuracy: 1e-9)
        // Left to another process.
        w.skip(work: 100)
        XCTAssertEqual(w.total, 80, accuracy: 1e-9)
        XCTAssertNil(w.eta(elapsed: 8))
    }

    func testFailedAndCancelledRunsAndRunsWithoutSteps() {
        var w = WorkProgress(total: 50)
        w.start("failed", work: 20, steps: 4)
        w.finish("failed", completed: false)
        XCTAssertEqual(w.total, 30)
        XCTAssertEqual(w.done, 0)
        // A run that reported no step but completed (converged at once) counts as done.
        w.start("quick", work: 10, steps: 5)
        w.finish("quick", completed: true)
        XCTAssertEqual(w.done, 10)
        XCTAssertEqual(w.eta(elapsed: 1)!, 2, accuracy: 1e-9)
    }
}
