import Foundation
import XCTest

/// The scheduler through the command line: determinism across --jobs, interruption and resume,
/// failure isolation, selection and refusal of huge grids.
final class SchedulerCLITests: XCTestCase {
    /// Six runs of about a second each in a debug build: slow enough to interrupt mid-sweep.
    let slowSweep = """
        experiment: slow
        dataset: {name: xor, repeats: 250}
        model: {layers: [2, 16, 1], activation: tanh, output: sigmoid, loss: logistic}
        optimizer: {type: sgd, learning_rate: 0.05, momentum: 0.5}
        training: {epochs: 300, minibatches: 10, shuffle: true}
        outputs: {cost: minibatch}
        sweep:
          seed: [1, 2, 3]
          regularization.l2: [0.0, 0.001]
        """

    let quickSweep = """
        experiment: quick
        dataset: {name: xor, repeats: 20}
        model: {hidden: [4], activation: tanh, output: sigmoid, loss: logistic}
        optimizer: {type: sgd, learning_rate: 0.1}
        training: {epochs: 40, batch_size: 8, shuffle: true, precision: float32}
        outputs: {cost: minibatch}
        sweep:
          model.activation: [tanh, relu]
          zip: {seed: [1, 2], optimizer.learning_rate: [0.1, 0.2]}
          variants:
            - {optimizer.type: adam, optimizer.learning_rate: 0.01}
        """

    func testJobsOneAndTwoWriteIdenticalBytes() throws {
        let dir = try tempDir()
        try write(quickSweep, to: "q.yaml", in: dir)
        let one = try run(["run", "q.yaml", "--jobs", "1", "--results", "r1"], cwd: dir)
        let two = try run(["run", "q.yaml", "--jobs", "2", "--results", "r2"], cwd: dir)
        XCTAssertEqual(one.status, 0, one.err)
        XCTAssertEqual(two.status, 0, two.err)
        let a = try files(under: dir.appendingPathComponent("r1"))
        let b = try files(under: dir.appendingPathComponent("r2"))
        // Per run: config, cost, cost-minibatch, confusion-train, metrics, weights, decision-boundary, points, manifest.
        XCTAssertEqual(
            a.keys.filter { $0.split(separator: "/").count == 3 && !$0.hasPrefix("quick/charts/") }.count, 5 * 9)
        XCTAssertNotNil(a["quick/summary.csv"])
        XCTAssertNotNil(a["quick/report.html"])
        XCTAssertNotNil(a["quick/spec.yaml"])
        XCTAssertEqual(Set(a.keys), Set(b.keys))
        for (name, bytes) in a { XCTAssertEqual(bytes, b[name], name) }
        // The runs really differ from each other (the comparison is not between empty or equal files).
        XCTAssertNotEqual(
            a["quick/activation=tanh,seed=1,learning_rate=0.1/cost.csv"],
            a["quick/activation=relu,seed=1,learning_rate=0.1/cost.csv"])
    }

    func testSIGTERMMidSweepThenResumeGivesTheUninterruptedFiles() throws {
        let dir = try tempDir()
        try write(slowSweep, to: "s.yaml", in: dir)
        let reference = try run(["run", "s.yaml", "--jobs", "1", "--results", "ref", "--quiet"], cwd: dir)
        XCTAssertEqual(reference.status, 0, reference.err)

        let (p, _, errURL) = try start(["run", "s.yaml", "--jobs", "2", "--results", "res"], cwd: dir)
        let expDir = dir.appendingPathComponent("res/slow")
        let deadline = Date().addingTimeInterval(60)
        // Wait until the first run has landed, then interrupt while others are still training.
        while Date() < deadline {
            let done = ((try? FileManager.default.contentsOfDirectory(atPath: expDir.path)) ?? []).filter {
                !$0.hasPrefix(".")
            }
            if !done.isEmpty { break }
            Thread.sleep(forTimeInterval: 0.05)
        }
        p.terminate()  // SIGTERM
        p.waitUntilExit()
        let err = try String(contentsOf: errURL, encoding: .utf8)
        XCTAssertEqual(p.terminationStatus, 1, err)
        XCTAssertTrue(err.contains("interrupted"), err)
        let entries = try FileManager.default.contentsOfDirectory(atPath: expDir.path)
        XCTAssertFalse(entries.contains { $0.hasPrefix(".tmp-") }, "\(entries)")
        let experimentFiles: Set = ["summary.csv", "cells.csv", "report.html", "spec.yaml", "charts"]
        let finished = entries.filter { !experimentFiles.contains($0) && !$0.hasPrefix(".") }
        XCTAssertGreaterThan(finished.count, 0)
        XCTAssertLessThan(finished.count, 6, "the sweep was not interrupted")
        for run in finished {  // every run folder present is complete
            for f in ["config.yaml", "cost.csv", "cost-minibatch.csv", "metrics.csv", "manifest.csv"] {
                XCTAssertTrue(
                    FileManager.default.fileExists(atPath: expDir.appendingPathComponent("\(run)/\(f)").path),
                    "\(run)/\(f)")
            }
        }
        let summary = try String(contentsOf: expDir.appendingPathComponent("summary.csv"), encoding: .utf8)
        XCTAssertTrue(summary.contains(",not-run,"), summary)

        let resumed = try run(["run", "s.yaml", "--jobs", "2", "--results", "res"], cwd: dir)
        XCTAssertEqual(resumed.status, 0, resumed.err)
        XCTAssertTrue(resumed.err.contains("keeping \(finished.count) run"), resumed.err)
        let a = try files(under: dir.appendingPathComponent("ref"))
        let b = try files(under: dir.appendingPathComponent("res"))
        XCTAssertEqual(Set(a.keys), Set(b.keys))
        for (name, bytes) in a { XCTAssertEqual(bytes, b[name], name) }
    }

    /// Slurm's time-limit warning (`--signal=B:USR1@120`) stops a sweep like SIGTERM: finished runs
    /// stay, nothing half-written, status 1; without a handler SIGUSR1 would kill the process silently.
    func testSIGUSR1StopsCleanlyLikeSIGTERM() throws {
        let dir = try tempDir()
        try write(slowSweep, to: "s.yaml", in: dir)
        let (p, _, errURL) = try start(["run", "s.yaml", "--jobs", "2", "--results", "res"], cwd: dir)
        let expDir = dir.appendingPathComponent("res/slow")
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline,
            (((try? FileManager.default.contentsOfDirectory(atPath: expDir.path)) ?? []).filter { !$0.hasPrefix(".") })
                .isEmpty
        {
            Thread.sleep(forTimeInterval: 0.05)
        }
        kill(p.processIdentifier, SIGUSR1)
        p.waitUntilExit()
        let err = try String(contentsOf: errURL, encoding: .utf8)
        XCTAssertEqual(p.terminationReason, .exit, err)
        XCTAssertEqual(p.terminationStatus, 1, err)
        XCTAssertTrue(err.contains("interrupted by SIGUSR1"), err)
        let entries = try FileManager.default.contentsOfDirectory(atPath: expDir.path)
        XCTAssertFalse(entries.contains { $0.hasPrefix(".tmp-") }, "\(entries)")
        XCTAssertLessThan(entries.filter { $0.contains("seed=") }.count, 6, "the sweep was not interrupted")
    }

    func testDivergingRunIsRecordedWhileSiblingsFinish() throws {
        let dir = try tempDir()
        try write(
            """
            experiment: div
            dataset: {name: xor}
            model: {layers: [2, 4, 1], activation: tanh, output: linear, loss: sse}
            optimizer: {type: sgd, learning_rate: 0.1}
            training: {epochs: 200}
            seed: 1
            sweep:
              optimizer.learning_rate: [0.1, 1000.0, 0.2]
            """, to: "d.yaml", in: dir)
        let r = try run(["run", "d.yaml", "--jobs", "2"], cwd: dir)
        XCTAssertEqual(r.status, 1, r.err)
        let summary = try String(contentsOf: dir.appendingPathComponent("results/div/summary.csv"), encoding: .utf8)
        XCTAssertEqual(
            summary.split(separator: "\n").map {
                $0.split(separator: ",", omittingEmptySubsequences: false).prefix(4).joined(separator: ",")
            },
            [
                "run,optimizer.learning_rate,status,epochs",
                "learning_rate=0.1,0.1,completed,200",
                "learning_rate=1000.0,1000.0,diverged,37",
                "learning_rate=0.2,0.2,completed,200"
            ])
        let metrics = try String(
            contentsOf: dir.appendingPathComponent("results/div/learning_rate=1000.0/metrics.csv"), encoding: .utf8)
        XCTAssertTrue(metrics.hasPrefix("metric,value\nstatus,diverged\ndiverged_epoch,37\n"), metrics)
        XCTAssertTrue(r.err.contains("div/learning_rate=1000.0: diverged at epoch 37"), r.err)
        // Diverged runs are kept on a rerun (the outcome is deterministic); the status stays 1.
        let again = try run(["run", "d.yaml"], cwd: dir)
        XCTAssertEqual(again.status, 1)
        XCTAssertTrue(again.err.contains("keeping 3 runs"), again.err)
    }

    func testRerunSkipsUnchangedAndRerunsChangedOrIncompleteRuns() throws {
        let dir = try tempDir()
        try write(quickSweep, to: "q.yaml", in: dir)
        XCTAssertEqual(try run(["run", "q.yaml", "--quiet"], cwd: dir).status, 0)
        let exp = dir.appendingPathComponent("results/quick")
        try FileManager.default.removeItem(
            at: exp.appendingPathComponent("activation=tanh,seed=1,learning_rate=0.1/metrics.csv"))
        let dry = try run(["run", "q.yaml", "--dry-run"], cwd: dir)
        XCTAssertEqual(dry.status, 0, dry.err)
        XCTAssertEqual(
            dry.out,
            """
            train  quick/activation=tanh,seed=1,learning_rate=0.1 (damaged: metrics.csv is missing)
            keep   quick/activation=tanh,seed=2,learning_rate=0.2 (completed, unchanged)
            keep   quick/activation=relu,seed=1,learning_rate=0.1 (completed, unchanged)
            keep   quick/activation=relu,seed=2,learning_rate=0.2 (completed, unchanged)
            keep   quick/learning_rate=0.01,type=adam (completed, unchanged)
            1 to train, 4 kept

            """)
        // Changing a value in the spec changes every run's resolved config.
        try write(quickSweep.replacingOccurrences(of: "epochs: 40", with: "epochs: 41"), to: "q.yaml", in: dir)
        let changed = try run(["run", "q.yaml", "--only", "activation=relu", "--only", "seed=2"], cwd: dir)
        XCTAssertEqual(changed.status, 0, changed.err)
        XCTAssertTrue(
            changed.err.contains("rerunning quick/activation=relu,seed=2,learning_rate=0.2: config changed"),
            changed.err)
        XCTAssertFalse(changed.err.contains("activation=tanh"), changed.err)
        let forced = try run(["run", "q.yaml", "--only", "type=adam", "--force", "--dry-run"], cwd: dir)
        XCTAssertTrue(forced.out.contains("train  quick/learning_rate=0.01,type=adam (config changed)"), forced.out)
    }

    /// A kept run must be whole: a truncated file, a deleted one or a changed byte means retrain,
    /// with the reason, and the retrained files are the originals again.
    func testDamagedRunsAreRetrainedWithTheReason() throws {
        let dir = try tempDir()
        try write(quickSweep, to: "q.yaml", in: dir)
        XCTAssertEqual(try run(["run", "q.yaml", "--quiet"], cwd: dir).status, 0)
        let exp = dir.appendingPathComponent("results/quick")
        let original = try files(under: dir.appendingPathComponent("results"))
        let cost = exp.appendingPathComponent("activation=tanh,seed=1,learning_rate=0.1/cost.csv")
        let bytes = try Data(contentsOf: cost)
        try bytes.prefix(bytes.count - 7).write(to: cost)
        try FileManager.default.removeItem(
            at: exp.appendingPathComponent("activation=relu,seed=1,learning_rate=0.1/weights.npz"))
        let points = exp.appendingPathComponent("activation=relu,seed=2,learning_rate=0.2/points.csv")
        var p = try Data(contentsOf: points)
        p[p.count - 2] = p[p.count - 2] == UInt8(ascii: "0") ? UInt8(ascii: "1") : UInt8(ascii: "0")
        try p.write(to: points)
        try FileManager.default.removeItem(at: exp.appendingPathComponent("learning_rate=0.01,type=adam/manifest.csv"))
        let dry = try run(["run", "q.yaml", "--dry-run"], cwd: dir)
        XCTAssertEqual(
            dry.out,
            """
            train  quick/activation=tanh,seed=1,learning_rate=0.1 (damaged: cost.csv has \(bytes.count - 7) bytes, the manifest says \(bytes.count))
            keep   quick/activation=tanh,seed=2,learning_rate=0.2 (completed, unchanged)
            train  quick/activation=relu,seed=1,learning_rate=0.1 (damaged: weights.npz is missing)
            train  quick/activation=relu,seed=2,learning_rate=0.2 (damaged: points.csv does not match its SHA-256 in the manifest)
            train  quick/learning_rate=0.01,type=adam (damaged: no manifest.csv (written last, so the run never finished writing, or an older nnexp wrote it))
            4 to train, 1 kept

            """)
        let again = try run(["run", "q.yaml", "--quiet"], cwd: dir)
        XCTAssertEqual(again.status, 0, again.err)
        let repaired = try files(under: dir.appendingPathComponent("results"))
        XCTAssertEqual(Set(original.keys), Set(repaired.keys))
        for (name, b) in original where b != repaired[name] { XCTFail("\(name) differs after the retrain") }
    }

    /// --only trains some runs; every experiment file still shows every run of the spec, and the
    /// pieces together give the files of one whole run.
    func testOnlyKeepsEveryRunInTheExperimentFiles() throws {
        let dir = try tempDir()
        try write(quickSweep, to: "q.yaml", in: dir)
        XCTAssertEqual(try run(["run", "q.yaml", "--quiet", "--results", "whole"], cwd: dir).status, 0)
        XCTAssertEqual(try run(["run", "q.yaml", "--quiet", "--only", "activation=relu"], cwd: dir).status, 0)
        let exp = dir.appendingPathComponent("results/quick")
        let summary = try String(contentsOf: exp.appendingPathComponent("summary.csv"), encoding: .utf8)
        let statuses = summary.split(separator: "\n").dropFirst().map { line -> String in
            let fields = CSVLine.split(String(line))
            return fields[0] + " " + fields[5]
        }
        XCTAssertEqual(
            statuses,
            [
                "activation=tanh,seed=1,learning_rate=0.1 not-run", "activation=tanh,seed=2,learning_rate=0.2 not-run",
                "activation=relu,seed=1,learning_rate=0.1 completed",
                "activation=relu,seed=2,learning_rate=0.2 completed",
                "learning_rate=0.01,type=adam not-run"
            ], summary)
        let html = try String(contentsOf: exp.appendingPathComponent("report.html"), encoding: .utf8)
        XCTAssertTrue(html.contains("learning_rate=0.01,type=adam") && html.contains(">not-run<"), html)
        // The other runs in two more pieces, the last of them an adam-only run.
        XCTAssertEqual(try run(["run", "q.yaml", "--quiet", "--only", "activation=tanh"], cwd: dir).status, 0)
        let adam = try run(["run", "q.yaml", "--quiet", "--only", "type=adam"], cwd: dir)
        XCTAssertEqual(adam.status, 0, adam.err)
        let a = try files(under: dir.appendingPathComponent("whole"))
        let b = try files(under: dir.appendingPathComponent("results"))
        XCTAssertEqual(Set(a.keys), Set(b.keys))
        for (name, bytes) in a where bytes != b[name] { XCTFail("\(name) differs") }
    }

    func testHugeGridNeedsYesAndBadOnlyIsAUsageError() throws {
        let dir = try tempDir()
        try write(
            """
            experiment: big
            dataset: {name: xor}
            model: {layers: [2, 2, 1]}
            optimizer: {type: sgd}
            training: {epochs: 1}
            sweep:
              seed: [\((1...21).map(String.init).joined(separator: ", "))]
              regularization.l2: [0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]
            """, to: "b.yaml", in: dir)
        let refused = try run(["run", "b.yaml"], cwd: dir)
        XCTAssertEqual(refused.status, 2)
        XCTAssertEqual(
            refused.err,
            "error: this would train 210 runs (big: 21 × 10 = 210 runs), more than 200; pass --yes to train them all, or --only KEY=VALUE to pick some\n"
        )
        let badOnly = try run(["run", "b.yaml", "--only", "l3=1"], cwd: dir)
        XCTAssertEqual(badOnly.status, 2)
        XCTAssertEqual(
            badOnly.err,
            "error: --only l3=…: `l3` is not swept by any of these experiments (swept: regularization.l2, seed)\n")
        let picked = try run(["run", "b.yaml", "--only", "l2=0.5", "--dry-run"], cwd: dir)
        XCTAssertEqual(picked.status, 0, picked.err)
        XCTAssertTrue(picked.out.hasSuffix("21 to train, 0 kept\n"), picked.out)
        let yes = try run(["run", "b.yaml", "--yes", "--dry-run"], cwd: dir)
        XCTAssertTrue(yes.out.hasSuffix("210 to train, 0 kept\n"), yes.out)
    }
}

/// Splits one CSV line whose fields may be double-quoted (no line breaks inside fields).
enum CSVLine {
    static func split(_ line: String) -> [String] {
        var out: [String] = []
        var field = ""
        var quoted = false
        for ch in line {
            if ch == "\"" {
                quoted.toggle()
            } else if ch == ",", !quoted {
                out.append(field)
                field = ""
            } else {
                field.append(ch)
            }
        }
        out.append(field)
        return out
    }
}
