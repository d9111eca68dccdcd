import Foundation

/// What a results folder says about its experiments and the Slurm submissions into it, read from
/// the folder alone (`nnexp status`): it works from any machine, during or after a sweep, without
/// Slurm and without the specs.
///
/// An experiment's runs are the rows of its summary.csv (`nnexp run`, a shard, `nnexp slurm` and
/// `nnexp merge` write it with every run of the spec) together with the run folders, claims and
/// checkpoints present; each run's state comes from its own files, never from the summary, which may
/// be older: a live claim (`ClaimStore`) makes it `running`, else its metrics.csv says how it
/// finished, else a checkpoint (`CheckpointStore.read`) makes it `checkpointed`, else it is `not-run`.
public struct FolderStatus: Sendable {
    /// One experiment folder's runs by state (run names, in summary order, then other folders by name).
    public struct Experiment: Sendable, Equatable {
        /// The experiment folder's name.
        public var name: String
        /// Runs whose metrics.csv says `completed`.
        public var completed: [String] = []
        /// Runs whose metrics.csv says `diverged`.
        public var diverged: [String] = []
        /// Run name and the error recorded in its metrics.csv.
        public var failed: [(run: String, error: String)] = []
        /// A folder without a readable metrics.csv (being replaced, or damaged).
        public var incomplete: [String] = []
        /// Runs held by a live claim: who trains them (host, pid, Slurm ids, last heartbeat) and the
        /// epoch of their checkpoint, if they have one (a resumed run, or one that saved while training).
        public var running: [(run: String, claim: RunClaim, checkpointEpoch: Int?)] = []
        /// Runs without a finished folder or a live claim whose checkpoint will resume them after
        /// `epoch` (an interrupted or requeued task; a stale claim does not count as running).
        public var checkpointed: [(run: String, epoch: Int)] = []
        /// Runs listed in summary.csv without a folder, claim or checkpoint.
        public var notRun: [String] = []
        /// Checkpoint files that cannot be read, as "file: problem" (their runs count as not run).
        public var damagedCheckpoints: [String] = []
        /// Every run counted once.
        public var total: Int {
            completed.count + diverged.count + failed.count + running.count + checkpointed.count + incomplete.count
                + notRun.count
        }

        /// Field by field (the tuple arrays have no synthesised equality).
        public static func == (a: Experiment, b: Experiment) -> Bool {
            a.name == b.name && a.completed == b.completed && a.diverged == b.diverged && a.incomplete == b.incomplete
                && a.notRun == b.notRun && a.failed.map(\.run) == b.failed.map(\.run)
                && a.failed.map(\.error) == b.failed.map(\.error)
                && a.running.map(\.run) == b.running.map(\.run) && a.running.map(\.claim) == b.running.map(\.claim)
                && a.running.map(\.checkpointEpoch) == b.running.map(\.checkpointEpoch)
                && a.checkpointed.map(\.run) == b.checkpointed.map(\.run)
                && a.checkpointed.map(\.epoch) == b.checkpointed.map(\.epoch)
                && a.damagedCheckpoints == b.damagedCheckpoints
        }
    }

    /// One `nnexp slurm` submission: `RESULTS/.slurm/<id>/`.
    public struct Submission: Sendable, Equatable {
        /// The folder name: UTC submission time and pid.
        public var id: String
        /// Job ids from jobs.txt; nil for a `--script-only` submission or one sbatch refused.
        public var arrayJob: String?
        /// With successive halving, the array jobs of rungs 1, 2, … (`rungR=<id>` lines), in order.
        public var rungJobs: [String] = []
        /// The merge job's id.
        public var mergeJob: String?
        /// Array tasks.
        public var tasks: Int?
        /// Task starts in the order recorded: "JOB_TASK on HOST" (with the restart count when requeued).
        public var taskStarts: [String] = []
        /// The merge job's exit status once it has finished.
        public var mergeStatus: Int32?
    }

    /// Experiments by folder name.
    public var experiments: [Experiment] = []
    /// Submissions in `.slurm/`, oldest first.
    public var submissions: [Submission] = []

    /// Reads `results`; `only` restricts the experiments (unknown names are returned in `missing`).
    public static func read(results: String, only: [String] = []) throws -> (status: FolderStatus, missing: [String]) {
        let fm = FileManager.default
        var isDir: ObjCBool = false
        guard fm.fileExists(atPath: results, isDirectory: &isDir), isDir.boolValue else {
            throw FolderStatusError(message: "\(results): no such results folder")
        }
        let names = try fm.contentsOfDirectory(atPath: results).filter { name in
            var d: ObjCBool = false
            return !name.hasPrefix(".")
                && fm.fileExists(atPath: (results as NSString).appendingPathComponent(name), isDirectory: &d)
                && d.boolValue
        }.sorted()
        var out = FolderStatus()
        let wanted = only.isEmpty ? names : only.filter(names.contains)
        for name in wanted {
            out.experiments.append(experiment(name, at: (results as NSString).appendingPathComponent(name)))
        }
        out.submissions = submissions(at: (results as NSString).appendingPathComponent(".slurm"))
        return (out, only.filter { !names.contains($0) })
    }

    static func experiment(_ name: String, at dir: String) -> Experiment {
        experiment(name, at: dir, claims: ClaimStore(experimentDirectory: dir))
    }

    /// `claims` decides liveness (its `staleAfter` for claims of other hosts).
    static func experiment(_ name: String, at dir: String, claims: ClaimStore) -> Experiment {
        let fm = FileManager.default
        var e = Experiment(name: name)
        var runs: [String] = []
        if let text = try? String(
            contentsOfFile: (dir as NSString).appendingPathComponent("summary.csv"), encoding: .utf8)
        {
            let rows = CSVReader.rows(text)
            if let col = rows.first?.firstIndex(of: "run") {
                runs = rows.dropFirst().compactMap { $0.count > col ? $0[col] : nil }
            }
        }
        let folders = ((try? fm.contentsOfDirectory(atPath: dir)) ?? []).filter { entry in
            var d: ObjCBool = false
            return !entry.hasPrefix(".") && entry != "charts"
                && fm.fileExists(atPath: (dir as NSString).appendingPathComponent(entry), isDirectory: &d)
                && d.boolValue
        }.sorted()
        var listed = Set(runs)
        for f in folders where listed.insert(f).inserted { runs.append(f) }
        // Runs that are claimed or checkpointed before any summary lists them (a task started before
        // the summary was written, say) are runs too.
        let live = claims.all().filter { claims.liveness($0.value) == .live }
        let checkpointPrefix = ".checkpoint-"
        let checkpointed = Set(
            ((try? fm.contentsOfDirectory(atPath: dir)) ?? [])
                .filter { $0.hasPrefix(checkpointPrefix) && $0.count > checkpointPrefix.count }
                .map { String($0.dropFirst(checkpointPrefix.count)) })
        runs += Set(live.keys).union(checkpointed).subtracting(listed).sorted()
        let checkpoints = CheckpointStore(experimentDirectory: dir)
        func checkpointEpoch(_ run: String) -> Int? {
            guard checkpointed.contains(run) else { return nil }
            do { return try checkpoints.read(run)?.epoch } catch {
                e.damagedCheckpoints.append("\(error)")
                return nil
            }
        }
        for run in runs {
            if let claim = live[run] {
                e.running.append((run, claim, checkpointEpoch(run)))
                continue
            }
            let runDir = (dir as NSString).appendingPathComponent(run)
            let text = try? String(
                contentsOfFile: (runDir as NSString).appendingPathComponent("metrics.csv"), encoding: .utf8)
            guard let m = text.flatMap(MetricsFile.parse), let status = m["status"] else {
                if let epoch = checkpointEpoch(run) {
                    e.checkpointed.append((run, epoch))
                } else if fm.fileExists(atPath: runDir) {
                    e.incomplete.append(run)
                } else {
                    e.notRun.append(run)
                }
                continue
            }
            switch status {
            case "completed": e.completed.append(run)
            case "diverged": e.diverged.append(run)
            default: e.failed.append((run, m["error"] ?? status))
            }
        }
        return e
    }

    static func submissions(at dir: String) -> [Submission] {
        let fm = FileManager.default
        return ((try? fm.contentsOfDirectory(atPath: dir)) ?? []).filter { !$0.hasPrefix(".") }.sorted().map { id in
            let folder = (dir as NSString).appendingPathComponent(id)
            func read(_ name: String) -> String? {
                try? String(contentsOfFile: (folder as NSString).appendingPathComponent(name), encoding: .utf8)
            }
            var s = Submission(id: id)
            for line in (read(SlurmScripts.jobsFile) ?? "").split(separator: "\n") {
                let kv = line.split(separator: "=", maxSplits: 1).map(String.init)
                guard kv.count == 2 else { continue }
                switch kv[0] {
                case "array": s.arrayJob = kv[1]
                case "merge": s.mergeJob = kv[1]
                case "tasks": s.tasks = Int(kv[1])
                case let k where k.hasPrefix("rung"): s.rungJobs.append(kv[1])
                default: break
                }
            }
            for line in (read(SlurmScripts.taskStartsFile) ?? "").split(separator: "\n") {
                let f = line.split(separator: " ").map(String.init)
                guard f.count == 4 else { continue }
                s.taskStarts.append("\(f[0])_\(f[1]) on \(f[3])" + (f[2] == "0" ? "" : " (restart \(f[2]))"))
            }
            s.mergeStatus = read(SlurmScripts.mergeStatusFile).flatMap {
                Int32($0.trimmingCharacters(in: .whitespacesAndNewlines))
            }
            return s
        }
    }
}

/// The results folder cannot be read.
public struct FolderStatusError: Error, CustomStringConvertible {
    /// What and why, naming the folder.
    public var message: String
    /// The message.
    public var description: String { message }
}
