/// An optimizer as one unit: a value type holding its settings (defaults documented beside each),
/// the spec keys it reads and writes, their validation, and how it trains a network. Each lives in its
/// own file and is listed once in `OptimizerRegistry.all`; the spec decoder, the canonical config that
/// fingerprints runs, the messages of `nnexp check` and the docs completeness test all derive from
/// that list.
///
/// The engine knows nothing of YAML: settings are read through `SettingsReader` (the spec decoder
/// implements it over a YAML mapping, reporting mistakes at their line) and written through
/// `SettingsWriter` as typed values the caller formats.
public protocol Optimizer: Hashable, Sendable {
    /// The value of `optimizer.type` that selects it.
    static var name: String { get }
    /// Keys it accepts besides `type`, in the order the canonical config writes them.
    static var keys: [String] { get }
    /// True for optimizers that minimise the full-batch cost by iterations (bfgs, lbfgs, cg): their
    /// cost history counts iterations from 0, not epochs, and they take no minibatches.
    static var isFullBatch: Bool { get }
    /// Whether `optimizer.schedule` may set its learning rate (first-order optimizers with a rate).
    static var acceptsSchedule: Bool { get }
    /// The schedule its older decay keys spell (`DecayRule`, kept in its settings so that they read and
    /// write as before); `.none` for an optimizer without them.
    var decay: DecayRule { get }

    /// Reads and validates the settings; a mistake is reported through `reader` and its default kept.
    init(reading reader: any SettingsReader)
    /// Every setting, defaults spelled out, in `keys` order (the run's canonical config).
    func write(to writer: inout SettingsWriter)
    /// Why this optimizer cannot train with `batching` (checked where the spec sets the batching), or nil.
    static func batchingProblem(_ batching: Batching) -> String?
    /// Why it cannot train a network of `parameterCount` parameters, or nil.
    func parameterProblem(count parameterCount: Int) -> String?
    /// Iterations it is allowed when it counts iterations rather than epochs (full-batch), else nil.
    var maxIterations: Int? { get }
    /// Bytes of state it keeps for `parameters` parameters of `valueBytes` each (4 or 8), for the
    /// memory estimate `nnexp check` makes before a run (buffers of the same length as the parameters;
    /// the default, 3 of them, bounds every first-order rule that does not say otherwise).
    func stateBytes(parameters: Double, valueBytes: Double) -> Double

    /// Why its runs cannot be checkpointed and resumed exactly, or nil when they can (every optimizer
    /// but lbfgs, whose history lives inside liblbfgs).
    var checkpointProblem: String? { get }

    /// Trains `net` on `data` (the trainer's entry point dispatches here).
    func train<T: Real>(
        _ net: inout Network<T>, on data: Samples<T>, config: TrainingConfig,
        epochEnd: EpochObserver<T>?, checkpoints: Checkpointing?,
        progress: ProgressHandler?
    ) -> TrainingResult
}

extension Optimizer {
    /// Default false: first-order optimizers take minibatches and count epochs.
    public static var isFullBatch: Bool { false }
    /// Default: every first-order optimizer accepts a schedule.
    public static var acceptsSchedule: Bool { !isFullBatch }
    /// Default none: no decay keys (a constant rate unless `optimizer.schedule` says otherwise).
    public var decay: DecayRule { .none }
    /// Default nil: any batching.
    public static func batchingProblem(_ batching: Batching) -> String? { nil }
    /// Default nil: any network size.
    public func parameterProblem(count parameterCount: Int) -> String? { nil }
    /// Default nil: limited by epochs.
    public var maxIterations: Int? { nil }
    /// Default nil: runs can be checkpointed and resumed exactly.
    public var checkpointProblem: String? { nil }
    /// Default 3·p·w bytes: three parameter-sized buffers bound every first-order rule that does not say otherwise.
    public func stateBytes(parameters p: Double, valueBytes w: Double) -> Double { 3 * p * w }
}

/// The optimizer of a run: any registered `Optimizer`, compared and hashed by its settings.
public struct OptimizerConfig: Hashable, Sendable {
    /// The optimizer and its settings.
    public let settings: any Optimizer
    /// Gradient clipping before each step (first-order optimizers only; nil: none).
    public var clip: GradientClip?
    /// Learning-rate schedule (first-order optimizers with a rate; nil: the optimizer's decay keys, if
    /// any, spell it: see `effectiveSchedule`).
    public var schedule: LearningRateSchedule?
    /// An optimizer with optional clipping and schedule.
    public init(_ settings: any Optimizer, clip: GradientClip? = nil, schedule: LearningRateSchedule? = nil) {
        self.settings = settings
        self.clip = clip
        self.schedule = schedule
    }

    /// Its `optimizer.type`.
    public var name: String { type(of: settings).name }
    /// The schedule the trainer follows: `schedule`, else the one the older decay keys spell, else a
    /// constant rate (one mechanism for both spellings).
    public var effectiveSchedule: LearningRateSchedule { schedule ?? settings.decay.schedule }
    /// Whether training has one learning rate per epoch to record (`cost.csv`'s `learning_rate`
    /// column): first-order optimizers with a rate, i.e. those that accept a schedule. Not rprop (a
    /// step size per parameter, adapting itself; `learning_rate` is only where they start) nor the
    /// full-batch bfgs, lbfgs, cg (line searches, no rate).
    public var hasLearningRate: Bool { type(of: settings).acceptsSchedule }
    /// Minimises the full-batch cost by iterations (see `Optimizer.isFullBatch`).
    public var isFullBatch: Bool { type(of: settings).isFullBatch }
    /// Why it cannot train with `batching`, or nil.
    public func batchingProblem(_ batching: Batching) -> String? { type(of: settings).batchingProblem(batching) }

    /// Equal when the settings (compared as `AnyHashable`, so of the same type), clipping and schedule are equal.
    public static func == (a: Self, b: Self) -> Bool {
        AnyHashable(a.settings) == AnyHashable(b.settings) && a.clip == b.clip && a.schedule == b.schedule
    }
    /// Hashes settings, clipping and schedule, consistently with `==`.
    public func hash(into h: inout Hasher) {
        h.combine(AnyHashable(settings))
        h.combine(clip)
        h.combine(schedule)
    }
}

/// Upper bounds on optimizer settings that count steps or buffers, far above any sensible experiment
/// and far below where arithmetic on them could overflow (the spec's other limits: `SpecLimits`).
public enum SettingLimits {
    /// `max_iterations`, `decay_every` and other counts of epochs or iterations.
    public static let maxSteps = 100_000_000
    /// lbfgs `memory` (correction pairs kept).
    public static let maxMemory = 10_000
}

/// Bounds of a numeric setting, with the wording of their messages ("must be greater than 0").
public struct Bounds: Sendable {
    /// Smallest allowed value (nil: none).
    public var lower: Double?
    /// Largest allowed value (nil: none).
    public var upper: Double?
    /// The lower bound itself is excluded (x > lower).
    public var exclusiveLower: Bool
    /// Bounds from their parts.
    public init(lower: Double? = nil, upper: Double? = nil, exclusiveLower: Bool = false) {
        self.lower = lower
        self.upper = upper
        self.exclusiveLower = exclusiveLower
    }
    /// x > 0.
    public static let positive = Bounds(lower: 0, exclusiveLower: true)
    /// x ≥ 0.
    public static let nonNegative = Bounds(lower: 0)
    /// 0 ≤ x ≤ 1.
    public static let unit = Bounds(lower: 0, upper: 1)
    /// Any finite number.
    public static let any = Bounds()
}

/// Where an optimizer reads its settings from. Each getter returns the value written, or `default`
/// when the key is absent or its value is wrong (the mistake is then reported, with its location).
public protocol SettingsReader {
    func has(_ key: String) -> Bool
    func double(_ key: String, default: Double, _ bounds: Bounds) -> Double
    /// An integer in min…max.
    func int(_ key: String, default: Int, min: Int, max: Int) -> Int
    func bool(_ key: String, default: Bool) -> Bool
    /// A word that must be one of `choices`.
    func choice(_ key: String, _ choices: [String], default: String) -> String
    /// Reports a mistake at `key` (a combination of values that is wrong although each is valid).
    func error(at key: String, _ message: String)
}

/// An optimizer's (or a dataset source's) settings as typed values in order; the caller formats them
/// (canonical YAML).
public struct SettingsWriter: Sendable {
    /// A setting's value, typed so the caller formats it.
    public enum Value: Hashable, Sendable {
        case number(Double)
        case integer(Int)
        case flag(Bool)
        case word(String)
        /// Free text (a file path, a column or array name), written quoted.
        case text(String)
        /// A list of values (a dataset's rows, its target columns), written as a flow list.
        case list([Value])
    }
    /// The settings in order.
    public private(set) var entries: [(key: String, value: Value)] = []
    /// No settings yet.
    public init() {}
    /// Appends a number.
    public mutating func number(_ key: String, _ v: Double) { entries.append((key, .number(v))) }
    /// Appends a whole number.
    public mutating func integer(_ key: String, _ v: Int) { entries.append((key, .integer(v))) }
    /// Appends true/false.
    public mutating func flag(_ key: String, _ v: Bool) { entries.append((key, .flag(v))) }
    /// Appends a word (a choice such as `heavy-ball`).
    public mutating func word(_ key: String, _ v: String) { entries.append((key, .word(v))) }
    /// Appends free text (written quoted).
    public mutating func text(_ key: String, _ v: String) { entries.append((key, .text(v))) }
    /// Appends any value.
    public mutating func value(_ key: String, _ v: Value) { entries.append((key, v)) }
}
