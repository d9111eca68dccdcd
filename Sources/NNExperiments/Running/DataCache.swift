import Foundation
import NNDatasets

/// Loads each distinct dataset once per process and shares it between every run that asks for it
/// (the datasets are immutable value arrays, so concurrent readers need no copies). Loading happens
/// under one lock: two runs wanting the same set wait for one load instead of doing two.
enum DataCache {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var cache: [String: SplitDataset] = [:]

    /// What identifies a loaded dataset: its resolved config and the seed that drives its splits.
    static func key(_ c: RunConfig) -> String { "\(c.dataset)|\(c.dataSeed ?? c.seed)" }

    static func load(_ c: RunConfig) throws -> SplitDataset {
        lock.lock(); defer { lock.unlock() }
        let k = key(c)
        if let d = cache[k] { return d }
        let d = try DataProvider.load(c)
        cache[k] = d
        return d
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
