import Foundation

/// The two batch scripts `nnexp slurm` submits: an array job whose task K execs
/// `nnexp run SPEC… --shard K/N`, and a merge job that runs after it (`--dependency=afterany`) to
/// rebuild every experiment's files and leave `merge.status` (its exit status) in the submission
/// folder, which `nnexp slurm --wait` and `nnexp status` read. Every path in them is absolute, as
/// tasks start on other machines in other directories.
///
/// With successive halving (`halvingRung` set), there is one array script per rung: task K of rung
/// R's array runs `--shard K/N --halving-rung R` (its share of that rung, nothing else after rung 0),
/// each array after the previous one (`afterany`), so Slurm itself orders the rung barriers and no
/// task holds a CPU waiting for another.
public struct SlurmScripts: Sendable {
    /// What the scripts are made of; paths absolute.
    public struct Options: Sendable {
        /// The nnexp binary the tasks run.
        public var nnexp: String
        /// Spec files, in command-line order (the partition depends on it).
        public var specs: [String]
        /// The shared results folder.
        public var results: String
        /// `RESULTS/.slurm/<id>`: scripts, logs, job ids, status files.
        public var folder: String
        /// `--job-name`; the merge job adds `-merge`.
        public var jobName: String
        /// Array tasks N: task K runs `--shard K/N`.
        public var tasks: Int
        /// `%P` of `--array`: at most this many tasks at once; nil for no limit.
        public var maxParallel: Int?
        /// `--cpus-per-task`, default 1; a task trains this many runs at once.
        public var cpusPerTask = 1
        /// `--partition` (both jobs); nil leaves the cluster's default.
        public var partition: String?
        /// `--time` (array job); nil leaves the partition's limit.
        public var time: String?
        /// `--mem` (both jobs).
        public var mem: String?
        /// `--account` (both jobs).
        public var account: String?
        /// `--qos` (both jobs).
        public var qos: String?
        /// Extra `#SBATCH` lines, as given (`--constraint=avx2`, `--exclude=node3`, …).
        public var sbatchArgs: [String] = []
        /// `--set PATH=VALUE` and `--sweep PATH=V1,V2` arguments (sets first), given to both
        /// `nnexp run` and `nnexp merge` (the partition and the summary are of the overridden specs).
        public var overrides: [String] = []
        /// Seconds before the time limit Slurm sends SIGUSR1 to the task.
        public var signalSeconds = 120
        /// For specs with `sweep.halving`: the rung this array trains (`--halving-rung`); nil for
        /// specs without halving (one array trains everything).
        public var halvingRung: Int?

        /// The required parts; the rest default to Slurm's own defaults.
        public init(nnexp: String, specs: [String], results: String, folder: String, jobName: String, tasks: Int) {
            self.nnexp = nnexp
            self.specs = specs
            self.results = results
            self.folder = folder
            self.jobName = jobName
            self.tasks = tasks
        }
    }

    /// What the scripts are made of.
    public let options: Options
    /// Scripts for these options.
    public init(_ options: Options) { self.options = options }

    /// Name of the file the merge job writes last: its exit status and a newline.
    public static let mergeStatusFile = "merge.status"
    /// One line per task start: array job id, task id, restart count, host.
    public static let taskStartsFile = "task-starts.txt"
    /// `array=<id>` and `merge=<id>` lines, written after submission.
    public static let jobsFile = "jobs.txt"

    /// The array script's file name in the submission folder: `array.sbatch`, or `rung-R.sbatch`
    /// for the arrays of halving rungs after the first.
    public var arrayScriptName: String {
        (options.halvingRung ?? 0) > 0 ? "rung-\(options.halvingRung!).sbatch" : "array.sbatch"
    }

    /// The lines every job shares: account, partition, limits, extra arguments.
    private var common: [String] {
        var lines: [String] = []
        if let p = options.partition { lines.append("--partition=\(p)") }
        if let a = options.account { lines.append("--account=\(a)") }
        if let q = options.qos { lines.append("--qos=\(q)") }
        return lines
    }

    /// The array job's script (docs/cluster.md shows one).
    public var arrayScript: String {
        let o = options
        let rung = o.halvingRung.map { ["--halving-rung", "\($0)"] } ?? []
        var sb =
            [
                "--job-name=\(o.jobName)" + ((o.halvingRung ?? 0) > 0 ? "-rung\(o.halvingRung!)" : ""),
                "--array=0-\(o.tasks - 1)" + (o.maxParallel.map { "%\($0)" } ?? ""),
                "--output=\(o.folder)/task-%A_%a.log",
                "--open-mode=append",
                "--signal=B:USR1@\(o.signalSeconds)",
                "--requeue",
                "--cpus-per-task=\(o.cpusPerTask)"
            ] + common
        if let t = o.time { sb.append("--time=\(t)") }
        if let m = o.mem { sb.append("--mem=\(m)") }
        sb += o.sbatchArgs
        let run = ([o.nnexp, "run"] + o.specs + o.overrides + ["--results", o.results] + rung).map(Self.quote).joined(
            separator: " ")
        let what =
            o.halvingRung.map { r in
                "its share of halving rung \(r) into \(o.results)"
                    + (r == 0
                        ? " (and shard K/\(o.tasks) of the experiments without halving)"
                        : ", once rung \(r - 1) is decided")
            } ?? "shard K/\(o.tasks) of the sweep into \(o.results)"
        return """
            #!/bin/bash
            # Written by `nnexp slurm`: task K of \(o.tasks) trains \(what).
            # Resubmit one task (same runs, kept ones skipped): sbatch --array=K \(Self.quote(o.folder + "/" + arrayScriptName))
            \(Self.directives(sb))

            printf '%s %s %s %s\\n' "$SLURM_ARRAY_JOB_ID" "$SLURM_ARRAY_TASK_ID" "${SLURM_RESTART_COUNT:-0}" "$(hostname)" >> \(Self.quote(o.folder + "/" + Self.taskStartsFile))
            # exec: SIGUSR1 (time limit near) and SIGTERM reach nnexp itself, not a waiting shell.
            exec \(run) --shard "$SLURM_ARRAY_TASK_ID/\(o.tasks)" --jobs "${SLURM_CPUS_PER_TASK:-1}" --yes --requeue-on-usr1

            """
    }

    /// The merge job; `arrayJob` is filled in by sbatch's `--dependency` on the command line.
    public var mergeScript: String {
        let o = options
        var sb =
            [
                "--job-name=\(o.jobName)-merge",
                "--output=\(o.folder)/merge-%j.log",
                "--open-mode=append",
                "--cpus-per-task=1"
            ] + common
        if let m = o.mem { sb.append("--mem=\(m)") }
        let merge = ([o.nnexp, "merge"] + o.specs + o.overrides + ["--results", o.results]).map(Self.quote).joined(
            separator: " ")
        let status = Self.quote(o.folder + "/" + Self.mergeStatusFile)
        return """
            #!/bin/bash
            # Written by `nnexp slurm`: after every task of the array, rebuild summary.csv and report.html
            # of each experiment from the folder, then leave the exit status in \(Self.mergeStatusFile).
            \(Self.directives(sb))

            \(merge)
            status=$?
            printf '%s\\n' "$status" > \(Self.quote(o.folder + "/." + Self.mergeStatusFile)) && mv -f \(Self.quote(o.folder + "/." + Self.mergeStatusFile)) \(status)
            exit "$status"

            """
    }

    /// `#SBATCH` lines. sbatch splits them at white space and honours double quotes only, so a value
    /// with a space is double-quoted (a double quote itself cannot be passed, and is refused earlier).
    static func directives(_ options: [String]) -> String {
        options.map { "#SBATCH " + ($0.contains(where: \.isWhitespace) ? "\"\($0)\"" : $0) }.joined(separator: "\n")
    }

    /// Single-quotes a word for bash unless it is made only of characters that need none.
    public static func quote(_ s: String) -> String {
        let plain =
            !s.isEmpty
            && s.unicodeScalars.allSatisfy { c in
                (c.value < 128 && (c.properties.isAlphabetic || c.properties.numericType != nil))
                    || "/._-=,:%@+".unicodeScalars.contains(c)
            }
        return plain ? s : "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
