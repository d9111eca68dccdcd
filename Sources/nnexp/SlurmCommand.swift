import ArgumentParser
import Foundation
import NNExperiments

struct Slurm: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a sweep on a Slurm cluster as an array job, one shard of the runs per task, then merge.",
        discussion: """
            Validates the specs like check (nothing is submitted on a mistake), writes two batch scripts \
            into RESULTS/.slurm/<id>/ and submits them with sbatch: an array job whose task K runs \
            `nnexp run SPEC… --shard K/N` into RESULTS, and a merge job after it (afterany) that rebuilds \
            every experiment's summary.csv and report.html. With successive halving (`sweep.halving`), one \
            array per rung, each after the previous one (afterany), task K of each training its share of \
            the rung (`--shard K/N --halving-rung R`). RESULTS, the specs, their data and this nnexp \
            must be on a filesystem every node sees. See docs/cluster.md.

            Exit status: 0 submitted (with --wait: every run completed), 1 with --wait: some run diverged, \
            failed or did not run, 2 a spec or the command line is wrong (nothing submitted), 3 a file \
            could not be written or a Slurm command failed.

            Examples:
              nnexp slurm experiments/mnist-l2-sweep.yaml --tasks 4 --time 2:00:00 --results /shared/results
              nnexp slurm experiments/*.yaml --runs-per-task 8 --partition cpu --script-only
            """)

    @Argument(help: "Spec files (YAML).")
    var specs: [String]

    @OptionGroup var overrideOptions: OverrideOptions

    @Option(help: "Array tasks (default: one per run, at most the cluster's MaxArraySize).")
    var tasks: Int?

    @Option(help: "Runs per array task, instead of --tasks.")
    var runsPerTask: Int?

    @Option(help: "At most this many tasks at once (--array=…%P).")
    var maxParallel: Int?

    @Option(help: "Folder that receives <experiment>/<run>/, on a shared filesystem.")
    var results: String = "results"

    @Option(help: "Slurm partition (sbatch --partition).")
    var partition: String?

    @Option(help: "Time limit per task (sbatch --time, e.g. 30, 2:00:00, 1-00:00:00).")
    var time: String?

    @Option(help: "CPUs per task; each task trains this many runs at once (nnexp run --jobs).")
    var cpusPerTask: Int = 1

    @Option(help: "Memory per node (sbatch --mem, e.g. 4G).")
    var mem: String?

    @Option(help: "Account to charge (sbatch --account).")
    var account: String?

    @Option(help: "Quality of service (sbatch --qos).")
    var qos: String?

    // .unconditional: the value is itself an option (`--sbatch-arg --exclude=node3`).
    @Option(
        name: .customLong("sbatch-arg"), parsing: .unconditionalSingleValue,
        help: ArgumentHelp(
            "An extra #SBATCH line for the array job, e.g. --sbatch-arg --constraint=avx2 (repeatable).",
            valueName: "ARG"))
    var sbatchArgs: [String] = []

    @Flag(help: "Write and print the scripts; submit nothing.")
    var scriptOnly = false

    @Flag(help: "After submitting, watch the results folder until the merge job ends; exit as nnexp run would.")
    var wait = false

    func validate() throws {
        if tasks != nil && runsPerTask != nil {
            throw ValidationError("--tasks and --runs-per-task cannot be used together")
        }
        for (name, v) in [
            ("--tasks", tasks), ("--runs-per-task", runsPerTask), ("--max-parallel", maxParallel),
            ("--cpus-per-task", cpusPerTask)
        ] {
            if let v, v < 1 { throw ValidationError("\(name) must be at least 1, found \(v)") }
        }
        if scriptOnly && wait {
            throw ValidationError("--script-only submits nothing, so there is nothing to --wait for")
        }
        let values =
            [
                ("--partition", partition), ("--time", time), ("--mem", mem), ("--account", account), ("--qos", qos),
                ("--results", results)
            ]
            + sbatchArgs.map { ("--sbatch-arg", Optional($0)) }
        for (name, v) in values {
            guard let v else { continue }
            if v.isEmpty { throw ValidationError("\(name) cannot be empty") }
            if v.contains(where: { $0 == "\"" || $0.isNewline }) {
                throw ValidationError("\(name) '\(v)': a double quote or a line break cannot go into an #SBATCH line")
            }
        }
        for a in sbatchArgs where !a.hasPrefix("-") {
            throw ValidationError(
                "--sbatch-arg takes an sbatch option such as --sbatch-arg=--constraint=avx2, found '\(a)'")
        }
    }

    func run() throws {
        // Checked like `check`; the input files are hashed here, once, into the results folder's cache,
        // so the tasks (which skip the data check) find every hash there instead of each rereading
        // every data file.
        let hashes = InputHashes(resultsRoot: results)
        let experiments = hashes.attach(try SpecCommandSupport.loadAll(specs, overrides: overrideOptions.overrides))
        // Successive halving: one array per rung, each after the previous one (see `SlurmScripts`);
        // rung r's array has as many tasks as the most runs any experiment has at rung r, at most N.
        let rungSizes = experiments.filter { $0.halving != nil }.map {
            HalvingRunner(store: ResultStore(root: results), experiment: $0).rungSizes
        }
        let rungs = rungSizes.map(\.count).max() ?? 0
        let runs = experiments.flatMap(\.runs).count
        let cwd = FileManager.default.currentDirectoryPath
        func absolute(_ p: String) -> String {
            ((p.hasPrefix("/") ? p : (cwd as NSString).appendingPathComponent(p)) as NSString).standardizingPath
        }
        let resultsPath = absolute(results)

        let maxArraySize: Int
        if let cluster = Self.maxArraySize() {
            maxArraySize = cluster
        } else if scriptOnly {
            maxArraySize = 1001
            SpecCommandSupport.printError(
                "note: `scontrol show config` gave no MaxArraySize; assuming Slurm's default, 1001")
        } else {
            SpecCommandSupport.printError(
                "error: cannot read MaxArraySize from `scontrol show config`; is Slurm installed here and SLURM_CONF right?"
            )
            throw ExitCode(ExitStatus.ioError)
        }
        let layout = SlurmArrayPlan.make(runs: runs, tasks: tasks, runsPerTask: runsPerTask, maxArraySize: maxArraySize)
        if let note = layout.note { SpecCommandSupport.printError("note: \(note)") }

        let id = Self.submissionID()
        let folder = (resultsPath as NSString).appendingPathComponent(".slurm/\(id)")
        var o = SlurmScripts.Options(
            nnexp: Self.ownExecutable(), specs: specs.map(absolute), results: resultsPath, folder: folder,
            jobName: "nnexp-" + (experiments.count == 1 ? experiments[0].name : "\(experiments.count)-experiments"),
            tasks: layout.tasks)
        // Both jobs see the same runs: the partition and the merge are of the overridden specs.
        o.overrides =
            overrideOptions.sets.flatMap { ["--set", $0] } + overrideOptions.sweeps.flatMap { ["--sweep", $0] }
        o.maxParallel = maxParallel
        o.cpusPerTask = cpusPerTask
        o.partition = partition
        o.time = time
        o.mem = mem
        o.account = account
        o.qos = qos
        o.sbatchArgs = sbatchArgs
        // One array script, or one per halving rung.
        let arrays: [SlurmScripts] =
            rungs == 0
            ? [SlurmScripts(o)]
            : (0..<rungs).map { r in
                var rungOptions = o
                rungOptions.halvingRung = r
                if r > 0 {
                    rungOptions.tasks = max(1, min(layout.tasks, rungSizes.map { r < $0.count ? $0[r] : 0 }.max() ?? 1))
                }
                return SlurmScripts(rungOptions)
            }
        let scripts = arrays[0]
        let arrayPath = (folder as NSString).appendingPathComponent("array.sbatch")
        let mergePath = (folder as NSString).appendingPathComponent("merge.sbatch")
        func path(_ s: SlurmScripts) -> String { (folder as NSString).appendingPathComponent(s.arrayScriptName) }
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            for a in arrays { try Data(a.arrayScript.utf8).write(to: URL(fileURLWithPath: path(a))) }
            try Data(scripts.mergeScript.utf8).write(to: URL(fileURLWithPath: mergePath))
            try writeJobs(folder, ["tasks=\(layout.tasks)", "runs=\(runs)"])
        } catch {
            SpecCommandSupport.printError("error: cannot write the batch scripts into \(folder): \(error)")
            throw ExitCode(ExitStatus.ioError)
        }
        let perTask = Double(runs) / Double(layout.tasks)
        let what =
            "\(runs) run\(runs == 1 ? "" : "s") in \(layout.tasks) task\(layout.tasks == 1 ? "" : "s") (\(String(format: "%.3g", perTask)) per task)"
            + (rungs == 0 ? "" : ", halving rung 0")
        func rungWhat(_ a: SlurmScripts) -> String {
            "halving rung \(a.options.halvingRung!) in \(a.options.tasks) task\(a.options.tasks == 1 ? "" : "s")"
        }
        if scriptOnly {
            var text = "# \(arrayPath): \(what)\n\(scripts.arrayScript)"
            for a in arrays.dropFirst() {
                text +=
                    "\n# \(path(a)): \(rungWhat(a)); submit with sbatch --dependency=afterany:<the previous rung's array job id>\n\(a.arrayScript)"
            }
            text +=
                "\n# \(mergePath): submit with sbatch --dependency=afterany:<\(arrays.count > 1 ? "the last rung's array" : "array") job id>\n\(scripts.mergeScript)"
            print(text, terminator: "")
            return
        }
        // The summary lists every run (not-run for now), so `nnexp status` shows the whole sweep at once.
        hashes.save()
        let store = ResultStore(root: resultsPath)
        for e in experiments where !e.runs.isEmpty { try? ExperimentFiles.rebuild(e, store: store, report: false) }

        let arrayJob = try submit([arrayPath], what: "the array job")
        // Each later rung after every task of the one before (afterany: a failed task does not leave
        // the chain pending forever; the next rung's tasks say which records are missing, and the
        // merge reports the sweep).
        var rungJobs: [String] = []
        var last = arrayJob
        for a in arrays.dropFirst() {
            do {
                last = try submit(
                    ["--dependency=afterany:\(last)", path(a)],
                    what: "the array of halving rung \(a.options.halvingRung!)")
            } catch {
                SpecCommandSupport.printError(
                    "the array jobs \(([arrayJob] + rungJobs).joined(separator: ", ")) are submitted; scancel them and submit again"
                )
                throw error
            }
            rungJobs.append(last)
        }
        let mergeJob: String
        do { mergeJob = try submit(["--dependency=afterany:\(last)", mergePath], what: "the merge job") } catch {
            SpecCommandSupport.printError(
                "the array job \(last) is submitted; submit the merge by hand: sbatch --dependency=afterany:\(last) \(SlurmScripts.quote(mergePath))"
            )
            throw error
        }
        let rungLines = zip(arrays.dropFirst(), rungJobs).map { "rung\($0.options.halvingRung!)=\($1)" }
        try? writeJobs(
            folder, ["array=\(arrayJob)"] + rungLines + ["merge=\(mergeJob)", "tasks=\(layout.tasks)", "runs=\(runs)"])
        let rungText = zip(arrays.dropFirst(), rungJobs).map {
            "submitted array job \($1): \(rungWhat($0)), after the previous array\n"
        }.joined()
        print(
            """
            submitted array job \(arrayJob): \(what)
            \(rungText)submitted merge job \(mergeJob) (after every task: summary.csv and report.html)
            watch:  nnexp status \(SlurmScripts.quote(resultsPath))    (or squeue -j \(([arrayJob] + rungJobs + [mergeJob]).joined(separator: ",")))
            scripts and logs: \(folder)
            """)
        guard wait else { return }
        let status = SlurmWait(
            folder: folder, results: resultsPath, experiments: experiments.map(\.name), mergeJob: mergeJob
        ).run()
        if status != 0 { throw ExitCode(status) }
    }

    private func writeJobs(_ folder: String, _ lines: [String]) throws {
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(
            to: URL(fileURLWithPath: (folder as NSString).appendingPathComponent(SlurmScripts.jobsFile)),
            options: .atomic)
    }

    /// `sbatch --parsable ARGS…` → the job id (without a `;cluster` suffix).
    private func submit(_ args: [String], what: String) throws -> String {
        guard let r = Subprocess.run("sbatch", ["--parsable"] + args) else {
            SpecCommandSupport.printError("error: sbatch not found; nnexp slurm needs Slurm's client commands on PATH")
            throw ExitCode(ExitStatus.ioError)
        }
        let id =
            r.out.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ";").first.map(String.init) ?? ""
        guard r.status == 0, !id.isEmpty, id.allSatisfy(\.isNumber) else {
            SpecCommandSupport.printError(
                "error: sbatch refused \(what) (status \(r.status)): \(r.err.trimmingCharacters(in: .whitespacesAndNewlines))"
            )
            throw ExitCode(ExitStatus.ioError)
        }
        return id
    }

    /// The cluster's MaxArraySize from `scontrol show config`; nil when it cannot be read.
    static func maxArraySize() -> Int? {
        guard let r = Subprocess.run("scontrol", ["show", "config"]), r.status == 0 else { return nil }
        return SlurmArrayPlan.maxArraySize(fromConfig: r.out)
    }

    /// `<UTC date and time>-<pid>`: sorts in submission order, unique on one machine.
    static func submissionID() -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyyMMdd-HHmmss"
        return "\(f.string(from: Date()))-\(getpid())"
    }

    /// This nnexp's absolute path, so the tasks run the very binary that checked the specs.
    static func ownExecutable() -> String {
        if let p = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") { return p }
        return (CommandLine.arguments[0] as NSString).standardizingPath
    }
}
