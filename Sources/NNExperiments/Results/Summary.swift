import Foundation

/// `summary.csv`: one row per run, in the experiment's run order, read back from the runs' stored
/// files, so the summary is the same whether the runs were trained now, earlier or in pieces. Run
/// folders the spec does not make (any more) follow as `orphaned` rows; a run whose stored config is
/// not what the spec now makes is `stale`. Flagged runs stay out of cells, charts and selection.
/// `best` is `yes` for the runs of the best cell (`SelectionRule`, docs/results.md).
public enum Summary {
    /// The columns after the run name and axis values that every summary has.
    public static let columns = [
        "status", "epochs", "final_cost", "train_accuracy", "validation_accuracy", "test_accuracy", "flag", "best"
    ]
    /// Metric columns a summary has only when some run recorded them, in this order after
    /// `final_cost`: `best_epoch`, then per split the cost and, for regression, RMSE, MAE and R².
    public static let optionalColumns =
        ["best_epoch"]
        + ["train", "validation", "test"].flatMap { s in
            ["cost", "rmse", "mae", "r2"].map { "\(s)_\($0)" }
        }

    /// The columns for runs that recorded `present` metric names: `columns` with the optional ones
    /// present inserted after `final_cost`.
    static func columns(present: Set<String>) -> [String] {
        let extra = optionalColumns.filter(present.contains)
        let at = columns.firstIndex(of: "final_cost")! + 1
        return Array(columns[..<at]) + extra + Array(columns[at...])
    }

    /// The summary of `e`'s runs as stored under `store`, with orphaned folders and the flag and best columns.
    public static func table(_ e: Experiment, store: ResultStore) -> CSVTable {
        let dir = store.experimentDirectory(e.name)
        let claims = ClaimStore(experimentDirectory: dir)
        var found:
            [(name: String, axes: [(key: String, value: String)], stored: StoredRun, running: Bool, flag: String)] = []
        for c in e.runs {
            let axisValues = e.axes.map { axis in (axis, c.axisValues.first(where: { $0.key == axis })?.value ?? "") }
            let running = claims.read(c.runName).map { claims.liveness($0) == .live } ?? false
            let stored = store.stored(c)
            if stored == .changed, let m = storedMetrics((dir as NSString).appendingPathComponent(c.runName)) {
                found.append((c.runName, axisValues, .finished(status: m["status"] ?? "", metrics: m), false, "stale"))
            } else {
                found.append((c.runName, axisValues, stored, running, ""))
            }
        }
        for name in orphans(e, store: store) {
            let runDir = (dir as NSString).appendingPathComponent(name)
            let sweep = ConfigLeaves.orphanSweepValues(runDir)
            let axisValues = e.axes.map { axis in (axis, sweep.first { $0.key == axis }?.value ?? "") }
            let m = storedMetrics(runDir) ?? [:]
            found.append((name, axisValues, .finished(status: m["status"] ?? "", metrics: m), false, "orphaned"))
        }
        var present = Set<String>()
        for f in found {
            if case .finished(_, let m) = f.stored { for (k, v) in m where !v.isEmpty { present.insert(k) } }
        }
        let columns = columns(present: present)
        let rows = found.map { f in
            (name: f.name, axes: f.axes, fields: row(f.stored, running: f.running, columns: columns), flag: f.flag)
        }

        // The best cell, by the same rule and grouping the report uses.
        let results = rows.map { r -> RunResults in
            var run = RunResults(name: r.name, axisValues: r.axes, status: r.fields[0])
            for (k, v) in zip(columns.dropFirst(), r.fields.dropFirst()) where !v.isEmpty {
                run.metrics[k] = CSVDocument.number(v)
            }
            run.flag = r.flag.isEmpty ? nil : r.flag
            return run
        }
        let er = ExperimentResults(
            name: e.name, directory: dir, specText: nil, axes: e.axes, axisValues: [:], runs: results)
        let bestRuns = er.bestCellIndex.map { Set(er.cells[$0].runs) } ?? []

        var t = CSVTable(header: ["run"] + e.axes + columns)
        for (i, r) in rows.enumerated() {
            t.append([r.name] + r.axes.map(\.value) + r.fields + [r.flag, bestRuns.contains(i) ? "yes" : ""])
        }
        return t
    }

    /// Run folders in the experiment folder (holding a metrics.csv) that the spec does not make, by name.
    public static func orphans(_ e: Experiment, store: ResultStore) -> [String] {
        let dir = store.experimentDirectory(e.name)
        let known = Set(e.runs.map(\.runName))
        let fm = FileManager.default
        return ((try? fm.contentsOfDirectory(atPath: dir)) ?? []).filter { name in
            var isDir: ObjCBool = false
            let p = (dir as NSString).appendingPathComponent(name)
            return !name.hasPrefix(".") && !known.contains(name) && fm.fileExists(atPath: p, isDirectory: &isDir)
                && isDir.boolValue
                && fm.fileExists(atPath: (p as NSString).appendingPathComponent("metrics.csv"))
        }.sorted()
    }

    static func storedMetrics(_ runDir: String) -> [String: String]? {
        (try? String(contentsOfFile: (runDir as NSString).appendingPathComponent("metrics.csv"), encoding: .utf8))
            .flatMap(MetricsFile.parse)
    }

    /// The summary fields (status … test_accuracy) of a stored run; a run that has not finished is
    /// `running` while a live claim holds it, `not-run` otherwise.
    static func row(_ s: StoredRun, running: Bool = false, columns: [String] = Summary.columns) -> [String] {
        let fields = columns.dropLast(2)
        guard case .finished(let status, let m) = s else {
            return [running ? "running" : "not-run"] + Array(repeating: "", count: fields.count - 1)
        }
        return [status] + fields.dropFirst().map { m[$0] ?? "" }
    }
}

extension Summary {
    /// Brings an existing `summary.csv` up to date from the folder alone (no spec), for
    /// `nnexp report`: adds the `flag` and `best` columns when an older nnexp wrote it, keeps its
    /// rows and flags, appends run folders it does not list as `orphaned`, and marks the runs of the
    /// best cell. Returns false when there is no summary.csv (nothing to refresh). Called with the
    /// experiment lock held.
    @discardableResult
    static func refresh(experimentDirectory dir: String) throws -> Bool {
        let path = (dir as NSString).appendingPathComponent("summary.csv")
        guard let bytes = ResultsReader.readBytes(path) else { return false }
        let doc = try CSVDocument.parse(bytes, path: path)
        guard doc.header.first == "run", let statusCol = doc.column("status") else {
            throw ResultsReadError(path: path, message: "expected a header starting `run,` with a `status` column")
        }
        let axes = Array(doc.header[1..<statusCol])
        let old = doc.header.enumerated().filter { $0.element != "flag" && $0.element != "best" }.map(\.offset)
        let header = old.map { doc.header[$0] } + ["flag", "best"]
        let flagCol = doc.column("flag")
        var rows = doc.rows.map { r in old.map { r[$0] } + [flagCol.map { r[$0] } ?? "", ""] }
        let listed = Set(doc.rows.map { $0[0] })
        let fm = FileManager.default
        for name in ((try? fm.contentsOfDirectory(atPath: dir)) ?? []).sorted()
        where !name.hasPrefix(".") && !listed.contains(name) && Prune.runFolderExists(dir, name) {
            let runDir = (dir as NSString).appendingPathComponent(name)
            let sweep = ConfigLeaves.orphanSweepValues(runDir)
            let m = storedMetrics(runDir) ?? [:]
            let fields = header.dropFirst(1 + axes.count).dropLast(2).map {
                $0 == "status" ? m["status"] ?? "" : m[$0] ?? ""
            }
            rows.append([name] + axes.map { a in sweep.first { $0.key == a }?.value ?? "" } + fields + ["orphaned", ""])
        }
        func text() -> String {
            var t = CSVTable(header: header)
            for r in rows { t.append(r) }
            return t.text
        }
        try DurableFiles.replace(path, with: Array(text().utf8))
        let results = try ResultsReader.read(experimentDirectory: dir)
        let best = results.bestCellIndex.map { Set(results.cells[$0].runs.map { results.runs[$0].name }) } ?? []
        for i in rows.indices { rows[i][header.count - 1] = best.contains(rows[i][0]) ? "yes" : "" }
        let final = Array(text().utf8)
        if final != ResultsReader.readBytes(path) { try DurableFiles.replace(path, with: final) }
        return true
    }
}
