import CKernels

/// Trains a network on samples. Owns every buffer of the run (workspace, gradient, permutation), so
/// the loop over minibatches allocates nothing, and no state is shared between runs.
public enum Trainer {
    /// Trains `net` in place as `config` says (its optimizer's `train`), resuming from and saving `checkpoints`,
    /// reporting each epoch to `epochEnd` and `progress`; returns the costs, status and counters.
    // @_specialize(exported:): NNExperiments calls it from another module; exported copies avoid generic dispatch.
    @_specialize(exported:true,where T == Float)
    @_specialize(exported:true,where T == Double)
    public static func train<T: Real>(
        _ net: inout Network<T>, on data: Samples<T>, config: TrainingConfig,
        epochEnd: EpochObserver<T>? = nil, checkpoints: Checkpointing? = nil,
        progress: ProgressHandler? = nil
    ) -> TrainingResult {
        precondition(
            data.inputs == net.architecture.inputs && data.outputs == net.architecture.outputs,
            "samples do not match the network's input/output sizes")
        // Each optimizer trains in its own way (its file in Optimizers/); the call opens the existential
        // and lands in that optimizer's Float or Double specialisation.
        return config.optimizer.settings.train(
            &net, on: data, config: config, epochEnd: epochEnd,
            checkpoints: checkpoints, progress: progress)
    }

    static func firstOrder<T: Real, O: FirstOrderOptimizer>(
        _ net: inout Network<T>, data: Samples<T>, config: TrainingConfig, optimizer opt: inout O,
        progress: ProgressHandler?, epochEnd: EpochObserver<T>? = nil, checkpoints: Checkpointing? = nil
    ) -> TrainingResult where O.T == T {
        var result = TrainingResult()
        let n = data.count
        let ranges = config.batching.ranges(samples: n)
        let ws = Workspace<T>(architecture: net.architecture, capacity: config.batching.largestBatch(samples: n))
        var grad = [T](repeating: 0, count: net.parameters.count)
        var order = Array(0..<n)
        var rng = RNG(seed: config.seed, stream: "shuffle")
        let nin = data.inputs
        let nout = data.outputs
        let arch = net.architecture
        result.epochCosts.reserveCapacity(config.epochs)
        var stopping = config.earlyStopping.map { EarlyStopping.Tracker(rule: $0) }
        if config.recordBatchCosts { result.batchCosts.reserveCapacity(config.epochs * ranges.count) }
        // Without shuffling, a full-batch run needs its inputs copied only once.
        let staticBatch = !config.shuffle && ranges.count == 1
        var loaded = false
        let clip = config.optimizer.clip
        // Every rate comes from one schedule: `optimizer.schedule`, the older decay keys or a constant rate.
        let schedule = config.optimizer.effectiveSchedule
        let baseRate = opt.learningRate
        // The schedule's running state: plateau counters (checkpointed) and the chain of step/compounding.
        var plateau = LearningRateSchedule.Tracker()
        // Dropout masks: buffers allocated here, drawn before every step from their own stream.
        let dropout = config.dropout.map { $0.isActive } ?? false
        if dropout { ws.enableDropout(config.dropout!) }
        var dropRNG = RNG(seed: config.seed, stream: Dropout.stream)
        var diagnostics = config.diagnostics ? DiagnosticsRecorder<T>(architecture: arch) : nil
        var start = 0
        if let snapshot = checkpoints?.resume {
            do {
                // Checked before `restore` changes anything.
                let d = RNG(state: snapshot.dropoutRNG)
                if dropout && d == nil { throw OptimizerStateError("its dropout stream state is not four words") }
                try restore(
                    snapshot, net: &net, optimizer: &opt, rng: &rng, order: &order, plateau: &plateau,
                    stopping: &stopping, config: config)
                if dropout { dropRNG = d! }
                start = snapshot.done
                result = snapshot.history
            } catch {
                // Nothing of the snapshot is kept: a fresh start from the caller's network.
                return restartAfterBadResume(
                    &net, data: data, config: config, optimizer: &opt, progress: progress,
                    epochEnd: epochEnd, checkpoints: checkpoints, problem: "\(error)")
            }
        }
        // The state after `done` epochs, as `restore` reads it back.
        func snapshot(_ done: Int) -> TrainingSnapshot {
            var s = TrainingSnapshot(
                done: done, parameters: net.parameters.map { Double($0) },
                shuffleRNG: rng.state, history: result)
            s.add(opt.exportState(), as: "optimizer")
            s.add(plateau.exportState(), as: "plateau")
            if let stopping { s.add(stopping.exportState(), as: "stopping") }
            if dropout { s.dropoutRNG = dropRNG.state }
            return s
        }

        epochs: for epoch in start..<config.epochs {
            ws.threads = config.threads?.current ?? 1
            if let baseRate {
                let rate = plateau.rate(epoch: epoch, of: schedule, base: baseRate, epochs: config.epochs)
                opt.learningRate = rate
                result.epochRates.append(rate)
            }
            if config.shuffle { rng.shuffle(&order) }
            diagnostics?.beginEpoch()
            var epochSum = 0.0
            for (k, range) in ranges.enumerated() {
                let rows = range.count
                if !(staticBatch && loaded) {
                    order.withUnsafeBufferPointer { ob in
                        let idx = ob.baseAddress! + range.lowerBound
                        // Rows copied by the run's threads, each row by one of them: a copy (exact
                        // conversion from bytes), so who copies which rows cannot change the bits.
                        let team = ws.team
                        let grain = Self.gatherGrain(rows: rows, threads: team.threads)
                        // One-hot targets come with the byte gather (each row's class prefetched with
                        // the row: looked up afterwards, the labels had been evicted by the new batch).
                        let targetsInGather = data.bytes != nil && data.classes != nil
                        if !targetsInGather {
                            if let classes = data.classes {
                                classes.withUnsafeBufferPointer {
                                    Workspace<T>.oneHotRows(
                                        $0.baseAddress!, indices: UnsafeBufferPointer(start: idx, count: rows),
                                        cols: nout, into: ws.targets)
                                }
                            } else {
                                data.y.withUnsafeBufferPointer {
                                    Workspace<T>.gather(
                                        $0.baseAddress!, cols: nout,
                                        indices: UnsafeBufferPointer(start: idx, count: rows), into: ws.targets)
                                }
                            }
                        }
                        if let bytes = data.bytes {
                            func gatherBytes(_ src: UnsafePointer<UInt8>, _ classes: UnsafePointer<Int32>?) {
                                team.forEachRange(rows, grain: grain) { r in
                                    let targets = classes == nil ? nil : ws.targets + r.lowerBound * nout
                                    if let decoding = data.decoding {
                                        T.gatherRows(
                                            src, cols: nin, indices: idx + r.lowerBound, count: r.count,
                                            decoding: decoding, into: ws.input + r.lowerBound * nin,
                                            classes: classes, classCount: nout, targets: targets)
                                    } else {
                                        T.gatherRows(
                                            src, cols: nin, indices: idx + r.lowerBound, count: r.count,
                                            into: ws.input + r.lowerBound * nin, classes: classes, classCount: nout,
                                            targets: targets)
                                    }
                                }
                                // The next batch's first rows start loading while this one trains.
                                if k + 1 < ranges.count {
                                    nn_prefetch_rows_u8(
                                        src, nin, ob.baseAddress! + ranges[k + 1].lowerBound, ranges[k + 1].count)
                                }
                            }
                            bytes.withUnsafeBufferPointer { src in
                                if let classes = data.classes {
                                    classes.withUnsafeBufferPointer { gatherBytes(src.baseAddress!, $0.baseAddress) }
                                } else {
                                    gatherBytes(src.baseAddress!, nil)
                                }
                            }
                        } else {
                            data.x.withUnsafeBufferPointer { src in
                                team.forEachRange(rows, grain: grain) { r in
                                    Workspace<T>.gather(
                                        src.baseAddress!, cols: nin,
                                        indices: UnsafeBufferPointer(start: idx + r.lowerBound, count: r.count),
                                        into: ws.input + r.lowerBound * nin)
                                }
                            }
                        }
                    }
                    loaded = true
                }
                if dropout { ws.drawDropoutMasks(rows: rows, rng: &dropRNG) }
                let cost = net.parameters.withUnsafeMutableBufferPointer { pb in
                    if rows == 1, config.fusePerSampleSGD, clip == nil, !dropout, diagnostics == nil,
                        let eta = opt.plainRate
                    {
                        return arch.fusedPerSampleSGDStep(
                            ws, loss: config.loss, reduction: config.reduction,
                            regularization: config.regularization,
                            parameters: pb.baseAddress!, rate: eta)
                    }
                    return grad.withUnsafeMutableBufferPointer { gb in
                        let c = arch.costAndGradient(
                            ws, rows: rows, loss: config.loss, reduction: config.reduction,
                            regularization: config.regularization,
                            parameters: pb.baseAddress!, gradient: gb.baseAddress!)
                        if c.isFinite {
                            diagnostics?.observe(
                                gradient: gb.baseAddress!, parameters: pb.baseAddress!, workspace: ws, rows: rows)
                            clip?.apply(gb.baseAddress!, count: gb.count)
                            opt.step(
                                parameters: pb.baseAddress!, gradient: gb.baseAddress!, count: pb.count, team: ws.team)
                            diagnostics?.observeUpdate(parameters: pb.baseAddress!)
                        }
                        return c
                    }
                }
                if config.recordBatchCosts { result.batchCosts.append(cost) }
                guard cost.isFinite else {
                    result.epochCosts.append(cost)
                    result.status = .diverged(epoch: epoch)
                    break epochs
                }
                result.iterations += 1
                epochSum += cost
            }
            let epochCost = epochSum / Double(ranges.count)
            result.epochCosts.append(epochCost)
            if let d = diagnostics {
                result.diagnostics.append(
                    net.parameters.withUnsafeBufferPointer { d.epochEnd(parameters: $0.baseAddress!) })
            }
            plateau.observe(epochCost, schedule)
            // Observers (per-epoch accuracy) see the parameters after the epoch's last update.
            epochEnd?.body(epoch, net.parameters)
            let proceed = progress?(epoch, epochCost) ?? true
            // A run that stops early here is finished: nothing to resume, even when interrupted.
            // A validation monitor's value comes from the observer, measured on these parameters.
            let watched =
                (stopping?.rule.monitor ?? .trainCost) == .trainCost ? epochCost : (epochEnd?.monitored?() ?? .nan)
            if stopping?.observe(watched, done: epoch + 1, parameters: net.parameters) == true {
                result.stoppedEarly = true
                break
            }
            if let checkpoints,
                !proceed || (checkpoints.atEnd && epoch + 1 == config.epochs)
                    || (epoch + 1 < config.epochs && checkpoints.due(epoch + 1))
            {
                checkpoints.save(snapshot(epoch + 1))
            }
            if !proceed {
                result.status = .cancelled
                break
            }
        }
        // `restore_best`: after the last checkpoint, which holds the last epoch's state to go on from.
        if let st = stopping, st.rule.restoreBest, result.status == .completed, st.bestEpoch > 0,
            st.bestParameters.count == net.parameters.count
        {
            net.parameters = st.bestParameters.map { T($0) }
            result.bestEpoch = st.bestEpoch
        }
        return result
    }

    /// Rows per task of a minibatch gather: the whole batch on one thread (the byte gather prefetches
    /// rows ahead within a call), else about two tasks per thread.
    @inline(__always)
    static func gatherGrain(rows: Int, threads: Int) -> Int {
        threads <= 1 ? max(rows, 1) : max(8, (rows + 2 * threads - 1) / (2 * threads))
    }

    /// Puts a first-order run in the state `s` describes, or throws (naming what does not fit) before
    /// changing anything: the network, the optimizer and the rest stay as they were for a fresh start.
    static func restore<T: Real, O: FirstOrderOptimizer>(
        _ s: TrainingSnapshot, net: inout Network<T>, optimizer: inout O, rng: inout RNG, order: inout [Int],
        plateau: inout LearningRateSchedule.Tracker, stopping: inout EarlyStopping.Tracker?, config: TrainingConfig
    ) throws where O.T == T {
        func bad(_ m: String) -> OptimizerStateError { OptimizerStateError(m) }
        guard s.done >= 0, s.done <= config.epochs else {
            throw bad("it is after epoch \(s.done) of a run of \(config.epochs)")
        }
        guard s.parameters.count == net.parameters.count else {
            throw bad("it holds \(s.parameters.count) parameters, the network has \(net.parameters.count)")
        }
        guard s.history.epochCosts.count == s.done, s.history.status == .completed else {
            throw bad("its cost history has \(s.history.epochCosts.count) epochs, not \(s.done)")
        }
        guard optimizer.learningRate == nil || s.history.epochRates.count == s.done else {
            throw bad("its learning-rate history is incomplete")
        }
        guard !config.diagnostics || s.history.diagnostics.count == s.done else {
            throw bad("its diagnostics history is incomplete")
        }
        guard let r = RNG(state: s.shuffleRNG) else { throw bad("its shuffle stream state is not four words") }
        // The permutation is shuffled in place from epoch to epoch: replay the draws of the epochs done
        // (cheap next to training them) rather than storing it; the replay also checks the stream.
        var permutation = order
        if config.shuffle {
            var replay = RNG(seed: config.seed, stream: "shuffle")
            for _ in 0..<s.done { replay.shuffle(&permutation) }
            guard replay.state == r.state else { throw bad("its shuffle stream does not follow from the run's seed") }
        }
        var o = optimizer
        var p = plateau
        var st = stopping
        try o.importState(s.part("optimizer"))
        try p.importState(s.part("plateau"))
        if st != nil {
            try st!.importState(s.part("stopping"))
            guard st!.bestEpoch <= s.done,
                st!.bestParameters.isEmpty || st!.bestParameters.count == net.parameters.count
            else {
                throw bad("its early-stopping best epoch \(st!.bestEpoch) or its parameters do not fit the run")
            }
        }
        optimizer = o
        plateau = p
        stopping = st
        rng = r
        order = permutation
        net.parameters = s.parameters.map { T($0) }
    }

    /// Training from the start after a snapshot that did not fit, with the problem recorded.
    static func restartAfterBadResume<T: Real, O: FirstOrderOptimizer>(
        _ net: inout Network<T>, data: Samples<T>, config: TrainingConfig, optimizer opt: inout O,
        progress: ProgressHandler?, epochEnd: EpochObserver<T>?, checkpoints: Checkpointing?, problem: String
    ) -> TrainingResult where O.T == T {
        var fresh = checkpoints
        fresh?.resume = nil
        var r = firstOrder(
            &net, data: data, config: config, optimizer: &opt, progress: progress, epochEnd: epochEnd,
            checkpoints: fresh)
        r.resumeProblem = problem
        return r
    }
}

/// Sees the parameters after every epoch of first-order training (per-epoch accuracy). A wrapper
/// rather than a bare closure so that a trailing closure at a call site always means `progress`.
public struct EpochObserver<T: Real> {
    /// Called with (epoch index from 0, parameters after that epoch).
    public let body: (_ epoch: Int, _ parameters: [T]) -> Void
    /// The value early stopping watches when its monitor is not the training cost (validation cost
    /// or accuracy of the parameters `body` just saw), asked right after `body`; nil: none (the
    /// rule then sees NaN, which never improves).
    public var monitored: (() -> Double)?
    /// An observer calling `body`, and `monitored` for a validation monitor.
    public init(_ body: @escaping (_ epoch: Int, _ parameters: [T]) -> Void, monitored: (() -> Double)? = nil) {
        self.body = body
        self.monitored = monitored
    }
}
