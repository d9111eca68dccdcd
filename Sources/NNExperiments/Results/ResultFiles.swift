import NNDatasets
import NNEngine

/// Renders a run's result files. Everything here is deterministic: no timestamps, no timings, floats
/// in shortest round-trip form, rows in a fixed order.
enum ResultFiles {
    /// `epochAccuracy`: per-epoch metric columns (name, one value per epoch; `EpochMetrics`) added to cost.csv.
    static func make(
        outcome: RunOutcome, result: TrainingResult, evaluations: [(String, Dataset, [Int])],
        epochAccuracy: [(name: String, values: [Double])] = []
    ) -> [String: [UInt8]] {
        var files: [String: [UInt8]] = [:]
        let c = outcome.config
        files["config.yaml"] = Array(c.canonicalYAML.utf8)

        // First-order optimizers: epochs from 1. Full-batch ones: iterations from 0 (the initial cost).
        let fullBatch = c.optimizer.isFullBatch
        // The rate of each epoch, for every optimizer with one (not rprop, bfgs, lbfgs, cg: docs/results.md).
        let rates = c.optimizer.hasLearningRate ? result.epochRates : nil
        var cost = CSVTable(
            header: [fullBatch ? "iteration" : "epoch", "cost"] + (rates == nil ? [] : ["learning_rate"])
                + epochAccuracy.map(\.name))
        for (i, v) in result.epochCosts.enumerated() {
            let acc = epochAccuracy.map { i < $0.values.count ? NumberFormat.shortest($0.values[i]) : "" }
            let rate = rates.map { [i < $0.count ? NumberFormat.shortest($0[i]) : ""] } ?? []
            cost.append(["\(fullBatch ? i : i + 1)", NumberFormat.shortest(v)] + rate + acc)
        }
        files["cost.csv"] = Array(cost.text.utf8)
        if c.outputs.cost == .minibatch {
            var mb = CSVTable(header: ["step", "cost"])
            for (i, v) in result.batchCosts.enumerated() { mb.append(["\(i + 1)", NumberFormat.shortest(v)]) }
            files["cost-minibatch.csv"] = Array(mb.text.utf8)
        }
        if c.outputs.diagnostics { files["diagnostics.csv"] = Array(diagnostics(result.diagnostics).text.utf8) }
        for (split, ds, predicted) in evaluations where c.outputs.confusion.contains(split) {
            files["confusion-\(split).csv"] = Array(confusion(ds, predicted).text.utf8)
        }
        files["metrics.csv"] = Array(metrics(outcome).text.utf8)
        return files
    }

    /// `diagnostics.csv`: one row per epoch (from 1) and weight layer (from 1); a share that does not
    /// apply to the layer (output layer, or another activation) is empty.
    static func diagnostics(_ rows: [[LayerDiagnostics]]) -> CSVTable {
        var t = CSVTable(header: [
            "epoch", "layer", "weight_norm", "gradient_norm", "update_ratio", "dead_share", "saturated_share"
        ])
        for (e, layers) in rows.enumerated() {
            for (l, d) in layers.enumerated() {
                t.append([
                    "\(e + 1)", "\(l + 1)", NumberFormat.shortest(d.weightNorm), NumberFormat.shortest(d.gradientNorm),
                    NumberFormat.shortest(d.updateRatio), d.deadShare.map(NumberFormat.shortest) ?? "",
                    d.saturatedShare.map(NumberFormat.shortest) ?? ""
                ])
            }
        }
        return t
    }

    static func failure(config: RunConfig, message: String) -> [String: [UInt8]] {
        var o = RunOutcome(config: config, status: .failed(message))
        o.finalCost = nil
        return ["config.yaml": Array(config.canonicalYAML.utf8), "metrics.csv": Array(metrics(o).text.utf8)]
    }

    /// True labels as rows, predicted labels as columns; the header names the classes.
    static func confusion(_ ds: Dataset, _ predicted: [Int]) -> CSVTable {
        let names = ds.classNames
        let k = max(names.count, 2)
        var m = [[Int]](repeating: [Int](repeating: 0, count: k), count: k)
        for (t, p) in zip(ds.labels ?? [], predicted) where t < k && p < k { m[t][p] += 1 }
        var table = CSVTable(header: ["true\\predicted"] + (0..<k).map { $0 < names.count ? names[$0] : "\($0)" })
        for t in 0..<k { table.append([t < names.count ? names[t] : "\(t)"] + m[t].map(String.init)) }
        return table
    }

    static func metrics(_ o: RunOutcome) -> CSVTable {
        var t = CSVTable(header: ["metric", "value"])
        t.append(["status", o.status.label])
        if case .diverged(let e) = o.status { t.append(["diverged_epoch", "\(e + 1)"]) }
        if case .failed(let m) = o.status { t.append(["error", m]) }
        t.append(["epochs", "\(o.epochsRun)"])
        t.append(["iterations", "\(o.iterations)"])
        if o.stoppedEarly { t.append(["stopped_early", "true"]) }
        if let b = o.bestEpoch { t.append(["best_epoch", "\(b)"]) }
        t.append(["final_cost", o.finalCost.map(NumberFormat.shortest) ?? ""])
        // Per split: cost, then accuracy or RMSE, MAE, R² (SplitMetrics); an empty labelled split
        // has only its accuracy (0), as before these rows existed.
        var written = Set<String>()
        for split in ["train", "validation", "test"] {
            for (name, v) in o.splitMetrics where name.hasPrefix(split + "_") {
                t.append([name, NumberFormat.shortest(v)])
                written.insert(name)
            }
            if let a = o.accuracy[split], !written.contains("\(split)_accuracy") {
                t.append(["\(split)_accuracy", NumberFormat.shortest(a)])
            }
        }
        return t
    }
}
