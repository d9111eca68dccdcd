import Foundation
import XCTest

/// `nnexp run --shard K/N` and `nnexp merge` through the command line: shards written into one folder
/// then merged give the files of one local run, and a shard's runs do not depend on what is done.
final class ShardCLITests: XCTestCase {
    let sweep = """
        experiment: shards
        dataset: {name: xor, repeats: 10}
        model: {hidden: [3], activation: tanh, output: sigmoid, loss: logistic}
        optimizer: {type: sgd, learning_rate: 0.1}
        training: {epochs: 20, batch_size: 8, shuffle: true}
        sweep:
          seed: [1, 2, 3]
          training.epochs: [20, 40]
        """

    func dryRunNames(_ out: String) -> [String] {
        out.split(separator: "\n").compactMap { line in
            let parts = line.split(separator: " ", omittingEmptySubsequences: true)
            return parts.count >= 2 && (parts[0] == "train" || parts[0] == "keep") ? String(parts[1]) : nil
        }
    }

    func testShardsThenMergeEqualOneLocalRunAndShardsIgnoreWhatIsDone() throws {
        let dir = try tempDir()
        try write(sweep, to: "s.yaml", in: dir)
        let local = try run(["run", "s.yaml", "--jobs", "2", "--results", "local", "--quiet"], cwd: dir)
        XCTAssertEqual(local.status, 0, local.err)

        var before: [[String]] = []
        for k in 0..<3 {
            let dry = try run(["run", "s.yaml", "--results", "sharded", "--shard", "\(k)/3", "--dry-run"], cwd: dir)
            XCTAssertEqual(dry.status, 0, dry.err)
            before.append(dryRunNames(dry.out))
        }
        // Epochs 40 weigh twice epochs 20: each shard gets one of each (LPT), 6 runs in all.
        XCTAssertEqual(before.flatMap { $0 }.count, 6)
        XCTAssertEqual(Set(before.flatMap { $0 }).count, 6)
        XCTAssertEqual(before.map(\.count), [2, 2, 2])

        // Shard 1 first, then every shard again: shard 1's list and everyone's list stay the same.
        XCTAssertEqual(
            try run(["run", "s.yaml", "--results", "sharded", "--shard", "1/3", "--quiet"], cwd: dir).status, 0)
        for k in 0..<3 {
            let dry = try run(["run", "s.yaml", "--results", "sharded", "--shard", "\(k)/3", "--dry-run"], cwd: dir)
            XCTAssertEqual(dryRunNames(dry.out), before[k])
            XCTAssertEqual(dry.out.contains("keep "), k == 1, dry.out)
        }
        for k in [0, 2] {
            let r = try run(["run", "s.yaml", "--results", "sharded", "--shard", "\(k)/3", "--quiet"], cwd: dir)
            XCTAssertEqual(r.status, 0, r.err)
        }
        // A shard writes no report; merge does, and then the folders match byte for byte.
        XCTAssertFalse(
            FileManager.default.fileExists(atPath: dir.appendingPathComponent("sharded/shards/report.html").path))
        let merge = try run(["merge", "s.yaml", "--results", "sharded"], cwd: dir)
        XCTAssertEqual(merge.status, 0, merge.err)
        XCTAssertTrue(
            merge.out.contains("shards: 6 runs in 2 cells") && merge.out.contains("report: sharded/shards/report.html"),
            merge.out)
        let a = try files(under: dir.appendingPathComponent("local"))
        let b = try files(under: dir.appendingPathComponent("sharded"))
        XCTAssertEqual(Set(a.keys), Set(b.keys))
        XCTAssertGreaterThan(a.count, 6 * 4)
        for (name, bytes) in a { XCTAssertEqual(bytes, b[name], name) }
    }

    func testMergeOfAnUnfinishedSweepSaysNotRunAndExitsOne() throws {
        let dir = try tempDir()
        try write(sweep, to: "s.yaml", in: dir)
        XCTAssertEqual(try run(["run", "s.yaml", "--results", "r", "--shard", "0/2", "--quiet"], cwd: dir).status, 0)
        let merge = try run(["merge", "s.yaml", "--results", "r"], cwd: dir)
        XCTAssertEqual(merge.status, 1, merge.err)
        let summary = try String(contentsOf: dir.appendingPathComponent("r/shards/summary.csv"), encoding: .utf8)
        XCTAssertEqual(summary.split(separator: "\n").count, 7, summary)
        XCTAssertEqual(summary.components(separatedBy: ",not-run,").count - 1, 3, summary)
    }

    /// `nnexp status` from the folder alone: the run list from summary.csv, each state from its metrics.csv.
    func testStatusCountsRunsFromTheFolder() throws {
        let dir = try tempDir()
        try write(sweep, to: "s.yaml", in: dir)
        XCTAssertEqual(try run(["run", "s.yaml", "--results", "r", "--shard", "1/3", "--quiet"], cwd: dir).status, 0)
        // One run damaged (no metrics.csv), one turned into a failure as a run whose data vanished records it.
        let exp = dir.appendingPathComponent("r/shards")
        let done = try FileManager.default.contentsOfDirectory(atPath: exp.path).filter { $0.hasPrefix("seed=") }
            .sorted()
        XCTAssertEqual(done.count, 2)
        try FileManager.default.removeItem(at: exp.appendingPathComponent("\(done[0])/metrics.csv"))
        try write(
            "metric,value\nstatus,failed\nerror,\"cannot read x.csv: no such file\"\n", to: "\(done[1])/metrics.csv",
            in: exp)
        // One not-run run claimed by a Slurm task on another host (heartbeat now), one with a damaged
        // checkpoint (named; its run counts as not run). Claims are plain `key: value` files.
        let summary = try String(contentsOf: exp.appendingPathComponent("summary.csv"), encoding: .utf8)
        // Run names hold a comma, so summary.csv quotes them.
        let notRun = summary.split(separator: "\n").dropFirst().map { String($0.split(separator: "\"")[0]) }.filter {
            !done.contains($0)
        }
        XCTAssertEqual(notRun.count, 4)
        try FileManager.default.createDirectory(
            at: exp.appendingPathComponent(".claims"), withIntermediateDirectories: true)
        try write(
            "host: other-node-7\npid: 4242\nstarted: 2026-12-01T15:00:00Z\ntoken: 00000000000000c1\nslurm_job_id: 80\nslurm_array_job_id: 77\nslurm_array_task_id: 3\n",
            to: ".claims/\(notRun[0])", in: exp)
        try write("garbage", to: ".checkpoint-\(notRun[1])", in: exp)
        let s = try run(["status", "r"], cwd: dir)
        XCTAssertEqual(s.status, 0, s.err)
        let heartbeat = try XCTUnwrap(
            s.out.range(of: #"heartbeat \d+ s ago"#, options: .regularExpression).map { String(s.out[$0]) })
        XCTAssertEqual(
            s.out,
            """
            experiment  completed  diverged  failed  running  checkpointed  incomplete  not-run  total
            shards      0          0         1       1        0             1           3        6

            failed runs:
              shards/\(done[1]): cannot read x.csv: no such file

            running runs:
              shards/\(notRun[0]): other-node-7, pid 4242 (Slurm job 77_3, job id 80), \(heartbeat)

            damaged checkpoints (ignored; their runs start over):
              r/shards/.checkpoint-\(notRun[1]): too short to be a checkpoint

            """)
        let missing = try run(["status", "r", "nope"], cwd: dir)
        XCTAssertEqual(missing.status, 2)
        XCTAssertTrue(missing.err.contains("no experiment nope in r"), missing.err)
        let noFolder = try run(["status", "elsewhere"], cwd: dir)
        XCTAssertEqual(noFolder.status, 3)
        XCTAssertTrue(noFolder.err.contains("elsewhere: no such results folder"), noFolder.err)
    }

    /// Shards partition the runs after `--set`/`--sweep` (which change them) and before `--only`, and a
    /// random search's trials are runs like grid points: the shards together train exactly the runs
    /// of one local run with the same options, into the same bytes.
    func testShardsTakeOverridesOnlyAndRandomSearchTrials() throws {
        let dir = try tempDir()
        try write(
            """
            experiment: trials
            dataset: {name: xor, repeats: 5}
            model: {hidden: [3], activation: tanh, output: sigmoid, loss: logistic}
            optimizer: {type: sgd, learning_rate: 0.1}
            training: {epochs: 10, batch_size: 4, shuffle: true}
            sweep:
              seed: [1, 2]
              random: {trials: 3, seed: 5, params: {optimizer.learning_rate: {loguniform: [0.01, 1.0]}}}
            """, to: "r.yaml", in: dir)
        let options = ["--sweep", "training.epochs=10,12", "--set", "optimizer.momentum=0.5", "--only", "epochs=12"]
        let local = try run(["run", "r.yaml", "--results", "local", "--quiet", "--jobs", "2"] + options, cwd: dir)
        XCTAssertEqual(local.status, 0, local.err)
        let planned = try run(["run", "r.yaml", "--results", "local", "--dry-run"] + options, cwd: dir)
        XCTAssertTrue(planned.out.contains("0 to train, 6 kept"), planned.out)
        var trainedByShard: [[String]] = []
        for k in 0..<4 {
            let dry = try run(
                ["run", "r.yaml", "--results", "sharded", "--dry-run", "--shard", "\(k)/4"] + options, cwd: dir)
            XCTAssertEqual(dry.status, 0, dry.err)
            trainedByShard.append(dryRunNames(dry.out))
            let r = try run(
                ["run", "r.yaml", "--results", "sharded", "--quiet", "--shard", "\(k)/4"] + options, cwd: dir)
            XCTAssertEqual(r.status, 0, "shard \(k): \(r.err)")
        }
        // 2 seeds x 3 trials x 2 epochs = 12 runs partitioned; --only keeps the 6 with 12 epochs.
        let all = trainedByShard.flatMap { $0 }
        XCTAssertEqual(all.count, 6, "\(trainedByShard)")
        XCTAssertEqual(Set(all).count, 6)
        XCTAssertTrue(all.allSatisfy { $0.contains("epochs=12") && $0.contains("trial=") }, "\(all)")
        let merged = try run(
            [
                "merge", "r.yaml", "--results", "sharded", "--quiet", "--sweep", "training.epochs=10,12", "--set",
                "optimizer.momentum=0.5"
            ], cwd: dir)
        XCTAssertEqual(merged.status, 1, "6 of the 12 runs are not run: \(merged.err)")
        XCTAssertEqual(
            try files(under: dir.appendingPathComponent("sharded")),
            try files(under: dir.appendingPathComponent("local")))
    }

    func testBadShardsAreRefusedWithStatusTwo() throws {
        let dir = try tempDir()
        try write(sweep, to: "s.yaml", in: dir)
        for bad in ["3/3", "1/0", "x", "-1/2"] {
            let r = try run(["run", "s.yaml", "--shard=\(bad)"], cwd: dir)
            XCTAssertEqual(r.status, 2, bad)
            XCTAssertTrue(r.err.contains("--shard takes K/N"), r.err)
        }
        // More shards than runs: the empty ones succeed and write nothing.
        let empty = try run(["run", "s.yaml", "--results", "r", "--shard", "9/10", "--quiet"], cwd: dir)
        XCTAssertEqual(empty.status, 0, empty.err)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("r/shards").path))
    }
}
