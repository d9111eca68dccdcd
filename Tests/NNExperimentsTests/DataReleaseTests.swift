import Foundation
import XCTest

@testable import NNDatasets
@testable import NNExperiments

/// Splits and their converted samples leave the process-wide caches when the last planned run that
/// needs them ends (issue 13: a seed sweep held every seed's split for the life of the process).
/// Counts entries, not bytes.
final class DataReleaseTests: XCTestCase {
    override func setUp() {
        DatasetCache.shared.removeAll()
        SampleCache.removeAll()
    }
    override func tearDown() {
        DatasetCache.shared.removeAll()
        SampleCache.removeAll()
    }

    /// Cache entries seen as each run starts and finishes (before the scheduler releases its data).
    private final class Counts: SchedulerObserver, @unchecked Sendable {
        private let lock = NSLock()
        var atStart: [String: Int] = [:], atFinish: [String: Int] = [:], samplesAtFinish: [String: Int] = [:]
        func started(_ run: PlannedRun) {
            lock.withLock { atStart[run.config.runName] = DatasetCache.shared.splitCount }
        }
        func progress(_ run: PlannedRun, step: Int, total: Int, cost: Double) {}
        func finished(_ run: PlannedRun, outcome: RunOutcome, writeError: Error?) {
            XCTAssertEqual(outcome.status, .completed, "\(run.config.runName): \(outcome.status)")
            lock.withLock {
                atFinish[run.config.runName] = DatasetCache.shared.splitCount
                samplesAtFinish[run.config.runName] = SampleCache.count
            }
        }
    }

    private func spec(_ sweep: String) -> String {
        """
        experiment: release
        dataset: {name: moons, count: 200, split: {validation: 0.25}, preprocess: [standardize]}
        model: {layers: [2, 6, 2], activation: tanh, output: softmax, loss: cross_entropy}
        optimizer: {type: sgd, learning_rate: 0.05}
        training: {epochs: 3, batch_size: 20}
        outputs: {epoch_accuracy: true}
        seed: 1
        sweep: \(sweep)
        """
    }

    private func train(_ sweep: String) throws -> Counts {
        let folder = try SpecFolder(["s.yaml": spec(sweep)])
        defer { folder.remove() }
        let e = try folder.load("s.yaml")
        let scheduler = Scheduler(jobs: 1, store: ResultStore(root: folder.path("results")))
        scheduler.threadsPerRun = 1
        let counts = Counts()
        let outcomes = scheduler.execute(
            scheduler.plan(e.runs, force: false), cancel: CancellationFlag(), observer: counts)
        XCTAssertEqual(outcomes.count, e.runs.count)
        XCTAssertEqual(DatasetCache.shared.splitCount, 0, "splits still cached after the last run ended")
        XCTAssertEqual(SampleCache.count, 0, "converted samples still cached after the last run ended")
        return counts
    }

    func testEachSeedsSplitIsReleasedWhenItsRunEnds() throws {
        let c = try train("{seed: [1, 2, 3]}")
        XCTAssertEqual(c.atStart.count, 3)
        // One run at a time, each with its own split: the previous one is gone before the next starts.
        for (run, n) in c.atStart { XCTAssertEqual(n, 0, "\(run) started with \(n) splits cached") }
        for (run, n) in c.atFinish { XCTAssertEqual(n, 1, "\(run) finished with \(n) splits cached") }
        // Its train and validation parts, converted once each, until the run has ended.
        for (run, n) in c.samplesAtFinish { XCTAssertEqual(n, 2, "\(run) finished with \(n) sample sets cached") }
    }

    func testASplitSharedByRunsStaysUntilTheLastOfThem() throws {
        let c = try train("{regularization.l2: [0.0, 0.1, 1.0]}")
        // Same seed, same split: built by the first run, kept for the next two, dropped after the last.
        XCTAssertEqual(c.atStart.values.sorted(), [0, 1, 1])
        XCTAssertEqual(c.atFinish.values.sorted(), [1, 1, 1])
    }

    func testAGridWithTheSeedInsideStillHoldsOneSplitAtATime() throws {
        // Plan order alternates seeds (l2 is the outer axis); runs on one split start together.
        let c = try train("{regularization.l2: [0.0, 0.1], seed: [1, 2, 3]}")
        XCTAssertEqual(c.atStart.count, 6)
        XCTAssertEqual(c.atStart.values.sorted(), [0, 0, 0, 1, 1, 1])
        XCTAssertEqual(Set(c.atFinish.values), [1])
    }

    func testTheDataCheckKeepsNoSplit() throws {
        let folder = try SpecFolder(["s.yaml": spec("{seed: [1, 2, 3, 4]}")])
        defer { folder.remove() }
        let found = try folder.load("s.yaml").checkAgainstData()
        XCTAssertEqual(found.diagnostics.count, 0)
        XCTAssertEqual(DatasetCache.shared.splitCount, 0, "the check kept the splits it loaded")
    }
}
