import Foundation
import XCTest

@testable import NNExperiments

/// `nnexp diff` on synthetic results trees with known differences, through the same library call the
/// command uses (output text and exit status).
final class DiffTests: XCTestCase {
    func tempDir() throws -> URL {
        let d = FileManager.default.temporaryDirectory.appendingPathComponent("nnexp-diff-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: d, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: d) }
        return d
    }

    /// A two-run experiment; `change` edits the files before they are written.
    func tree(at root: URL, _ change: (inout [String: String]) -> Void = { _ in }) throws {
        var files: [String: String] = [:]
        for (i, lr) in ["0.1", "0.5"].enumerated() {
            let run = "sweep/learning_rate=\(lr)"
            files["\(run)/config.yaml"] =
                "experiment: sweep\nrun: learning_rate=\(lr)\nsweep:\n  optimizer.learning_rate: \(lr)\noptimizer:\n  type: sgd\n  learning_rate: \(lr)\n  momentum: 0.9\nseed: 1\n"
            files["\(run)/metrics.csv"] =
                "metric,value\nstatus,completed\nepochs,4\nfinal_cost,0.\(25 + i)\ntrain_accuracy,0.75\n"
            files["\(run)/cost.csv"] = "epoch,cost\n1,0.9\n2,0.5\n3,0.3\n4,0.\(25 + i)\n"
            files["\(run)/confusion-train.csv"] = "true\\predicted,0,1\n0,2,0\n1,1,1\n"
            files["\(run)/run.log"] = "took 3 ms\n"
        }
        files["sweep/summary.csv"] = "run,optimizer.learning_rate,status\n"
        change(&files)
        try ReportFixtures.write(files, under: root)
    }

    func diff(
        _ sides: [String], cwd: URL, tolerance: Double = 0, format: DiffFormat = .text, summary: Bool = false,
        verbose: Bool = false
    ) -> ResultsDiff.Outcome {
        var o = ResultsDiff.Options()
        o.tolerance = tolerance
        o.format = format
        o.workingDirectory = cwd.path
        o.summary = summary
        o.verbose = verbose
        return ResultsDiff.run(sides, options: o)
    }

    func modified(_ f: inout [String: String]) {
        let run = "sweep/learning_rate=0.5"
        f["\(run)/config.yaml"] = f["\(run)/config.yaml"]!.replacingOccurrences(
            of: "momentum: 0.9", with: "momentum: 0.8")
        f["\(run)/metrics.csv"] = "metric,value\nstatus,completed\nepochs,4\nfinal_cost,0.2\ntrain_accuracy,1\n"
        f["\(run)/cost.csv"] = "epoch,cost\n1,0.9\n2,0.55\n3,0.3\n4,0.2\n"
        f["\(run)/confusion-train.csv"] = "true\\predicted,0,1\n0,2,0\n1,0,2\n"
        f["\(run)/run.log"] = "took 5 ms\n"
        f["sweep/learning_rate=0.1/run.log"] = "took 9 ms\n"
        for k in f.keys where k.hasPrefix("sweep/learning_rate=0.1/") {
            f[k.replacingOccurrences(of: "0.1/", with: "1.0/")] = f.removeValue(forKey: k)!
        }
    }

    func testKnownDifferencesExactOutput() throws {
        let d = try tempDir()
        try tree(at: d.appendingPathComponent("old"))
        try tree(at: d.appendingPathComponent("new"), modified)
        let r = diff(["old", "new"], cwd: d)
        XCTAssertEqual(r.status, 1, r.error)
        XCTAssertEqual(
            r.output,
            """
            sweep
              - learning_rate=0.1  (run removed)
              ~ learning_rate=0.5
                  config     optimizer.momentum   0.9   → 0.8
                  metric     final_cost           0.26  → 0.2     -0.06
                  metric     train_accuracy       75.0% → 100.0%  +25.0 pp
                  series     cost.csv:cost        first differs at epoch 2; max abs 0.06 at epoch 4; max rel 23.1% at epoch 4
                  confusion  confusion-train.csv  2 cells changed; largest -1 at true 1 / predicted 0; correct 3 → 4 (--verbose lists every cell)
              + learning_rate=1.0  (run added)
            summary: 1 experiment, 1 run in both: 1 changed, 0 equal; 1 added, 1 removed (tolerance 0)

            """)
        let csv = diff(["old", "new"], cwd: d, format: .csv)
        XCTAssertEqual(csv.output.split(separator: "\n").first, "experiment,run,kind,item,old,new,change")
        XCTAssertTrue(csv.output.contains("\nsweep,learning_rate=0.5,metric,final_cost,0.26,0.2,-0.06\n"), csv.output)
        let md = diff(["old", "new"], cwd: d, format: .markdown)
        XCTAssertTrue(
            md.output.contains(
                "| sweep | learning_rate=0.5 | series | cost.csv:cost |  |  | first differs at epoch 2; max abs 0.06 at epoch 4; max rel 23.1% at epoch 4 |\n"
            ))
        XCTAssertTrue(
            md.output.hasSuffix(
                "**summary: 1 experiment, 1 run in both: 1 changed, 0 equal; 1 added, 1 removed (tolerance 0)**\n"))
    }

    func testSummaryVerboseAndLabels() throws {
        let d = try tempDir()
        try tree(at: d.appendingPathComponent("old")) { f in
            f["sweep/learning_rate=0.5/decision-boundary.csv"] = "x,y,predicted\n0,0,1\n0,1,9\n1,0,0\n1,1,1\n"
        }
        try tree(at: d.appendingPathComponent("new")) { f in
            self.modified(&f)
            f["sweep/learning_rate=0.5/decision-boundary.csv"] = "x,y,predicted\n0,0,1\n0,1,0\n1,0,0\n1,1,0\n"
        }
        let summary = diff(["old", "new"], cwd: d, summary: true)
        XCTAssertEqual(summary.status, 1)
        XCTAssertEqual(
            summary.output,
            """
            - sweep/learning_rate=0.1 (run removed)
            ~ sweep/learning_rate=0.5: final cost 0.26 → 0.2 (-0.06), train accuracy 75.0% → 100.0% (+25.0 pp); 1 config key, 2 series, 1 confusion matrix changed
            + sweep/learning_rate=1.0 (run added)
            summary: 1 experiment, 1 run in both: 1 changed, 0 equal; 1 added, 1 removed (tolerance 0)

            """)
        let full = diff(["old", "new"], cwd: d)
        // Class labels: 9 → 0 is not "100 % relative", just a different label.
        XCTAssertTrue(
            full.output.contains(
                "series     decision-boundary.csv:predicted  first differs at x 0; 2 of 4 labels differ"), full.output)
        XCTAssertFalse(full.output.contains("max rel 100%"), full.output)
        let verbose = diff(["old", "new"], cwd: d, verbose: true)
        XCTAssertTrue(
            verbose.output.contains("confusion  confusion-train.csv true 1 / predicted 0  1     → 0       -1"),
            verbose.output)
        XCTAssertTrue(
            verbose.output.contains("confusion  confusion-train.csv true 1 / predicted 1  1     → 2       +1"),
            verbose.output)
    }

    func testIdenticalTreesExitZeroIgnoringLogs() throws {
        let d = try tempDir()
        try tree(at: d.appendingPathComponent("a"))
        try tree(at: d.appendingPathComponent("b")) { $0["sweep/learning_rate=0.1/run.log"] = "took 1 hour\n" }
        let r = diff(["a", "b"], cwd: d)
        XCTAssertEqual(r.status, 0, r.output + r.error)
        XCTAssertEqual(
            r.output,
            "summary: 1 experiment, 2 runs in both: 0 changed, 2 equal; 0 added, 0 removed (tolerance 0) — no differences\n"
        )
        // An experiment folder can be given directly too.
        XCTAssertEqual(diff(["a/sweep", "b/sweep"], cwd: d).status, 0)
    }

    func testToleranceHidesLastBitNoise() throws {
        let d = try tempDir()
        try tree(at: d.appendingPathComponent("a"))
        try tree(at: d.appendingPathComponent("b")) { f in
            f["sweep/learning_rate=0.1/cost.csv"] =
                "epoch,cost\n1,0.9000000000000001\n2,0.5\n3,0.30000000000000004\n4,0.25\n"
            f["sweep/learning_rate=0.1/metrics.csv"] =
                "metric,value\nstatus,completed\nepochs,4\nfinal_cost,0.25000000000000006\ntrain_accuracy,0.75\n"
        }
        let exact = diff(["a", "b"], cwd: d)
        XCTAssertEqual(exact.status, 1)
        XCTAssertTrue(
            exact.output.contains("series  cost.csv:cost  first differs at epoch 1; max abs 1.11e-16 at epoch 1;"),
            exact.output)
        let loose = diff(["a", "b"], cwd: d, tolerance: 1e-12)
        XCTAssertEqual(loose.status, 0, loose.output)
        XCTAssertTrue(loose.output.hasSuffix("(tolerance 1e-12) — no differences\n"), loose.output)
        // A real change survives the tolerance.
        try tree(at: d.appendingPathComponent("c")) {
            $0["sweep/learning_rate=0.1/metrics.csv"] =
                "metric,value\nstatus,diverged\nepochs,4\nfinal_cost,nan\ntrain_accuracy,0.75\n"
        }
        let real = diff(["a", "c"], cwd: d, tolerance: 1e-3)
        XCTAssertEqual(real.status, 1)
        XCTAssertTrue(real.output.contains("metric  status      completed → diverged"), real.output)
        XCTAssertTrue(real.output.contains("metric  final_cost  0.25      → nan"), real.output)
    }

    func testAgainstGitRevision() throws {
        let d = try tempDir()
        func git(_ args: String...) throws {
            _ = try Git.run(["-c", "user.name=t", "-c", "user.email=t@example.invalid"] + args, in: d.path)
        }
        try git("init", "-q")
        try tree(at: d.appendingPathComponent("results"))
        try git("add", "results")
        try git("commit", "-q", "-m", "first results")
        try git("tag", "v1")
        // Working tree changes; the revision is read from git, not from these files.
        try FileManager.default.removeItem(at: d.appendingPathComponent("results"))
        try tree(at: d.appendingPathComponent("results"), modified)
        let r = diff(["HEAD"], cwd: d)
        XCTAssertEqual(r.status, 1, r.error)
        XCTAssertEqual(r.output, diff(["v1", "results"], cwd: d).output)
        XCTAssertTrue(r.output.contains("config     optimizer.momentum"), r.output)
        XCTAssertTrue(
            r.output.hasSuffix(
                "summary: 1 experiment, 1 run in both: 1 changed, 0 equal; 1 added, 1 removed (tolerance 0)\n"),
            r.output)

        try git("add", "-A", "results")
        try git("commit", "-q", "-m", "second results")
        XCTAssertEqual(diff(["HEAD"], cwd: d).status, 0, "working tree equals HEAD")
        let between = diff(["HEAD~1", "HEAD"], cwd: d)
        XCTAssertEqual(between.output, r.output, "two revisions, read without the working tree")
        // From a subfolder, the results path is relative to it.
        let sub = d.appendingPathComponent("results/sweep")
        var o = ResultsDiff.Options()
        o.workingDirectory = sub.path
        o.resultsPath = ".."
        XCTAssertEqual(ResultsDiff.run(["HEAD~1", "HEAD"], options: o).output, r.output)
    }

    func testErrorsExitTwo() throws {
        let d = try tempDir()
        try tree(at: d.appendingPathComponent("a"))
        let r = diff(["a", "no-such-thing"], cwd: d)
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.error.contains("`no-such-thing` is neither a results folder nor a git revision"), r.error)
        XCTAssertEqual(diff(["a", "a", "a"], cwd: d).status, 2)
        XCTAssertEqual(diff(["a", "a"], cwd: d, tolerance: -1).status, 2)
    }

    func testSingleFilesAsGitDiffDriver() throws {
        let d = try tempDir()
        try "epoch,cost\n1,1\n2,0.5\n".write(
            to: d.appendingPathComponent("XYZ_cost.csv"), atomically: true, encoding: .utf8)
        try "epoch,cost\n1,1\n2,0.25\n3,0.1\n".write(
            to: d.appendingPathComponent("ABC_cost.csv"), atomically: true, encoding: .utf8)
        let r = diff(["XYZ_cost.csv", "ABC_cost.csv"], cwd: d)
        XCTAssertEqual(r.status, 1)
        XCTAssertEqual(
            r.output,
            """
            rows    ABC_cost.csv       2 → 3  +1
            series  ABC_cost.csv:cost  first differs at epoch 2; max abs 0.25 at epoch 2; max rel 50% at epoch 2
            summary: ABC_cost.csv differs (tolerance 0)

            """)
        XCTAssertEqual(
            diff(["ABC_cost.csv", "ABC_cost.csv"], cwd: d).output,
            "summary: ABC_cost.csv has no differences (tolerance 0)\n")
        XCTAssertEqual(diff(["/dev/null", "ABC_cost.csv"], cwd: d).status, 1)
    }
}
