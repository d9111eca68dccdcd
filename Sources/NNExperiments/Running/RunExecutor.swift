import Foundation
import NNDatasets
import NNEngine

/// Trains one run and produces its result files. Pure with respect to the file system: the scheduler
/// decides where and when the files land.
public enum RunExecutor {
    /// `progress` receives (epoch index, total epochs, cost) after every epoch; `shouldStop` is asked
    /// at the same moments and cancels the run when it answers true.
    /// `threads` says how many threads the run's products may use (nil: one); results never depend on it.
    /// `checkpoints` resumes the run from a checkpoint and saves new ones as `training.checkpoint`
    /// says, and always when the run is cancelled mid-way (nil: none of that).
    public static func execute(
        _ config: RunConfig, threads: ThreadBudget? = nil, shouldStop: @escaping @Sendable () -> Bool = { false },
        checkpoints: RunCheckpointing? = nil,
        progress: (@Sendable (Int, Int, Double) -> Void)? = nil
    ) -> RunOutcome {
        do {
            let data = try RunData.load(config)
            switch config.training.precision {
            case .float32: return try train(Float.self, config, data, threads, shouldStop, checkpoints, progress)
            case .float64: return try train(Double.self, config, data, threads, shouldStop, checkpoints, progress)
            }
        } catch {
            let message = ErrorText.describe(error)
            var o = RunOutcome(config: config, status: .failed(message))
            o.files = ResultFiles.failure(config: config, message: message)
            return o
        }
    }

    /// Epochs (first-order optimizers) or iterations (full-batch ones) a run is allowed.
    public static func plannedSteps(_ c: RunConfig) -> Int {
        c.optimizer.settings.maxIterations ?? c.training.epochs
    }

    static func train<T: Real>(
        _: T.Type, _ config: RunConfig, _ data: SplitDataset, _ threads: ThreadBudget?,
        _ shouldStop: @escaping @Sendable () -> Bool, _ checkpoints: RunCheckpointing?,
        _ progress: (@Sendable (Int, Int, Double) -> Void)?
    ) throws -> RunOutcome {
        let train = data.train
        if let problem = shapeProblem(config, data: train) { throw RunError(problem.message) }
        let arch = architecture(config, data: train)
        var net = try initialNetwork(T.self, config, arch)
        let samples = SampleCache.samples(T.self, train, outputs: arch.outputs)
        var tc = trainingConfig(config, architecture: arch)
        tc.threads = threads
        let total = plannedSteps(config)
        let started = Date()
        if let e = config.training.earlyStopping, e.monitor != .trainCost {
            // The spec checks that a validation split is asked for; what it holds is known only now.
            guard let v = data.validation, v.count > 0 else {
                throw RunError(
                    "`training.early_stopping.monitor: \(e.monitor.rawValue)` needs validation samples, but the validation split is empty"
                )
            }
            if e.monitor == .validationAccuracy, v.labels == nil {
                throw RunError(
                    "`training.early_stopping.monitor: validation_accuracy` needs class labels, but dataset '\(v.name)' has regression targets: monitor validation_cost"
                )
            }
        }
        let tracker = EpochMetrics<T>(config: config, architecture: arch, data: data)
        var notes: [String] = []
        var resume: (snapshot: TrainingSnapshot, epochAccuracy: [(name: String, values: [Double])])? = nil
        if let c = checkpoints?.resume {
            do { resume = try c.trainingState(path: ".checkpoint-\(config.runName)") } catch {
                notes.append("its checkpoint cannot be used (\(error)): training from the start")
            }
        }
        if let r = resume, let tracker, tracker.matching(r.epochAccuracy, epochs: r.snapshot.done) == nil {
            notes.append(
                "its checkpoint cannot be used (it lacks the per-epoch metrics of its \(r.snapshot.done) epochs): training from the start"
            )
            resume = nil
        }
        // Per-epoch metrics of the epochs before the checkpoint comes back once the engine is seen to
        // continue from there (it starts over from epoch 0 when the checkpoint does not fit).
        var first = true
        let observer = tracker.map { t in
            EpochObserver<T>(
                { epoch, parameters in
                    defer { first = false }
                    // Checked to fit above; the engine went on from the checkpoint when its first epoch is the next one.
                    if first, let r = resume, epoch == r.snapshot.done, epoch > 0 {
                        _ = t.restore(r.epochAccuracy, epochs: epoch)
                    }
                    t.record(parameters)
                }, monitored: { t.lastMonitored })
        }
        let fingerprint = Checkpoint.fingerprint(of: config)
        let clock = CheckpointSchedule.Clock(config.training.checkpoint)
        let failures = SaveFailures()
        let engineCheckpoints = checkpoints.map { rc in
            Checkpointing(resume: resume?.snapshot, due: { clock.due($0) }, atEnd: rc.continuation != nil) { snapshot in
                if let next = rc.continuation, snapshot.done == config.training.epochs {
                    // The end of this run is a point inside the longer run that continues it.
                    failures.final = Checkpoint(
                        fingerprint: next, snapshot: snapshot, epochAccuracy: tracker?.columns ?? [])
                    return
                }
                clock.saved()
                do {
                    try rc.save(
                        Checkpoint(fingerprint: fingerprint, snapshot: snapshot, epochAccuracy: tracker?.columns ?? []))
                    failures.saved(snapshot.done)
                } catch { failures.add("cannot write its checkpoint: \(ErrorText.describe(error))") }
            }
        }
        let result = Trainer.train(&net, on: samples, config: tc, epochEnd: observer, checkpoints: engineCheckpoints) {
            epoch, cost in
            progress?(epoch, total, cost)
            return !shouldStop()
        }
        let seconds = Date().timeIntervalSince(started)

        var outcome = RunOutcome(config: config, status: .completed)
        if let problem = result.resumeProblem {
            notes.append("its checkpoint does not fit the run (\(problem)): trained from the start")
        }
        outcome.notes = notes + failures.messages
        outcome.checkpointed = failures.lastSaved
        if result.status == .completed { outcome.continuation = failures.final }
        switch result.status {
        case .completed: outcome.status = .completed
        case .diverged(let e): outcome.status = .diverged(epoch: e)
        case .cancelled: outcome.status = .cancelled
        }
        outcome.finalCost = result.epochCosts.last
        // `restore_best`: the network holds the best epoch's parameters, and its numbers are that epoch's.
        if let b = result.bestEpoch, b >= 1, b <= result.epochCosts.count {
            outcome.bestEpoch = b
            outcome.finalCost = result.epochCosts[b - 1]
        }
        outcome.epochsRun = result.epochCosts.count
        outcome.iterations = result.iterations
        outcome.stoppedEarly = result.stoppedEarly
        var evaluations: [(String, Dataset, [Int])] = []
        // A diverged network's outputs are NaN: its predictions would mean nothing.
        if outcome.status == .completed {
            let evaluator = SplitEvaluator<T>(architecture: arch, data: data, loss: config.model.loss)
            var measured: [String: SplitMetrics] = [:]
            for (k, split) in evaluator.splits.enumerated() {
                let m = evaluator.evaluate(net, split: k)
                measured[split.name] = m
                outcome.splitMetrics += m.rows(split.name)
            }
            for (split, ds) in [("train", Optional(data.train)), ("validation", data.validation), ("test", data.test)] {
                guard let ds, ds.labels != nil else { continue }
                // An empty labelled split (no metrics measured): accuracy 0 and an empty confusion matrix, as always.
                outcome.accuracy[split] = measured[split]?.accuracy ?? 0
                evaluations.append((split, ds, measured[split]?.predicted ?? []))
            }
        }
        outcome.files = ResultFiles.make(
            outcome: outcome, result: result, evaluations: evaluations,
            epochAccuracy: tracker?.columns ?? [])
        if outcome.status == .completed {
            let ws = Workspace<T>(architecture: arch, capacity: 1024)
            let testPredictions = evaluations.first(where: { $0.0 == "test" })?.2
            outcome.files.merge(PictureFiles.make(net, data: data, ws: ws, testPredictions: testPredictions)) { a, _ in
                a
            }
        }
        if config.outputs.weights, outcome.status == .completed,
            let npz = WeightsFile.encode(net)
        {
            outcome.files["weights.npz"] = npz
        }
        if let r = resume, result.resumeProblem == nil {
            outcome.log.append(
                "resumed from a checkpoint after \(config.optimizer.isFullBatch ? "iteration" : "epoch") \(r.snapshot.done); the time below is this session's"
            )
        }
        outcome.log.append(
            "trained \(result.iterations) iterations in \(String(format: "%.3f", seconds)) s (\(T.precisionName))")
        return outcome
    }

    /// The engine's settings for training a run of architecture `arch` (all but the thread budget): the
    /// one mapping from a run's spec sections to `TrainingConfig`, used here and by `nnexp-bench raschka`.
    public static func trainingConfig(_ config: RunConfig, architecture arch: Architecture) -> TrainingConfig {
        var tc = TrainingConfig(
            loss: config.model.loss, reduction: config.model.reduction,
            regularization: config.regularization, optimizer: config.optimizer,
            epochs: config.training.epochs, batching: config.training.batching,
            shuffle: config.training.shuffle, recordBatchCosts: config.outputs.cost == .minibatch,
            seed: config.seed)
        tc.earlyStopping = config.training.earlyStopping
        tc.dropout = config.model.dropout(hidden: arch.layerCount - 1)
        tc.diagnostics = config.outputs.diagnostics
        return tc
    }

    /// The untrained network: weights drawn from the run's seed, or read from `model.init.file`.
    public static func initialNetwork<T: Real>(_: T.Type, _ c: RunConfig, _ arch: Architecture) throws -> Network<T> {
        guard let file = c.model.initFile else {
            return Network<T>(
                architecture: arch, initialization: c.model.initialization, biasesToo: c.model.initBiases, seed: c.seed)
        }
        let path = file.hasPrefix("/") ? file : (c.specDirectory as NSString).appendingPathComponent(file)
        let values = try WeightsFile.initialParameters(path: path, architecture: arch)
        return Network<T>(architecture: arch, parameters: values.map { T($0) })
    }

    /// The network a run trains on `data`: explicit sizes as written, or the hidden sizes between the
    /// data's features and its targets.
    static func architecture(_ c: RunConfig, data: Dataset) -> Architecture {
        var outputs = data.targetDimension
        if case .explicit(let sizes) = c.model.layers, let last = sizes.last { outputs = last }
        return c.model.architecture(inputs: data.dimension, outputs: outputs)
    }

    /// Why a run's config contradicts its data, or nil when they fit, with the spec key at fault
    /// (`model.layers`, `model.output`, `training.minibatches`, `optimizer.type`).
    static func shapeProblem(_ c: RunConfig, data: Dataset) -> (message: String, key: String)? {
        if case .explicit(let sizes) = c.model.layers, let first = sizes.first, let last = sizes.last {
            if first != data.dimension {
                return (
                    "`model.layers` starts with \(first) inputs but dataset '\(data.name)' has \(data.dimension) features",
                    "model.layers"
                )
            }
            if let classes = data.classCount, last != classes, !(classes == 2 && last == 1) {
                return (
                    "`model.layers` ends with \(last) outputs but dataset '\(data.name)' has \(classes) classes"
                        + (classes == 2 ? " (1 or 2 outputs fit)" : ""), "model.layers"
                )
            }
            if data.classCount == nil, last != data.targetDimension {
                return (
                    "`model.layers` ends with \(last) outputs but dataset '\(data.name)' has \(data.targetDimension) target columns",
                    "model.layers"
                )
            }
        }
        // Checked on the resolved architecture, however the sizes were written (`layers` or `hidden`).
        if c.model.output == .softmax, architecture(c, data: data).outputs == 1 {
            return (
                "a softmax over one output unit is always 1 (cost 0, nothing learnt): use `output: sigmoid` for one unit, or two outputs",
                "model.output"
            )
        }
        if case .count(let k) = c.training.batching, !c.optimizer.isFullBatch, k > data.count {
            return (
                "`training.minibatches: \(k)` asks for more minibatches than the \(data.count) training samples of dataset '\(data.name)'",
                "training.minibatches"
            )
        }
        // The optimizer's own limits (BFGS's dense inverse Hessian), on the resolved architecture.
        if let problem = c.optimizer.settings.parameterProblem(count: architecture(c, data: data).parameterCount) {
            return (problem, "optimizer.type")
        }
        return nil
    }
}

/// A run that could not train (bad data for the model, a file that does not fit): the reason as a sentence.
public struct RunError: Error, CustomStringConvertible, Sendable {
    /// The reason.
    public let message: String
    /// An error with this reason.
    public init(_ m: String) { message = m }
    /// The reason.
    public var description: String { message }
}

/// Checkpoint writes of a run that failed, and the last that succeeded (from the training thread,
/// read after it).
private final class SaveFailures: @unchecked Sendable {
    private let lock = NSLock()
    private var list: [String] = []
    private var last: Int?
    /// The state after the last epoch for `RunCheckpointing.continuation`.
    var final: Checkpoint? {
        get {
            lock.lock()
            defer { lock.unlock() }
            return finalValue
        }
        set {
            lock.lock()
            finalValue = newValue
            lock.unlock()
        }
    }
    private var finalValue: Checkpoint?
    func add(_ m: String) {
        lock.lock()
        if !list.contains(m) { list.append(m) }
        lock.unlock()
    }
    func saved(_ done: Int) {
        lock.lock()
        last = done
        lock.unlock()
    }
    var lastSaved: Int? {
        lock.lock()
        defer { lock.unlock() }
        return last
    }
    var messages: [String] {
        lock.lock()
        defer { lock.unlock() }
        return list
    }
}
