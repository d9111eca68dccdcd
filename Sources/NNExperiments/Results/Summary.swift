/// `summary.csv`: one row per run, in the experiment's run order, read back from the runs' stored
/// files, so the summary is the same whether the runs were trained now, earlier or in pieces.
public enum Summary {
    public static let columns = ["status", "epochs", "final_cost", "train_accuracy", "validation_accuracy", "test_accuracy"]

    public static func table(_ e: Experiment, store: ResultStore) -> CSVTable {
        var t = CSVTable(header: ["run"] + e.axes + columns)
        let claims = ClaimStore(experimentDirectory: store.experimentDirectory(e.name))
        for c in e.runs {
            let axisValues = e.axes.map { axis in c.axisValues.first(where: { $0.key == axis })?.value ?? "" }
            let running = claims.read(c.runName).map { claims.liveness($0) == .live } ?? false
            t.append([c.runName] + axisValues + row(store.stored(c), running: running))
        }
        return t
    }

    /// The summary fields of a stored run; a run that has not finished is `running` while a live
    /// claim holds it, `not-run` otherwise.
    static func row(_ s: StoredRun, running: Bool = false) -> [String] {
        guard case .finished(let status, let m) = s else {
            return [running ? "running" : "not-run"] + Array(repeating: "", count: columns.count - 1)
        }
        return [status] + columns.dropFirst().map { m[$0] ?? "" }
    }
}
