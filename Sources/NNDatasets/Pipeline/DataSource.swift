import NNEngine
import NNRandom

/// A dataset source as one unit, as an optimizer is one (`NNEngine.Optimizer`): a value type holding
/// its arguments (defaults documented beside each), the spec keys it reads and writes, their
/// validation, its nominal shape for work and memory estimates, and how it loads. Each lives in its own
/// file and is listed once in `SourceRegistry.all`; the spec decoder (`dataset.name` choices, "does
/// not apply to dataset" messages, "did you mean"), the canonical config that fingerprints runs, the
/// work estimate and the memory check all derive from that list.
///
/// NNDatasets knows nothing of YAML: a source reads its arguments through `SourceReader` (the spec
/// decoder implements it over the `dataset:` mapping, reporting each mistake at its line and column)
/// and writes them through the engine's `SettingsWriter` as typed values the caller formats. Each
/// numeric argument is an `IntArgument` or `NumberArgument`: the one validator the decoder applies
/// while reading and `check()` applies again when a config built in code reaches the loader.
public protocol DataSource: Hashable, Sendable {
    /// The value of `dataset.name` that selects it.
    static var name: String { get }
    /// Its own keys besides the common ones (`DatasetConfig`'s), in the order the canonical config writes them.
    static var keys: [String] { get }

    /// Reads and validates the arguments; a mistake is reported through `reader` and the default kept.
    init(reading reader: any SourceReader)
    /// Every argument, defaults spelled out (optional ones only when set), in `keys` order: the
    /// source's part of the run's canonical config.
    func write(to writer: inout SettingsWriter)
    /// The loader's check of the arguments, with the same validators as the decoder (a config built
    /// in code has not been through it); throws a `DatasetError` naming the key.
    func check() throws
    /// Whether the data depends on the seed (generated data). Default false.
    var usesSeed: Bool { get }
    /// The name messages and reports show (a file's path, the inline set's name). Default `name`.
    var displayName: String { get }
    /// Its size without loading it: exact for generated data and bundled sets, a guess for files.
    func nominalShape(dataRoot: String?) -> NominalShape
    /// The files it reads, each as (name, path): `name` how the file is known independently of the
    /// machine, `path` where it is read; files that cannot be found are left out (loading reports
    /// them). Default none.
    func inputFiles(dataRoot: String?) -> [(name: String, path: String)]
    /// The training part and its own test part, if it has one. `rng` is the seed's `data.generate`
    /// stream; `dataRoot` the config's `data_root` (nil: NNEXP_DATA, else `data`).
    func load(dataRoot: String?, rng: inout RNG) throws -> (train: Dataset, test: Dataset?)
}

extension DataSource {
    /// Default false: the data is the same for every seed.
    public var usesSeed: Bool { false }
    /// Default: the source's `name`.
    public var displayName: String { Self.name }
    /// Default: reads no file.
    public func inputFiles(dataRoot: String?) -> [(name: String, path: String)] { [] }
}

/// A source's size as far as it is known before loading, for `nnexp`'s work estimate (which run starts
/// first, how a sweep is sharded) and memory check; never part of a result.
public struct NominalShape: Hashable, Sendable {
    /// Samples of the training part (before first-N subsets and samples).
    public var samples: Int
    /// Features per sample.
    public var features: Int
    /// Network outputs (classes or target columns).
    public var outputs: Int
    /// True when these are the data's real sizes (generated data, iris); false for a guess (files,
    /// whose size is known only once read), which the memory check then does not use.
    public var exact: Bool
    /// A shape from its parts.
    public init(samples: Int, features: Int, outputs: Int, exact: Bool) {
        self.samples = samples
        self.features = features
        self.outputs = outputs
        self.exact = exact
    }
    /// The guess for a file not yet read: 1000 samples, 10 features, 2 outputs.
    public static let file = NominalShape(samples: 1_000, features: 10, outputs: 2, exact: false)
}

/// A whole-number argument with its default and range: read by the spec decoder (which reports a
/// value outside the range at its line) and checked by the loader, with the same words.
public struct IntArgument: Sendable {
    /// The spec key under `dataset`.
    public let key: String
    /// Used when the key is absent.
    public let defaultValue: Int
    /// Smallest allowed value.
    public let min: Int
    /// Largest allowed value.
    public let max: Int
    /// An argument `key` in `min...max` defaulting to `defaultValue`.
    public init(_ key: String, default d: Int, min: Int, max: Int) {
        self.key = key
        self.defaultValue = d
        self.min = min
        self.max = max
    }
    /// What is wrong with `v` ("must be at least 2"), or nil when it is allowed.
    public func problem(_ v: Int) -> String? {
        if v < min { return "must be at least \(min)" }
        if v > max { return "must be at most \(max)" }
        return nil
    }
    /// Throws the problem with `v` as a `DatasetError` about this key of `source`.
    public func check(_ v: Int, source: String) throws {
        if let p = problem(v) { throw DatasetError("\(source): `dataset.\(key)` \(p), found \(v)", key: key) }
    }
}

/// A numeric argument with its default, bounds and an optional further rule (circles' factor below 1):
/// read by the spec decoder (reported at its line) and checked by the loader, with the same words.
public struct NumberArgument: Sendable {
    /// The spec key under `dataset`.
    public let key: String
    /// Used when the key is absent.
    public let defaultValue: Double
    /// Allowed range.
    public let bounds: Bounds
    /// A further rule: the problem with a value inside `bounds`, or nil.
    public let rule: (@Sendable (Double) -> String?)?
    /// An argument `key` within `bounds` (and `rule`) defaulting to `defaultValue`.
    public init(_ key: String, default d: Double, _ bounds: Bounds, rule: (@Sendable (Double) -> String?)? = nil) {
        self.key = key
        self.defaultValue = d
        self.bounds = bounds
        self.rule = rule
    }
    /// What is wrong with `v` ("must be greater than 0"), or nil when it is allowed. Non-finite values
    /// are refused.
    public func problem(_ v: Double) -> String? {
        guard v.isFinite else { return "must be a finite number" }
        if let lo = bounds.lower, bounds.exclusiveLower ? !(v > lo) : !(v >= lo) {
            return "must be \(bounds.exclusiveLower ? "greater than" : "at least") \(Self.format(lo))"
        }
        if let hi = bounds.upper, !(v <= hi) { return "must be at most \(Self.format(hi))" }
        return rule?(v)
    }
    /// Throws the problem with `v` as a `DatasetError` about this key of `source`.
    public func check(_ v: Double, source: String) throws {
        if let p = problem(v) {
            throw DatasetError("\(source): `dataset.\(key)` \(p), found \(Self.format(v))", key: key)
        }
    }
    /// A bound as people write it: 1 rather than 1.0.
    static func format(_ v: Double) -> String { v == v.rounded() && abs(v) < 1e15 ? String(Int(v)) : String(v) }
}

/// Where a source reads its arguments from (the spec decoder implements it over the `dataset:` mapping).
/// Each getter returns the value written, or the default (nil for optional ones) when the key is absent
/// or its value is wrong; a wrong value is reported with its location.
public protocol SourceReader {
    /// Whether the spec wrote `key`.
    func has(_ key: String) -> Bool
    /// A whole number, validated by `argument`.
    func int(_ argument: IntArgument) -> Int
    /// A number, validated by `argument`.
    func number(_ argument: NumberArgument) -> Double
    /// true/false.
    func bool(_ key: String, default: Bool) -> Bool
    /// Text as written (nil when absent).
    func string(_ key: String) -> String?
    /// A file or folder path, made absolute against the spec's folder (nil when absent).
    func path(_ key: String) -> String?
    /// One column or a list of columns: whole numbers are positions, anything else a header name.
    func columns(_ key: String) -> [CSVOptions.Column]?
    /// A non-empty list of rows of numbers, all of one width (a bare number is a one-value row).
    func rows(_ key: String) -> [[Double]]?
    /// A list of scalars, as written (class labels).
    func scalars(_ key: String) -> [String]?
    /// Reports a mistake at `key` (at the whole `dataset` mapping when nil): a missing argument, or a
    /// combination of values that is wrong although each is valid.
    func error(at key: String?, _ message: String)
}

/// Upper bounds on source arguments that count samples, features or classes, far above any sensible
/// experiment and far below where arithmetic on them could overflow (`SpecLimits` lists them with the
/// spec's other limits).
public enum DatasetLimits {
    /// Samples a dataset may generate or keep (`count`, `train`, `test`, `sample`, split counts).
    public static let maxSamples = 100_000_000
    /// xor `repeats` (4 samples each).
    public static let maxRepeats = 25_000_000
    /// blobs `dimension` (features per sample).
    public static let maxDimension = 1_000_000
    /// blobs `centers`, spirals `classes`.
    public static let maxClasses = 100_000
}
