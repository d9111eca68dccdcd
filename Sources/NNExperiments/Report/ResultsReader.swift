import Foundation

/// Reads `results/<experiment>/` into `ExperimentResults`, from the result files alone: `summary.csv`
/// gives the run order and sweep axes when present; otherwise run folders are taken in name order and
/// their axes from the `sweep:` block of each `config.yaml` (read by `ConfigLeaves`).
public enum ResultsReader {
    /// Reads every run of an experiment folder; throws `ResultsReadError` naming a file that cannot be understood.
    public static func read(experimentDirectory dir: String) throws -> ExperimentResults {
        let fm = FileManager.default
        var isDir: ObjCBool = false
        guard fm.fileExists(atPath: dir, isDirectory: &isDir), isDir.boolValue else {
            throw ResultsReadError(path: dir, message: "no such results folder")
        }
        func path(_ parts: String...) -> String { parts.reduce(dir) { ($0 as NSString).appendingPathComponent($1) } }
        let runDirs = try fm.contentsOfDirectory(atPath: dir).filter { name in
            var d: ObjCBool = false
            return !name.hasPrefix(".") && fm.fileExists(atPath: path(name), isDirectory: &d) && d.boolValue
                && fm.fileExists(atPath: path(name, "metrics.csv"))
        }.sorted()

        var order: [String] = []
        var axes: [String] = []
        var summaryAxisValues: [String: [(key: String, value: String)]] = [:]
        var summaryStatus: [String: String] = [:]
        var summaryFlag: [String: String] = [:]
        var hasSummary = false
        if let bytes = readBytes(path("summary.csv")) {
            let doc = try CSVDocument.parse(bytes, path: path("summary.csv"))
            guard doc.header.first == "run", let statusCol = doc.column("status") else {
                throw ResultsReadError(
                    path: path("summary.csv"), message: "expected a header starting `run,` with a `status` column")
            }
            axes = Array(doc.header[1..<statusCol])
            hasSummary = true
            let flagCol = doc.column("flag")
            for row in doc.rows {
                if let f = flagCol, !row[f].isEmpty { summaryFlag[row[0]] = row[f] }
                order.append(row[0])
                summaryAxisValues[row[0]] = axes.enumerated().map { ($1, row[$0 + 1]) }
                summaryStatus[row[0]] = row[statusCol]
            }
        }
        for r in runDirs where !order.contains(r) { order.append(r) }
        if order.isEmpty {
            throw ResultsReadError(
                path: dir, message: "no runs found (no summary.csv and no run folders with metrics.csv)")
        }

        var runs: [RunResults] = []
        for name in order {
            let runDir = path(name)
            let configPath = (runDir as NSString).appendingPathComponent("config.yaml")
            let configAxes =
                try readBytes(configPath)
                .map { try ConfigLeaves(String(decoding: $0, as: UTF8.self), path: configPath).sweepValues } ?? []
            let axisValues = summaryAxisValues[name] ?? configAxes
            if summaryAxisValues.isEmpty { for (k, _) in configAxes where !axes.contains(k) { axes.append(k) } }
            var run = try RunReader.read(runDir, name: name, axisValues: axisValues)
            // A run without result files shows what the summary says of it (`running`, `not-run`).
            if run.status == "missing", let s = summaryStatus[name], s == "running" || s == "not-run" { run.status = s }
            // A folder the summary does not list is a run the spec (as last run) does not make.
            run.flag = summaryFlag[name] ?? (hasSummary && summaryStatus[name] == nil ? "orphaned" : nil)
            runs.append(run)
        }
        var values: [String: [String]] = [:]
        for a in axes {
            var seen: [String] = []
            for r in runs {
                if let v = r.axisValues.first(where: { $0.key == a })?.value, !seen.contains(v) { seen.append(v) }
            }
            values[a] = seen
        }
        let spec = readBytes(path("spec.yaml")).map { String(decoding: $0, as: UTF8.self) }
        let name = (dir as NSString).standardizingPath.split(separator: "/").last.map(String.init) ?? dir
        return ExperimentResults(name: name, directory: dir, specText: spec, axes: axes, axisValues: values, runs: runs)
    }

    static func readBytes(_ path: String) -> [UInt8]? {
        FileManager.default.contents(atPath: path).map { [UInt8]($0) }
    }
}

/// Reads one run folder.
enum RunReader {
    static func read(_ dir: String, name: String, axisValues: [(key: String, value: String)]) throws -> RunResults {
        func p(_ f: String) -> String { (dir as NSString).appendingPathComponent(f) }
        func csv(_ f: String) throws -> CSVDocument? {
            try ResultsReader.readBytes(p(f)).map { try CSVDocument.parse($0, path: p(f)) }
        }
        var run = RunResults(name: name, axisValues: axisValues, status: "missing")
        if let m = try csv("metrics.csv") {
            guard m.header == ["metric", "value"] else {
                throw ResultsReadError(path: p("metrics.csv"), message: "expected the header `metric,value`")
            }
            for row in m.rows {
                switch row[0] {
                case "status": run.status = row[1]
                case "epochs": run.epochs = Int(row[1])
                default: break
                }
                if row[0] != "status", let v = CSVDocument.number(row[1]) { run.metrics[row[0]] = v }
                switch row[0] {
                case "final_cost": run.finalCost = row[1].isEmpty ? nil : CSVDocument.number(row[1])
                case let k where k.hasSuffix("_accuracy"):
                    if let v = CSVDocument.number(row[1]) { run.accuracy[String(k.dropLast("_accuracy".count))] = v }
                default: break
                }
            }
        }
        if let c = try csv("cost.csv") {
            guard c.header.count >= 2 else {
                throw ResultsReadError(
                    path: p("cost.csv"), message: "expected an epoch column and at least one value column")
            }
            run.epochIndex = try c.numbers(0, path: p("cost.csv"))
            run.stepName = c.header[0]
            for col in 1..<c.header.count {
                run.epochColumns.append((c.header[col], try c.numbers(col, path: p("cost.csv"))))
            }
        }
        if let mb = try csv("cost-minibatch.csv") {
            guard let col = mb.column("cost") else {
                throw ResultsReadError(path: p("cost-minibatch.csv"), message: "expected a `cost` column")
            }
            run.minibatchCost = try mb.numbers(col, path: p("cost-minibatch.csv"))
        }
        for split in ["train", "validation", "test"] {
            let f = "confusion-\(split).csv"
            if let c = try csv(f) { run.confusion[split] = try confusion(c, path: p(f)) }
        }
        if let g = try csv("decision-boundary.csv") {
            run.decisionBoundary = try OptionalRunFiles.grid(g, path: p("decision-boundary.csv"))
        }
        if let pts = try csv("points.csv") { run.points = try OptionalRunFiles.points(pts, path: p("points.csv")) }
        if let m = try csv("misclassified.csv") {
            run.misclassified = try OptionalRunFiles.images(m, path: p("misclassified.csv"))
        }
        if let d = try csv("diagnostics.csv") {
            run.diagnostics = try DiagnosticsCharts.read(d, path: p("diagnostics.csv"))
        }
        return run
    }

    static func confusion(_ c: CSVDocument, path: String) throws -> ConfusionMatrix {
        let classes = Array(c.header.dropFirst())
        guard c.rows.count == classes.count else {
            throw ResultsReadError(
                path: path, message: "\(c.rows.count) rows for \(classes.count) classes (expected a square matrix)")
        }
        let counts = try c.rows.enumerated().map { n, row in
            try row.dropFirst().map { s -> Int in
                guard let v = Int(s) else {
                    throw ResultsReadError(path: path, message: "line \(n + 2): `\(s)` is not a count")
                }
                return v
            }
        }
        return ConfusionMatrix(classes: classes, counts: counts)
    }
}
