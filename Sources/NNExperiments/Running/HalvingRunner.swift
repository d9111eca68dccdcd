import Foundation

/// Trains an experiment with `sweep.halving` rung by rung (docs/spec.md, "halving").
///
/// Rung r: every member run, with `training.epochs` set to the rung's epochs, is planned and trained
/// by the `Scheduler` like any run (so its folder is exactly that of a run trained straight to those
/// epochs), then its metric is read back from its metrics.csv and recorded in
/// `<experiment>/.rungs/<r>.<run>` (the metric and the fingerprint of the rung's config). The rung is
/// a barrier: members claimed by another process are waited for; when every member has a record, the
/// best ⌈n/factor⌉ are promoted. A member that may be promoted saves its state after the last epoch
/// as the checkpoint of its next rung's config (`PlannedRun.continuation`), so a promoted run
/// continues from there instead of starting over.
///
/// Resuming: the records say which rungs are decided, so a second invocation replays the decisions
/// without training and goes on where the first stopped (a run's folder may hold a later rung than
/// one being replayed). Several processes may run the same halving experiment on one results folder:
/// each trains the members it claims and waits at each rung for the others.
///
/// Shards (`shard`): each process trains only its share of each rung, fixed by the rung's members
/// and the shard count (`shares`), and waits at the rung barrier for the other shards' records on
/// the shared folder; every shard then makes the same promotions, since they are a pure function of
/// the records. With `onlyRung` (one Slurm array per rung, chained by `--dependency`), a shard
/// trains its share of that one rung and returns, waiting for nobody: the earlier rungs must be
/// decided already.
public final class HalvingRunner {
    /// The scheduler that trains each rung's runs (its store is the results folder).
    public let scheduler: Scheduler
    /// The experiment whose trials are halved.
    public let experiment: Experiment
    /// Its `sweep.halving` settings.
    public let halving: Halving
    /// Seconds between looks at runs another process trains (the rung barrier).
    public var pollInterval: TimeInterval = 1
    /// Train only this shard's share of each rung (nil: every member, as one process or several
    /// sharing the folder through claims).
    public var shard: Shard?
    /// With `shard`: train the share of this rung only, after checking that every earlier rung is
    /// decided, and wait for no other shard (nil: every rung, meeting the other shards at each barrier).
    public var onlyRung: Int?
    /// Receives messages for the user (whom a shard waits for at a barrier).
    public var note: ((String) -> Void)?
    /// Seconds between repeats of the "waiting for" message while nothing arrives.
    public var waitNoteInterval: TimeInterval = 60

    /// One row of rungs.csv.
    public struct RungRow: Equatable, Sendable {
        /// The trial's run name.
        public var run: String
        /// Rung index from 0.
        public var rung: Int
        /// Epochs trained by the end of this rung.
        public var epochs: Int
        /// The halving metric at the end of this rung, as recorded (empty when the run has none).
        public var metric: String
        /// Whether the trial went on to the next rung.
        public var promoted: Bool
    }

    /// What `run` did: the outcomes of runs trained here, the rows decided so far, each run's config
    /// at the last rung it reached (the experiment's runs for its summary), and whether every rung
    /// was decided.
    public struct Result: Sendable {
        /// Outcomes of the runs this process trained.
        public var outcomes: [RunOutcome] = []
        /// rungs.csv rows decided so far.
        public var rows: [RungRow] = []
        /// Each trial's config at the last rung it reached.
        public var finalRuns: [RunConfig] = []
        /// Whether every rung was decided.
        public var complete = false
        /// Why the rungs stopped before the end (interrupted, a run failed to write), or nil.
        public var stoppedBecause: String?
        /// With `onlyRung`: the shard's share of that rung is recorded (the rung is not decided here).
        public var shareOnly = false
    }

    /// A runner that only reads (`replay`).
    public convenience init(store: ResultStore, experiment: Experiment) {
        self.init(scheduler: Scheduler(jobs: 1, store: store), experiment: experiment)
    }

    /// A runner training through `scheduler`; `experiment` must have `sweep.halving`.
    public init(scheduler: Scheduler, experiment: Experiment) {
        precondition(experiment.halving != nil, "HalvingRunner needs an experiment with sweep.halving")
        self.scheduler = scheduler
        self.experiment = experiment
        self.halving = experiment.halving!
    }

    var directory: String { scheduler.store.experimentDirectory(experiment.name) }
    func recordPath(_ rung: Int, _ run: String) -> String {
        ((directory as NSString).appendingPathComponent(".rungs") as NSString).appendingPathComponent("\(rung).\(run)")
    }

    /// The config of run `i` at rung `r` (its last rung when r is beyond it).
    public func config(_ i: Int, rung r: Int) -> RunConfig {
        var c = experiment.runs[i]
        let epochs = halving.rungEpochs(cap: c.training.epochs)
        c.training.epochs = epochs[min(r, epochs.count - 1)]
        return c
    }

    /// Trainings this runner makes when nothing is stored yet (n, ⌈n/f⌉, … per rung; with a shard,
    /// its exact share of rung 0 and ⌈nᵣ/N⌉ of each later rung, whose members are not known yet;
    /// with `onlyRung`, that rung alone): a progress total.
    public var expectedTrainings: Int {
        let sizes = rungSizes
        guard let shard else { return sizes.reduce(0, +) }
        var total = 0
        for (r, n) in sizes.enumerated() where onlyRung == nil || onlyRung == r {
            total +=
                r == 0
                ? shares(Array(experiment.runs.indices), rung: 0, count: shard.count).filter { $0 == shard.index }.count
                : (n + shard.count - 1) / shard.count
        }
        return total
    }

    /// Estimated flops of the rungs' trainings when nothing is stored yet (`RunConfig.estimatedFlops`
    /// of each rung's config, n, ⌈n/f⌉, … runs per rung, at the mean over the runs since which of
    /// them go on is known only then): the progress display's work total. Each training counts its
    /// whole length; the display takes out the epochs a continued run had done before.
    public var expectedFlops: Double {
        let runs = experiment.runs.indices
        guard !runs.isEmpty else { return 0 }
        var total = 0.0
        for (r, n) in rungSizes.enumerated() {
            let mean = runs.map { config($0, rung: r).estimatedFlops }.reduce(0, +) / Double(runs.count)
            total += Double(n) * mean
        }
        return total
    }

    /// Members of each rung when every rung is trained: n, ⌈n/f⌉, … (which runs they are depends on the results).
    public var rungSizes: [Int] {
        var n = experiment.runs.count
        var out: [Int] = []
        for _ in 0..<rungCount {
            out.append(n)
            n = (n + halving.factor - 1) / halving.factor
        }
        return out
    }

    /// The shard (0..<count) of each of a rung's `members` (indices into the experiment's runs): the
    /// partition `Shard.assignment` makes of their configs at rung `r` (LPT on estimated work, ties
    /// to the lower shard), so a pure function of the members, the rung and `count`, never of timing.
    public func shares(_ members: [Int], rung r: Int, count: Int) -> [Int] {
        Shard.assignment(members.map { config($0, rung: r) }, count: count)
    }

    /// The rungs: how many there are is set by the longest run.
    public var rungCount: Int { experiment.runs.map { halving.rungEpochs(cap: $0.training.epochs).count }.max() ?? 0 }

    /// The metric recorded for run `i` at rung `r`, when its record is for the rung's config.
    /// Returns .some(text) (text may be empty: no value) or nil (no valid record).
    func record(_ i: Int, rung r: Int) -> String? {
        let c = config(i, rung: r)
        guard let text = try? String(contentsOfFile: recordPath(r, c.runName), encoding: .utf8) else { return nil }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard lines.count >= 2, lines[0] == "fingerprint \(Checkpoint.fingerprint(of: c))",
            lines[1].hasPrefix("metric ")
        else { return nil }
        return String(lines[1].dropFirst(7))
    }

    func writeRecord(_ i: Int, rung r: Int, metric: String) throws {
        let c = config(i, rung: r)
        let dir = (directory as NSString).appendingPathComponent(".rungs")
        try DurableFiles.makeDirectory(directory)
        try DurableFiles.makeDirectory(dir)
        try DurableFiles.replace(
            recordPath(r, c.runName),
            with: Array("fingerprint \(Checkpoint.fingerprint(of: c))\nmetric \(metric)\n".utf8))
    }

    /// The metric as a number (nil: missing, empty or not finite, which ranks last).
    static func value(_ text: String) -> Double? {
        guard let v = Double(text), v.isFinite else { return nil }
        return v
    }

    /// Trains the rungs until every one is decided, `cancel` is set, or a run cannot be finished.
    /// `force` forgets the records and retrains every rung's runs.
    public func run(force: Bool, cancel: CancellationFlag, observer: SchedulerObserver?) -> Result {
        var result = Result()
        let runs = experiment.runs
        if force {
            try? FileManager.default.removeItem(atPath: (directory as NSString).appendingPathComponent(".rungs"))
        }
        var members = Array(runs.indices)
        var reached = Array(repeating: 0, count: runs.count)
        let rungs = rungCount
        var r = 0
        var retrained: Set<String> = []
        while r < rungs, !members.isEmpty {
            for i in members { reached[i] = r }
            let last = r == rungs - 1
            var metrics: [Int: String] = [:]
            // With a shard, the members it trains at this rung; the others' records are waited for.
            let shardOf = shard.map { shares(members, rung: r, count: $0.count) }
            let mine = Set(
                members.indices.filter { shardOf == nil || shardOf![$0] == shard!.index }.map { members[$0] })
            let skipping = onlyRung.map { r < $0 } ?? false
            var waitNoted: (Date, Set<Int>)? = nil
            // The barrier: train what is missing; wait for what other processes hold.
            while true {
                // Records of other processes count too (they may already have moved a run's folder on
                // to a later rung).
                for i in members where metrics[i] == nil { if let m = record(i, rung: r) { metrics[i] = m } }
                if metrics.count == members.count { break }
                if skipping {
                    // One array per rung: the earlier rung's tasks have all ended, so waiting is useless.
                    let absent = members.filter { metrics[$0] == nil }
                    result.stoppedBecause =
                        "rung \(r) is not decided: \(Self.names(absent.map { config($0, rung: r).runName })) \(absent.count == 1 ? "has" : "have") no record in .rungs/ (a task of rung \(r) failed or was cancelled; resubmit it, then this rung)"
                    break
                }
                if cancel.isSet {
                    result.stoppedBecause = "interrupted"
                    break
                }
                let missing = members.filter { metrics[$0] == nil && mine.contains($0) }
                let others = members.filter { metrics[$0] == nil && !mine.contains($0) }
                if missing.isEmpty, onlyRung == r { break }  // this shard's share of its rung is recorded
                // Nothing of this process's to plan while it waits for other shards (no scheduler round a second).
                var plan = missing.isEmpty ? [] : scheduler.plan(missing.map { config($0, rung: r) }, force: false)
                for k in plan.indices {
                    let i = missing[k]
                    // --force: a run's first training in this invocation ignores its stored folder.
                    if force, !retrained.contains(plan[k].config.runName + "@\(r)") {
                        plan[k].action = .train(reason: "--force")
                    }
                    let next = config(i, rung: r + 1)
                    if !last, next.training.epochs > plan[k].config.training.epochs {
                        plan[k].continuation = Checkpoint.fingerprint(of: next)
                    }
                }
                let outcomes = plan.isEmpty ? [] : scheduler.execute(plan, cancel: cancel, observer: observer)
                result.outcomes += outcomes
                for p in plan where p.willTrain { retrained.insert(p.config.runName + "@\(r)") }
                if outcomes.contains(where: \.writeFailed) {
                    result.stoppedBecause = "a run's results could not be written"
                    break
                }
                var waiting = false
                for i in missing {
                    let c = config(i, rung: r)
                    guard case .finished(_, let m) = scheduler.store.stored(c) else {
                        waiting = true
                        continue
                    }
                    let text = m[halving.metric.metricsRow] ?? ""
                    do { try writeRecord(i, rung: r, metric: text) } catch {
                        result.stoppedBecause = "cannot record rung \(r) of \(c.runName): \(ErrorText.describe(error))"
                        break
                    }
                    metrics[i] = text
                }
                if result.stoppedBecause != nil { break }
                if onlyRung == r, !waiting { break }
                if !others.isEmpty, onlyRung == nil, let shard, let shardOf {
                    waiting = true
                    // Say whom this shard waits for: when it starts waiting, when that changes, and
                    // every `waitNoteInterval` seconds while nothing comes.
                    let set = Set(others)
                    if waitNoted.map({ $0.1 != set || Date().timeIntervalSince($0.0) >= waitNoteInterval }) ?? true {
                        note?(waitMessage(others, members: members, shardOf: shardOf, shard: shard, rung: r))
                        waitNoted = (Date(), set)
                    }
                }
                if waiting {
                    if cancel.isSet {
                        result.stoppedBecause = "interrupted"
                        break
                    }
                    Thread.sleep(forTimeInterval: pollInterval)
                }
            }
            if result.stoppedBecause != nil { break }
            // One rung only: its share is recorded; deciding it is the next rung's (or the merge's) task.
            if onlyRung == r {
                result.shareOnly = true
                break
            }
            let promoted: Set<Int> =
                last ? [] : Set(halving.promote(members.map { metrics[$0].flatMap(Self.value) }).map { members[$0] })
            for i in members {
                let c = config(i, rung: r)
                result.rows.append(
                    RungRow(
                        run: c.runName, rung: r, epochs: c.training.epochs, metric: metrics[i] ?? "",
                        promoted: promoted.contains(i)))
                // The checkpoint for the next rung is useless to a run that stops here.
                if !promoted.contains(i), !last {
                    let store = CheckpointStore(experimentDirectory: directory)
                    if case .resumable = store.load(c.runName, for: config(i, rung: r + 1)) { store.remove(c.runName) }
                }
            }
            members = members.filter { promoted.contains($0) }
            r += 1
        }
        result.complete = result.stoppedBecause == nil && !result.shareOnly
        result.finalRuns = runs.indices.map { config($0, rung: reached[$0]) }
        return result
    }

    /// At most five run names, then how many more.
    static func names(_ runs: [String]) -> String {
        runs.prefix(5).joined(separator: ", ") + (runs.count > 5 ? " and \(runs.count - 5) more" : "")
    }

    /// "rung r: waiting for shard 1/2 (trial=1, trial=4) …": the other shards' members with no record yet.
    func waitMessage(_ others: [Int], members: [Int], shardOf: [Int], shard: Shard, rung r: Int) -> String {
        let position = Dictionary(uniqueKeysWithValues: members.enumerated().map { ($1, $0) })
        var byShard: [Int: [String]] = [:]
        for i in others { byShard[shardOf[position[i]!], default: []].append(config(i, rung: r).runName) }
        let who = byShard.keys.sorted().map { "shard \($0)/\(shard.count) (\(Self.names(byShard[$0]!)))" }.joined(
            separator: ", ")
        return
            "halving \(experiment.name) rung \(r): shard \(shard) waits for \(who) to record their metrics in \((directory as NSString).appendingPathComponent(".rungs"))/ (every shard must write this one folder; checked every \(Int(pollInterval)) s, without end: if a shard never comes, stop this one with Ctrl-C, run the missing shard, and run this command again to resume)"
    }

    /// The rungs decided so far, from the records alone (nothing trains): the rows of rungs.csv and
    /// each run's config at the last rung it reached (at the first undecided rung, its current one).
    public func replay() -> (rows: [RungRow], finalRuns: [RunConfig]) {
        var rows: [RungRow] = []
        var members = Array(experiment.runs.indices)
        var reached = Array(repeating: 0, count: experiment.runs.count)
        let rungs = rungCount
        var r = 0
        while r < rungs, !members.isEmpty {
            for i in members { reached[i] = r }
            let metrics = members.map { record($0, rung: r) }
            guard metrics.allSatisfy({ $0 != nil }) else { break }
            let last = r == rungs - 1
            let promoted: Set<Int> =
                last ? [] : Set(halving.promote(metrics.map { Self.value($0!) }).map { members[$0] })
            for (k, i) in members.enumerated() {
                let c = config(i, rung: r)
                rows.append(
                    RungRow(
                        run: c.runName, rung: r, epochs: c.training.epochs, metric: metrics[k]!,
                        promoted: promoted.contains(i)))
            }
            members = members.filter { promoted.contains($0) }
            r += 1
        }
        return (rows, experiment.runs.indices.map { config($0, rung: reached[$0]) })
    }

    /// rungs.csv: one row per run and rung it was trained in, rung by rung in sweep order.
    public static func table(_ rows: [RungRow]) -> CSVTable {
        var t = CSVTable(header: ["trial", "rung", "epochs", "metric", "promoted"])
        for r in rows { t.append([r.run, "\(r.rung)", "\(r.epochs)", r.metric, r.promoted ? "true" : "false"]) }
        return t
    }
}
