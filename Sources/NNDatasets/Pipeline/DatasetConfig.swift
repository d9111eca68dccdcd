import Foundation

/// Everything that decides a dataset, as the experiments module decodes it from a spec's `data:` block.
/// Loading is `source → first-N subsets → pool (optionally merged with the test part) → random sample →
/// split → preprocessing` (see docs/datasets.md); the same config and seed always give the same data.
public struct DatasetConfig: Hashable, Sendable {
    /// Where the samples come from (spec key `dataset.name` and the source's own keys).
    public enum Source: Hashable, Sendable {
        /// MNIST IDX files in `path` (a folder) or `<dataRoot>/mnist`. Own train (60 000) and test (10 000) parts.
        case mnist(path: String?)
        /// Fashion-MNIST IDX files in `path` or `<dataRoot>/fashion-mnist` (else Debian's
        /// /usr/share/datasets/fashion-mnist). Own train and test parts.
        case fashionMNIST(path: String?)
        /// Fisher's iris, bundled: 150 × 4, classes setosa/versicolor/virginica. No own test part.
        case iris
        /// make_moons: `count` points, Gaussian `noise` (e.g. 200, 0.2). Generated from the seed.
        case moons(count: Int, noise: Double)
        /// make_circles: `count` points, `noise`, inner radius `factor` (scikit-learn default 0.8).
        case circles(count: Int, noise: Double, factor: Double)
        /// The four XOR points, each `repeats` times, jittered by `noise` (0 = exact points).
        case xor(repeats: Int, noise: Double)
        /// make_blobs: `count` points around `centers` random centres in [-10,10)^dimension, spread `std`.
        case blobs(count: Int, centers: Int, std: Double, dimension: Int)
        /// CS231n spirals: `count` points on `classes` arms, angle noise `noise` (0.2 is the classic).
        case spirals(count: Int, classes: Int, noise: Double)
        /// Samples written in the spec; `test` (optional) is an own test part.
        case inline(train: InlineData, test: InlineData?)
        /// A CSV file; `test` (optional) is a second file used as the own test part, read with the
        /// same options except its path. Class names are shared (test labels must occur in train).
        case csv(CSVOptions, testPath: String?)
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
    public init(source: Source, trainCount: Int? = nil, testCount: Int? = nil, mergeTest: Bool = false,
                sample: Int? = nil, split: SplitConfig = SplitConfig(), preprocessing: [PreprocessStep] = [],
                dataRoot: String? = nil) {
        self.source = source; self.trainCount = trainCount; self.testCount = testCount; self.mergeTest = mergeTest
        self.sample = sample; self.split = split; self.preprocessing = preprocessing; self.dataRoot = dataRoot
    }

    /// Whether the result depends on the seed (generated data, random sample, shuffled holdouts).
    /// Loads that do not are cached once for all seeds.
    public var usesSeed: Bool {
        switch source {
        case .moons, .circles, .blobs, .spirals: return true
        case .xor(_, let noise) where noise > 0: return true
        default: break
        }
        if sample != nil { return true }
        return split.shuffle && (split.validation != nil || split.test.isHoldout)
    }

    /// The name reports show for the source.
    public var sourceName: String {
        switch source {
        case .mnist: return "mnist"
        case .fashionMNIST: return "fashion-mnist"
        case .iris: return "iris"
        case .moons: return "moons"
        case .circles: return "circles"
        case .xor: return "xor"
        case .blobs: return "blobs"
        case .spirals: return "spirals"
        case .inline(let d, _): return d.name
        case .csv(let o, _): return o.path
        }
    }
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
        self.test = test; self.validation = validation; self.stratify = stratify; self.shuffle = shuffle
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

/// Samples written directly in a spec.
public struct InlineData: Hashable, Sendable {
    /// The targets of inline samples.
    public enum Targets: Hashable, Sendable {
        /// One class label per row, as written (numbers or names; encoded like CSV labels).
        case labels([String])
        /// One row of regression targets per feature row.
        case values([[Double]])
    }
    /// The dataset's name in reports. Default `inline`.
    public var name: String
    /// One row of features per sample.
    public var features: [[Double]]
    /// Labels or target rows, one per sample.
    public var targets: Targets
    /// Inline samples as the spec wrote them.
    public init(name: String = "inline", features: [[Double]], targets: Targets) {
        self.name = name; self.features = features; self.targets = targets
    }
}

extension DatasetConfig {
    /// The files loading this dataset reads, each as (name, path): `name` is how the file is known
    /// independently of the machine (a CSV's path as configured; `<set>/<file name>` for an IDX set,
    /// whose folder may come from NNEXP_DATA), `path` where it is read. Files that cannot be found are
    /// left out (loading reports them). Generated sets and the bundled iris read no file.
    public func inputFiles() -> [(name: String, path: String)] {
        switch source {
        case .csv(let o, let testPath):
            return [(o.path, o.path)] + (testPath.map { [($0, $0)] } ?? [])
        case .mnist(let path), .fashionMNIST(let path):
            let set: IDXSet
            if case .mnist = source { set = .mnist } else { set = .fashionMNIST }
            let folder = set.folder(path: path, dataRoot: DataRoot.resolve(dataRoot))
            var out: [(String, String)] = []
            for kind in ["train", "t10k"] {
                for (what, dims) in [("images", 3), ("labels", 1)] {
                    guard let p = try? IDXFolder.locate(folder, kind: kind, what: what, dims: dims, setName: set.displayName) else { continue }
                    out.append(("\(set.rawValue)/\((p as NSString).lastPathComponent)", p))
                }
            }
            return out
        default:
            return []
        }
    }
}
