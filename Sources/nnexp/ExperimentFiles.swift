import Foundation
import NNExperiments

/// The experiment-level files `run` and `merge` write after runs land: summary.csv from the stored
/// runs, and (unless left out) spec.yaml, report.html and charts/.
enum ExperimentFiles {
    /// Writes them for every experiment with runs; prints each failure and returns false if any.
    static func write(_ experiments: [Experiment], store: ResultStore, report: Bool) -> Bool {
        var ok = true
        for e in experiments where !e.runs.isEmpty {
            do {
                try store.writeExperimentFile(e.name, name: "summary.csv", contents: Array(Summary.table(e, store: store).text.utf8))
            } catch {
                SpecCommandSupport.printError("error: cannot write summary.csv of \(e.name): \(error)")
                ok = false
                continue
            }
            guard report else { continue }
            do {
                try store.writeExperimentFile(e.name, name: "spec.yaml", contents: Array(e.specText.utf8))
                try ReportWriter.write(experimentDirectory: store.experimentDirectory(e.name))
            } catch {
                SpecCommandSupport.printError("error: cannot write the report of \(e.name): \(error)")
                ok = false
            }
        }
        return ok
    }
}
