/// `summary.csv`: one row per run, in the experiment's run order, read back from the runs' stored
/// files, so the summary is the same whether the runs were trained now, earlier or in pieces.
public enum Summary {
    public static let columns = ["status", "epochs", "final_cost", "train_accuracy", "validation_accuracy", "test_accuracy"]

    public static func table(_ e: Experiment, store: ResultStore) -> CSVTable {
        var t = CSVTable(header: ["run"] + e.axes + columns)
        for c in e.runs {
            let axisValues = e.axes.map { axis in c.axisValues.first(where: { $0.key == axis })?.value ?? "" }
            t.append([c.runName] + axisValues + row(store.stored(c)))
        }
        return t
    }

    /// The summary fields of a stored run; a run that has not finished is `not-run`.
    static func row(_ s: StoredRun) -> [String] {
        guard case .finished(let status, let m) = s else { return ["not-run"] + Array(repeating: "", count: columns.count - 1) }
        return [status] + columns.dropFirst().map { m[$0] ?? "" }
    }
}
