import Foundation
import XCTest

@testable import NNExperiments

/// The default thread budget (`Scheduler.threadsPerRun` nil): cores go to a run only when a worker has
/// no run left to take — never while a worker is merely between two runs, when lending its core for the
/// next epoch would put three busy threads on two cores as soon as that worker starts its next run.
final class ThreadShareTests: XCTestCase {
    /// The threads the budget grants at each run's start and finish, in the order they happen.
    private final class Shares: SchedulerObserver, @unchecked Sendable {
        private let lock = NSLock()
        weak var scheduler: Scheduler?
        var atStart: [Int] = [], atFinish: [Int] = []
        /// When set, the second `finished` call waits (up to 10 s) for the share to reach this value:
        /// the other worker, whose run finished first, has no run left and must give up its core.
        var awaitAtSecondFinish: Int?
        func started(_ run: PlannedRun) {
            let s = scheduler?.threadShare() ?? 0
            lock.withLock { atStart.append(s) }
        }
        func progress(_ run: PlannedRun, step: Int, total: Int, cost: Double) {}
        func finished(_ run: PlannedRun, outcome: RunOutcome, writeError: Error?) {
            XCTAssertEqual(outcome.status, .completed, "\(run.config.runName): \(outcome.status)")
            var s = scheduler?.threadShare() ?? 0
            if let want = awaitAtSecondFinish, lock.withLock({ atFinish.count }) == 1 {
                let deadline = Date().addingTimeInterval(10)
                while s != want && Date() < deadline {
                    usleep(1000)
                    s = scheduler?.threadShare() ?? 0
                }
            }
            lock.withLock { atFinish.append(s) }
        }
    }

    private func train(seeds: [Int], jobs: Int, cores: Int, awaitAtSecondFinish: Int? = nil) throws -> Shares {
        let spec = """
            experiment: share
            dataset: {name: moons, count: 100}
            model: {layers: [2, 4, 2], activation: tanh, output: softmax, loss: cross_entropy}
            optimizer: {type: sgd, learning_rate: 0.05}
            training: {epochs: 2, batch_size: 20}
            seed: 1
            sweep: {seed: \(seeds)}
            """
        let folder = try SpecFolder(["s.yaml": spec])
        defer { folder.remove() }
        let e = try folder.load("s.yaml")
        let scheduler = Scheduler(jobs: jobs, store: ResultStore(root: folder.path("results")))
        scheduler.cores = cores
        let shares = Shares()
        shares.scheduler = scheduler
        shares.awaitAtSecondFinish = awaitAtSecondFinish
        let outcomes = scheduler.execute(
            scheduler.plan(e.runs, force: false), cancel: CancellationFlag(), observer: shares)
        XCTAssertEqual(outcomes.count, seeds.count)
        return shares
    }

    func testAWorkerBetweenRunsKeepsItsCore() throws {
        // Six runs on two workers: when the first run finishes, four are still queued, so its worker
        // goes on and the other run must not have been lent its core (the old count of runs inside
        // training said 2 here).
        let s = try train(seeds: [1, 2, 3, 4, 5, 6], jobs: 2, cores: 2)
        // (Deterministic: a worker takes its next run only after its `finished` call returns, so when
        // the first `finished` call of either worker runs, at most three runs have been taken.)
        XCTAssertEqual(s.atFinish.first, 1, "shares at finish: \(s.atFinish)")
    }

    func testCoresNoWorkerCanUseGoToTheRunsTraining() throws {
        // One run and two workers: the second worker has nothing to take, so the run gets both cores.
        XCTAssertEqual(try train(seeds: [1], jobs: 2, cores: 2).atStart, [2])
        // Three workers, two runs: the third worker's core is shared at once (3 of 6 cores each).
        XCTAssertEqual(try train(seeds: [1, 2], jobs: 3, cores: 6).atStart.first, 3)
        // Two runs, two workers: once the first run has finished and its worker found nothing left,
        // the run still training gets both cores.
        XCTAssertEqual(try train(seeds: [1, 2], jobs: 2, cores: 2, awaitAtSecondFinish: 2).atFinish, [1, 2])
        // One worker: every core is its own.
        XCTAssertEqual(try train(seeds: [1, 2], jobs: 1, cores: 4).atStart, [4, 4])
    }
}
