/// A training run's whole state between two epochs (first-order optimizers) or iterations (bfgs, cg):
/// what a bit-identical continuation needs. NNEngine writes no file: it hands this value to the
/// caller (`Checkpointing.save`) and takes one back (`Checkpointing.resume`); the caller stores it.
///
/// Every value is Float64 (a Float32 value widens exactly and narrows back to the same bits) or, for
/// the RNG streams, the generator's UInt64 words.
public struct TrainingSnapshot: Equatable, Sendable {
    /// Epochs (first-order) or iterations (full-batch) done.
    public var done: Int
    /// The network's parameters after them.
    public var parameters: [Double]
    /// Everything else the loop carries, by name: the optimizer's own state (`optimizer.` prefix:
    /// momentum velocity, Adam's moments and step, the current rate), the schedule's plateau counters
    /// (`plateau.`), early stopping (`stopping.`), or the minimiser's state (`minimizer.`: gradient,
    /// cost, BFGS's inverse Hessian, CG's previous direction).
    public var state: OptimizerState
    /// The shuffle stream's generator words (first-order runs; empty for full-batch ones).
    public var shuffleRNG: [UInt64]
    /// The dropout stream's generator words (empty when the run has no dropout).
    public var dropoutRNG: [UInt64] = []
    /// Every history row so far (epoch costs, epoch rates, minibatch costs) and the iteration count.
    public var history: TrainingResult

    /// A snapshot of the given state (no dropout stream).
    public init(
        done: Int, parameters: [Double], state: OptimizerState = .init(), shuffleRNG: [UInt64] = [],
        history: TrainingResult = .init()
    ) {
        self.done = done
        self.parameters = parameters
        self.state = state
        self.shuffleRNG = shuffleRNG
        self.history = history
    }

    /// `state` with every name of `part` prefixed by `prefix` and a dot, added in.
    mutating func add(_ part: OptimizerState, as prefix: String) {
        for (k, v) in part.arrays { state.arrays["\(prefix).\(k)"] = v }
        for (k, v) in part.scalars { state.scalars["\(prefix).\(k)"] = v }
    }

    /// The names under `prefix`, without it.
    func part(_ prefix: String) -> OptimizerState {
        let p = prefix + "."
        var out = OptimizerState()
        for (k, v) in state.arrays where k.hasPrefix(p) { out.arrays[String(k.dropFirst(p.count))] = v }
        for (k, v) in state.scalars where k.hasPrefix(p) { out.scalars[String(k.dropFirst(p.count))] = v }
        return out
    }
}

/// How training saves its state and resumes from it (checkpoints, issue 14). Checkpointing never
/// changes what training computes: a run that saved and resumed any number of times ends with the
/// same bits as one that never stopped.
public struct Checkpointing: @unchecked Sendable {
    /// The state to continue from (nil: the start). One that does not fit the run (another network,
    /// optimizer or length) is not used: training starts over and `TrainingResult.resumeProblem` says why.
    public var resume: TrainingSnapshot?
    /// Asked after every epoch or iteration but the last, with the number done: true to save now.
    public var due: (_ done: Int) -> Bool
    /// Receives the state; called when `due` says so, and always when training stops because its
    /// progress handler asked to (an interrupt), so the run can resume from there.
    public var save: (TrainingSnapshot) -> Void
    /// Also save the state after the last epoch (successive halving continues a finished run as a
    /// longer one from there). Default false: a finished run has nothing to resume.
    public var atEnd = false

    /// Checkpointing with the given resume point, timing (default: never due) and sink.
    public init(
        resume: TrainingSnapshot? = nil, due: @escaping (_ done: Int) -> Bool = { _ in false },
        atEnd: Bool = false, save: @escaping (TrainingSnapshot) -> Void
    ) {
        self.resume = resume
        self.due = due
        self.atEnd = atEnd
        self.save = save
    }
}

extension EarlyStopping.Tracker {
    /// `best` and `stale` (for checkpoints).
    /// `best` and `stale`, and with `restoreBest` also `best_epoch` and the `best_parameters`
    /// (so that an interrupted run restores the same epoch's parameters after resuming).
    func exportState() -> OptimizerState {
        var s = OptimizerState(scalars: ["best": best, "stale": Double(stale)])
        if rule.restoreBest {
            s.scalars["best_epoch"] = Double(bestEpoch)
            s.arrays["best_parameters"] = bestParameters
        }
        return s
    }

    mutating func importState(_ s: OptimizerState) throws {
        let b = try s.scalar("best")
        let n = try s.counter("stale")
        var e = 0
        var p: [Double] = []
        if rule.restoreBest {
            e = try s.counter("best_epoch")
            p = s.arrays["best_parameters"] ?? []
            if e > 0 && p.isEmpty {
                throw OptimizerStateError("its early-stopping state lacks the best epoch's parameters")
            }
        }
        best = b
        stale = n
        bestEpoch = e
        bestParameters = p
    }
}
