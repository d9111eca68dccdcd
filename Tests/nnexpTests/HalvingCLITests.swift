import Foundation
import XCTest

/// `sweep.halving` through the command line: rung membership follows from the recorded metrics,
/// every run's folder is that of a straight run to the epochs it reached, and an interruption
/// changes nothing.
final class HalvingCLITests: XCTestCase {
    /// 9 trials; rungs of 2, 6, 18 and 20 epochs (9, 3, 1, 1 runs).
    let spec = """
        experiment: moons-halving
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
        """

    /// The same runs without halving, trained straight to `epochs`.
    func straight(_ epochs: Int) -> String {
        spec.replacingOccurrences(of: "  halving: {metric: validation_accuracy, min_epochs: 2, factor: 3}\n", with: "")
            .replacingOccurrences(of: "  halving: {metric: validation_accuracy, min_epochs: 2, factor: 3}", with: "")
            .replacingOccurrences(of: "epochs: 20,", with: "epochs: \(epochs),")
    }

    struct Row: Equatable {
        var run: String
        var rung: Int
        var epochs: Int
        var metric: String
        var promoted: Bool
    }

    func rungs(_ dir: URL) throws -> [Row] {
        let text = try String(contentsOf: dir.appendingPathComponent("rungs.csv"), encoding: .utf8)
        let lines = text.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.first, "trial,rung,epochs,metric,promoted")
        return lines.dropFirst().map { l in
            let f = l.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            return Row(run: f[0], rung: Int(f[1])!, epochs: Int(f[2])!, metric: f[3], promoted: f[4] == "true")
        }
    }

    func metric(_ runDir: URL, _ name: String) throws -> String? {
        let text = try String(contentsOf: runDir.appendingPathComponent("metrics.csv"), encoding: .utf8)
        return text.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false) }
            .first { $0.first.map(String.init) == name }.map { String($0[1]) }
    }

    func testRungMembershipFollowsTheRecordedMetricsAndFoldersAreStraightRuns() throws {
        let dir = try tempDir()
        try write(spec, to: "h.yaml", in: dir)
        let r = try run(["run", "h.yaml", "--jobs", "2", "--results", "res"], cwd: dir)
        XCTAssertEqual(r.status, 0, r.err)
        let exp = dir.appendingPathComponent("res/moons-halving")
        let rows = try rungs(exp)
        // Every promoted run continued from the checkpoint its rung left, not from the start.
        for row in rows where row.promoted {
            XCTAssertTrue(
                r.err.contains("moons-halving/\(row.run): resuming from epoch \(row.epochs)\n"),
                "\(row.run) rung \(row.rung): \(r.err)")
        }
        XCTAssertEqual(
            r.err.components(separatedBy: ": resuming from epoch").count - 1, rows.filter(\.promoted).count, r.err)

        // Rung r holds the runs promoted from rung r − 1, trained to min(2·3^r, 20) epochs; the
        // promoted are the best ⌈n/3⌉ by validation accuracy, ties to the lower trial, computed here.
        let expectedEpochs = [2, 6, 18, 20]
        var members = (0..<9).map { "trial=\($0)" }
        for rung in 0..<4 {
            let here = rows.filter { $0.rung == rung }
            XCTAssertEqual(here.map(\.run), members, "rung \(rung)")
            XCTAssertTrue(here.allSatisfy { $0.epochs == expectedEpochs[rung] }, "rung \(rung)")
            let ranked = here.enumerated().sorted { a, b in
                let x = Double(a.element.metric)!
                let y = Double(b.element.metric)!
                return x != y ? x > y : a.offset < b.offset
            }
            let keep = rung == 3 ? [] : Set(ranked.prefix((here.count + 2) / 3).map(\.element.run))
            XCTAssertEqual(Set(here.filter(\.promoted).map(\.run)), keep, "rung \(rung)")
            members = here.map(\.run).filter { keep.contains($0) }
        }
        XCTAssertEqual(rows.count, 9 + 3 + 1 + 1)

        // Each run's folder is the straight run to the epochs of the last rung it reached, byte for
        // byte, and each rung's recorded metric is that straight run's.
        var straightFiles: [Int: [String: Data]] = [:]
        for e in expectedEpochs {
            try write(straight(e), to: "s\(e).yaml", in: dir)
            let s = try run(
                ["run", "s\(e).yaml", "--jobs", "2", "--results", "s\(e)", "--quiet", "--no-report"], cwd: dir)
            XCTAssertEqual(s.status, 0, s.err)
            straightFiles[e] = try files(under: dir.appendingPathComponent("s\(e)/moons-halving"))
        }
        for row in rows {
            let m = try metric(
                dir.appendingPathComponent("s\(row.epochs)/moons-halving/\(row.run)"), "validation_accuracy")
            XCTAssertEqual(m, row.metric, "\(row.run) rung \(row.rung)")
        }
        let halved = try files(under: exp)
        for t in 0..<9 {
            let run = "trial=\(t)"
            let last = try XCTUnwrap(rows.last { $0.run == run })
            let mine = halved.filter { $0.key.hasPrefix(run + "/") }
            let theirs = straightFiles[last.epochs]!.filter { $0.key.hasPrefix(run + "/") }
            XCTAssertFalse(mine.isEmpty)
            XCTAssertEqual(Set(mine.keys), Set(theirs.keys), run)
            for (name, bytes) in mine { XCTAssertEqual(bytes, theirs[name], "\(name) (reached \(last.epochs) epochs)") }
        }
        // The promoted runs continued from checkpoints, none of which is left over.
        let hidden = try FileManager.default.contentsOfDirectory(atPath: exp.path)
        XCTAssertFalse(hidden.contains { $0.hasPrefix(".checkpoint-") }, "\(hidden)")
        let summary = try String(contentsOf: exp.appendingPathComponent("summary.csv"), encoding: .utf8)
        XCTAssertFalse(summary.contains("not-run"), summary)

        // A second run trains nothing and leaves the same files; --jobs 1 gives the same files.
        let again = try run(["run", "h.yaml", "--results", "res", "--quiet"], cwd: dir)
        XCTAssertEqual(again.status, 0, again.err)
        XCTAssertEqual(try files(under: exp), halved)
        let one = try run(["run", "h.yaml", "--jobs", "1", "--results", "one", "--quiet"], cwd: dir)
        XCTAssertEqual(one.status, 0, one.err)
        XCTAssertEqual(try files(under: dir.appendingPathComponent("one/moons-halving")), halved)
    }

    func testInterruptedThenResumedHalvingGivesTheUninterruptedFiles() throws {
        let dir = try tempDir()
        // Slow enough (debug build) to interrupt mid-way: 6 trials of 3, 9, 27, 60 epochs.
        let slow = """
            experiment: xor-halving
            dataset: {name: xor, repeats: 250, split: {validation: 0.2}}
            model: {layers: [2, 16, 1], activation: tanh, output: sigmoid, loss: logistic}
            optimizer: {type: sgd, learning_rate: 0.05, momentum: 0.5}
            training: {epochs: 60, minibatches: 10, shuffle: true}
            sweep:
              random:
                trials: 6
                seed: 3
                params:
                  optimizer.learning_rate: {loguniform: [0.005, 0.1]}
                  optimizer.momentum: {uniform: [0.5, 0.9], step: 0.1}
              halving: {metric: train_cost, min_epochs: 3, factor: 3}
            """
        try write(slow, to: "s.yaml", in: dir)
        let reference = try run(["run", "s.yaml", "--jobs", "2", "--results", "ref", "--quiet"], cwd: dir)
        XCTAssertEqual(reference.status, 0, reference.err)

        let (p, _, errURL) = try start(["run", "s.yaml", "--jobs", "2", "--results", "res"], cwd: dir)
        let records = dir.appendingPathComponent("res/xor-halving/.rungs")
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            if ((try? FileManager.default.contentsOfDirectory(atPath: records.path)) ?? []).count >= 2 { break }
            Thread.sleep(forTimeInterval: 0.01)
        }
        p.terminate()
        p.waitUntilExit()
        let err = try String(contentsOf: errURL, encoding: .utf8)
        let done = ((try? FileManager.default.contentsOfDirectory(atPath: records.path)) ?? []).count
        XCTAssertEqual(p.terminationStatus, 1, err)
        XCTAssertLessThan(done, 6 + 2 + 1 + 1, "the halving was not interrupted")

        let resumed = try run(["run", "s.yaml", "--jobs", "2", "--results", "res"], cwd: dir)
        XCTAssertEqual(resumed.status, 0, resumed.err)
        let a = try files(under: dir.appendingPathComponent("ref"))
        let b = try files(under: dir.appendingPathComponent("res"))
        XCTAssertEqual(Set(a.keys), Set(b.keys))
        for (name, bytes) in a { XCTAssertEqual(bytes, b[name], name) }
        // The records too (they are committed with the results).
        let ra = try FileManager.default.contentsOfDirectory(
            atPath: dir.appendingPathComponent("ref/xor-halving/.rungs").path
        ).sorted()
        XCTAssertEqual(ra, try FileManager.default.contentsOfDirectory(atPath: records.path).sorted())
        XCTAssertEqual(ra.count, 6 + 2 + 1 + 1)
    }

    func testTwoProcessesOnOneFolderMeetAtEachRungAndWriteTheSameFiles() throws {
        let dir = try tempDir()
        try write(spec, to: "h.yaml", in: dir)
        let reference = try run(["run", "h.yaml", "--jobs", "1", "--results", "ref", "--quiet"], cwd: dir)
        XCTAssertEqual(reference.status, 0, reference.err)
        let a = try start(["run", "h.yaml", "--jobs", "1", "--results", "res", "--quiet"], cwd: dir)
        let b = try start(["run", "h.yaml", "--jobs", "1", "--results", "res", "--quiet"], cwd: dir)
        a.process.waitUntilExit()
        b.process.waitUntilExit()
        // A process exits 1 when another trained some of its runs of the last rung; the files are whole.
        for p in [a, b] {
            let err = try String(contentsOf: p.err, encoding: .utf8)
            XCTAssertTrue([0, 1].contains(p.process.terminationStatus), err)
            XCTAssertFalse(err.contains("stopped"), err)
        }
        let last = try run(["run", "h.yaml", "--results", "res", "--quiet"], cwd: dir)
        XCTAssertEqual(last.status, 0, last.err)
        let x = try files(under: dir.appendingPathComponent("ref"))
        let y = try files(under: dir.appendingPathComponent("res"))
        XCTAssertEqual(Set(x.keys), Set(y.keys))
        for (name, bytes) in x { XCTAssertEqual(bytes, y[name], name) }
    }

    func testOnlyIsRefusedAndDryRunListsTheRungs() throws {
        let dir = try tempDir()
        try write(spec, to: "h.yaml", in: dir)
        let only = try run(["run", "h.yaml", "--only", "trial=1", "--results", "res"], cwd: dir)
        XCTAssertEqual(only.status, 2)
        XCTAssertTrue(only.err.contains("--only cannot pick runs of moons-halving"), only.err)
        // --force would let each shard erase the rung records the others share: refused before anything runs.
        let force = try run(["run", "h.yaml", "--shard", "0/2", "--force", "--results", "res"], cwd: dir)
        XCTAssertEqual(force.status, 2)
        XCTAssertTrue(force.err.contains("--force with --shard cannot retrain moons-halving"), force.err)
        let rungAlone = try run(["run", "h.yaml", "--halving-rung", "1", "--results", "res"], cwd: dir)
        XCTAssertEqual(rungAlone.status, 2)
        XCTAssertTrue(rungAlone.err.contains("--halving-rung needs --shard K/N"), rungAlone.err)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("res/moons-halving").path))
        let dry = try run(["run", "h.yaml", "--dry-run", "--results", "res"], cwd: dir)
        XCTAssertEqual(dry.status, 0, dry.err)
        XCTAssertTrue(dry.out.contains("halving moons-halving: 9 runs in 4 rungs of 2, 6, 18, 20 epochs"), dry.out)
        let shardDry = try run(["run", "h.yaml", "--dry-run", "--shard", "1/2", "--results", "res"], cwd: dir)
        XCTAssertEqual(shardDry.status, 0, shardDry.err)
        XCTAssertTrue(
            shardDry.out.contains("(shard 1/2: its share of each rung, fixed by the rung's runs)"), shardDry.out)
    }

    /// The rung records (`.rungs/`), which `files(under:)` leaves out with every hidden folder.
    func records(_ results: URL) throws -> [String: Data] {
        let dir = results.appendingPathComponent("moons-halving/.rungs")
        var out: [String: Data] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: dir.path) {
            out[name] = try Data(contentsOf: dir.appendingPathComponent(name))
        }
        return out
    }

    func assertSameResults(_ a: URL, _ b: URL, file: StaticString = #filePath, line: UInt = #line) throws {
        let x = try files(under: a)
        let y = try files(under: b)
        XCTAssertEqual(Set(x.keys), Set(y.keys), file: file, line: line)
        XCTAssertGreaterThan(x.count, 9 * 4, file: file, line: line)
        for (name, bytes) in x where bytes != y[name] { XCTFail("\(name) differs", file: file, line: line) }
        XCTAssertEqual(try records(a), try records(b), "the rung records", file: file, line: line)
    }

    /// Runs trained (not kept) according to a process's stderr.
    func trained(_ err: String) -> [String] {
        err.split(separator: "\n").filter { $0.contains(": completed, final cost ") }.compactMap { l in
            l.split(separator: " ").first { $0.hasPrefix("moons-halving/") }.map {
                String($0.dropFirst("moons-halving/".count).dropLast())
            }
        }
    }

    func testTwoShardsInParallelOnOneFolderWriteTheUnshardedFilesAndAWaitingShardResumes() throws {
        let dir = try tempDir()
        try write(spec, to: "h.yaml", in: dir)
        let reference = try run(["run", "h.yaml", "--jobs", "1", "--results", "ref", "--quiet"], cwd: dir)
        XCTAssertEqual(reference.status, 0, reference.err)

        // Shard 0 alone trains its share of rung 0, then waits at the barrier saying for whom.
        let (p, _, errURL) = try start(["run", "h.yaml", "--jobs", "1", "--results", "res", "--shard", "0/2"], cwd: dir)
        var err = ""
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline, !err.contains("waits for shard 1/2") {
            Thread.sleep(forTimeInterval: 0.05)
            err = (try? String(contentsOf: errURL, encoding: .utf8)) ?? ""
        }
        let message = try XCTUnwrap(
            err.range(
                of: #"halving moons-halving rung 0: shard 0/2 waits for shard 1/2 \(([^)]*)\) to record their metrics"#,
                options: .regularExpression
            ).map { String(err[$0]) }, err)
        let waitedFor = Set(message.split(separator: "(")[1].split(separator: ")")[0].components(separatedBy: ", "))
        XCTAssertTrue(
            err.contains(
                "to record their metrics in res/moons-halving/.rungs/ (every shard must write this one folder"), err)
        // Still waiting a second later (it polls; it does not give up or decide from half a rung).
        Thread.sleep(forTimeInterval: 1.5)
        XCTAssertTrue(p.isRunning)
        p.terminate()
        p.waitUntilExit()
        err = try String(contentsOf: errURL, encoding: .utf8)
        XCTAssertEqual(p.terminationStatus, 1, err)
        XCTAssertTrue(err.contains("run the same command again to resume"), err)
        // Shard 0 recorded its share of rung 0, exactly the trials it did not wait for.
        let all = Set((0..<9).map { "trial=\($0)" })
        XCTAssertFalse(waitedFor.isEmpty)
        XCTAssertTrue(waitedFor.isSubset(of: all), "\(waitedFor)")
        XCTAssertEqual(
            Set(try records(dir.appendingPathComponent("res")).keys), Set(all.subtracting(waitedFor).map { "0.\($0)" }))
        XCTAssertEqual(Set(trained(err)), all.subtracting(waitedFor))

        // Both shards in parallel: shard 0 resumes (its rung-0 share kept), they meet at every rung.
        let a = try start(["run", "h.yaml", "--jobs", "1", "--results", "res", "--shard", "0/2"], cwd: dir)
        let b = try start(["run", "h.yaml", "--jobs", "1", "--results", "res", "--shard", "1/2"], cwd: dir)
        a.process.waitUntilExit()
        b.process.waitUntilExit()
        let errA = try String(contentsOf: a.err, encoding: .utf8)
        let errB = try String(contentsOf: b.err, encoding: .utf8)
        XCTAssertEqual(a.process.terminationStatus, 0, errA)
        XCTAssertEqual(b.process.terminationStatus, 0, errB)
        // 9 + 3 + 1 + 1 trainings in all, each in exactly one process.
        let trainings = trained(err) + trained(errA) + trained(errB)
        XCTAssertEqual(trainings.count, 14, "\(trainings)")
        XCTAssertEqual(Set(trained(errA)).intersection(trained(errB)).intersection(Set(trained(err))), [])
        XCTAssertTrue(Set(trained(errB)).isSuperset(of: waitedFor), errB)
        // Shards write no report; the merge does, and then the files are those of the unsharded run.
        let merge = try run(["merge", "h.yaml", "--results", "res", "--quiet"], cwd: dir)
        XCTAssertEqual(merge.status, 0, merge.err)
        try assertSameResults(dir.appendingPathComponent("ref"), dir.appendingPathComponent("res"))
    }

    /// What `nnexp slurm` submits, without Slurm: each rung's shards one after the other with
    /// `--halving-rung`, each training its share and returning without waiting for the others.
    func testOneRungPerInvocationAsSlurmRunsItWritesTheUnshardedFiles() throws {
        let dir = try tempDir()
        try write(spec, to: "h.yaml", in: dir)
        let reference = try run(["run", "h.yaml", "--jobs", "1", "--results", "ref", "--quiet"], cwd: dir)
        XCTAssertEqual(reference.status, 0, reference.err)
        // Rung 1 before rung 0 is decided: nothing to train from, said plainly, exit 1.
        let early = try run(["run", "h.yaml", "--results", "res", "--shard", "0/2", "--halving-rung", "1"], cwd: dir)
        XCTAssertEqual(early.status, 1, early.err)
        XCTAssertTrue(
            early.err.contains(
                "halving moons-halving stopped: rung 0 is not decided: trial=0, trial=1, trial=2, trial=3, trial=4 and 4 more have no record in .rungs/"
            ), early.err)
        // The task counts nnexp slurm --tasks 2 gives the rungs of 9, 3, 1, 1 runs.
        var total = 0
        for (rung, tasks) in [(0, 2), (1, 2), (2, 1), (3, 1)] {
            var share: [Set<String>] = []
            for k in 0..<tasks {
                let r = try run(
                    [
                        "run", "h.yaml", "--jobs", "1", "--results", "res", "--shard", "\(k)/\(tasks)",
                        "--halving-rung", "\(rung)"
                    ], cwd: dir)
                XCTAssertEqual(r.status, 0, r.err)
                XCTAssertFalse(r.err.contains("waits for"), r.err)
                share.append(Set(trained(r.err)))
                total += trained(r.err).count
            }
            if tasks == 2 { XCTAssertEqual(share[0].intersection(share[1]), [], "rung \(rung)") }
            // The rung's records are all there once its tasks have run.
            let recorded = try records(dir.appendingPathComponent("res")).keys.filter { $0.hasPrefix("\(rung).") }
            XCTAssertEqual(recorded.count, [9, 3, 1, 1][rung], "rung \(rung)")
        }
        XCTAssertEqual(total, 14)
        let merge = try run(["merge", "h.yaml", "--results", "res", "--quiet"], cwd: dir)
        XCTAssertEqual(merge.status, 0, merge.err)
        try assertSameResults(dir.appendingPathComponent("ref"), dir.appendingPathComponent("res"))
    }
}
