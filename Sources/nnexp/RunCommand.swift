import ArgumentParser
import Foundation
import NNExperiments

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Train every run of one or more experiment specs and write their results.",
        discussion: """
            Runs train side by side inside one process, one BLAS thread each, --jobs at a time. Each run \
            writes results/<experiment>/<run>/ (config.yaml, cost.csv, confusion-<split>.csv, metrics.csv) \
            and each experiment gets a summary.csv. Runs whose stored config.yaml matches are kept; \
            Ctrl-C stops cleanly and the same command resumes.

            Exit status: 0 every run completed, 1 some run diverged, failed or was interrupted, \
            2 a spec or the command line is wrong (nothing ran), 3 a data or results file could not be \
            read or written.

            Examples:
              nnexp run experiments/mnist-l2-sweep.yaml --jobs 2
              nnexp run experiments/*.yaml --only l2=0.1 --dry-run
              nnexp run experiments/xor.yaml --set optimizer.learning_rate=0.1 --sweep seed=1,2,3
            """)

    @Argument(help: "Spec files (YAML).")
    var specs: [String]

    @Option(name: .shortAndLong, help: "Runs trained at once (default: the number of cores).")
    var jobs: Int?

    @Option(
        help: ArgumentHelp(
            "Threads each run's matrix products use (default: the cores shared among the workers with runs left, so idle cores help the last runs). Results do not depend on it.",
            valueName: "N"))
    var threadsPerRun: Int?

    @Option(help: "Folder that receives <experiment>/<run>/.")
    var results: String = "results"

    @Flag(help: "Retrain runs whose results are complete and unchanged.")
    var force = false

    @Option(
        name: .customLong("only"), parsing: .upToNextOption,
        help: ArgumentHelp(
            "Train only the runs with these sweep values (KEY is a swept path or its last part).",
            valueName: "KEY=VALUE"))
    var only: [String] = []

    @OptionGroup var overrideOptions: OverrideOptions

    @Flag(help: "Print what would train and what is kept, then stop.")
    var dryRun = false

    @Flag(name: .shortAndLong, help: "Print nothing but problems (no progress, no final table).")
    var quiet = false

    @Flag(name: .shortAndLong, help: "Allow sweeps of more than \(Run.gridLimit) runs.")
    var yes = false

    @Flag(help: "Do not write report.html (and its charts) after the runs.")
    var noReport = false

    @Option(
        help: ArgumentHelp(
            "Train only shard K (0-based) of N: a fixed partition of all runs of the specs, balanced by estimated work; with sweep.halving, its share of each rung, waiting at each for the other shards on the same results folder. Implies --no-report (`nnexp merge` writes the reports).",
            valueName: "K/N"))
    var shard: String?

    @Option(
        help: ArgumentHelp(
            "With --shard, for `sweep.halving`: train only this shard's share of rung R (0-based; the rungs before it must be decided) and wait for no other shard; experiments without halving train only with R = 0. `nnexp slurm` runs one array per rung with it.",
            valueName: "R"))
    var halvingRung: Int?

    @Flag(
        help:
            "Inside a Slurm job: when SIGUSR1 (the time-limit warning) stops the sweep, ask Slurm to requeue this job (at most \(SlurmRequeue.maxRestarts) times)."
    )
    var requeueOnUsr1 = false

    @Option(help: "The final table: table (fitted to the terminal width), csv or markdown.")
    var format: Leaderboard.Format = .table

    static let gridLimit = 200

    func validate() throws {
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1, found \(jobs)") }
        if let threadsPerRun, threadsPerRun < 1 || threadsPerRun > 256 {
            throw ValidationError("--threads-per-run must be between 1 and 256, found \(threadsPerRun)")
        }
        // An empty path would write results into the current folder.
        if results.isEmpty { throw ValidationError("--results needs a folder name, found an empty string") }
        if let shard, Shard(parsing: shard) == nil {
            throw ValidationError("--shard takes K/N with 0 ≤ K < N (e.g. --shard 0/4), found '\(shard)'")
        }
        if let halvingRung {
            if halvingRung < 0 { throw ValidationError("--halving-rung must be at least 0, found \(halvingRung)") }
            if shard == nil {
                throw ValidationError("--halving-rung needs --shard K/N (it trains one shard's share of one rung)")
            }
        }
    }

    func run() throws {
        let sharded = shard.flatMap(Shard.init(parsing:))
        let hashes = InputHashes(resultsRoot: results)
        // A shard does not check every experiment's data up front (`nnexp slurm` did, at submission, and
        // filled the input-hash cache): a run whose data cannot be read now is recorded `failed` and the
        // shard's other runs go on.
        let loaded = hashes.attach(
            try SpecCommandSupport.loadAll(
                specs, overrides: overrideOptions.overrides,
                checkData: sharded == nil, unreadableDataIsFatal: false))
        if !dryRun { hashes.save() }
        if let h = loaded.first(where: { $0.halving != nil }) {
            if !only.isEmpty {
                SpecCommandSupport.printError(
                    "error: --only cannot pick runs of \(h.name): successive halving (`sweep.halving`) ranks every run of a rung together"
                )
                throw ExitCode(ExitStatus.badSpec)
            }
            // Each shard would erase the rung records the others share and read.
            if sharded != nil && force {
                SpecCommandSupport.printError(
                    "error: --force with --shard cannot retrain \(h.name): each shard would erase the rung records (`.rungs/`) the other shards share; retrain it without --shard, or remove \((results as NSString).appendingPathComponent(h.name)) first"
                )
                throw ExitCode(ExitStatus.badSpec)
            }
        }
        // The partition is taken over every run of the specs without halving (after --set/--sweep,
        // which change the runs, and before --only), so it depends on nothing but the specs, the
        // overrides and N. A halving experiment stays whole: its `HalvingRunner` takes the shard's
        // share of each rung, which depends on the rung's members.
        let partitioned: [Experiment]
        if let sharded {
            var plain = sharded.select(loaded.filter { $0.halving == nil }).makeIterator()
            partitioned = loaded.map { e in
                if e.halving != nil { return e }
                var mine = plain.next()!
                if (halvingRung ?? 0) > 0 { mine.runs = [] }  // a later rung's task trains halving runs only
                return mine
            }
        } else {
            partitioned = loaded
        }
        let experiments = try SpecCommandSupport.select(partitioned, only: only, allowEmpty: sharded != nil)
        let runs = experiments.flatMap(\.runs)
        // Halving experiments train rung by rung (`HalvingRunner`), after the others.
        let plainRuns = experiments.filter { $0.halving == nil }.flatMap(\.runs)
        let halvingExperiments = experiments.filter { $0.halving != nil }
        if runs.count > Self.gridLimit && !yes {
            let why = experiments.filter { !$0.runs.isEmpty }.map { "\($0.name): \($0.sizeDescription)" }.joined(
                separator: "; ")
            SpecCommandSupport.printError(
                "error: this would train \(runs.count) runs (\(why)), more than \(Self.gridLimit); pass --yes to train them all, or --only KEY=VALUE to pick some"
            )
            throw ExitCode(ExitStatus.badSpec)
        }
        let scheduler = Scheduler(
            jobs: jobs ?? ProcessInfo.processInfo.activeProcessorCount, store: ResultStore(root: results))
        scheduler.threadsPerRun = threadsPerRun
        let plan = scheduler.plan(plainRuns, force: force)
        let toTrain = plan.filter(\.willTrain)
        let runners = halvingExperiments.map { e -> HalvingRunner in
            let h = HalvingRunner(scheduler: scheduler, experiment: e)
            h.shard = sharded
            h.onlyRung = halvingRung
            return h
        }

        if dryRun {
            for p in plan {
                switch p.action {
                case .keep(let status):
                    print("keep   \(p.config.experiment)/\(p.config.runName) (\(status), unchanged)")
                case .train(let reason):
                    let claims = scheduler.claims(p.config.experiment)
                    var why = reason.map { " (\($0))" } ?? ""
                    if let c = claims.read(p.config.runName) {
                        switch claims.liveness(c) {
                        case .live: why += " [running elsewhere: \(c.who); left to it]"
                        case .stale(let r): why += " [stale claim of \(c.who): \(r); taken over]"
                        }
                    }
                    print("train  \(p.config.experiment)/\(p.config.runName)" + why)
                }
            }
            for h in runners {
                let epochs =
                    h.experiment.runs.map { h.halving.rungEpochs(cap: $0.training.epochs) }.max(by: {
                        $0.count < $1.count
                    }) ?? []
                let part =
                    sharded.map { s in
                        " (shard \(s): its share of " + (halvingRung.map { "rung \($0)" } ?? "each rung")
                            + ", fixed by the rung's runs)"
                    } ?? ""
                print(
                    "halving \(h.experiment.name): \(h.experiment.runs.count) runs in \(epochs.count) rung\(epochs.count == 1 ? "" : "s") of \(epochs.map(String.init).joined(separator: ", ")) epochs; which runs reach each rung depends on the results"
                        + part)
            }
            print(
                "\(toTrain.count) to train, \(plan.count - toTrain.count) kept"
                    + (runners.isEmpty ? "" : " (besides the halving rungs)"))
            return
        }

        let live = !quiet && TerminalWidth.isSmart(STDERR_FILENO)
        let display = ProgressDisplay(
            total: toTrain.count + runners.reduce(0) { $0 + $1.expectedTrainings },
            work: toTrain.reduce(0) { $0 + $1.config.estimatedFlops } + runners.reduce(0) { $0 + $1.expectedFlops },
            options: .init(live: live, quiet: quiet, width: TerminalWidth.of(STDERR_FILENO))
        ) { text in
            FileHandle.standardError.write(Data(text.utf8))
        }
        if !quiet {
            let kept = plan.count - toTrain.count
            if kept > 0 {
                display.note(
                    "keeping \(kept) run\(kept == 1 ? "" : "s") whose results are complete and unchanged (--force retrains them)"
                )
            }
            for p in toTrain {
                if case .train(let reason?) = p.action {
                    display.note("rerunning \(p.config.experiment)/\(p.config.runName): \(reason)")
                }
            }
        }

        let cancel = CancellationFlag()
        let signals = SignalHandlers(cancel: cancel) { name in
            display.note(
                "interrupted by \(name): starting no new runs; running ones stop at their next epoch and save a checkpoint (again to quit at once)"
            )
        }
        display.start()
        var outcomes = scheduler.execute(plan, cancel: cancel, observer: display)
        let plainFinished = outcomes.filter { $0.status != .cancelled }.count
        var halvingResults: [String: HalvingRunner.Result] = [:]
        var halvingStopped = false
        for h in runners where !cancel.isSet {
            // Even with --quiet: a shard waiting for another that may never come is worth a line.
            h.note = { display.note($0) }
            let r = h.run(force: force, cancel: cancel, observer: display)
            outcomes += r.outcomes
            halvingResults[h.experiment.name] = r
            if let why = r.stoppedBecause, why != "interrupted" {
                display.note("halving \(h.experiment.name) stopped: \(why)")
                halvingStopped = true
            }
        }
        display.stop()
        signals.disarm()
        if !scheduler.skipped.isEmpty {
            let n = scheduler.skipped.count
            SpecCommandSupport.printError(
                "\(n) run\(n == 1 ? "" : "s") left to other processes (claimed by them, or trained meanwhile); the summary shows them as they are now"
            )
        }

        var ioFailed = outcomes.contains(where: \.writeFailed)
        // The whole sweep of each experiment this process worked on, whatever --only or --shard picked.
        // A shard rebuilds summary.csv and cells.csv only: every shard finishing would otherwise redraw the whole
        // report under the experiment lock, one after the other; the merge job (`nnexp merge`) writes
        // spec.yaml, report.html and charts/ once, after the array.
        for (loadedWhole, picked) in zip(loaded, experiments) where !picked.runs.isEmpty {
            let whole = loadedWhole  // with sweep.halving, rebuild takes each run at its last rung
            // A run's config.yaml is one run of a larger experiment: its summary, spec copy and
            // report belong to the experiment's spec, so they are written only into a fresh folder.
            if whole.isRecordedRun,
                FileManager.default.fileExists(
                    atPath: (scheduler.store.experimentDirectory(whole.name) as NSString).appendingPathComponent(
                        "summary.csv"))
            {
                continue
            }
            do { try ExperimentFiles.rebuild(whole, store: scheduler.store, report: !noReport && sharded == nil) } catch
            {
                SpecCommandSupport.printError(
                    "error: cannot write the experiment files of \(whole.name): \(ErrorText.describe(error))")
                ioFailed = true
            }
        }
        // With sweep.halving, each run at the last rung it reached.
        let shown = experiments.map { e -> Experiment in
            var e = e
            if let r = halvingResults[e.name] { e.runs = r.finalRuns }
            return e
        }
        if !quiet {
            let worked = zip(loaded, experiments).filter { !$0.1.runs.isEmpty }.map(\.0)
            print(
                SummaryTable.render(
                    worked, store: scheduler.store, format: format, width: TerminalWidth.of(STDOUT_FILENO),
                    reports: !noReport && sharded == nil), terminator: "")
        }
        if ioFailed { throw ExitCode(ExitStatus.ioError) }
        let notRun =
            toTrain.count - plainFinished
            + halvingResults.values.filter { !$0.complete && !$0.shareOnly }.reduce(0) { n, r in
                // A halving's runs not yet finished at the rung they stand at (at least one: stopped
                // between two rungs, its next rung is not run).
                n
                    + max(
                        1,
                        r.finalRuns.filter {
                            if case .finished = scheduler.store.stored($0) { return false } else { return true }
                        }.count)
            }
            + runners.filter { halvingResults[$0.experiment.name] == nil }.reduce(0) { $0 + $1.experiment.runs.count }
        if halvingStopped { throw ExitCode(ExitStatus.runsFailed) }
        if cancel.isSet && notRun > 0 {
            SpecCommandSupport.printError(
                "interrupted: \(notRun) run\(notRun == 1 ? "" : "s") not finished; run the same command again to resume"
            )
            if requeueOnUsr1 && signals.first == SIGUSR1 { SlurmRequeue.requeueThisJob() }
            throw ExitCode(ExitStatus.runsFailed)
        }
        // A task of one rung (--halving-rung) succeeds once its share is recorded: the other shards'
        // runs and the later rungs are not its to wait for (the merge job reports the whole sweep).
        let finalStatuses = shown.filter { halvingRung == nil || $0.halving == nil }.flatMap(\.runs).map {
            scheduler.store.stored($0)
        }
        if !finalStatuses.allSatisfy({ if case .finished("completed", _) = $0 { return true } else { return false } }) {
            throw ExitCode(ExitStatus.runsFailed)
        }
    }
}
