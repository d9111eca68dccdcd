import Foundation
import XCTest

/// `nnexp slurm --script-only` and its mistakes: needs no Slurm (the scripts are written and printed,
/// nothing submitted), so it runs everywhere.
final class SlurmScriptTests: XCTestCase {
    let spec = """
        experiment: sweep
        dataset: {name: xor}
        model: {hidden: [3]}
        optimizer: {type: sgd, learning_rate: 0.1}
        training: {epochs: 5}
        sweep:
          seed: [1, 2, 3, 4, 5]
        """

    /// The scripts as written into RESULTS/.slurm/<id>/ (also what was printed).
    func scripts(_ results: URL) throws -> (array: String, merge: String, folder: URL) {
        let slurm = results.appendingPathComponent(".slurm")
        let ids = try FileManager.default.contentsOfDirectory(atPath: slurm.path)
        XCTAssertEqual(ids.count, 1)
        let folder = slurm.appendingPathComponent(ids[0])
        return (
            try String(contentsOf: folder.appendingPathComponent("array.sbatch"), encoding: .utf8),
            try String(contentsOf: folder.appendingPathComponent("merge.sbatch"), encoding: .utf8), folder
        )
    }

    func testEveryOptionReachesTheScripts() throws {
        let dir = try tempDir()
        try write(spec, to: "s.yaml", in: dir)
        let r = try run(
            [
                "slurm", "s.yaml", "--tasks", "2", "--max-parallel", "1", "--results", "out dir", "--partition", "cpu",
                "--time", "1:30:00", "--cpus-per-task", "4", "--mem", "8G", "--account", "lab", "--qos", "low",
                "--sbatch-arg=--constraint=avx2", "--sbatch-arg", "--exclude=node[3-4]", "--script-only"
            ], cwd: dir)
        XCTAssertEqual(r.status, 0, r.err)
        let (array, merge, folder) = try scripts(dir.appendingPathComponent("out dir"))
        XCTAssertTrue(r.out.contains(array) && r.out.contains(merge), "printed as written")
        XCTAssertTrue(r.out.contains("5 runs in 2 tasks (2.5 per task)"), r.out)
        let root = dir.standardizedFileURL.resolvingSymlinksInPath().path
        let f = folder.standardizedFileURL.resolvingSymlinksInPath().path
        let directives = array.split(separator: "\n").filter { $0.hasPrefix("#SBATCH ") }.map {
            String($0.dropFirst(8))
        }
        XCTAssertEqual(
            directives,
            [
                "--job-name=nnexp-sweep", "--array=0-1%1", "\"--output=\(f)/task-%A_%a.log\"", "--open-mode=append",
                "--signal=B:USR1@120", "--requeue", "--cpus-per-task=4", "--partition=cpu", "--account=lab",
                "--qos=low",
                "--time=1:30:00", "--mem=8G", "--constraint=avx2", "--exclude=node[3-4]"
            ])
        // The body: absolute paths, quoted for the shell; shard from the task id; jobs from the CPUs.
        XCTAssertTrue(
            array.contains(
                """
                exec \(binary.path) run \(root)/s.yaml --results '\(root)/out dir' --shard "$SLURM_ARRAY_TASK_ID/2" --jobs "${SLURM_CPUS_PER_TASK:-1}" --yes --requeue-on-usr1
                """), array)
        let mergeDirectives = merge.split(separator: "\n").filter { $0.hasPrefix("#SBATCH ") }.map {
            String($0.dropFirst(8))
        }
        XCTAssertEqual(
            mergeDirectives,
            [
                "--job-name=nnexp-sweep-merge", "\"--output=\(f)/merge-%j.log\"", "--open-mode=append",
                "--cpus-per-task=1", "--partition=cpu", "--account=lab", "--qos=low", "--mem=8G"
            ])
        XCTAssertTrue(
            merge.contains("\(binary.path) merge \(root)/s.yaml --results '\(root)/out dir'\nstatus=$?\n"), merge)
        XCTAssertTrue(merge.contains("mv -f '\(f)/.merge.status' '\(f)/merge.status'\nexit \"$status\""), merge)
        // Nothing submitted: no job ids, no summary.
        XCTAssertEqual(
            try String(contentsOf: folder.appendingPathComponent("jobs.txt"), encoding: .utf8), "tasks=2\nruns=5\n")
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("out dir/sweep").path))
    }

    /// `--set` and `--sweep` change the runs (and so the task count) and reach both jobs (sets first, as `Overrides` applies them).
    func testOverridesReachBothScripts() throws {
        let dir = try tempDir()
        try write(spec, to: "s.yaml", in: dir)
        let r = try run(
            [
                "slurm", "s.yaml", "--sweep", "training.epochs=5,6", "--set", "optimizer.learning_rate=0.2",
                "--results", "out", "--script-only"
            ], cwd: dir)
        XCTAssertEqual(r.status, 0, r.err)
        XCTAssertTrue(r.out.contains("10 runs in 10 tasks"), r.out)
        let (array, merge, _) = try scripts(dir.appendingPathComponent("out"))
        let root = dir.standardizedFileURL.resolvingSymlinksInPath().path
        XCTAssertTrue(
            array.contains(
                "run \(root)/s.yaml --set optimizer.learning_rate=0.2 --sweep training.epochs=5,6 --results \(root)/out --shard "
            ), array)
        XCTAssertTrue(
            merge.contains(
                "merge \(root)/s.yaml --set optimizer.learning_rate=0.2 --sweep training.epochs=5,6 --results \(root)/out\n"
            ), merge)
        let bad = try run(
            ["slurm", "s.yaml", "--set", "optimizer.learning_rat=0.2", "--results", "out2", "--script-only"], cwd: dir)
        XCTAssertEqual(bad.status, 2, bad.err)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("out2").path))
    }

    func testTaskCountsFromTheOptions() throws {
        let dir = try tempDir()
        try write(spec, to: "s.yaml", in: dir)
        for (i, (args, line, note)) in [
            ([String](), "--array=0-4", nil), (["--runs-per-task", "2"], "--array=0-2", nil),
            (["--tasks", "9"], "--array=0-4", "9 tasks asked, but the sweep has only 5 runs: 5 tasks")
        ].enumerated() {
            let results = dir.appendingPathComponent("r\(i)")
            let r = try run(
                ["slurm", "s.yaml", "--results", results.lastPathComponent, "--script-only"] + args, cwd: dir)
            XCTAssertEqual(r.status, 0, r.err)
            // The whole line: no `%P` throttle without --max-parallel.
            XCTAssertTrue(try scripts(results).array.contains("#SBATCH \(line)\n"), "\(args)")
            if let note { XCTAssertTrue(r.err.contains(note), r.err) }
        }
    }

    func testMistakesSubmitNothing() throws {
        let dir = try tempDir()
        try write(spec, to: "s.yaml", in: dir)
        try write(spec.replacingOccurrences(of: "epochs: 5", with: "epochz: 5"), to: "bad.yaml", in: dir)
        let bad = try run(["slurm", "bad.yaml", "--results", "r", "--script-only"], cwd: dir)
        XCTAssertEqual(bad.status, 2)
        XCTAssertTrue(bad.err.contains("bad.yaml:5:"), bad.err)
        XCTAssertTrue(bad.err.contains("did you mean"), bad.err)
        for (args, message) in [
            (["--tasks", "2", "--runs-per-task", "2"], "--tasks and --runs-per-task cannot be used together"),
            (["--tasks", "0"], "--tasks must be at least 1"),
            (["--cpus-per-task", "0"], "--cpus-per-task must be at least 1"),
            (["--script-only", "--wait"], "nothing to --wait for"),
            (["--sbatch-arg", "constraint=x"], "--sbatch-arg takes an sbatch option"),
            (["--partition", "a\"b"], "a double quote or a line break")
        ] {
            let r = try run(["slurm", "s.yaml", "--results", "r"] + args, cwd: dir)
            XCTAssertEqual(r.status, 2, "\(args)")
            XCTAssertTrue(r.err.contains(message), r.err)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("r").path))
    }

    /// Successive halving: one array script per rung, task K of rung R's array running
    /// `--halving-rung R --shard K/T` with T the rung's task count (at most the runs it can hold).
    func testHalvingGetsOneArrayScriptPerRung() throws {
        let dir = try tempDir()
        try write(
            """
            experiment: halved
            dataset: {name: xor, repeats: 5}
            model: {hidden: [3]}
            optimizer: {type: sgd, learning_rate: 0.1}
            training: {epochs: 12}
            sweep:
              seed: [1, 2, 3, 4, 5, 6, 7, 8]
              halving: {metric: train_cost, min_epochs: 1, factor: 2}
            """, to: "h.yaml", in: dir)
        let r = try run(["slurm", "h.yaml", "--tasks", "3", "--results", "out", "--script-only"], cwd: dir)
        XCTAssertEqual(r.status, 0, r.err)
        // Rungs of 1, 2, 4, 8 and 12 epochs hold 8, 4, 2, 1 and 1 runs: arrays of 3, 3, 2, 1, 1 tasks.
        let (array, _, folder) = try scripts(dir.appendingPathComponent("out"))
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".sbatch") }
            .sorted()
        XCTAssertEqual(
            names, ["array.sbatch", "merge.sbatch", "rung-1.sbatch", "rung-2.sbatch", "rung-3.sbatch", "rung-4.sbatch"])
        let root = dir.standardizedFileURL.resolvingSymlinksInPath().path
        XCTAssertTrue(array.contains("--array=0-2\n"), array)
        XCTAssertTrue(
            array.contains(
                "run \(root)/h.yaml --results \(root)/out --halving-rung 0 --shard \"$SLURM_ARRAY_TASK_ID/3\""), array)
        for (rung, tasks) in [(1, 3), (2, 2), (3, 1), (4, 1)] {
            let text = try String(contentsOf: folder.appendingPathComponent("rung-\(rung).sbatch"), encoding: .utf8)
            XCTAssertTrue(text.contains("#SBATCH --job-name=nnexp-halved-rung\(rung)\n"), text)
            XCTAssertTrue(text.contains("#SBATCH --array=0-\(tasks - 1)\n"), text)
            XCTAssertTrue(
                text.contains("--halving-rung \(rung) --shard \"$SLURM_ARRAY_TASK_ID/\(tasks)\" --jobs"), text)
            XCTAssertTrue(
                text.contains(
                    "sbatch --array=K \(folder.standardizedFileURL.resolvingSymlinksInPath().path)/rung-\(rung).sbatch"),
                text)
            XCTAssertTrue(
                r.out.contains(
                    "rung-\(rung).sbatch: halving rung \(rung) in \(tasks) task\(tasks == 1 ? "" : "s"); submit with sbatch --dependency=afterany:<the previous rung's array job id>"
                ), r.out)
        }
        XCTAssertTrue(
            r.out.contains("merge.sbatch: submit with sbatch --dependency=afterany:<the last rung's array job id>"),
            r.out)
    }
}
