import Foundation
import NNEngine

/// One run of a plan and whether it trains or keeps its stored results.
public struct PlannedRun: Sendable {
    public var config: RunConfig
    public var action: Action
    public enum Action: Equatable, Sendable {
        /// Stored results are complete and the resolved config is unchanged.
        case keep(status: String)
        /// Train it; `reason` says why when results exist ("config changed", "incomplete", …).
        case train(reason: String?)
    }
    public var willTrain: Bool { if case .train = action { return true } else { return false } }
}

/// What the scheduler tells its display. Calls come from worker threads, one at a time.
public protocol SchedulerObserver: AnyObject, Sendable {
    func started(_ run: PlannedRun)
    func progress(_ run: PlannedRun, step: Int, total: Int, cost: Double)
    func finished(_ run: PlannedRun, outcome: RunOutcome, writeError: Error?)
}

/// Runs the runs of one or more experiments side by side on `jobs` threads inside one process
/// (datasets shared), each with one BLAS thread, and writes each run's files as it finishes.
///
/// Why one BLAS thread per run: OpenBLAS's multi-threaded products can differ in the last bits from
/// its single-threaded ones, while concurrent single-threaded calls are bit-identical to serial ones.
/// Parallelism across runs therefore never changes a result, and `jobs` threads never oversubscribe
/// `jobs` cores.
public final class Scheduler: @unchecked Sendable {
    public let jobs: Int
    public let store: ResultStore
    private let lock = NSLock()

    /// Threads each run's products use (`ProductBlocks`), or nil for the default: the machine's cores
    /// shared among the runs training at that moment (⌊cores / running⌋, at least 1, asked every
    /// epoch), so cores the sweep leaves idle — the last long run of a sweep — go to the runs still
    /// training. Results never depend on it.
    public var threadsPerRun: Int?
    /// Cores the default thread budget shares out.
    public var cores = ProcessInfo.processInfo.activeProcessorCount

    public init(jobs: Int, store: ResultStore) {
        self.jobs = max(1, jobs); self.store = store
    }

    /// Decides for each run whether to train it: stored runs that finished `completed` or `diverged`
    /// with an unchanged `config.yaml` are kept (unless `force`); everything else trains.
    public func plan(_ runs: [RunConfig], force: Bool) -> [PlannedRun] {
        runs.map { c in
            switch store.stored(c) {
            case .missing: return PlannedRun(config: c, action: .train(reason: nil))
            case .incomplete: return PlannedRun(config: c, action: .train(reason: "incomplete"))
            case .changed: return PlannedRun(config: c, action: .train(reason: "config changed"))
            case .finished(let status, _):
                if force { return PlannedRun(config: c, action: .train(reason: "--force")) }
                if status == "completed" || status == "diverged" { return PlannedRun(config: c, action: .keep(status: status)) }
                return PlannedRun(config: c, action: .train(reason: "previously \(status)"))
            }
        }
    }

    /// Trains every planned run marked `train`, biggest first (`startOrder`), until done or `cancel`
    /// is set. Returns the outcomes of the runs that trained, in plan order (cancelled ones included,
    /// never written).
    public func execute(_ plan: [PlannedRun], cancel: CancellationFlag, observer: SchedulerObserver?) -> [RunOutcome] {
        BLASThreads.pinToOne()
        let work = plan.filter(\.willTrain)
        let order = Self.startOrder(work.map(\.config))
        for e in Set(work.map(\.config.experiment)) { store.removeLeftovers(e) }
        let state = WorkState(count: work.count)
        let fixed = threadsPerRun, cores = max(1, cores)
        let budget = ThreadBudget { [lock, state] in
            if let fixed { return fixed }
            lock.lock(); defer { lock.unlock() }
            return cores / max(1, state.training)
        }
        let group = DispatchGroup()
        for _ in 0..<min(jobs, work.count) {
            group.enter()
            let t = Thread { [self] in
                while true {
                    lock.lock()
                    let k = state.next; state.next += 1
                    lock.unlock()
                    guard k < work.count, !cancel.isSet else { break }
                    let i = order[k]
                    let run = work[i]
                    observer?.started(run)
                    lock.lock(); state.training += 1; lock.unlock()
                    var outcome = RunExecutor.execute(run.config, threads: budget, shouldStop: { cancel.isSet }) { step, total, cost in
                        observer?.progress(run, step: step, total: total, cost: cost)
                    }
                    lock.lock(); state.training -= 1; lock.unlock()
                    var writeError: Error? = nil
                    if outcome.status != .cancelled {
                        do { try store.write(outcome) } catch { writeError = error; outcome.writeFailed = true }
                    }
                    observer?.finished(run, outcome: outcome, writeError: writeError)
                    lock.lock(); state.outcomes[i] = outcome; lock.unlock()
                }
                group.leave()
            }
            t.stackSize = 8 << 20
            t.start()
        }
        group.wait()
        return state.outcomes.compactMap { $0 }
    }

    /// Indices of `runs` in the order they start: largest estimated work first (`estimatedWork`), ties
    /// in plan order. Longest-first keeps a long run from starting last while the other workers idle.
    static func startOrder(_ runs: [RunConfig]) -> [Int] {
        let work = runs.map(\.estimatedWork)
        return runs.indices.sorted { work[$0] != work[$1] ? work[$0] > work[$1] : $0 < $1 }
    }

    /// Rewrites each experiment's summary.csv from its stored runs.
    public func writeSummaries(_ experiments: [Experiment]) throws {
        for e in experiments {
            try store.writeExperimentFile(e.name, name: "summary.csv", contents: Array(Summary.table(e, store: store).text.utf8))
        }
    }
}

/// The work queue shared by the scheduler's threads, guarded by the scheduler's lock.
private final class WorkState: @unchecked Sendable {
    var next = 0
    /// Runs training right now (the default thread budget shares the cores among them).
    var training = 0
    var outcomes: [RunOutcome?]
    init(count: Int) { outcomes = Array(repeating: nil, count: count) }
}
