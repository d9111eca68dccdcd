import Foundation
import XCTest

/// `nnexp slurm` and `nnexp status` against a real single-node Slurm (scripts/slurm-local.sh): the
/// same bytes as a local run, a cancelled task resubmitted, a USR1-stopped task requeued, failing
/// runs merged and reported. Small specs: the whole class takes well under a minute.
final class SlurmTests: XCTestCase {
    /// 12 runs of a fraction of a second each.
    let twelve = """
        experiment: twelve
        dataset: {name: xor, repeats: 20}
        model: {hidden: [4], activation: tanh, output: sigmoid, loss: logistic}
        optimizer: {type: sgd, learning_rate: 0.1, momentum: 0.5}
        training: {epochs: 30, batch_size: 8, shuffle: true}
        outputs: {cost: minibatch}
        sweep:
          seed: [1, 2, 3, 4, 5, 6]
          regularization.l2: [0.0, 0.001]
        """

    /// 6 runs of about a second each in a debug build: long enough to hit a task while it trains.
    let slow = """
        experiment: slow
        dataset: {name: xor, repeats: 250}
        model: {layers: [2, 16, 1], activation: tanh, output: sigmoid, loss: logistic}
        optimizer: {type: sgd, learning_rate: 0.05, momentum: 0.5}
        training: {epochs: 300, minibatches: 10, shuffle: true}
        sweep:
          seed: [1, 2, 3]
          regularization.l2: [0.0, 0.001]
        """

    override func setUpWithError() throws { try requireLocalSlurm() }

    /// Every result file except the Slurm folder (logs are already left out by `files`).
    func results(_ dir: URL) throws -> [String: Data] { try files(under: dir).filter { !$0.key.hasPrefix(".slurm/") } }

    func assertSameFiles(_ a: [String: Data], _ b: [String: Data], file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(Set(a.keys), Set(b.keys), file: file, line: line)
        for (name, bytes) in a where bytes != b[name] { XCTFail("\(name) differs", file: file, line: line) }
    }

    func submissionFolder(_ results: URL) throws -> URL {
        let slurm = results.appendingPathComponent(".slurm")
        let ids = try FileManager.default.contentsOfDirectory(atPath: slurm.path).sorted()
        XCTAssertEqual(ids.count, 1, "\(ids)")
        return slurm.appendingPathComponent(ids.last!)
    }

    func jobs(_ folder: URL) throws -> [String: String] {
        let text = try String(contentsOf: folder.appendingPathComponent("jobs.txt"), encoding: .utf8)
        return Dictionary(
            uniqueKeysWithValues: text.split(separator: "\n").map { l in
                let kv = l.split(separator: "=", maxSplits: 1).map(String.init)
                return (kv[0], kv[1])
            })
    }

    func testTwelveRunsOnThreeTasksEqualALocalRunByteForByte() throws {
        let dir = try tempDir()
        try write(twelve, to: "s.yaml", in: dir)
        let local = try run(["run", "s.yaml", "--jobs", "2", "--results", "local", "--quiet"], cwd: dir)
        XCTAssertEqual(local.status, 0, local.err)
        let slurm = try run(["slurm", "s.yaml", "--tasks", "3", "--wait", "--results", "cluster"], cwd: dir)
        XCTAssertEqual(slurm.status, 0, slurm.out + slurm.err)
        XCTAssertTrue(slurm.out.contains("12 runs in 3 tasks (4 per task)"), slurm.out)
        XCTAssertTrue(slurm.err.contains("12/12 runs done"), slurm.err)
        let folder = try submissionFolder(dir.appendingPathComponent("cluster"))
        let ids = try jobs(folder)
        XCTAssertTrue(slurm.out.contains("submitted array job \(ids["array"]!)"), slurm.out)
        XCTAssertTrue(slurm.out.contains("submitted merge job \(ids["merge"]!)"), slurm.out)
        // Each task ran its shard: three task logs, three starts, the merge status.
        let entries = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        XCTAssertEqual(entries.filter { $0.hasPrefix("task-\(ids["array"]!)_") }.count, 3, "\(entries)")
        XCTAssertEqual(try String(contentsOf: folder.appendingPathComponent("merge.status"), encoding: .utf8), "0\n")

        let a = try results(dir.appendingPathComponent("local"))
        let b = try results(dir.appendingPathComponent("cluster"))
        XCTAssertEqual(a.keys.filter { $0.hasSuffix("/metrics.csv") }.count, 12)
        assertSameFiles(a, b)

        let status = try run(["status", "cluster"], cwd: dir)
        XCTAssertEqual(status.status, 0, status.err)
        XCTAssertNotNil(
            status.out.range(of: #"twelve +12 +0 +0 +0 +0 +0 +0 +12\n"#, options: .regularExpression), status.out)
        XCTAssertTrue(
            status.out.contains(
                "array job \(ids["array"]!) (3 tasks), merge job \(ids["merge"]!): merged, exit status 0"), status.out)
    }

    /// `slow` with a checkpoint every 25 epochs and twice the epochs (about 2 s a run in a debug
    /// build), so a signal can be sent while a run of a given task is known to be past a checkpoint.
    let slowCheckpointed = """
        experiment: slow
        dataset: {name: xor, repeats: 250}
        model: {layers: [2, 16, 1], activation: tanh, output: sigmoid, loss: logistic}
        optimizer: {type: sgd, learning_rate: 0.05, momentum: 0.5}
        training: {epochs: 600, minibatches: 10, shuffle: true, checkpoint: {every: 25}}
        sweep:
          seed: [1, 2, 3]
          regularization.l2: [0.0, 0.001]
        """

    /// Submits `spec` (default `slow`) on two tasks without waiting; returns the submission folder and job ids.
    func submitSlow(in dir: URL, spec: String? = nil) throws -> (folder: URL, array: String, merge: String) {
        try write(spec ?? slow, to: "s.yaml", in: dir)
        let r = try run(["slurm", "s.yaml", "--tasks", "2", "--results", "cluster"], cwd: dir)
        XCTAssertEqual(r.status, 0, r.err)
        let folder = try submissionFolder(dir.appendingPathComponent("cluster"))
        let ids = try jobs(folder)
        return (folder, ids["array"]!, ids["merge"]!)
    }

    func runFolders(_ dir: URL) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("cluster/slow").path)) ?? [])
            .filter { $0.hasPrefix("seed=") }
    }

    func mergeStatus(_ folder: URL) -> String? {
        try? String(contentsOf: folder.appendingPathComponent("merge.status"), encoding: .utf8)
    }

    /// Polls squeue (the test's own check; nnexp never needs it) until the job has left the running states.
    func waitUntilDone(_ job: String, seconds: TimeInterval = 90) throws {
        try waitFor("job \(job) to end", seconds: seconds) {
            let q = LocalSlurm.shell(["squeue", "-h", "-j", job, "-t", "PD,R,CG,CF,S,RQ,RS,RF,SE", "-o", "%i"])
            return q.status == 0 && q.out.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
        }
    }

    func testCancelledTaskResubmittedGivesTheSameFiles() throws {
        let dir = try tempDir()
        let (folder, array, merge) = try submitSlow(in: dir)
        // Both tasks run at once (2 CPUs); cancel task 1 once a first run has landed, mid-shard.
        try waitFor("a first run", seconds: 60) { !runFolders(dir).isEmpty }
        XCTAssertEqual(LocalSlurm.shell(["scancel", "\(array)_1"]).status, 0)
        try waitFor("the merge job", seconds: 90) { mergeStatus(folder) != nil }
        XCTAssertEqual(mergeStatus(folder), "1\n", "a cancelled task leaves runs not run")
        // scancel sends SIGTERM: the run in flight checkpoints (when past its first epoch) and the
        // rest of the shard is not run.
        let status = try run(["status", "cluster", "slow"], cwd: dir)
        let counts = try XCTUnwrap(
            status.out.range(of: #"slow +\d +0 +0 +0 +[0-2] +0 +[0-3] +6\n"#, options: .regularExpression).map {
                status.out[$0].split(separator: " ").dropFirst().compactMap { Int($0) }
            }, status.out)
        XCTAssertTrue((1...3).contains(counts[4] + counts[6]), status.out)
        XCTAssertTrue(status.out.contains("merge job \(merge): merged, exit status 1"), status.out)
        XCTAssertLessThan(runFolders(dir).count, 6)

        // Resubmit exactly that task, as docs/cluster.md says, then merge.
        let again = LocalSlurm.shell([
            "sbatch", "--parsable", "--array=1", folder.appendingPathComponent("array.sbatch").path
        ])
        XCTAssertEqual(again.status, 0, again.err)
        let job = again.out.trimmingCharacters(in: .whitespacesAndNewlines)
        try waitUntilDone(job)
        if counts[4] == 1 {
            let log = try String(contentsOf: folder.appendingPathComponent("task-\(job)_1.log"), encoding: .utf8)
            XCTAssertTrue(
                log.contains("resuming from epoch "), "the resubmitted task resumes the checkpointed run: \(log)")
        }
        let merged = try run(["merge", "s.yaml", "--results", "cluster", "--quiet"], cwd: dir)
        XCTAssertEqual(merged.status, 0, merged.err)

        let local = try run(["run", "s.yaml", "--jobs", "2", "--results", "local", "--quiet"], cwd: dir)
        XCTAssertEqual(local.status, 0, local.err)
        assertSameFiles(
            try results(dir.appendingPathComponent("local")), try results(dir.appendingPathComponent("cluster")))
    }

    /// The claim of a run in `cluster/slow`, as `key: value` fields; nil when it has none.
    func claimFields(_ dir: URL, run: String) -> [String: String]? {
        guard
            let text = try? String(
                contentsOf: dir.appendingPathComponent("cluster/slow/.claims/\(run)"), encoding: .utf8)
        else { return nil }
        var out: [String: String] = [:]
        for line in text.split(separator: "\n") {
            let kv = line.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if kv.count == 2 { out[kv[0]] = kv[1] }
        }
        return out
    }

    /// A run of array task `task` that is training and has written a checkpoint.
    func checkpointedRun(of task: String, in dir: URL) -> String? {
        let exp = dir.appendingPathComponent("cluster/slow").path
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: exp)) ?? []).filter {
            $0.hasPrefix(".checkpoint-")
        }
        return names.map { String($0.dropFirst(".checkpoint-".count)) }.first {
            claimFields(dir, run: $0)?["slurm_array_task_id"] == task
        }
    }

    func testUSR1CheckpointsTheRunsInFlightAndTheRequeuedTaskResumesThem() throws {
        let dir = try tempDir()
        let (folder, array, _) = try submitSlow(in: dir, spec: slowCheckpointed)
        // Signal task 0 while one of its runs is known to be training past a checkpoint.
        var inFlight: String?
        try waitFor("a checkpoint of task 0", seconds: 90) {
            inFlight = checkpointedRun(of: "0", in: dir)
            return inFlight != nil
        }
        let run0 = try XCTUnwrap(inFlight)
        let running = try run(["status", "cluster", "slow"], cwd: dir)
        XCTAssertTrue(running.out.contains("slow/\(run0): "), running.out)
        XCTAssertTrue(running.out.contains("(Slurm job \(array)_0, job id "), running.out)
        // What Slurm does 120 s before the time limit (--signal=B:USR1@120): USR1 to the batch shell, nnexp.
        XCTAssertEqual(LocalSlurm.shell(["scancel", "--batch", "--signal=USR1", "\(array)_0"]).status, 0)
        try waitFor("the merge job", seconds: 180) { mergeStatus(folder) != nil }
        XCTAssertEqual(mergeStatus(folder), "0\n")
        let starts = try String(contentsOf: folder.appendingPathComponent("task-starts.txt"), encoding: .utf8)
        XCTAssertTrue(starts.contains("\(array) 0 1 "), "task 0 restarted once: \(starts)")
        let log = try String(contentsOf: folder.appendingPathComponent("task-\(array)_0.log"), encoding: .utf8)
        XCTAssertTrue(log.contains("interrupted by SIGUSR1"), log)
        XCTAssertTrue(log.contains("requeueing Slurm job"), log)
        // The run in flight saved a checkpoint at an epoch of its own, and the requeued task resumed
        // exactly there (the task log says it, and so does the run's run.log).
        let saved = try XCTUnwrap(
            log.range(
                of:
                    #"slow/\#(NSRegularExpression.escapedPattern(for: run0)): cancelled, checkpoint saved after epoch (\d+)"#,
                options: .regularExpression
            ).map { String(log[$0]) }, log)
        let epoch = try XCTUnwrap(saved.split(separator: " ").last.flatMap { Int($0) })
        XCTAssertGreaterThan(epoch, 0)
        XCTAssertLessThan(epoch, 600)
        XCTAssertTrue(
            log.split(separator: "\n").contains {
                $0.hasPrefix("slow/\(run0): ") && $0.contains("resuming from epoch \(epoch)")
            }, log)
        let runLog = try String(contentsOf: dir.appendingPathComponent("cluster/slow/\(run0)/run.log"), encoding: .utf8)
        XCTAssertTrue(runLog.contains("resumed from a checkpoint after epoch \(epoch)"), runLog)
        // Nothing is left behind: no checkpoint, no claim, no temporary folder.
        let left = try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("cluster/slow").path)
        XCTAssertEqual(
            left.filter { $0.hasPrefix(".checkpoint-") || $0.hasPrefix(".tmp-") || $0.hasPrefix(".old-") }, [],
            "\(left)")
        XCTAssertEqual(
            try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("cluster/slow/.claims").path)
                .filter { !$0.hasPrefix(".") }, [])

        // Byte for byte what one uninterrupted local run writes.
        let local = try run(["run", "s.yaml", "--jobs", "2", "--results", "local", "--quiet"], cwd: dir)
        XCTAssertEqual(local.status, 0, local.err)
        assertSameFiles(
            try results(dir.appendingPathComponent("local")), try results(dir.appendingPathComponent("cluster")))
    }

    /// Two copies of one array task (a task resubmitted while the first still runs) share its runs
    /// through the claims: every run is trained once between them, and the files are those of a
    /// local run.
    func testTwoCopiesOfOneShardTrainEachRunOnce() throws {
        let dir = try tempDir()
        try write(slow, to: "s.yaml", in: dir)
        let scripts = try run(["slurm", "s.yaml", "--tasks", "2", "--results", "cluster", "--script-only"], cwd: dir)
        XCTAssertEqual(scripts.status, 0, scripts.err)
        let folder = try submissionFolder(dir.appendingPathComponent("cluster"))
        let script = folder.appendingPathComponent("array.sbatch").path
        // Held, then released together, so both copies plan shard 0 before either has finished a run.
        let first = LocalSlurm.shell(["sbatch", "--parsable", "--hold", "--array=0", script])
        let second = LocalSlurm.shell(["sbatch", "--parsable", "--hold", "--array=0", script])
        XCTAssertEqual(first.status, 0, first.err)
        XCTAssertEqual(second.status, 0, second.err)
        let jobs = [first.out, second.out].map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        XCTAssertEqual(LocalSlurm.shell(["scontrol", "release", jobs[0], jobs[1]]).status, 0)
        for job in jobs { try waitUntilDone(job) }

        let logs = try jobs.map {
            try String(contentsOf: folder.appendingPathComponent("task-\($0)_0.log"), encoding: .utf8)
        }
        let trained = logs.flatMap { $0.split(separator: "\n").filter { $0.contains(": completed, final cost ") } }
            .compactMap { $0.split(separator: " ").dropFirst().first.map { String($0.dropLast()) } }
        // Both copies started together, so one found a run the other had claimed (or trained meanwhile).
        XCTAssertTrue(logs.joined().contains(": skipped, "), logs.joined(separator: "\n----\n"))
        // Shard 0 of 2 holds 3 of the 6 runs; each was trained by exactly one copy.
        XCTAssertEqual(trained.count, 3, logs.joined(separator: "\n----\n"))
        XCTAssertEqual(Set(trained).count, 3, "\(trained)")
        XCTAssertEqual(Set(runFolders(dir).map { "slow/" + $0 }), Set(trained))

        let merged = try run(["merge", "s.yaml", "--results", "cluster", "--quiet"], cwd: dir)
        XCTAssertEqual(merged.status, 1, "shard 1 never ran: \(merged.err)")
        let local = try run(["run", "s.yaml", "--jobs", "2", "--results", "local", "--quiet"], cwd: dir)
        XCTAssertEqual(local.status, 0, local.err)
        let ours = try results(dir.appendingPathComponent("cluster"))
        let theirs = try results(dir.appendingPathComponent("local"))
        for (name, bytes) in ours where name.hasPrefix("slow/seed=") { XCTAssertEqual(bytes, theirs[name], name) }
    }

    func testFailingRunsStillGetMergedAndStatusShowsThem() throws {
        let dir = try tempDir()
        let rows = (0..<40).map { i in "\(Double(i % 7) / 7),\(Double(i % 5) / 5),\(i % 2)" }
        try write("a,b,label\n" + rows.joined(separator: "\n") + "\n", to: "good.csv", in: dir)
        try write("a,b,label\n" + rows.joined(separator: "\n") + "\n", to: "doomed.csv", in: dir)
        try write(
            """
            experiment: files
            dataset: {name: csv, path: good.csv, label: label}
            model: {hidden: [3], activation: tanh, output: sigmoid, loss: logistic}
            optimizer: {type: sgd, learning_rate: 0.1}
            training: {epochs: 10, batch_size: 8}
            sweep:
              dataset.path: [good.csv, doomed.csv]
              seed: [1, 2]
            """, to: "f.yaml", in: dir)
        // Valid when submitted (check reads every file); the array is held until the file is gone.
        let r = try run(["slurm", "f.yaml", "--tasks", "2", "--results", "cluster", "--sbatch-arg=--hold"], cwd: dir)
        XCTAssertEqual(r.status, 0, r.err)
        let folder = try submissionFolder(dir.appendingPathComponent("cluster"))
        let ids = try jobs(folder)
        try FileManager.default.removeItem(at: dir.appendingPathComponent("doomed.csv"))
        XCTAssertEqual(LocalSlurm.shell(["scontrol", "release", ids["array"]!]).status, 0)
        try waitFor("the merge job", seconds: 90) { mergeStatus(folder) != nil }
        XCTAssertEqual(mergeStatus(folder), "1\n")

        let status = try run(["status", "cluster"], cwd: dir)
        XCTAssertEqual(status.status, 0, status.err)
        XCTAssertNotNil(
            status.out.range(of: #"files +2 +0 +2 +0 +0 +0 +0 +4\n"#, options: .regularExpression), status.out)
        XCTAssertTrue(status.out.contains("files/path=doomed.csv,seed=1: "), status.out)
        XCTAssertTrue(status.out.contains("doomed.csv"), status.out)
        // The merge job wrote the experiment files: summary with both failures, a report.
        let summary = try String(contentsOf: dir.appendingPathComponent("cluster/files/summary.csv"), encoding: .utf8)
        XCTAssertEqual(summary.components(separatedBy: ",failed,").count - 1, 2, summary)
        XCTAssertTrue(
            FileManager.default.fileExists(atPath: dir.appendingPathComponent("cluster/files/report.html").path))
    }

    /// Successive halving on the cluster: one array per rung, each after the previous (afterany),
    /// then the merge; the files (and the rung records) are those of one local run.
    func testHalvingRunsOneArrayPerRungAndEqualsALocalRun() throws {
        let dir = try tempDir()
        try write(
            """
            experiment: halving
            dataset: {name: moons, count: 200, noise: 0.2, split: {validation: 0.25}}
            model: {hidden: [4], activation: tanh, output: sigmoid, loss: logistic}
            optimizer: {type: adam, learning_rate: 0.01}
            training: {epochs: 20, batch_size: 16, shuffle: true}
            sweep:
              random:
                trials: 9
                seed: 7
                params:
                  optimizer.learning_rate: {loguniform: [1.0e-3, 1.0e-1]}
                  model.hidden: {choice: [[4], [8], [4, 4]]}
              halving: {metric: validation_accuracy, min_epochs: 2, factor: 3}
            """, to: "h.yaml", in: dir)
        let local = try run(["run", "h.yaml", "--jobs", "2", "--results", "local", "--quiet"], cwd: dir)
        XCTAssertEqual(local.status, 0, local.err)
        let slurm = try run(["slurm", "h.yaml", "--tasks", "2", "--wait", "--results", "cluster"], cwd: dir)
        XCTAssertEqual(slurm.status, 0, slurm.out + slurm.err)
        // Rungs of 9, 3, 1 and 1 runs: arrays of 2, 2, 1 and 1 tasks, chained.
        XCTAssertTrue(slurm.out.contains("9 runs in 2 tasks (4.5 per task), halving rung 0"), slurm.out)
        let folder = try submissionFolder(dir.appendingPathComponent("cluster"))
        let ids = try jobs(folder)
        for (rung, tasks) in [(1, 2), (2, 1), (3, 1)] {
            let job = try XCTUnwrap(ids["rung\(rung)"], "\(ids)")
            XCTAssertTrue(
                slurm.out.contains(
                    "submitted array job \(job): halving rung \(rung) in \(tasks) task\(tasks == 1 ? "" : "s"), after the previous array"
                ), slurm.out)
            let logs = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter {
                $0.hasPrefix("task-\(job)_")
            }
            XCTAssertEqual(logs.count, tasks, "\(logs)")
        }
        XCTAssertEqual(try String(contentsOf: folder.appendingPathComponent("merge.status"), encoding: .utf8), "0\n")
        // Each training happened once, in the task of its rung and share: 9 + 3 + 1 + 1.
        let logs = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasPrefix("task-") }
            .map { try String(contentsOf: folder.appendingPathComponent($0), encoding: .utf8) }
        XCTAssertEqual(
            logs.joined().components(separatedBy: ": completed, final cost ").count - 1, 14,
            logs.joined(separator: "\n----\n"))
        XCTAssertFalse(logs.joined().contains("waits for"), "rung tasks wait for nobody: Slurm orders the rungs")

        assertSameFiles(
            try results(dir.appendingPathComponent("local")), try results(dir.appendingPathComponent("cluster")))
        let records = { (root: String) throws -> [String: Data] in
            let d = dir.appendingPathComponent(root + "/halving/.rungs")
            return Dictionary(
                uniqueKeysWithValues: try FileManager.default.contentsOfDirectory(atPath: d.path).map {
                    ($0, try Data(contentsOf: d.appendingPathComponent($0)))
                })
        }
        XCTAssertEqual(try records("local"), try records("cluster"))
        let status = try run(["status", "cluster"], cwd: dir)
        XCTAssertTrue(
            status.out.contains(
                "array job \(ids["array"]!) (2 tasks), halving rung arrays \(ids["rung1"]!), \(ids["rung2"]!), \(ids["rung3"]!), merge job \(ids["merge"]!): merged, exit status 0"
            ), status.out)
    }
}
