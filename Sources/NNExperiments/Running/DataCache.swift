import Foundation
import NNDatasets

/// The data a run trains on. NNDatasets' `DatasetLoader` already keeps each distinct (config, seed)
/// once per process — and ignores the seed for configs that draw nothing at random — so concurrent
/// runs share one read-only copy without a second cache here.
enum DataCache {
    static func load(_ c: RunConfig) throws -> SplitDataset {
        try DatasetLoader.load(c.dataset, seed: c.dataSeed ?? c.seed)
    }
}

extension Experiment {
    /// Checks every run's layer sizes against its data (loading each dataset once) and returns the
    /// contradictions as diagnostics at `model.layers`. Throws when a dataset cannot be loaded.
    public func checkAgainstData() throws -> [Diagnostic] {
        var out: Set<Diagnostic> = []
        for c in runs {
            let data = try DataCache.load(c)
            if let problem = RunExecutor.shapeProblem(c, data: data.train) {
                out.insert(Diagnostic(c.model.sizesLocation ?? c.experimentLocation ?? SourceLocation(file: specPath, line: 1, column: 1), problem))
            }
        }
        return out.sorted()
    }
}
