import Foundation

/// Everything that decides a dataset, as the experiments module decodes it from a spec's `data:` block.
/// Loading is `source → first-N subsets → pool (optionally merged with the test part) → random sample →
/// split → preprocessing` (see docs/datasets.md); the same config and seed always give the same data.
public struct DatasetConfig: Hashable, Sendable {
    /// Where the samples come from (spec key `dataset.name` and the source's own keys): any registered
    /// `DataSource`, compared and hashed by its arguments. Each source's file adds a factory such as
    /// `.moons(count:noise:)`.
    public struct Source: Hashable, Sendable {
        /// The source and its arguments.
        public let unit: any DataSource
        /// A source from its unit.
        public init(_ unit: any DataSource) { self.unit = unit }
        /// Its `dataset.name`.
        public var name: String { type(of: unit).name }
        /// Equal when the units are (compared as `AnyHashable`, so of the same type).
        public static func == (a: Self, b: Self) -> Bool { AnyHashable(a.unit) == AnyHashable(b.unit) }
        /// Hashes the unit, consistently with `==`.
        public func hash(into h: inout Hasher) { h.combine(AnyHashable(unit)) }
    }

    /// The source and its arguments.
    public var source: Source
    /// Keep only the first N samples of the training part (Raschka's `train: 60000` style subsets).
    public var trainCount: Int?
    /// Keep only the first N samples of the source's own test part.
    public var testCount: Int?
    /// Put the own test part into the pool too (after the first-N subsets), e.g. all 70 000 MNIST
    /// digits as `fetch_mldata('MNIST original')` gave the classic seed. The split must then hold out
    /// a test set itself.
    public var mergeTest: Bool
    /// Keep a random N of the pool (seeded), e.g. the classic seed's 5000.
    public var sample: Int?
    /// How the pool is divided. Default: the source's own test part, no validation, shuffled.
    public var split: SplitConfig
    /// Applied in this order; each step is fitted on the final training part only.
    public var preprocessing: [PreprocessStep]
    /// Folder holding `mnist/` and `fashion-mnist/`; nil → NNEXP_DATA, else `data` (cwd-relative).
    public var dataRoot: String?

    /// A config with the given source; every other setting defaults to "as the source gives it".
    public init(
        source: Source, trainCount: Int? = nil, testCount: Int? = nil, mergeTest: Bool = false,
        sample: Int? = nil, split: SplitConfig = SplitConfig(), preprocessing: [PreprocessStep] = [],
        dataRoot: String? = nil
    ) {
        self.source = source
        self.trainCount = trainCount
        self.testCount = testCount
        self.mergeTest = mergeTest
        self.sample = sample
        self.split = split
        self.preprocessing = preprocessing
        self.dataRoot = dataRoot
    }

    /// Whether the result depends on the seed (generated data, random sample, shuffled holdouts).
    /// Loads that do not are cached once for all seeds.
    public var usesSeed: Bool {
        if source.unit.usesSeed { return true }
        if sample != nil { return true }
        return split.shuffle && (split.validation != nil || split.test.isHoldout)
    }

    /// The name messages and reports show for the source (a file's path for files).
    public var sourceName: String { source.unit.displayName }
}

/// How the pool is divided into train / validation / test.
public struct SplitConfig: Hashable, Sendable {
    /// A part's size: a fraction of the pool (0 < f < 1, rounded to the nearest sample) or a count.
    public enum Amount: Hashable, Sendable {
        case fraction(Double)
        case count(Int)
    }
    /// Where the test part comes from.
    public enum Test: Hashable, Sendable {
        /// The source's own test part (MNIST's t10k); sources without one get no test part.
        case own
        /// Held out of the pool (e.g. `.fraction(0.15)` for the classic 70/15/15).
        case holdout(Amount)
        /// No test part at all.
        case none
        var isHoldout: Bool { if case .holdout = self { return true } else { return false } }
    }
    /// Where the test part comes from. Default `.own`.
    public var test: Test
    /// Held out of the pool (after the test holdout); fractions are of the whole pool.
    public var validation: Amount?
    /// Keep class proportions in each held-out part (classification only).
    public var stratify: Bool
    /// Shuffle the pool (seeded) before holding out; off → parts are taken in order:
    /// train first, then validation, then test.
    public var shuffle: Bool

    /// A split with the defaults above (own test part, no validation, not stratified, shuffled).
    public init(test: Test = .own, validation: Amount? = nil, stratify: Bool = false, shuffle: Bool = true) {
        self.test = test
        self.validation = validation
        self.stratify = stratify
        self.shuffle = shuffle
    }
}

/// A feature (or target) transformation. Steps run in the order the spec lists them; statistics are
/// fitted on the training part (after the previous steps) and applied unchanged to validation and test.
public enum PreprocessStep: Hashable, Sendable {
    /// Divide every feature by the factor (pixels: 255 → 0…1).
    case scale(Double)
    /// 1 where a feature is greater than the threshold, else 0 (the classic seed: threshold 0).
    case binarize(threshold: Double)
    /// Subtract each column's training mean and divide by its training standard deviation
    /// (population, as scikit-learn's StandardScaler); columns with std 0 are only centred.
    case standardize
    /// Divide each column by its largest absolute training value (Welch's `X / amax(X, axis=0)`);
    /// all-zero columns are left alone.
    case maxScale
    /// Divide regression targets by the factor (Welch's `y / 100`).
    case scaleTargets(Double)
}

extension DatasetConfig {
    /// The files loading this dataset reads, each as (name, path): `name` is how the file is known
    /// independently of the machine (a CSV's path as configured; `<set>/<file name>` for an IDX set,
    /// whose folder may come from NNEXP_DATA), `path` where it is read. Files that cannot be found are
    /// left out (loading reports them). Generated sets and the bundled iris read no file.
    public func inputFiles() -> [(name: String, path: String)] { source.unit.inputFiles(dataRoot: dataRoot) }
}
