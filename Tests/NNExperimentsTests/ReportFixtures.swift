import Foundation

/// Synthetic results folders in the layout `nnexp run` writes, one per dataset kind, built from
/// closed-form curves (no training) so the report tests are fast and their inputs are known.
enum ReportFixtures {
    static func write(_ files: [String: String], under root: URL) throws {
        for (path, text) in files {
            let url = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
    }

    static func csv(_ header: String, _ rows: [[String]]) -> String {
        ([header] + rows.map { $0.joined(separator: ",") }).joined(separator: "\n") + "\n"
    }

    static func config(_ experiment: String, _ run: String, _ axes: [(String, String)]) -> String {
        var s = "experiment: \(experiment)\nrun: \(run)\n"
        if !axes.isEmpty { s += "sweep:\n" + axes.map { "  \($0.0): \($0.1)\n" }.joined() }
        return s + "model:\n  activation: sigmoid\noptimizer:\n  type: sgd\n  learning_rate: 0.5\nseed: 1\n"
    }

    static func metrics(_ cost: Double, _ acc: [(String, Double)], epochs: Int, status: String = "completed") -> String
    {
        csv(
            "metric,value",
            [["status", status], ["epochs", "\(epochs)"], ["iterations", "\(epochs)"], ["final_cost", "\(cost)"]]
                + acc.map { ["\($0.0)_accuracy", "\($0.1)"] })
    }

    static func summary(
        _ axes: [String], _ runs: [(name: String, values: [String], cost: Double, acc: [String: Double])], epochs: Int
    ) -> String {
        csv(
            "run,"
                + (axes + ["status", "epochs", "final_cost", "train_accuracy", "validation_accuracy", "test_accuracy"])
                .joined(separator: ","),
            runs.map { r in
                ["\"\(r.name)\""] + r.values + [
                    "completed", "\(epochs)", "\(r.cost)",
                    r.acc["train"].map { "\($0)" } ?? "", "", r.acc["test"].map { "\($0)" } ?? ""
                ]
            })
    }

    /// Two-moons classification: 6 runs (hidden × l2), per-epoch accuracies, decision grids and points.
    static func twoD(_ root: URL) throws {
        var files: [String: String] = [:]
        var runs: [(name: String, values: [String], cost: Double, acc: [String: Double])] = []
        let epochs = 50
        var points: [[String]] = []
        for i in 0..<60 {
            let t = Double.pi * Double(i % 30) / 29
            let (x, y) = i < 30 ? (cos(t), sin(t)) : (1 - cos(t), 0.5 - sin(t))
            points.append([
                NumberFormatTest.s(x), NumberFormatTest.s(y), i < 30 ? "0" : "1", i % 5 == 0 ? "test" : "train"
            ])
        }
        for (h, hidden) in ["[4]", "[8]"].enumerated() {
            for (l, l2) in ["0", "0.01", "0.1"].enumerated() {
                let name = "hidden=\(hidden.dropFirst().dropLast()),l2=\(l2)"
                let rate = 0.05 + 0.02 * Double(h) + 0.01 * Double(l)
                let cost = (1...epochs).map { 0.7 * exp(-rate * Double($0)) + 0.02 * Double(l + 1) }
                let trainAcc = (1...epochs).map { min(1, 0.5 + 0.5 * (1 - exp(-rate * Double($0)))) }
                let testAcc = trainAcc.map { $0 - 0.02 * Double(l) }
                files["\(name)/cost.csv"] = csv(
                    "epoch,cost,train_accuracy,test_accuracy",
                    (0..<epochs).map {
                        [
                            "\($0 + 1)", NumberFormatTest.s(cost[$0]), NumberFormatTest.s(trainAcc[$0]),
                            NumberFormatTest.s(testAcc[$0])
                        ]
                    })
                let acc = ["train": trainAcc.last!, "test": testAcc.last!]
                files["\(name)/metrics.csv"] = metrics(
                    cost.last!, [("train", acc["train"]!), ("test", acc["test"]!)], epochs: epochs)
                files["\(name)/config.yaml"] = config(
                    "moons", name, [("model.hidden", hidden), ("regularization.l2", l2)])
                files["\(name)/confusion-test.csv"] = csv(
                    "true\\predicted,0,1", [["0", "6", "\(l)"], ["1", "\(h)", "6"]])
                var grid: [[String]] = []
                for gy in 0..<30 {
                    for gx in 0..<40 {
                        let x = -1.5 + 4 * (Double(gx) + 0.5) / 40
                        let y = -1.0 + 2.5 * (Double(gy) + 0.5) / 30
                        let boundary = 0.25 - 0.4 * sin(2 * (x - 0.5)) * Double(h + 1) / 2
                        grid.append([NumberFormatTest.s(x), NumberFormatTest.s(y), y > boundary ? "0" : "1"])
                    }
                }
                files["\(name)/decision-boundary.csv"] = csv("x,y,predicted", grid)
                files["\(name)/points.csv"] = csv("x,y,label,split", points)
                files["\(name)/run.log"] = "ignored\n"
                runs.append((name, [hidden, l2], cost.last!, acc))
            }
        }
        files["summary.csv"] = summary(["model.hidden", "regularization.l2"], runs, epochs: epochs)
        files["spec.yaml"] =
            "# two moons\nexperiment: moons\nsweep: {model.hidden: [[4], [8]], regularization.l2: [0, 0.01, 0.1]}\n"
        try write(files, under: root)
    }

    /// Ten-class images: 3 learning rates, minibatch costs, a 10×10 confusion matrix and 30
    /// misclassified 8×8 images (the report shows the first 25).
    static func images(_ root: URL) throws {
        var files: [String: String] = [:]
        var runs: [(name: String, values: [String], cost: Double, acc: [String: Double])] = []
        let epochs = 20
        let perEpoch = 5
        let classes = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
        for (k, lr) in ["0.01", "0.1", "1"].enumerated() {
            let name = "learning_rate=\(lr)"
            let steps: [Double] = (1...(epochs * perEpoch)).map { (s: Int) -> Double in
                let decay: Double = exp(-0.03 * Double(k + 1) * Double(s))
                return 2.3 * decay + 0.1 + 0.05 * Double(s % 3)
            }
            let epochCost: [Double] = (0..<epochs).map { (e: Int) -> Double in
                let chunk = steps[(e * perEpoch)..<((e + 1) * perEpoch)]
                return chunk.reduce(0, +) / Double(perEpoch)
            }
            files["\(name)/cost-minibatch.csv"] = csv(
                "step,cost", steps.enumerated().map { ["\($0.offset + 1)", NumberFormatTest.s($0.element)] })
            files["\(name)/cost.csv"] = csv(
                "epoch,cost", epochCost.enumerated().map { ["\($0.offset + 1)", NumberFormatTest.s($0.element)] })
            let acc = ["train": 0.8 + 0.05 * Double(k), "test": 0.78 + 0.06 * Double(k)]
            files["\(name)/metrics.csv"] = metrics(
                epochCost.last!, [("train", acc["train"]!), ("test", acc["test"]!)], epochs: epochs)
            files["\(name)/config.yaml"] = config("digits", name, [("optimizer.learning_rate", lr)])
            files["\(name)/confusion-test.csv"] = csv(
                "true\\predicted," + classes.joined(separator: ","),
                (0..<10).map { t in
                    [classes[t]] + (0..<10).map { p in "\(t == p ? 90 + 3 * k : (t + p + k) % 4)" }
                })
            var images: [[String]] = []
            for i in 0..<30 {
                let t = i % 10
                let p = (i + 3) % 10
                let pixels = (0..<64).map { q -> String in
                    let (x, y) = (q % 8, q / 8)
                    return (x == t % 8 || y == (t + i) % 8 || x == y) ? "\(128 + 12 * t)" : "0"
                }
                images.append(["\(i * 7)", "\(t)", "\(p)", "8", "8"] + pixels)
            }
            files["\(name)/misclassified.csv"] = csv(
                "index,true,predicted,width,height," + (0..<64).map { "p\($0)" }.joined(separator: ","), images)
            runs.append((name, [lr], epochCost.last!, acc))
        }
        files["summary.csv"] = summary(["optimizer.learning_rate"], runs, epochs: epochs)
        try write(files, under: root)
    }

    /// Regression (no accuracy anywhere): 4 values of l2 over three decades; costs spanning four decades.
    static func regression(_ root: URL) throws {
        var files: [String: String] = [:]
        var runs: [(name: String, values: [String], cost: Double, acc: [String: Double])] = []
        let epochs = 100
        for (k, l2) in ["0.001", "0.01", "0.1", "1"].enumerated() {
            let name = "l2=\(l2)"
            let cost = (1...epochs).map { 50 * exp(-0.08 * Double($0)) + 0.004 * pow(4, Double(k)) }
            files["\(name)/cost.csv"] = csv(
                "epoch,cost", cost.enumerated().map { ["\($0.offset + 1)", NumberFormatTest.s($0.element)] })
            files["\(name)/metrics.csv"] = metrics(cost.last!, [], epochs: epochs)
            files["\(name)/config.yaml"] = config("housing", name, [("regularization.l2", l2)])
            runs.append((name, [l2], cost.last!, [:]))
        }
        files["summary.csv"] = summary(["regularization.l2"], runs, epochs: epochs)
        try write(files, under: root)
    }
}

enum NumberFormatTest {
    /// Shortest round-trip text, as nnexp writes numbers.
    static func s(_ v: Double) -> String { v == v.rounded() && abs(v) < 1e15 ? String(Int64(v)) : v.description }
}
