import Foundation
import NNDatasets

/// The data runs train on, held by plan: loads a run's split and counts how many planned runs still
/// need it. Not a cache of its own: NNDatasets' `DatasetLoader` already keeps each distinct (config,
/// seed) once per process — and ignores the seed for configs that draw nothing at random — so
/// concurrent runs share one read-only copy.
///
/// Who may drop it: whoever plans runs (the scheduler, the data check) `retain`s each run's data before
/// the first of them starts and `release`s it as each ends, so a split and its converted samples
/// (`SampleCache`) leave memory when the last run needing them is done. A split is only row indices
/// into the loaded pool (raw IDX bytes stay cached), so what a split really costs is its converted samples.
/// The report's misclassified images come from the same split (its rows before preprocessing), so no
/// unpreprocessed copy of the data is ever loaded for them.
enum RunData {
    /// `c`'s split, loaded once per process (by `DatasetLoader`) and shared by every run that uses it.
    static func load(_ c: RunConfig) throws -> SplitDataset {
        try DatasetLoader.load(c.dataset, seed: c.dataSeed ?? c.seed)
    }

    /// Marks each of `runs`' splits as needed once more per run.
    static func retain(_ runs: [RunConfig]) {
        for c in runs { DatasetCache.shared.retain(c.dataset, seed: c.dataSeed ?? c.seed) }
    }

    /// Ends `c`'s use of its split; when no other planned run needs it, it leaves both caches.
    static func release(_ c: RunConfig) {
        if let gone = DatasetCache.shared.release(c.dataset, seed: c.dataSeed ?? c.seed) { SampleCache.forget(gone) }
    }
}
