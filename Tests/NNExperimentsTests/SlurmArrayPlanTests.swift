import XCTest

@testable import NNExperiments

/// How many array tasks `nnexp slurm` asks for, and the cluster limit it respects.
final class SlurmArrayPlanTests: XCTestCase {
    func testTasksFromTheOptions() {
        XCTAssertEqual(
            SlurmArrayPlan.make(runs: 12, tasks: nil, runsPerTask: nil, maxArraySize: 1001),
            SlurmArrayPlan(tasks: 12, note: nil))
        XCTAssertEqual(SlurmArrayPlan.make(runs: 12, tasks: 3, runsPerTask: nil, maxArraySize: 1001).tasks, 3)
        XCTAssertEqual(SlurmArrayPlan.make(runs: 12, tasks: nil, runsPerTask: 5, maxArraySize: 1001).tasks, 3)  // ⌈12/5⌉
        XCTAssertEqual(SlurmArrayPlan.make(runs: 12, tasks: nil, runsPerTask: 4, maxArraySize: 1001).tasks, 3)
        XCTAssertEqual(SlurmArrayPlan.make(runs: 1, tasks: nil, runsPerTask: nil, maxArraySize: 1001).tasks, 1)
        let more = SlurmArrayPlan.make(runs: 4, tasks: 10, runsPerTask: nil, maxArraySize: 1001)
        XCTAssertEqual(more.tasks, 4)
        XCTAssertEqual(more.note, "10 tasks asked, but the sweep has only 4 runs: 4 tasks")
    }

    func testMaxArraySizeCapsTheTaskCountAndPacksRuns() {
        // MaxArraySize caps the index: 0…(N−1) needs N ≤ MaxArraySize.
        let big = SlurmArrayPlan.make(runs: 5000, tasks: nil, runsPerTask: nil, maxArraySize: 1001)
        XCTAssertEqual(big.tasks, 1001)
        XCTAssertEqual(
            big.note, "5000 tasks would exceed the cluster's MaxArraySize of 1001: 1001 tasks of about 5 runs each")
        XCTAssertEqual(SlurmArrayPlan.make(runs: 100, tasks: 80, runsPerTask: nil, maxArraySize: 50).tasks, 50)
        XCTAssertEqual(SlurmArrayPlan.make(runs: 100, tasks: 50, runsPerTask: nil, maxArraySize: 50).note, nil)
    }

    func testMaxArraySizeFromScontrol() {
        let config = """
            Configuration data as of 2026-12-01T15:00:00
            AccountingStorageBackupHost = (null)
            MaxArraySize            = 1001
            MaxJobCount             = 10000
            """
        XCTAssertEqual(SlurmArrayPlan.maxArraySize(fromConfig: config), 1001)
        XCTAssertEqual(SlurmArrayPlan.maxArraySize(fromConfig: "MaxArraySize = 40001\n"), 40001)
        XCTAssertNil(SlurmArrayPlan.maxArraySize(fromConfig: "MaxJobCount = 10\n"))
        XCTAssertNil(SlurmArrayPlan.maxArraySize(fromConfig: "MaxArraySize = lots\n"))
    }
}
