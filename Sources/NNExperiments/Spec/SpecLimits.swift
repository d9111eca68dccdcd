import NNDatasets
import NNEngine

/// Upper bounds on what a spec may ask for, so that no value can reach an integer overflow trap or an
/// allocation the machine cannot make. Each bound is far above any sensible experiment and far below
/// `Int.max`; docs/spec.md lists them. Memory itself is checked per run by `RunFootprint`.
public enum SpecLimits {
    /// Samples a dataset may generate or keep (`count`, `train`, `test`, `sample`, split counts).
    public static let maxSamples = DatasetLimits.maxSamples
    /// xor `repeats` (4 samples each).
    public static let maxRepeats = DatasetLimits.maxRepeats
    /// blobs `dimension` (features per sample).
    public static let maxDimension = DatasetLimits.maxDimension
    /// blobs `centers`, spirals `classes`.
    public static let maxClasses = DatasetLimits.maxClasses
    /// Width of any one layer in `model.layers` / `model.hidden`.
    public static let maxLayerWidth = 10_000_000
    /// Entries of `model.layers` / `model.hidden`.
    public static let maxLayerCount = 1_000
    /// `training.epochs`, `optimizer.max_iterations`, `early_stopping.patience`, `decay_every`.
    public static let maxSteps = SettingLimits.maxSteps
    /// `training.minibatches` and `training.batch_size`.
    public static let maxBatch = maxSamples
    /// lbfgs `memory` (correction pairs kept).
    public static let maxMemory = SettingLimits.maxMemory

    /// Bytes of one spec file.
    public static let maxSpecBytes = 16 << 20
    /// Deepest nesting of lists and mappings in a spec file.
    public static let maxNestingDepth = 64
    /// Nodes (scalars, lists, mappings) a spec file may hold once every alias is expanded.
    public static let maxNodes = 1_000_000
    /// Diagnostics printed for a set of specs; the rest are counted.
    public static let maxDiagnostics = 50
    /// Bytes of an experiment or run name (a folder name: most file systems allow 255).
    public static let maxNameBytes = 255
}
