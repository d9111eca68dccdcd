import Foundation
import XCTest

#if canImport(Glibc)
    import Glibc
#endif

/// Checkpoints with real processes and real signals (issue 14): a run with `checkpoint: {every: 1}`
/// killed (SIGKILL) at a random point, or stopped by SIGTERM at a random epoch, and run again,
/// resumes from its checkpoint and ends with every result file byte-identical to an uninterrupted
/// run — for sgd with each momentum rule, adam, bfgs and cg, in float32 and float64.
final class CheckpointCLITests: XCTestCase {
    /// One small run per case: a few hundred milliseconds each in a debug build. The first-order ones
    /// record every history kind a checkpoint must carry (minibatch costs, per-epoch accuracy, the
    /// learning rate of a schedule, decay position, early-stopping counters).
    func spec(_ optimizer: String, precision: String, fullBatch: Bool) -> String {
        let training =
            fullBatch
            ? "training: {precision: \(precision), checkpoint: {every: 1}}"
            : "training: {epochs: 50, batch_size: 10, shuffle: true, precision: \(precision), early_stopping: {tolerance: 0, patience: 500}, checkpoint: {every: 1}}\noutputs: {cost: minibatch, epoch_accuracy: true}"
        return """
            experiment: ck
            dataset: {name: moons, count: 120, noise: 0.2, split: {test: 0.25}}
            model: {hidden: [6], activation: tanh, output: softmax, loss: cross_entropy}
            optimizer: \(optimizer)
            \(training)
            seed: 3
            """
    }

    var cases: [(name: String, optimizer: String, fullBatch: Bool)] {
        ["heavy-ball", "nesterov", "previous-step"].map {
            (
                "sgd \($0)",
                "{type: sgd, learning_rate: 0.05, momentum: 0.8, momentum_rule: \($0), decay: 0.01, decay_rule: compounding}",
                false
            )
        } + [
            (
                "adam",
                "{type: adam, learning_rate: 0.02, schedule: {type: plateau, factor: 0.5, patience: 1, threshold: 0.01, warmup: 3}}",
                false
            ),
            ("bfgs", "{type: bfgs, max_iterations: 45, tolerance: 0}", true),
            ("cg", "{type: cg, max_iterations: 45, tolerance: 0}", true)
        ]
    }

    /// The epoch (iteration) count in the run's checkpoint, or nil while there is none.
    func checkpointEpoch(_ path: String) -> Int? {
        guard let d = FileManager.default.contents(atPath: path),
            let text = String(data: d.prefix(200), encoding: .isoLatin1)
        else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("epoch: ") { return Int(line.dropFirst(7)) }
        return nil
    }

    func interruptAndResume(
        _ name: String, signal sig: Int32, in dir: URL, reference: [String: Data], fullBatch: Bool,
        steps: Int
    ) throws {
        let results = dir.appendingPathComponent("results")
        try? FileManager.default.removeItem(at: results)
        let ckpt = results.appendingPathComponent("ck/.checkpoint-run").path
        // A random point: once the checkpoint has reached a random epoch, then a random pause. The epoch
        // is in the first half of what the uninterrupted run did (a full-batch run may stop early, when
        // its line search fails), so the signal always lands while work remains.
        let target = Int.random(in: 2...max(3, min(20, steps / 2)))
        let (p, out, err) = try start(["run", "s.yaml"], cwd: dir)
        defer {
            try? FileManager.default.removeItem(at: out)
            try? FileManager.default.removeItem(at: err)
        }
        let deadline = Date().addingTimeInterval(60)
        while p.isRunning, (checkpointEpoch(ckpt) ?? -1) < target, Date() < deadline { usleep(500) }
        usleep(UInt32.random(in: 0...3000))
        guard p.isRunning else {
            return XCTFail("\(name): the run ended before it was interrupted (epoch \(checkpointEpoch(ckpt) ?? -1))")
        }
        kill(p.processIdentifier, sig)
        p.waitUntilExit()
        let what = "\(name) \(sig == SIGKILL ? "SIGKILL" : "SIGTERM")"
        if sig == SIGTERM {
            let stderr = try String(contentsOf: err, encoding: .utf8)
            XCTAssertEqual(p.terminationStatus, 1, "\(what): \(stderr)")
            XCTAssertTrue(
                stderr.contains("ck/run: cancelled, checkpoint saved after \(fullBatch ? "iteration" : "epoch")"),
                "\(what): \(stderr)")
        } else {
            XCTAssertEqual(p.terminationReason, .uncaughtSignal, what)
        }
        XCTAssertFalse(
            FileManager.default.fileExists(atPath: results.appendingPathComponent("ck/run").path),
            "\(what): the run finished before the signal")
        guard let at = checkpointEpoch(ckpt) else { return XCTFail("\(what): no checkpoint left") }
        XCTAssertGreaterThanOrEqual(at, target, what)

        let again = try run(["run", "s.yaml"], cwd: dir)
        XCTAssertEqual(again.status, 0, "\(what): \(again.err)")
        XCTAssertTrue(
            again.err.contains("resuming from \(fullBatch ? "iteration" : "epoch") \(at)\n"), "\(what): \(again.err)")
        XCTAssertFalse(FileManager.default.fileExists(atPath: ckpt), "\(what): the checkpoint outlived the run")
        let resumed = try files(under: results)
        XCTAssertEqual(Set(resumed.keys), Set(reference.keys), what)
        for (file, bytes) in reference where resumed[file] != bytes {
            XCTFail("\(what): \(file) differs from the uninterrupted run's")
        }
    }

    func check(_ c: (name: String, optimizer: String, fullBatch: Bool)) throws {
        for precision in ["float32", "float64"] {
            try check(
                name: "\(c.name) \(precision)", spec: spec(c.optimizer, precision: precision, fullBatch: c.fullBatch),
                fullBatch: c.fullBatch)
        }
    }

    /// `restore_best` on the validation cost: the best parameters so far travel in the checkpoint.
    func testRestoreBestResumesBitIdentically() throws {
        try check(
            name: "restore_best",
            spec: """
                experiment: ck
                dataset: {name: moons, count: 120, noise: 0.3, split: {validation: 0.25, test: 0.25}}
                model: {hidden: [16], activation: tanh, output: softmax, loss: cross_entropy, reduction: mean}
                optimizer: {type: sgd, learning_rate: 0.8, momentum: 0.5}
                training: {epochs: 50, batch_size: 8, shuffle: true, early_stopping: {monitor: validation_cost, restore_best: true, patience: 1000}, checkpoint: {every: 1}}
                outputs: {epoch_metrics: true}
                seed: 5
                """, fullBatch: false)
    }

    func check(name: String, spec text: String, fullBatch: Bool) throws {
        let dir = try tempDir()
        try write(text, to: "s.yaml", in: dir)
        let ref = try run(["run", "s.yaml", "--results", "ref", "--quiet"], cwd: dir)
        XCTAssertEqual(ref.status, 0, ref.err)
        let reference = try files(under: dir.appendingPathComponent("ref"))
        XCTAssertTrue(reference.keys.contains("ck/run/weights.npz"), "\(reference.keys.sorted())")
        // Epochs (iterations) the uninterrupted run did, from its metrics.csv.
        let metrics = String(decoding: reference["ck/run/metrics.csv"] ?? Data(), as: UTF8.self)
        let steps =
            metrics.split(separator: "\n").first { $0.hasPrefix("epochs,") }.flatMap { Int($0.dropFirst(7)) } ?? 0
        XCTAssertGreaterThanOrEqual(steps, 10, "\(name): too short a run to interrupt")
        for sig in [SIGKILL, SIGTERM] {
            try interruptAndResume(name, signal: sig, in: dir, reference: reference, fullBatch: fullBatch, steps: steps)
        }
    }

    func testSGDHeavyBallResumesBitIdentically() throws { try check(cases[0]) }
    func testSGDNesterovResumesBitIdentically() throws { try check(cases[1]) }
    func testSGDPreviousStepResumesBitIdentically() throws { try check(cases[2]) }
    func testAdamResumesBitIdentically() throws { try check(cases[3]) }
    func testBFGSResumesBitIdentically() throws { try check(cases[4]) }
    func testCGResumesBitIdentically() throws { try check(cases[5]) }

    /// `training.checkpoint` changes no byte of a run's results: the same spec without it keeps the
    /// run (same config.yaml), and SIGUSR1 interrupts like SIGTERM, leaving a checkpoint.
    func testCheckpointSettingsChangeNoResultAndSIGUSR1Checkpoints() throws {
        let dir = try tempDir()
        let with = spec(cases[0].optimizer, precision: "float64", fullBatch: false)
        try write(with.replacingOccurrences(of: ", checkpoint: {every: 1}", with: ""), to: "s.yaml", in: dir)
        XCTAssertEqual(try run(["run", "s.yaml", "--quiet"], cwd: dir).status, 0)
        let plain = try files(under: dir.appendingPathComponent("results/ck/run"))
        try write(with.replacingOccurrences(of: "{every: 1}", with: "{every: 7, seconds: 30}"), to: "s.yaml", in: dir)
        let dry = try run(["run", "s.yaml", "--dry-run"], cwd: dir)
        XCTAssertTrue(dry.out.hasPrefix("keep   ck/run (completed"), dry.out + dry.err)
        XCTAssertTrue(dry.out.hasSuffix("0 to train, 1 kept\n"), dry.out + dry.err)
        let forced = try run(["run", "s.yaml", "--force", "--quiet"], cwd: dir)
        XCTAssertEqual(forced.status, 0, forced.err)
        XCTAssertEqual(try files(under: dir.appendingPathComponent("results/ck/run")), plain)

        try write(with, to: "s.yaml", in: dir)
        let (p, out, err) = try start(["run", "s.yaml", "--force"], cwd: dir)
        defer {
            try? FileManager.default.removeItem(at: out)
            try? FileManager.default.removeItem(at: err)
        }
        let ckpt = dir.appendingPathComponent("results/ck/.checkpoint-run").path
        while p.isRunning, (checkpointEpoch(ckpt) ?? -1) < 3 { usleep(500) }
        kill(p.processIdentifier, SIGUSR1)
        p.waitUntilExit()
        let stderr = try String(contentsOf: err, encoding: .utf8)
        XCTAssertEqual(p.terminationStatus, 1, stderr)
        XCTAssertTrue(stderr.contains("ck/run: cancelled, checkpoint saved after epoch"), stderr)
        XCTAssertNotNil(checkpointEpoch(ckpt))
    }
}
