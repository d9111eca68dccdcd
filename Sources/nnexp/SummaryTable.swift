import NNExperiments

/// The table printed after a sweep: every run of every experiment with its stored status, final
/// cost and accuracies, columns aligned.
enum SummaryTable {
    static func render(_ experiments: [Experiment], store: ResultStore) -> String {
        var rows: [[String]] = [["run", "status", "epochs", "final cost", "train acc", "validation acc", "test acc"]]
        for e in experiments {
            for r in e.runs {
                var row = ["\(e.name)/\(r.runName)"]
                switch store.stored(r) {
                case .finished(let status, let m):
                    row += [status, m["epochs"] ?? ""] + ["final_cost", "train_accuracy", "validation_accuracy", "test_accuracy"].map { m[$0] ?? "" }
                default:
                    row += ["not-run", "", "", "", "", ""]
                }
                rows.append(row)
            }
        }
        // Accuracy columns that no run has are left out.
        let keep = (0..<rows[0].count).filter { c in c < 4 || rows.dropFirst().contains { !$0[c].isEmpty } }
        let widths = keep.map { c in rows.map { $0[c].count }.max() ?? 0 }
        var out = ""
        for row in rows {
            let cells = zip(keep, widths).map { c, w in row[c].padding(toLength: w, withPad: " ", startingAt: 0) }
            out += cells.joined(separator: "  ").trimmingTrailingSpaces() + "\n"
        }
        return out
    }
}

private extension String {
    func trimmingTrailingSpaces() -> String {
        var s = self
        while s.last == " " { s.removeLast() }
        return s
    }
}
