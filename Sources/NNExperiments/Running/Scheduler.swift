import Foundation
import NNDatasets
import NNEngine

/// One run of a plan and whether it trains or keeps its stored results.
public struct PlannedRun: Sendable {
    /// The run.
    public var config: RunConfig
    /// Whether it trains or keeps its stored results.
    public var action: Action
    /// What the plan does with a run.
    public enum Action: Equatable, Sendable {
        /// Stored results are complete and the resolved config is unchanged.
        case keep(status: String)
        /// Train it; `reason` says why when results exist ("config changed", "incomplete", …).
        case train(reason: String?)
    }
    /// True when the run trains.
    public var willTrain: Bool { if case .train = action { return true } else { return false } }
    /// What the results folder held when the run was planned: a run whose folder changed by the time
    /// this process claims it was trained by another process meanwhile and is not trained again.
    public var storedAtPlan: StoredRun = .missing
    /// The fingerprint of the longer run that continues this one (successive halving's next rung):
    /// its state after the last epoch is saved as that run's checkpoint once its folder is in place.
    public var continuation: String?
}

/// What the scheduler tells its display. Calls come from worker threads, one at a time.
public protocol SchedulerObserver: AnyObject, Sendable {
    func started(_ run: PlannedRun)
    func progress(_ run: PlannedRun, step: Int, total: Int, cost: Double)
    func finished(_ run: PlannedRun, outcome: RunOutcome, writeError: Error?)
    /// Something to tell about a run that is not its progress: a live claim of another process
    /// (`skipped` true: this process will not train it) or a stale claim taken over.
    func notice(_ run: PlannedRun, message: String, skipped: Bool)
}

extension SchedulerObserver {
    /// Default: notices are ignored.
    public func notice(_ run: PlannedRun, message: String, skipped: Bool) {}
}

/// Runs the runs of one or more experiments side by side on `jobs` threads inside one process
/// (datasets shared), each with one BLAS thread, and writes each run's files as it finishes.
///
/// Why one BLAS thread per run: OpenBLAS's multi-threaded products can differ in the last bits from
/// its single-threaded ones, while concurrent single-threaded calls are bit-identical to serial ones.
/// Parallelism across runs therefore never changes a result, and `jobs` threads never oversubscribe
/// `jobs` cores.
public final class Scheduler: @unchecked Sendable {
    /// Runs trained side by side (at least 1).
    public let jobs: Int
    /// Where results are stored.
    public let store: ResultStore
    /// A claim of another host whose heartbeat is older than this is stale (seconds).
    public var staleAfter: TimeInterval = 300
    /// Seconds between the heartbeats of this process's claims.
    public var heartbeatInterval: TimeInterval = ClaimStore.heartbeatInterval
    /// The runs `execute` left to other processes (live claims, or trained meanwhile), with the reason.
    public private(set) var skipped: [(run: PlannedRun, reason: String)] = []
    private let lock = NSLock()

    /// Threads each run's products use (`ProductBlocks`), or nil for the default: the machine's cores
    /// shared among the workers that still have runs to take (⌊cores / workers⌋, at least 1, asked
    /// every epoch), so cores the sweep leaves idle — the last long run of a sweep — go to the runs
    /// still training. A worker between two runs (writing one's files, loading the next one's data)
    /// still counts: lending its core for the next epoch would leave the run it starts a moment later
    /// sharing that core with a helper thread (three busy threads on two cores) for that epoch.
    /// Results never depend on it.
    public var threadsPerRun: Int?
    /// Cores the default thread budget shares out.
    public var cores = ProcessInfo.processInfo.activeProcessorCount
    /// Threads the default budget grants a run at this moment of `execute` (tests; 1 outside it).
    private(set) var threadShare: @Sendable () -> Int = { 1 }

    /// A scheduler running `jobs` runs at once (raised to 1) into `store`.
    public init(jobs: Int, store: ResultStore) {
        self.jobs = max(1, jobs)
        self.store = store
    }

    /// Decides for each run whether to train it: stored runs that finished `completed` or `diverged`
    /// with an unchanged `config.yaml` are kept (unless `force`); everything else trains.
    public func plan(_ runs: [RunConfig], force: Bool) -> [PlannedRun] {
        runs.map { c in
            let stored = store.stored(c)
            var p = Self.decide(c, stored: stored, force: force)
            p.storedAtPlan = stored
            return p
        }
    }

    private static func decide(_ c: RunConfig, stored: StoredRun, force: Bool) -> PlannedRun {
        switch stored {
        case .missing: return PlannedRun(config: c, action: .train(reason: nil))
        case .incomplete: return PlannedRun(config: c, action: .train(reason: "incomplete"))
        case .damaged(let why): return PlannedRun(config: c, action: .train(reason: "damaged: \(why)"))
        case .changed: return PlannedRun(config: c, action: .train(reason: "config changed"))
        case .finished(let status, _):
            if force { return PlannedRun(config: c, action: .train(reason: "--force")) }
            if status == "completed" || status == "diverged" {
                return PlannedRun(config: c, action: .keep(status: status))
            }
            return PlannedRun(config: c, action: .train(reason: "previously \(status)"))
        }
    }

    /// The claims of an experiment's runs.
    public func claims(_ experiment: String) -> ClaimStore {
        ClaimStore(experimentDirectory: store.experimentDirectory(experiment), staleAfter: staleAfter)
    }

    /// Trains every planned run marked `train`, biggest first (`startOrder`), until done or `cancel`
    /// is set. Returns the outcomes of the runs that trained, in plan order (cancelled ones included,
    /// never written).
    ///
    /// Each run is claimed first (`ClaimStore`): a run with a live claim of another process is left
    /// to it (`skipped`), a stale claim is taken over, and a run whose folder changed since planning
    /// (another process trained it) is not trained again. Claims get a heartbeat every
    /// `heartbeatInterval` seconds while their runs train and are given up when the run's folder is in
    /// place or the run is cancelled or fails to write.
    public func execute(_ plan: [PlannedRun], cancel: CancellationFlag, observer: SchedulerObserver?) -> [RunOutcome] {
        BLASThreads.pinToOne()
        let work = plan.filter(\.willTrain)
        let order = Self.startOrder(work.map(\.config))
        let state = WorkState(count: work.count)
        let fixed = threadsPerRun
        let cores = max(1, cores)
        state.workers = min(jobs, work.count)
        let share: @Sendable () -> Int = { [lock, state] in
            if let fixed { return fixed }
            lock.lock()
            defer { lock.unlock() }
            return cores / max(1, state.workers)
        }
        threadShare = share
        let budget = ThreadBudget(share)
        // Each run's data is held from now until the last run that needs it has ended (`RunData`).
        RunData.retain(work.map(\.config))
        let heartbeat = Heartbeat(interval: heartbeatInterval)
        heartbeat.start()
        let group = DispatchGroup()
        for _ in 0..<min(jobs, work.count) {
            group.enter()
            let t = Thread { [self] in
                while true {
                    lock.lock()
                    let k = state.next
                    state.next += 1
                    // No run left for this worker: its core goes to the runs still training.
                    if k >= work.count { state.workers -= 1 }
                    lock.unlock()
                    guard k < work.count else { break }
                    let i = order[k]
                    let run = work[i]
                    // Every planned run ends here once, trained or not, and gives up its data.
                    defer { RunData.release(run.config) }
                    if cancel.isSet { continue }
                    let claims = self.claims(run.config.experiment)
                    let claim = RunClaim.forThisProcess()
                    let name = run.config.runName
                    var resumeFrom: Checkpoint? = nil
                    switch claimRun(run, claims: claims, claim: claim) {
                    case .skip(let reason):
                        lock.lock()
                        skipped.append((run, reason))
                        lock.unlock()
                        observer?.notice(run, message: reason, skipped: true)
                        continue
                    case .failed(let error):
                        var outcome = RunOutcome(config: run.config, status: .failed("cannot claim the run: \(error)"))
                        outcome.writeFailed = true
                        observer?.finished(run, outcome: outcome, writeError: error)
                        lock.lock()
                        state.outcomes[i] = outcome
                        lock.unlock()
                        continue
                    case .claimed(let note, let resume):
                        if let note { observer?.notice(run, message: note, skipped: false) }
                        resumeFrom = resume
                    }
                    heartbeat.add(claims, run: name, token: claim.token)
                    observer?.started(run)
                    // Checkpoints are written per `training.checkpoint` and whenever the run is cancelled
                    // (an interrupt), so the same command resumes it; a cancelled run keeps its checkpoint.
                    let checkpointFiles = CheckpointStore(experimentDirectory: claims.experimentDirectory)
                    let saving = RunCheckpointing(resume: resumeFrom, continuation: run.continuation) {
                        try checkpointFiles.save($0, run: name)
                    }
                    var outcome = RunExecutor.execute(
                        run.config, threads: budget, shouldStop: { cancel.isSet },
                        checkpoints: saving
                    ) { step, total, cost in
                        observer?.progress(run, step: step, total: total, cost: cost)
                    }
                    for note in outcome.notes { observer?.notice(run, message: note, skipped: false) }
                    var writeError: Error? = nil
                    if outcome.status != .cancelled {
                        do {
                            try store.write(outcome, token: claim.token, claims: claims)
                            // After the write, which removes the run's own checkpoint. Without it a
                            // promoted trial trains from the start (the same files, more time).
                            if let c = outcome.continuation {
                                do { try checkpointFiles.save(c, run: name) } catch {
                                    observer?.notice(
                                        run,
                                        message:
                                            "cannot save the checkpoint its next rung continues from: \(ErrorText.describe(error))",
                                        skipped: false)
                                }
                            }
                        } catch {
                            writeError = error
                            outcome.writeFailed = true
                        }
                    }
                    heartbeat.remove(claims, run: name)
                    // After a successful write the claim is already given up (with the swap, under the lock).
                    _ = try? ExperimentLock.withLock(claims.experimentDirectory) {
                        claims.release(name, token: claim.token)
                    }
                    observer?.finished(run, outcome: outcome, writeError: writeError)
                    lock.lock()
                    state.outcomes[i] = outcome
                    lock.unlock()
                }
                group.leave()
            }
            t.stackSize = 8 << 20
            t.start()
        }
        group.wait()
        heartbeat.stop()
        return state.outcomes.compactMap { $0 }
    }

    private enum ClaimResult {
        case claimed(note: String?, resume: Checkpoint?)
        case skip(String)
        case failed(Error)
    }

    /// Claims a run under its experiment's lock, and clears temporary folders whose claims are gone.
    private func claimRun(_ run: PlannedRun, claims: ClaimStore, claim: RunClaim) -> ClaimResult {
        let name = run.config.runName
        do {
            return try ExperimentLock.withLock(claims.experimentDirectory) {
                switch try claims.acquire(name, as: claim) {
                case .heldElsewhere(let other):
                    return .skip("running elsewhere: \(other.who)")
                case .acquired(let tookOver, let reason):
                    if store.stored(run.config) != run.storedAtPlan {
                        claims.release(name, token: claim.token)
                        return .skip("trained by another process meanwhile")
                    }
                    store.removeLeftovers(run.config.experiment, claims: claims)
                    var notes: [String] = []
                    if let tookOver {
                        notes.append("taking over the stale claim of \(tookOver.who) (\(reason ?? "stale"))")
                    } else if let reason {
                        notes.append("taking over a claim (\(reason))")
                    }
                    let checkpoints = CheckpointStore(experimentDirectory: claims.experimentDirectory)
                    var resume: Checkpoint? = nil
                    switch checkpoints.load(name, for: run.config) {
                    case .none: break
                    case .ignored(let why):
                        checkpoints.remove(name)
                        notes.append("ignoring its checkpoint: \(why)")
                    case .resumable(let c):
                        if let why = run.config.optimizer.settings.checkpointProblem {
                            checkpoints.remove(name)
                            notes.append("ignoring its checkpoint: \(why)")
                        } else {
                            resume = c
                            notes.append(
                                "resuming from \(run.config.optimizer.isFullBatch ? "iteration" : "epoch") \(c.epoch)")
                        }
                    }
                    return .claimed(note: notes.isEmpty ? nil : notes.joined(separator: "; "), resume: resume)
                }
            }
        } catch {
            return .failed(error)
        }
    }

    /// Indices of `runs` in the order they start: largest estimated work first (`estimatedWork`), ties
    /// grouped by the data they train on (in the order each data first appears), then in plan order.
    /// Longest-first keeps a long run from starting last while the other workers idle; grouping lets a
    /// split be released before the next one is built (an `l2 × seed` grid with a seeded split would
    /// otherwise hold every seed's split until its last row).
    static func startOrder(_ runs: [RunConfig]) -> [Int] {
        let work = runs.map(\.estimatedWork)
        var firstUse: [DataKey: Int] = [:]
        let group = runs.indices.map { i -> Int in
            let key = DataKey(runs[i])
            if let g = firstUse[key] { return g }
            firstUse[key] = i
            return i
        }
        return runs.indices.sorted {
            if work[$0] != work[$1] { return work[$0] > work[$1] }
            return group[$0] != group[$1] ? group[$0] < group[$1] : $0 < $1
        }
    }

    /// The split a run trains on: its dataset config, and the seed when the config draws from one.
    private struct DataKey: Hashable {
        let config: DatasetConfig
        let seed: UInt64?
        init(_ c: RunConfig) {
            config = c.dataset
            seed = c.dataset.usesSeed ? (c.dataSeed ?? c.seed) : nil
        }
    }

    /// Rebuilds each experiment's files from its folder (`ExperimentFiles`).
    public func writeSummaries(_ experiments: [Experiment], report: Bool = false) throws {
        for e in experiments { try ExperimentFiles.rebuild(e, store: store, report: report) }
    }
}

/// Refreshes the heartbeat of the claims a scheduler holds, from one background thread, every
/// `interval` seconds.
private final class Heartbeat: @unchecked Sendable {
    private let interval: TimeInterval
    private let lock = NSLock()
    private var held: [String: (ClaimStore, String, String)] = [:]
    private var stopped = false
    private let done = DispatchSemaphore(value: 0)

    init(interval: TimeInterval) { self.interval = max(interval, 0.05) }

    func add(_ claims: ClaimStore, run: String, token: String) {
        lock.lock()
        held[claims.experimentDirectory + "/" + run] = (claims, run, token)
        lock.unlock()
    }

    func remove(_ claims: ClaimStore, run: String) {
        lock.lock()
        held[claims.experimentDirectory + "/" + run] = nil
        lock.unlock()
    }

    func start() {
        let t = Thread { [self] in
            while done.wait(timeout: .now() + interval) == .timedOut {
                lock.lock()
                let now = Array(held.values)
                lock.unlock()
                for (claims, run, token) in now { claims.touch(run, token: token) }
            }
        }
        t.start()
    }

    func stop() { done.signal() }
}

/// The work queue shared by the scheduler's threads, guarded by the scheduler's lock.
private final class WorkState: @unchecked Sendable {
    var next = 0
    /// Workers that still have runs to take (the default thread budget shares the cores among them).
    var workers = 0
    var outcomes: [RunOutcome?]
    init(count: Int) { outcomes = Array(repeating: nil, count: count) }
}
