import Foundation
import XCTest

@testable import NNExperiments

/// The selection rule in each case, cells and cells.csv checked against statistics computed here
/// independently (plain sums written out per value), and summary.csv's flags.
final class SelectionAndCellsTests: XCTestCase {
    func run(
        _ name: String, _ axes: [(String, String)], _ m: [String: Double], status: String = "completed",
        flag: String? = nil
    ) -> RunResults {
        var r = RunResults(name: name, axisValues: axes, status: status)
        r.metrics = m
        r.flag = flag
        return r
    }

    func experiment(_ runs: [RunResults], axes: [String]) -> ExperimentResults {
        ExperimentResults(name: "t", directory: "/nonexistent", specText: nil, axes: axes, axisValues: [:], runs: runs)
    }

    func testValidationAccuracyPicksWhenPresentAndTestNever() {
        // Run b has the best test and training accuracy, run a the best validation accuracy.
        let e = experiment(
            [
                run(
                    "a", [("lr", "0.1")],
                    ["final_cost": 0.5, "train_accuracy": 0.80, "validation_accuracy": 0.90, "test_accuracy": 0.70]),
                run(
                    "b", [("lr", "1")],
                    ["final_cost": 0.1, "train_accuracy": 0.99, "validation_accuracy": 0.85, "test_accuracy": 0.95])
            ], axes: ["lr"])
        XCTAssertEqual(
            e.selection, SelectionRule(metric: "validation_accuracy", higherIsBetter: true, onTrainingData: false))
        XCTAssertEqual(e.bestCellIndex, 0)
        XCTAssertEqual(e.bestRunIndex, 0)
        XCTAssertFalse(e.bestCriterion.contains("training data"))
    }

    func testWithoutValidationTrainingAccuracyFlagged() {
        let e = experiment(
            [
                run("a", [("lr", "0.1")], ["final_cost": 0.5, "train_accuracy": 0.80, "test_accuracy": 0.99]),
                run("b", [("lr", "1")], ["final_cost": 0.9, "train_accuracy": 0.90, "test_accuracy": 0.50])
            ], axes: ["lr"])
        XCTAssertEqual(e.selection, SelectionRule(metric: "train_accuracy", higherIsBetter: true, onTrainingData: true))
        XCTAssertEqual(e.bestRunIndex, 1, "training accuracy decides, not test accuracy and not cost")
        XCTAssertTrue(e.bestCriterion.contains("selected on training data"))
    }

    func testRegressionLowestCostAndValidationCostWhenRecorded() {
        let runs = [
            run("a", [("l2", "0")], ["final_cost": 0.2, "test_cost": 0.01]),
            run("b", [("l2", "1")], ["final_cost": 0.1, "test_cost": 0.9])
        ]
        var e = experiment(runs, axes: ["l2"])
        XCTAssertEqual(e.selection, SelectionRule(metric: "final_cost", higherIsBetter: false, onTrainingData: true))
        XCTAssertEqual(e.bestRunIndex, 1)
        e.runs[0].metrics["validation_cost"] = 0.3
        e.runs[1].metrics["validation_cost"] = 0.4
        XCTAssertEqual(
            e.selection, SelectionRule(metric: "validation_cost", higherIsBetter: false, onTrainingData: false))
        XCTAssertEqual(e.bestRunIndex, 0)
    }

    func testFlaggedAndUnfinishedRunsDoNotSelect() {
        let e = experiment(
            [
                run("a", [("lr", "0.1")], ["train_accuracy": 0.5]),
                run("b", [("lr", "1")], ["train_accuracy": 0.99], flag: "stale"),
                run("c", [("lr", "2")], ["train_accuracy": 0.98], flag: "orphaned"),
                run("d", [("lr", "3")], ["train_accuracy": 0.97], status: "diverged")
            ], axes: ["lr"])
        XCTAssertEqual(e.cells.count, 2, "stale and orphaned runs belong to no cell")
        XCTAssertEqual(e.bestRunIndex, 0)
        XCTAssertEqual(e.flaggedRuns, [1, 2])
    }

    func testCellsAggregateSeedsAgainstHandComputedStatistics() throws {
        let acc: [String: [Double]] = ["relu": [0.91, 0.93, 0.95], "tanh": [0.90, 0.96, 0.99]]
        var runs: [RunResults] = []
        for act in ["relu", "tanh"] {
            for (i, seed) in ["1", "2", "3"].enumerated() {
                runs.append(
                    run(
                        "a=\(act),s=\(seed)", [("model.activation", act), ("seed", seed)],
                        ["validation_accuracy": acc[act]![i], "final_cost": Double(i + 1)]))
            }
        }
        let e = experiment(runs, axes: ["model.activation", "seed"])
        let cells = e.cells
        XCTAssertEqual(cells.count, 2)
        XCTAssertEqual(cells[0].label, "activation=relu")
        // relu: mean (0.91+0.93+0.95)/3 = 0.93; deviations −0.02, 0, 0.02 → sd = sqrt(0.0008/2) = 0.02.
        let relu = try XCTUnwrap(cells[0].stats["validation_accuracy"])
        XCTAssertEqual(relu.n, 3)
        XCTAssertEqual(relu.mean, 0.93, accuracy: 1e-12)
        XCTAssertEqual(try XCTUnwrap(relu.sd), 0.02, accuracy: 1e-12)
        XCTAssertEqual(relu.min, 0.91)
        XCTAssertEqual(relu.max, 0.95)
        // tanh: mean 2.85/3 = 0.95; deviations −0.05, 0.01, 0.04 → Σ² = 0.0042 → sd = sqrt(0.0021).
        let tanh = try XCTUnwrap(cells[1].stats["validation_accuracy"])
        XCTAssertEqual(tanh.mean, 0.95, accuracy: 1e-12)
        XCTAssertEqual(try XCTUnwrap(tanh.sd), 0.0021.squareRoot(), accuracy: 1e-12)
        // final_cost 1, 2, 3 in both: mean 2, sd 1.
        XCTAssertEqual(cells[1].stats["final_cost"], MetricStats(n: 3, mean: 2, sd: 1, min: 1, max: 3))
        XCTAssertEqual(e.bestCellIndex, 1, "tanh: higher mean validation accuracy though relu's worst seed is better")
        XCTAssertEqual(e.bestRunIndex, 5, "best seed of the best cell")

        let t = CellsFile.table(e)
        XCTAssertEqual(
            Array(t.header.prefix(9)),
            [
                "model.activation", "runs", "n", "best", "selected_on",
                "final_cost_mean", "final_cost_sd", "final_cost_min", "final_cost_max"
            ])
        XCTAssertEqual(t.rows.count, 2)
        let col = { (name: String) in t.header.firstIndex(of: name)! }
        XCTAssertEqual(t.rows[1][col("best")], "yes")
        XCTAssertEqual(t.rows[0][col("best")], "")
        XCTAssertEqual(t.rows[0][col("n")], "3")
        XCTAssertEqual(Double(t.rows[0][col("validation_accuracy_sd")])!, 0.02, accuracy: 1e-12)
        XCTAssertEqual(Double(t.rows[1][col("validation_accuracy_mean")])!, 0.95, accuracy: 1e-12)
        XCTAssertEqual(t.rows[0][col("selected_on")], "validation_accuracy")
    }

    func testOneSeedCellHasNoSpreadAndNoSeedAxisMeansOneRunPerCell() throws {
        let e = experiment([run("x", [], ["train_accuracy": 0.8])], axes: [])
        XCTAssertEqual(e.cells.count, 1)
        XCTAssertEqual(e.cells[0].label, "all runs")
        XCTAssertNil(try XCTUnwrap(e.cells[0].stats["train_accuracy"]).sd)
        XCTAssertEqual(CellsFile.table(e).rows[0][CellsFile.table(e).header.firstIndex(of: "train_accuracy_sd")!], "")
        XCTAssertEqual(TableNumbers.meanSD(MetricStats.of([0.9166666666666666])!, metric: "test_accuracy"), "91.7%")
        XCTAssertEqual(TableNumbers.meanSD(MetricStats.of([0.5, 0.7])!, metric: "final_cost"), "0.6 ± 0.1414 (2)")
        XCTAssertEqual(TableNumbers.significant(641.4484582519531), "641.4")
        XCTAssertEqual(TableNumbers.significant(3.6917641738768624e-06), "3.692e-6")
        XCTAssertEqual(TableNumbers.significant(12345.6), "1.235e4")
    }

    /// summary.csv from a real folder: a stale run (config changed) and an orphan (folder the spec no
    /// longer makes) are flagged, and the report's reader leaves them out of cells.
    func testSummaryFlagsStaleAndOrphanedRuns() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("nnexp-cells-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let folder = try SpecFolder([
            "flags.yaml": """
            experiment: flags
            dataset: {name: xor}
            model: {layers: [2, 2, 1], activation: sigmoid, output: sigmoid, loss: logistic}
            optimizer: {type: sgd, learning_rate: 0.5}
            training: {epochs: 3}
            sweep:
              optimizer.learning_rate: [0.5, 1.0]
            """
        ])
        defer { folder.remove() }
        let e = try folder.load("flags.yaml")
        let store = ResultStore(root: root.path)
        let dir = root.appendingPathComponent("flags")
        /// A complete run folder: its files and the manifest over them.
        func runFolder(_ name: String, config: String, metrics: String) throws {
            let files = ["config.yaml": config, "metrics.csv": metrics]
            var all = files.mapKeys { "\(name)/\($0)" }
            all["\(name)/manifest.csv"] = String(
                decoding: Manifest.make(files.mapValues { Array($0.utf8) }), as: UTF8.self)
            try ReportFixtures.write(all, under: dir)
        }
        try runFolder(
            e.runs[0].runName, config: e.runs[0].canonicalYAML,
            metrics: ReportFixtures.metrics(0.5, [("train", 0.75)], epochs: 3))
        // The second run's config is from another version of the spec; `learning_rate=2` is an orphan.
        try runFolder(
            e.runs[1].runName, config: e.runs[1].canonicalYAML + "# edited\n",
            metrics: ReportFixtures.metrics(0.2, [("train", 0.9)], epochs: 3))
        try runFolder(
            "learning_rate=2",
            config: ReportFixtures.config("flags", "learning_rate=2", [("optimizer.learning_rate", "2")]),
            metrics: ReportFixtures.metrics(0.1, [("train", 1)], epochs: 3))
        let t = Summary.table(e, store: store)
        let flag = t.header.firstIndex(of: "flag")!
        let best = t.header.firstIndex(of: "best")!
        XCTAssertEqual(t.rows.map { $0[0] }, [e.runs[0].runName, e.runs[1].runName, "learning_rate=2"])
        XCTAssertEqual(t.rows.map { $0[flag] }, ["", "stale", "orphaned"])
        XCTAssertEqual(t.rows.map { $0[best] }, ["yes", "", ""], "the orphan's higher accuracy does not win")
        XCTAssertEqual(t.rows[2][1], "2", "the orphan's axis value comes from its config.yaml")
        XCTAssertEqual(t.rows[1][t.header.firstIndex(of: "status")!], "completed")
        try ReportFixtures.write(["summary.csv": t.text], under: dir)
        let read = try ResultsReader.read(experimentDirectory: dir.path)
        XCTAssertEqual(read.runs.map { $0.flag ?? "" }, ["", "stale", "orphaned"])
        XCTAssertEqual(read.cells.count, 1)
    }
}

private extension Dictionary where Key == String {
    func mapKeys(_ f: (String) -> String) -> [String: Value] {
        Dictionary(uniqueKeysWithValues: map { (f($0.key), $0.value) })
    }
}

/// `nnexp report` on a folder whose summary.csv an older nnexp wrote (no flag or best column), with a
/// run folder it does not list.
final class SummaryRefreshTests: XCTestCase {
    func testOldSummaryGetsFlagAndBestColumns() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("nnexp-refresh-\(UUID().uuidString)")
            .appendingPathComponent("moons")
        defer { try? FileManager.default.removeItem(at: dir.deletingLastPathComponent()) }
        try ReportFixtures.twoD(dir)
        try ReportFixtures.write(
            [
                "hidden=16,l2=0/metrics.csv": ReportFixtures.metrics(0.01, [("train", 1.0), ("test", 1.0)], epochs: 50),
                "hidden=16,l2=0/config.yaml": ReportFixtures.config(
                    "moons", "hidden=16,l2=0", [("model.hidden", "[16]"), ("regularization.l2", "0")])
            ], under: dir)
        try ReportWriter.write(experimentDirectory: dir.path)
        let doc = try CSVDocument.parse(
            Array(try Data(contentsOf: dir.appendingPathComponent("summary.csv"))), path: "summary.csv")
        XCTAssertEqual(Array(doc.header.suffix(2)), ["flag", "best"])
        XCTAssertEqual(doc.rows.count, 7)
        let last = doc.rows[6]
        XCTAssertEqual(Array(last.prefix(4)), ["hidden=16,l2=0", "[16]", "0", "completed"])
        XCTAssertEqual(last[doc.column("flag")!], "orphaned")
        XCTAssertEqual(
            doc.rows.filter { $0[doc.column("best")!] == "yes" }.map { $0[0] }, ["hidden=8,l2=0.1"],
            "the orphan's perfect accuracy does not count")
        // Written again: same bytes.
        let before = try Data(contentsOf: dir.appendingPathComponent("summary.csv"))
        try ReportWriter.write(experimentDirectory: dir.path)
        XCTAssertEqual(try Data(contentsOf: dir.appendingPathComponent("summary.csv")), before)
    }
}
