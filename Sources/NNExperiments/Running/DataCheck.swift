import Foundation
import NNDatasets

/// What checking an experiment against its data found.
public struct DataCheck: Sendable {
    /// Spec mistakes only the data reveals (sizes that contradict it, a split larger than it, a run
    /// that cannot fit in memory, a missing `model.init.file`), each at the line that causes it.
    public var diagnostics: [Diagnostic] = []
    /// Data files that could not be read, one message each; the runs using them fail when trained,
    /// the others are unaffected.
    public var unreadable: [String] = []
}

extension Experiment {
    /// Checks every run against its data (loading each dataset once, after making sure it fits in
    /// memory): layer sizes, dataset options that contradict the data, the run's memory footprint
    /// (`RunFootprint`) and `model.init.file`.
    public func checkAgainstData() -> DataCheck {
        var out: Set<Diagnostic> = []
        var unreadable: [String] = []
        let fallback = SourceLocation(file: specPath, line: 1, column: 1)
        // Each split is dropped after the last run checked against it (a seed sweep would otherwise
        // hold every seed's split at once); training loads it again, from the cached raw files.
        RunData.retain(runs)
        for c in runs {
            defer { RunData.release(c) }
            if let file = c.model.initFile {
                let path = file.hasPrefix("/") ? file : (c.specDirectory as NSString).appendingPathComponent(file)
                if let why = FileCheck.problem(path) {
                    out.insert(
                        Diagnostic(
                            c.location("model.init.file", "model.init", "model") ?? fallback,
                            "`model.init.file`: \(path): \(why)"))
                }
            }
            if let shape = c.dataset.expectedShape, let problem = footprintProblem(c, shape) {
                out.insert(problem)
                continue  // generating the data alone could exhaust memory
            }
            let data: SplitDataset
            do { data = try RunData.load(c) } catch let e as DatasetError where e.key != nil {
                out.insert(Diagnostic(c.location("dataset.\(e.key!)", "dataset") ?? fallback, "dataset: \(e.message)"))
                continue
            } catch {
                let message = ErrorText.describe(error)
                if !unreadable.contains(message) { unreadable.append(message) }
                continue
            }
            if let problem = RunExecutor.shapeProblem(c, data: data.train) {
                let at =
                    problem.key == "model.layers"
                    ? c.model.sizesLocation : c.location(problem.key, "model.layers", "model.hidden")
                out.insert(Diagnostic(at ?? c.experimentLocation ?? fallback, problem.message))
            } else if c.dataset.expectedShape == nil, let problem = footprintProblem(c, Dataset.shape(data)) {
                out.insert(problem)
            }
        }
        return DataCheck(diagnostics: out.sorted(), unreadable: unreadable)
    }

    private func footprintProblem(_ c: RunConfig, _ shape: RunFootprint.DataShape) -> Diagnostic? {
        let f = RunFootprint(c, data: shape)
        guard let problem = f.problem() else { return nil }
        let at: SourceLocation?
        switch f.largestPart {
        case "dataset": at = c.location("dataset")
        case "optimizer":
            at = c.location(
                "optimizer.memory", "optimizer.max_iterations", "optimizer.type", "model.layers", "model.hidden")
        case "training": at = c.location("training.epochs", "training")
        default: at = c.model.sizesLocation ?? c.location("model")
        }
        return Diagnostic(at ?? SourceLocation(file: specPath, line: 1, column: 1), problem)
    }
}
