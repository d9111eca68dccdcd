import Foundation

/// The files of an experiment as a whole: `summary.csv`, `cells.csv`, `spec.yaml`, `report.html` and
/// `charts/` (and the results root's `index.html`).
/// Rebuilt from the run folders present (never from what one process planned or trained) under the
/// experiment lock, each written to a temporary name, flushed and renamed, so any number of
/// processes finishing in any order leave the same files, and `--only` makes no run disappear.
public enum ExperimentFiles {
    /// Rebuilds the experiment's files for every run of its spec (`e.runs` must be the whole sweep,
    /// not an `--only` selection): finished runs from their folders, runs held by a live claim as
    /// `running`, the others as `not-run`. Also removes temporary folders whose claims are gone.
    /// With `sweep.halving`, each run is taken at the last rung it reached and `rungs.csv` is
    /// rebuilt from the rung records (`HalvingRunner.replay`).
    public static func rebuild(_ e: Experiment, store: ResultStore, report: Bool) throws {
        var e = e
        var rungs: [UInt8]? = nil
        if e.halving != nil {
            let replayed = HalvingRunner(store: store, experiment: e).replay()
            e.runs = replayed.finalRuns
            rungs = Array(HalvingRunner.table(replayed.rows).text.utf8)
        }
        let dir = store.experimentDirectory(e.name)
        try ExperimentLock.withLock(dir) {
            store.removeLeftovers(e.name, claims: ClaimStore(experimentDirectory: dir))
            if let rungs { try store.writeExperimentFile(e.name, name: "rungs.csv", contents: rungs) }
            try store.writeExperimentFile(
                e.name, name: "summary.csv", contents: Array(Summary.table(e, store: store).text.utf8))
            let results = try ResultsReader.read(experimentDirectory: dir)
            try DurableFiles.replace(
                (dir as NSString).appendingPathComponent("cells.csv"), with: Array(CellsFile.table(results).text.utf8))
            if report {
                try store.writeExperimentFile(e.name, name: "spec.yaml", contents: Array(e.specText.utf8))
                _ = try ReportWriter.writeHoldingLock(experimentDirectory: dir)
            }
        }
        try Overview.write(resultsRoot: store.root)
    }
}
