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
        return Dictionary(uniqueKeysWithValues: text.split(separator: "\n").map { l in
            let kv = l.split(separator: "=", maxSplits: 1).map(String.init); return (kv[0], kv[1])
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

        let a = try results(dir.appendingPathComponent("local")), b = try results(dir.appendingPathComponent("cluster"))
        XCTAssertEqual(a.keys.filter { $0.hasSuffix("/metrics.csv") }.count, 12)
        assertSameFiles(a, b)

        let status = try run(["status", "cluster"], cwd: dir)
        XCTAssertEqual(status.status, 0, status.err)
        XCTAssertTrue(status.out.contains("twelve      12         0         0       0           0        12"), status.out)
        XCTAssertTrue(status.out.contains("array job \(ids["array"]!) (3 tasks), merge job \(ids["merge"]!): merged, exit status 0"), status.out)
    }

    /// Submits `slow` on two tasks without waiting; returns the submission folder and job ids.
    func submitSlow(in dir: URL) throws -> (folder: URL, array: String, merge: String) {
        try write(slow, to: "s.yaml", in: dir)
        let r = try run(["slurm", "s.yaml", "--tasks", "2", "--results", "cluster"], cwd: dir)
        XCTAssertEqual(r.status, 0, r.err)
        let folder = try submissionFolder(dir.appendingPathComponent("cluster"))
        let ids = try jobs(folder)
        return (folder, ids["array"]!, ids["merge"]!)
    }

    func runFolders(_ dir: URL) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("cluster/slow").path)) ?? []).filter { $0.hasPrefix("seed=") }
    }

    func mergeStatus(_ folder: URL) -> String? { try? String(contentsOf: folder.appendingPathComponent("merge.status"), encoding: .utf8) }

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
        let status = try run(["status", "cluster", "slow"], cwd: dir)
        XCTAssertTrue(status.out.range(of: #"slow +\d +0 +0 +0 +[1-3] +6"#, options: .regularExpression) != nil, status.out)
        XCTAssertTrue(status.out.contains("merge job \(merge): merged, exit status 1"), status.out)
        XCTAssertLessThan(runFolders(dir).count, 6)

        // Resubmit exactly that task, as docs/cluster.md says, then merge.
        let again = LocalSlurm.shell(["sbatch", "--parsable", "--array=1", folder.appendingPathComponent("array.sbatch").path])
        XCTAssertEqual(again.status, 0, again.err)
        try waitUntilDone(again.out.trimmingCharacters(in: .whitespacesAndNewlines))
        let merged = try run(["merge", "s.yaml", "--results", "cluster", "--quiet"], cwd: dir)
        XCTAssertEqual(merged.status, 0, merged.err)

        let local = try run(["run", "s.yaml", "--jobs", "2", "--results", "local", "--quiet"], cwd: dir)
        XCTAssertEqual(local.status, 0, local.err)
        assertSameFiles(try results(dir.appendingPathComponent("local")), try results(dir.appendingPathComponent("cluster")))
    }

    func testUSR1StopsATaskThatRequeuesItselfAndFinishes() throws {
        let dir = try tempDir()
        let (folder, array, _) = try submitSlow(in: dir)
        try waitFor("a first run", seconds: 60) { !runFolders(dir).isEmpty }
        // What Slurm does 120 s before the time limit (--signal=B:USR1@120): USR1 to the batch shell, nnexp.
        XCTAssertEqual(LocalSlurm.shell(["scancel", "--batch", "--signal=USR1", "\(array)_0"]).status, 0)
        try waitFor("the merge job", seconds: 120) { mergeStatus(folder) != nil }
        XCTAssertEqual(mergeStatus(folder), "0\n")
        let starts = try String(contentsOf: folder.appendingPathComponent("task-starts.txt"), encoding: .utf8)
        XCTAssertTrue(starts.contains("\(array) 0 1 "), "task 0 restarted once: \(starts)")
        let log = try String(contentsOf: folder.appendingPathComponent("task-\(array)_0.log"), encoding: .utf8)
        XCTAssertTrue(log.contains("interrupted by SIGUSR1"), log)
        XCTAssertTrue(log.contains("requeueing Slurm job"), log)
        XCTAssertTrue(log.contains("keeping 1 run") || log.contains("keeping 2 runs"), "the requeued task keeps what it finished: \(log)")

        let local = try run(["run", "s.yaml", "--jobs", "2", "--results", "local", "--quiet"], cwd: dir)
        XCTAssertEqual(local.status, 0, local.err)
        assertSameFiles(try results(dir.appendingPathComponent("local")), try results(dir.appendingPathComponent("cluster")))
    }

    func testFailingRunsStillGetMergedAndStatusShowsThem() throws {
        let dir = try tempDir()
        let rows = (0..<40).map { i in "\(Double(i % 7) / 7),\(Double(i % 5) / 5),\(i % 2)" }
        try write("a,b,label\n" + rows.joined(separator: "\n") + "\n", to: "good.csv", in: dir)
        try write("a,b,label\n" + rows.joined(separator: "\n") + "\n", to: "doomed.csv", in: dir)
        try write("""
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
        XCTAssertTrue(status.out.contains("files       2          0         2       0           0        4"), status.out)
        XCTAssertTrue(status.out.contains("files/path=doomed.csv,seed=1: "), status.out)
        XCTAssertTrue(status.out.contains("doomed.csv"), status.out)
        // The merge job wrote the experiment files: summary with both failures, a report.
        let summary = try String(contentsOf: dir.appendingPathComponent("cluster/files/summary.csv"), encoding: .utf8)
        XCTAssertEqual(summary.components(separatedBy: ",failed,").count - 1, 2, summary)
        XCTAssertTrue(FileManager.default.fileExists(atPath: dir.appendingPathComponent("cluster/files/report.html").path))
    }
}
