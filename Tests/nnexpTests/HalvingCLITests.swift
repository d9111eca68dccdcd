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

    struct Row: Equatable { var run: String; var rung: Int; var epochs: Int; var metric: String; var promoted: Bool }

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
            XCTAssertTrue(r.err.contains("moons-halving/\(row.run): resuming from epoch \(row.epochs)\n"), "\(row.run) rung \(row.rung): \(r.err)")
        }
        XCTAssertEqual(r.err.components(separatedBy: ": resuming from epoch").count - 1, rows.filter(\.promoted).count, r.err)

        // Rung r holds the runs promoted from rung r − 1, trained to min(2·3^r, 20) epochs; the
        // promoted are the best ⌈n/3⌉ by validation accuracy, ties to the lower trial, computed here.
        let expectedEpochs = [2, 6, 18, 20]
        var members = (0..<9).map { "trial=\($0)" }
        for rung in 0..<4 {
            let here = rows.filter { $0.rung == rung }
            XCTAssertEqual(here.map(\.run), members, "rung \(rung)")
            XCTAssertTrue(here.allSatisfy { $0.epochs == expectedEpochs[rung] }, "rung \(rung)")
            let ranked = here.enumerated().sorted { a, b in
                let x = Double(a.element.metric)!, y = Double(b.element.metric)!
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
            let s = try run(["run", "s\(e).yaml", "--jobs", "2", "--results", "s\(e)", "--quiet", "--no-report"], cwd: dir)
            XCTAssertEqual(s.status, 0, s.err)
            straightFiles[e] = try files(under: dir.appendingPathComponent("s\(e)/moons-halving"))
        }
        for row in rows {
            let m = try metric(dir.appendingPathComponent("s\(row.epochs)/moons-halving/\(row.run)"), "validation_accuracy")
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
        let a = try files(under: dir.appendingPathComponent("ref")), b = try files(under: dir.appendingPathComponent("res"))
        XCTAssertEqual(Set(a.keys), Set(b.keys))
        for (name, bytes) in a { XCTAssertEqual(bytes, b[name], name) }
        // The records too (they are committed with the results).
        let ra = try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("ref/xor-halving/.rungs").path).sorted()
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
        a.process.waitUntilExit(); b.process.waitUntilExit()
        // A process exits 1 when another trained some of its runs of the last rung; the files are whole.
        for p in [a, b] {
            let err = try String(contentsOf: p.err, encoding: .utf8)
            XCTAssertTrue([0, 1].contains(p.process.terminationStatus), err)
            XCTAssertFalse(err.contains("stopped"), err)
        }
        let last = try run(["run", "h.yaml", "--results", "res", "--quiet"], cwd: dir)
        XCTAssertEqual(last.status, 0, last.err)
        let x = try files(under: dir.appendingPathComponent("ref")), y = try files(under: dir.appendingPathComponent("res"))
        XCTAssertEqual(Set(x.keys), Set(y.keys))
        for (name, bytes) in x { XCTAssertEqual(bytes, y[name], name) }
    }

    func testOnlyIsRefusedAndDryRunListsTheRungs() throws {
        let dir = try tempDir()
        try write(spec, to: "h.yaml", in: dir)
        let only = try run(["run", "h.yaml", "--only", "trial=1", "--results", "res"], cwd: dir)
        XCTAssertEqual(only.status, 2)
        XCTAssertTrue(only.err.contains("--only cannot pick runs of moons-halving"), only.err)
        // Shards (and so Slurm array tasks) would rank part of a rung: refused before anything runs.
        let shard = try run(["run", "h.yaml", "--shard", "0/2", "--results", "res"], cwd: dir)
        XCTAssertEqual(shard.status, 2)
        XCTAssertTrue(shard.err.contains("--shard cannot split moons-halving"), shard.err)
        let slurm = try run(["slurm", "h.yaml", "--tasks", "2", "--script-only", "--results", "res"], cwd: dir)
        XCTAssertEqual(slurm.status, 2)
        XCTAssertTrue(slurm.err.contains("cannot be split into array tasks"), slurm.err)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("res/moons-halving").path))
        let dry = try run(["run", "h.yaml", "--dry-run", "--results", "res"], cwd: dir)
        XCTAssertEqual(dry.status, 0, dry.err)
        XCTAssertTrue(dry.out.contains("halving moons-halving: 9 runs in 4 rungs of 2, 6, 18, 20 epochs"), dry.out)
    }
}
