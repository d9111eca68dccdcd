import XCTest

@testable import NNEngine

/// Checkpointing through the trainer: the state saved after epoch (iteration) k, handed back as
/// `Checkpointing.resume` to a fresh network, continues to the same bits as a run that never stopped
/// — final parameters, every history row, the iteration count — in both precisions.
final class TrainingResumeTests: XCTestCase {
    let arch = Architecture(sizes: [3, 5, 2], hidden: .tanh, output: .softmax)

    final class Saved: @unchecked Sendable { var list: [TrainingSnapshot] = [] }

    struct Outcome: Equatable {
        var parameters: [UInt64]
        var result: TrainingResult
    }

    func train<T: Real>(
        _: T.Type, _ config: TrainingConfig, resume: TrainingSnapshot? = nil, saveEvery: Bool = false,
        stopAfter: Int? = nil, saved: Saved? = nil
    ) -> Outcome {
        let data64 = Fixture.samples(arch, loss: .crossEntropy, count: 23, seed: 4)
        let data: Samples<T> = T.self == Float.self ? Fixture.float32(data64) as! Samples<T> : data64 as! Samples<T>
        var net = Network<T>(architecture: arch, initialization: .xavierUniform, seed: 9)
        let hook =
            (saveEvery || stopAfter != nil || resume != nil)
            ? Checkpointing(resume: resume, due: { _ in saveEvery }) { saved?.list.append($0) } : nil
        let r = Trainer.train(&net, on: data, config: config, checkpoints: hook) { k, _ in
            stopAfter.map { k < $0 } ?? true
        }
        return Outcome(parameters: net.parameters.map { Double($0).bitPattern }, result: r)
    }

    /// Each of the run's snapshots, resumed, ends where the straight run ends; a run that saves
    /// every epoch ends like one that never saves.
    func checkResume<T: Real>(
        _ t: T.Type, _ name: String, _ config: TrainingConfig, file: StaticString = #filePath, line: UInt = #line
    ) {
        let straight = train(T.self, config)
        let saved = Saved()
        XCTAssertEqual(
            train(T.self, config, saveEvery: true, saved: saved), straight, "\(name): saving changed the run",
            file: file, line: line)
        XCTAssertGreaterThan(saved.list.count, 3, name, file: file, line: line)
        XCTAssertEqual(saved.list.map(\.done), Array(1...saved.list.count), name, file: file, line: line)
        for s in saved.list {
            XCTAssertEqual(
                s.history.epochCosts, Array(straight.result.epochCosts.prefix(s.history.epochCosts.count)), name,
                file: file, line: line)
            let resumed = train(T.self, config, resume: s)
            XCTAssertNil(resumed.result.resumeProblem, name, file: file, line: line)
            XCTAssertEqual(resumed, straight, "\(name) resumed after \(s.done)", file: file, line: line)
        }
        // The comparison sees the state: one carried array nudged by one ulp changes the end.
        var nudged = saved.list[saved.list.count / 2]
        if let key = nudged.state.arrays.keys.sorted().first(where: {
            !nudged.state.arrays[$0]!.isEmpty && !$0.hasSuffix("previous")
        }) {
            nudged.state.arrays[key]![0] = nudged.state.arrays[key]![0].nextUp * (1 + 1e-3)
            XCTAssertNotEqual(
                train(T.self, config, resume: nudged), straight, "\(name): nudging \(key) changed nothing", file: file,
                line: line)
        }
    }

    func firstOrderConfigs() -> [(String, TrainingConfig)] {
        var out: [(String, TrainingConfig)] = []
        for rule in MomentumRule.allCases {
            var c = TrainingConfig(
                loss: .crossEntropy,
                optimizer: .sgd(
                    SGDConfig(learningRate: 0.3, momentum: 0.8, momentumRule: rule, decay: .compounding(0.01))),
                epochs: 8, batching: .count(4), shuffle: true, recordBatchCosts: true, seed: 5)
            c.earlyStopping = EarlyStopping(tolerance: 1e-9, patience: 100)
            out.append(("sgd \(rule)", c))
        }
        out.append(
            (
                "sgd per-sample",
                TrainingConfig(
                    loss: .crossEntropy, optimizer: .sgd(SGDConfig(learningRate: 0.1)), epochs: 6,
                    batching: .size(1), shuffle: true, seed: 3)
            ))
        out.append(
            (
                "adam plateau",
                TrainingConfig(
                    loss: .crossEntropy,
                    optimizer: OptimizerConfig(
                        AdamConfig(learningRate: 0.05), clip: .norm(1),
                        schedule: LearningRateSchedule(.plateau(factor: 0.5, patience: 0, threshold: 0.5), warmup: 2)),
                    epochs: 8, batching: .size(5), shuffle: true, recordBatchCosts: true, seed: 6)
            ))
        // restore_best on the training cost: the best parameters so far travel in the snapshot (a
        // best epoch before the end and a resume after it: RestoreBestTests in NNExperimentsTests).
        var best = TrainingConfig(
            loss: .crossEntropy, optimizer: .sgd(SGDConfig(learningRate: 0.1, momentum: 0.5)), epochs: 10,
            batching: .size(5), shuffle: true, seed: 8)
        best.earlyStopping = EarlyStopping(tolerance: 0, patience: 100, restoreBest: true)
        out.append(("sgd restore best", best))
        out.append(
            (
                "rprop",
                TrainingConfig(loss: .crossEntropy, optimizer: .rprop(RpropConfig(learningRate: 0.05)), epochs: 7)
            ))
        // Dropout: the mask stream's state travels in the snapshot (per-sample and minibatch steps).
        for batching in [Batching.size(1), .size(6)] {
            var d = TrainingConfig(
                loss: .crossEntropy, optimizer: .sgd(SGDConfig(learningRate: 0.1, momentum: 0.5)), epochs: 6,
                batching: batching, shuffle: true, seed: 12)
            d.dropout = Dropout(rates: [0.3])
            d.diagnostics = batching == .size(6)
            out.append(("dropout \(batching)", d))
        }
        return out
    }

    func testFirstOrderRunsResumeBitIdentically() {
        for (name, c) in firstOrderConfigs() {
            checkResume(Double.self, name, c)
            checkResume(Float.self, "\(name) float32", c)
        }
    }

    func testFullBatchRunsResumeBitIdentically() {
        for (name, opt) in [
            ("bfgs", OptimizerConfig.bfgs(FullBatchConfig(maxIterations: 12, gradientTolerance: 0))),
            ("cg", .cg(FullBatchConfig(maxIterations: 12, gradientTolerance: 0)))
        ] {
            let c = TrainingConfig(
                loss: .crossEntropy, regularization: Regularization(l2: 1e-3), optimizer: opt, epochs: 0)
            checkResume(Double.self, name, c)
            checkResume(Float.self, "\(name) float32", c)
        }
    }

    /// An interrupt (progress answering false) saves the state after that epoch even when no
    /// checkpoint is due, and the run resumed from it ends like the straight one.
    func testAnInterruptSavesAndResumes() {
        for (name, c) in firstOrderConfigs().prefix(1) + [
            (
                "cg",
                TrainingConfig(
                    loss: .crossEntropy, optimizer: .cg(FullBatchConfig(maxIterations: 10, gradientTolerance: 0)),
                    epochs: 0)
            )
        ] {
            let straight = train(Double.self, c)
            let saved = Saved()
            // First-order progress counts epochs from 0, full-batch iterations from 1.
            let stopped = train(Double.self, c, stopAfter: 3, saved: saved)
            XCTAssertEqual(stopped.result.status, .cancelled, name)
            XCTAssertEqual(saved.list.count, 1, name)
            let s = saved.list[0]
            XCTAssertEqual(s.done, c.optimizer.isFullBatch ? 3 : 4, name)
            XCTAssertEqual(train(Double.self, c, resume: s), straight, name)
        }
    }

    /// A snapshot of another network or optimizer is not used: the run trains from the start, says
    /// why, and ends like a fresh run.
    func testASnapshotThatDoesNotFitIsNotUsed() {
        let (name, c) = firstOrderConfigs()[0]
        let fresh = train(Double.self, c)
        let saved = Saved()
        _ = train(Double.self, c, saveEvery: true, saved: saved)
        var wrong = saved.list[2]
        wrong.parameters.removeLast()
        var r = train(Double.self, c, resume: wrong)
        XCTAssertEqual(r.result.resumeProblem, "it holds 31 parameters, the network has 32", name)
        r.result.resumeProblem = nil
        XCTAssertEqual(r, fresh)
        var noVelocity = saved.list[2]
        noVelocity.state.arrays["optimizer.velocity"] = nil
        XCTAssertEqual(
            train(Double.self, c, resume: noVelocity).result.resumeProblem, "optimizer state has no array 'velocity'")
        var badRNG = saved.list[2]
        badRNG.shuffleRNG[0] ^= 1
        var b = train(Double.self, c, resume: badRNG)
        XCTAssertEqual(b.result.resumeProblem, "its shuffle stream does not follow from the run's seed")
        b.result.resumeProblem = nil
        XCTAssertEqual(b, fresh, "a refused snapshot left something behind")
        var v = train(Double.self, c, resume: noVelocity)
        v.result.resumeProblem = nil
        XCTAssertEqual(v, fresh, "a refused snapshot left something behind")

        // Dropout and diagnostics: a snapshot without the mask stream or the diagnostics rows is refused.
        let (dName, d) = firstOrderConfigs().first { $0.1.diagnostics }!
        let dFresh = train(Double.self, d)
        let dSaved = Saved()
        _ = train(Double.self, d, saveEvery: true, saved: dSaved)
        var noMasks = dSaved.list[2]
        noMasks.dropoutRNG = []
        var m = train(Double.self, d, resume: noMasks)
        XCTAssertEqual(m.result.resumeProblem, "its dropout stream state is not four words", dName)
        m.result.resumeProblem = nil
        XCTAssertEqual(m, dFresh, "a refused snapshot left something behind")
        var noRows = dSaved.list[2]
        noRows.history.diagnostics.removeLast()
        XCTAssertEqual(
            train(Double.self, d, resume: noRows).result.resumeProblem, "its diagnostics history is incomplete")

        let cg = TrainingConfig(
            loss: .crossEntropy, optimizer: .cg(FullBatchConfig(maxIterations: 6, gradientTolerance: 0)), epochs: 0)
        let cgSaved = Saved()
        let cgFresh = train(Double.self, cg, saveEvery: true, saved: cgSaved)
        var noD = cgSaved.list[1]
        noD.state.arrays["minimizer.d"] = nil
        var cr = train(Double.self, cg, resume: noD)
        XCTAssertEqual(cr.result.resumeProblem, "its CG state does not fit this problem of 32 variables")
        cr.result.resumeProblem = nil
        XCTAssertEqual(cr, cgFresh)
    }

    /// L-BFGS takes no checkpoints: nothing is saved, and a resume state is not used (said).
    func testLBFGSNeverResumes() {
        let c = TrainingConfig(
            loss: .crossEntropy, optimizer: .lbfgs(FullBatchConfig(maxIterations: 6, gradientTolerance: 0)), epochs: 0)
        let saved = Saved()
        let straight = train(Double.self, c, saveEvery: true, saved: saved)
        XCTAssertEqual(saved.list, [])
        let cgSaved = Saved()
        _ = train(
            Double.self,
            TrainingConfig(
                loss: .crossEntropy, optimizer: .cg(FullBatchConfig(maxIterations: 6, gradientTolerance: 0)), epochs: 0),
            saveEvery: true, saved: cgSaved)
        var r = train(Double.self, c, resume: cgSaved.list[2])
        XCTAssertEqual(r.result.resumeProblem, "L-BFGS runs restart from the beginning")
        r.result.resumeProblem = nil
        XCTAssertEqual(r, straight)
    }
}
