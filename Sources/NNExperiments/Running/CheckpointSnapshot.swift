import NNEngine

/// The engine's `TrainingSnapshot` (and the per-epoch accuracy columns the executor keeps) as a
/// `Checkpoint` file's named scalars and arrays, and back.
///
/// Arrays: `parameters`; `history.cost`, `history.rate`, `history.batch_cost`, `history.diagnostics`
/// (every history row so far; the last with the scalar `history.diagnostics_layers`); `epoch.<column>` (the per-epoch metric columns of outputs.epoch_metrics or epoch_accuracy; `accuracy.<column>` as older checkpoints wrote them is read too); `state.<name>` (optimizer, schedule, early
/// stopping or minimiser state). Scalars: `iterations`; `rng.shuffle` and `rng.dropout` (the four words of the
/// shuffle and dropout streams, decimal); `state.<name>` (Float64 in Swift's shortest round-trip text, which reads back
/// to the same bits).
extension Checkpoint {
    /// The checkpoint of a run with `fingerprint` from the engine's state.
    init(fingerprint: String, snapshot s: TrainingSnapshot, epochAccuracy: [(name: String, values: [Double])]) {
        self.init(fingerprint: fingerprint, epoch: s.done)
        arrays["parameters"] = s.parameters
        arrays["history.cost"] = s.history.epochCosts
        arrays["history.rate"] = s.history.epochRates
        arrays["history.batch_cost"] = s.history.batchCosts
        if let layers = s.history.diagnostics.first?.count {
            // Five values per layer and epoch (NaN: a share that does not apply).
            scalars["history.diagnostics_layers"] = "\(layers)"
            arrays["history.diagnostics"] = s.history.diagnostics.flatMap {
                $0.flatMap {
                    [$0.weightNorm, $0.gradientNorm, $0.updateRatio, $0.deadShare ?? .nan, $0.saturatedShare ?? .nan]
                }
            }
        }
        for (name, values) in epochAccuracy { arrays["epoch.\(name)"] = values }
        for (k, v) in s.state.arrays { arrays["state.\(k)"] = v }
        scalars["iterations"] = "\(s.history.iterations)"
        if !s.shuffleRNG.isEmpty { scalars["rng.shuffle"] = s.shuffleRNG.map(String.init).joined(separator: " ") }
        if !s.dropoutRNG.isEmpty { scalars["rng.dropout"] = s.dropoutRNG.map(String.init).joined(separator: " ") }
        for (k, v) in s.state.scalars { scalars["state.\(k)"] = "\(v)" }
    }

    /// The engine's state and the accuracy columns, or an error naming what is missing or unreadable
    /// (whether the values fit the run's network and optimizer is the engine's to check).
    func trainingState(path: String) throws -> (
        snapshot: TrainingSnapshot, epochAccuracy: [(name: String, values: [Double])]
    ) {
        func bad(_ m: String) -> CheckpointError { CheckpointError(path: path, message: m) }
        guard let parameters = arrays["parameters"] else { throw bad("it holds no parameters") }
        guard let costs = arrays["history.cost"] else { throw bad("it holds no cost history") }
        guard let text = scalars["iterations"], let iterations = Int(text), iterations >= 0 else {
            throw bad("its iteration count is missing")
        }
        var history = TrainingResult()
        history.epochCosts = costs
        history.epochRates = arrays["history.rate"] ?? []
        history.batchCosts = arrays["history.batch_cost"] ?? []
        if let flat = arrays["history.diagnostics"] {
            guard let text = scalars["history.diagnostics_layers"], let layers = Int(text), layers > 0,
                flat.count % (5 * layers) == 0
            else {
                throw bad("its diagnostics history does not come in rows of five values per layer")
            }
            func share(_ v: Double) -> Double? { v.isNaN ? nil : v }
            history.diagnostics = stride(from: 0, to: flat.count, by: 5 * layers).map { e in
                (0..<layers).map { l in
                    let o = e + 5 * l
                    return LayerDiagnostics(
                        weightNorm: flat[o], gradientNorm: flat[o + 1], updateRatio: flat[o + 2],
                        deadShare: share(flat[o + 3]), saturatedShare: share(flat[o + 4]))
                }
            }
        }
        history.iterations = iterations
        var s = TrainingSnapshot(done: epoch, parameters: parameters, history: history)
        if let words = scalars["rng.shuffle"] {
            let parsed = words.split(separator: " ").map { UInt64($0) }
            guard parsed.count == 4, parsed.allSatisfy({ $0 != nil }) else {
                throw bad("its shuffle stream state '\(words.prefix(100))' is not four words")
            }
            s.shuffleRNG = parsed.map { $0! }
        }
        if let words = scalars["rng.dropout"] {
            let parsed = words.split(separator: " ").map { UInt64($0) }
            guard parsed.count == 4, parsed.allSatisfy({ $0 != nil }) else {
                throw bad("its dropout stream state '\(words.prefix(100))' is not four words")
            }
            s.dropoutRNG = parsed.map { $0! }
        }
        var accuracy: [(name: String, values: [Double])] = []
        for (k, v) in arrays.sorted(by: { $0.key < $1.key }) {
            if k.hasPrefix("state.") { s.state.arrays[String(k.dropFirst(6))] = v }
            if k.hasPrefix("epoch.") { accuracy.append((String(k.dropFirst(6)), v)) }
            if k.hasPrefix("accuracy.") { accuracy.append((String(k.dropFirst(9)), v)) }
        }
        for (k, v) in scalars where k.hasPrefix("state.") {
            guard let d = Double(v) else { throw bad("its value '\(v.prefix(40))' of \(k) is not a number") }
            s.state.scalars[String(k.dropFirst(6))] = d
        }
        return (s, accuracy)
    }
}

/// What a run's executor does about checkpoints: the one to resume from and where to save new ones.
public struct RunCheckpointing: Sendable {
    /// A checkpoint of this run (its fingerprint already matched) to continue from; nil: from the start.
    public var resume: Checkpoint?
    /// Stores a checkpoint (the scheduler: `CheckpointStore.save`).
    public var save: @Sendable (Checkpoint) throws -> Void
    /// The fingerprint of a longer run that continues this one (the next rung of successive
    /// halving): the state after the last epoch becomes `RunOutcome.continuation`, a checkpoint of
    /// that run. nil: none.
    public var continuation: String?
    /// Checkpointing that resumes from `resume` (nil: the start), hands the state after the last epoch
    /// on as `continuation`'s checkpoint when set, and stores through `save`.
    public init(
        resume: Checkpoint? = nil, continuation: String? = nil, save: @escaping @Sendable (Checkpoint) throws -> Void
    ) {
        self.resume = resume
        self.continuation = continuation
        self.save = save
    }
}
