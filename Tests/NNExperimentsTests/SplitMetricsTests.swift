import Foundation
import NNDatasets
import NNEngine
import XCTest

@testable import NNExperiments

/// metrics.csv's per-split rows and `outputs.epoch_metrics`, checked against a forward pass, losses
/// and RMSE / MAE / R² written out by hand in the test from weights.npz and the run's data.
final class SplitMetricsTests: XCTestCase {
    /// (rows, columns, values) of the named arrays in weights.npz.
    func layers(_ npz: [UInt8]) throws -> [String: NPYArray] {
        Dictionary(uniqueKeysWithValues: try NPZ.decode(npz).map { ($0.name, $0.array) })
    }

    /// tanh hidden layer, then the raw output layer (logits), for one sample: plain loops.
    func logits(_ w: [String: NPYArray], _ x: ArraySlice<Double>) -> [Double] {
        let w1 = w["W1"]!
        let b1 = w["b1"]!
        let w2 = w["W2"]!
        let b2 = w["b2"]!
        let h = (0..<w1.shape[0]).map { j in
            tanh(b1.values[j] + x.enumerated().reduce(0) { $0 + w1.values[j * w1.shape[1] + $1.offset] * $1.element })
        }
        return (0..<w2.shape[0]).map { k in
            b2.values[k] + h.enumerated().reduce(0) { $0 + w2.values[k * w2.shape[1] + $1.offset] * $1.element }
        }
    }

    func metrics(_ o: RunOutcome) -> [String: Double] {
        let text = String(decoding: o.files["metrics.csv"] ?? [], as: UTF8.self)
        var m: [String: Double] = [:]
        for line in text.split(separator: "\n").dropFirst() {
            let p = line.split(separator: ",", maxSplits: 1).map(String.init)
            if p.count == 2, let v = Double(p[1]) { m[p[0]] = v }
        }
        return m
    }

    func costColumns(_ o: RunOutcome) -> [[String]] {
        String(decoding: o.files["cost.csv"] ?? [], as: UTF8.self).split(separator: "\n").map {
            $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        }
    }

    func testRegressionMetricsMatchAHandComputedForwardPass() throws {
        // Two target columns of different scales, so that averaging per column (not over all values) shows.
        var csv = "a,b,y1,y2\n"
        var g = UInt64(7)
        func next() -> Double {
            g = g &* 6364136223846793005 &+ 1442695040888963407
            return Double(g >> 11) / Double(1 << 53) * 4 - 2
        }
        for _ in 0..<90 {
            let a = next()
            let b = next()
            csv += "\(a),\(b),\(a * a - b),\(10 * (a + b) + 3)\n"
        }
        let folder = try SpecFolder([
            "r.csv": csv,
            "s.yaml": """
            experiment: reg
            dataset: {name: csv, path: r.csv, targets: [y1, y2], split: {validation: 0.2, test: 0.2}}
            model: {hidden: [6], activation: tanh, output: linear, loss: mse, reduction: mean}
            optimizer: {type: adam, learning_rate: 0.02}
            training: {epochs: 15, batch_size: 10}
            outputs: {epoch_metrics: true}
            seed: 2
            """
        ])
        defer { folder.remove() }
        let run = try folder.load("s.yaml").runs[0]
        let o = RunExecutor.execute(run)
        XCTAssertEqual(o.status, .completed)
        let m = metrics(o)
        let w = try layers(try XCTUnwrap(o.files["weights.npz"]))
        let data = try RunData.load(run)
        for (split, d) in [("train", Optional(data.train)), ("validation", data.validation), ("test", data.test)] {
            let d = try XCTUnwrap(d, split)
            guard case .values(let y, let k) = d.targets else { return XCTFail("regression targets expected") }
            XCTAssertEqual(k, 2)
            let n = Double(d.count)
            var loss = 0.0
            var sse = [0.0, 0.0]
            var sae = [0.0, 0.0]
            var mean = [0.0, 0.0]
            for i in 0..<d.count { for j in 0..<2 { mean[j] += y[i * 2 + j] / n } }
            var sst = [0.0, 0.0]
            for i in 0..<d.count {
                let out = logits(w, d.features[(i * d.dimension)..<((i + 1) * d.dimension)])
                for j in 0..<2 {
                    let e = y[i * 2 + j] - out[j]
                    loss += e * e / 2  // mse: Σₖ (y−a)² / K with K = 2
                    sse[j] += e * e
                    sae[j] += abs(e)
                    sst[j] += (y[i * 2 + j] - mean[j]) * (y[i * 2 + j] - mean[j])
                }
            }
            let rmse = ((sse[0] / n).squareRoot() + (sse[1] / n).squareRoot()) / 2
            let mae = (sae[0] / n + sae[1] / n) / 2
            let r2 = ((1 - sse[0] / sst[0]) + (1 - sse[1] / sst[1])) / 2
            XCTAssertEqual(try XCTUnwrap(m["\(split)_cost"]), loss / n, accuracy: 1e-12 * max(1, loss / n), split)
            XCTAssertEqual(try XCTUnwrap(m["\(split)_rmse"]), rmse, accuracy: 1e-12 * max(1, rmse), split)
            XCTAssertEqual(try XCTUnwrap(m["\(split)_mae"]), mae, accuracy: 1e-12 * max(1, mae), split)
            XCTAssertEqual(try XCTUnwrap(m["\(split)_r2"]), r2, accuracy: 1e-12, split)
            XCTAssertNil(m["\(split)_accuracy"])
        }
        // epoch_metrics for regression: cost and RMSE per split; the last epoch is the final network.
        let rows = costColumns(o)
        XCTAssertEqual(
            rows[0],
            [
                "epoch", "cost", "learning_rate", "train_cost", "train_rmse", "validation_cost", "validation_rmse",
                "test_cost", "test_rmse"
            ])
        XCTAssertEqual(rows.count, 16)
        for (c, name) in rows[0].enumerated().dropFirst(3) { XCTAssertEqual(Double(rows[15][c]), m[name], name) }
        XCTAssertGreaterThan(
            Double(rows[1][5])!, Double(rows[15][5])!, "the validation cost falls while the net learns")
        // The rule selects on validation cost; summary.csv and cells.csv carry the new columns.
        XCTAssertEqual(
            SelectionRule.rule(metricNames: Set(m.keys)),
            SelectionRule(metric: "validation_cost", higherIsBetter: false, onTrainingData: false))
    }

    func testClassificationCostAndAccuracyPerSplitAndEpochMetricsColumns() throws {
        let folder = try SpecFolder([
            "s.yaml": """
            experiment: cls
            dataset: {name: moons, count: 160, noise: 0.2, split: {validation: 0.25, test: 0.25}}
            model: {hidden: [5], activation: tanh, output: softmax, loss: cross_entropy, reduction: sum}
            optimizer: {type: sgd, learning_rate: 0.05}
            training: {epochs: 12, batch_size: 16, shuffle: true}
            outputs: {epoch_metrics: true, epoch_accuracy: true}
            regularization: {l2: 0.5}
            seed: 3
            """
        ])
        defer { folder.remove() }
        let run = try folder.load("s.yaml").runs[0]
        let o = RunExecutor.execute(run)
        XCTAssertEqual(o.status, .completed)
        let m = metrics(o)
        let w = try layers(try XCTUnwrap(o.files["weights.npz"]))
        let data = try RunData.load(run)
        for (split, d) in [("train", Optional(data.train)), ("validation", data.validation), ("test", data.test)] {
            let d = try XCTUnwrap(d, split)
            let labels = try XCTUnwrap(d.labels)
            var loss = 0.0
            var correct = 0
            for i in 0..<d.count {
                let z = logits(w, d.features[(i * d.dimension)..<((i + 1) * d.dimension)])
                let lse = log(z.map { exp($0) }.reduce(0, +))
                loss += lse - z[labels[i]]  // −log softmax(z)[label]; no L2 penalty in the split cost
                if (z[1] > z[0] ? 1 : 0) == labels[i] { correct += 1 }
            }
            XCTAssertEqual(try XCTUnwrap(m["\(split)_cost"]), loss / Double(d.count), accuracy: 1e-12, split)
            XCTAssertEqual(m["\(split)_accuracy"], Double(correct) / Double(d.count), split)
            XCTAssertNil(m["\(split)_rmse"])
        }
        // The penalty is in cost.csv's `cost` (the training objective) but not in `train_cost`.
        let rows = costColumns(o)
        XCTAssertEqual(
            rows[0],
            [
                "epoch", "cost", "learning_rate", "train_cost", "train_accuracy", "validation_cost",
                "validation_accuracy", "test_cost", "test_accuracy"
            ])
        XCTAssertEqual(rows.count, 13)
        for (c, name) in rows[0].enumerated().dropFirst(3) { XCTAssertEqual(Double(rows[12][c]), m[name], name) }
        let order = [
            "status", "epochs", "iterations", "final_cost", "train_cost", "train_accuracy", "validation_cost",
            "validation_accuracy", "test_cost", "test_accuracy"
        ]
        let names = String(decoding: o.files["metrics.csv"]!, as: UTF8.self).split(separator: "\n").dropFirst().map {
            String($0.split(separator: ",")[0])
        }
        XCTAssertEqual(names, order)
    }

    func testOldEpochAccuracyAloneKeepsItsColumns() throws {
        let folder = try SpecFolder([
            "s.yaml": """
            experiment: acc
            dataset: {name: moons, count: 80, noise: 0.2, split: {validation: 0.25}}
            model: {hidden: [4], activation: tanh, output: softmax, loss: cross_entropy}
            optimizer: {type: sgd, learning_rate: 0.05}
            training: {epochs: 3}
            outputs: {epoch_accuracy: true}
            seed: 3
            """
        ])
        defer { folder.remove() }
        let run = try folder.load("s.yaml").runs[0]
        XCTAssertFalse(
            run.canonicalYAML.contains("epoch_metrics"), "the default is not written: older runs keep their fingerprint"
        )
        let o = RunExecutor.execute(run)
        XCTAssertEqual(costColumns(o)[0], ["epoch", "cost", "learning_rate", "train_accuracy", "validation_accuracy"])
    }

    func testEpochMetricsIsRefusedForFullBatchOptimizers() throws {
        let folder = try SpecFolder([
            "s.yaml": """
            experiment: x
            dataset: {name: xor}
            model: {layers: [2, 2, 1]}
            optimizer: {type: bfgs}
            outputs: {epoch_metrics: true}
            """
        ])
        defer { folder.remove() }
        XCTAssertEqual(
            folder.errors("s.yaml"),
            [
                "s.yaml:5:26: error: `outputs.epoch_metrics` needs epochs, but optimizer 'bfgs' runs full-batch iterations"
            ])
    }

    /// R² of a constant column: 1 when predicted exactly, 0 otherwise (scikit-learn's force_finite);
    /// per-column averaging of RMSE.
    func testRegressionFormulaEdgeCases() {
        // Rows (y1, y2): targets (1, 0), (1, 4); predictions (1, 0), (1, 2).
        var r = SplitMetrics.regression(predicted: [1, 0, 1, 2], targets: [1, 0, 1, 4], count: 2, dimension: 2)
        XCTAssertEqual(r.r2, (1 + (1 - 4.0 / 8)) / 2)  // y1 constant and exact; y2: ȳ = 2, SSE = 4, SST = 8
        XCTAssertEqual(r.rmse, (0 + (4.0 / 2).squareRoot()) / 2)
        XCTAssertEqual(r.mae, (0 + 1) / 2)
        r = SplitMetrics.regression(predicted: [2, 2], targets: [1, 1], count: 2, dimension: 1)
        XCTAssertEqual(r.r2, 0)
        XCTAssertEqual(r.rmse, 1)
    }
}

/// The report's use of the per-split numbers: a cost-by-split chart for the best cell and the
/// runs table's split columns.
final class SplitMetricsReportTests: XCTestCase {
    func testCostBySplitChartAndRunsTableColumns() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("nnexp-split-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        var files: [String: String] = [:]
        var rows: [[String]] = []
        for (k, lr) in ["0.1", "1"].enumerated() {
            let name = "learning_rate=\(lr)"
            files["\(name)/config.yaml"] = ReportFixtures.config("reg", name, [("optimizer.learning_rate", lr)])
            files["\(name)/cost.csv"] = ReportFixtures.csv(
                "epoch,cost,train_cost,train_rmse,validation_cost,validation_rmse",
                (1...10).map { e in
                    let t = 1.0 / Double(e + k)
                    let v = t + 0.1 * Double(e) / 10
                    return ["\(e)", "\(t + 0.5)", "\(t)", "\(t.squareRoot())", "\(v)", "\(v.squareRoot())"]
                })
            let v = 1.0 / Double(10 + k) + 0.1
            files["\(name)/metrics.csv"] = ReportFixtures.csv(
                "metric,value",
                [
                    ["status", "completed"], ["epochs", "10"], ["iterations", "10"],
                    ["final_cost", "0.6"], ["train_cost", "0.1"], ["train_rmse", "0.3"], ["train_mae", "0.2"],
                    ["train_r2", "0.9"],
                    ["validation_cost", "\(v)"], ["validation_rmse", "0.4"], ["validation_mae", "0.3"],
                    ["validation_r2", "0.8"]
                ])
            rows.append(["\"\(name)\"", lr, "completed", "10", "0.6", "0.1", "\(v)", "", "", "", "", ""])
        }
        files["summary.csv"] = ReportFixtures.csv(
            "run,optimizer.learning_rate,status,epochs,final_cost,train_cost,validation_cost,train_accuracy,validation_accuracy,test_accuracy,flag,best",
            rows)
        try ReportFixtures.write(files, under: dir)
        let e = try ResultsReader.read(experimentDirectory: dir.path)
        XCTAssertEqual(
            e.selection, SelectionRule(metric: "validation_cost", higherIsBetter: false, onTrainingData: false))
        let made = Charts.make(e)
        let chart = try XCTUnwrap(made.charts.first { $0.file == "cost-by-split.svg" })
        XCTAssertTrue(
            chart.svg.contains(">train cost<") && chart.svg.contains(">validation cost<"), "both curves in the legend")
        XCTAssertTrue(chart.title.hasSuffix("best: learning_rate=1"), chart.title)
        let page = HTMLReport.page(e, charts: made.charts, notes: made.notes)
        for header in ["<th>train cost</th>", "<th>train rmse</th>", "<th>train r2</th>", "<th>validation mae</th>"] {
            XCTAssertTrue(page.contains(header), header)
        }
    }
}
