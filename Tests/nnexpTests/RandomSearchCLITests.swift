import Foundation
import XCTest

/// `sweep.random` through the command line: the same trials and the same files whatever --jobs,
/// the runs picked, or an interruption.
final class RandomSearchCLITests: XCTestCase {
    let moons = """
        experiment: moons-random
        dataset: {name: moons, count: 120, noise: 0.2}
        model: {hidden: [4], activation: tanh, output: sigmoid, loss: logistic}
        optimizer: {type: adam, learning_rate: 0.01}
        training: {epochs: 30, batch_size: 16, shuffle: true}
        sweep:
          seed: [1, 2]
          random:
            trials: 6
            seed: 7
            params:
              optimizer.learning_rate: {loguniform: [1.0e-3, 1.0e-1]}
              model.hidden: {choice: [[4], [8], [4, 4]]}
              training.batch_size: {int: [8, 64], log: true}
        """

    /// Twelve runs slow enough (in a debug build) to interrupt mid-sweep.
    let slow = """
        experiment: xor-random
        dataset: {name: xor, repeats: 250}
        model: {layers: [2, 16, 1], activation: tanh, output: sigmoid, loss: logistic}
        optimizer: {type: sgd, learning_rate: 0.05, momentum: 0.5}
        training: {epochs: 200, minibatches: 10, shuffle: true}
        sweep:
          random:
            trials: 8
            seed: 3
            params:
              optimizer.learning_rate: {uniform: [0.01, 0.1]}
              optimizer.momentum: {uniform: [0.5, 0.9], step: 0.1}
        """

    func testJobsOneAndTwoAndASubsetWriteIdenticalTrials() throws {
        let dir = try tempDir()
        try write(moons, to: "m.yaml", in: dir)
        let one = try run(["run", "m.yaml", "--jobs", "1", "--results", "r1", "--quiet"], cwd: dir)
        let two = try run(["run", "m.yaml", "--jobs", "2", "--results", "r2", "--quiet"], cwd: dir)
        XCTAssertEqual(one.status, 0, one.err)
        XCTAssertEqual(two.status, 0, two.err)
        let a = try files(under: dir.appendingPathComponent("r1"))
        let b = try files(under: dir.appendingPathComponent("r2"))
        XCTAssertEqual(Set(a.keys), Set(b.keys))
        for (name, bytes) in a { XCTAssertEqual(bytes, b[name], name) }
        let configs = a.filter { $0.key.hasSuffix("/config.yaml") }
        XCTAssertEqual(configs.count, 12)
        let c = try XCTUnwrap(
            configs["moons-random/seed=2,trial=3/config.yaml"].flatMap { String(data: $0, encoding: .utf8) })
        XCTAssertTrue(c.contains("sweep:\n  seed: 2\n  trial: 3\n  optimizer.learning_rate: "), c)
        // Trial 3 of seed 1 drew the same values as trial 3 of seed 2.
        func sweepBlock(_ s: String) -> String {
            String(s.split(separator: "dataset:")[0].split(separator: "trial:")[1])
        }
        let c1 = try XCTUnwrap(
            configs["moons-random/seed=1,trial=3/config.yaml"].flatMap { String(data: $0, encoding: .utf8) })
        XCTAssertEqual(sweepBlock(c), sweepBlock(c1))
        let summary = try XCTUnwrap(a["moons-random/summary.csv"].flatMap { String(data: $0, encoding: .utf8) })
        XCTAssertTrue(
            summary.hasPrefix("run,seed,trial,optimizer.learning_rate,model.hidden,training.batch_size,status,"),
            summary)

        // One trial alone (--only), and a sweep of more trials, give that trial's very files.
        let alone = try run(
            ["run", "m.yaml", "--only", "trial=3", "--only", "seed=2", "--results", "r3", "--quiet", "--no-report"],
            cwd: dir)
        XCTAssertEqual(alone.status, 0, alone.err)
        let more = moons.replacingOccurrences(of: "trials: 6", with: "trials: 9")
        try write(more, to: "m9.yaml", in: dir)
        let nine = try run(
            ["run", "m9.yaml", "--only", "trial=3", "--results", "r4", "--quiet", "--no-report"], cwd: dir)
        XCTAssertEqual(nine.status, 0, nine.err)
        let solo = try files(under: dir.appendingPathComponent("r3/moons-random/seed=2,trial=3"))
        let ofNine = try files(under: dir.appendingPathComponent("r4/moons-random/seed=2,trial=3"))
        XCTAssertFalse(solo.isEmpty)
        for (name, bytes) in solo { XCTAssertEqual(bytes, a["moons-random/seed=2,trial=3/\(name)"], name) }
        // Widening 6 → 9 trials keeps the label width (one digit) and every value of trial 3.
        XCTAssertEqual(Set(ofNine.keys), Set(solo.keys))
        for (name, bytes) in solo { XCTAssertEqual(bytes, ofNine[name], name) }

        // `check` lists the drawn values.
        let check = try run(["check", "m.yaml"], cwd: dir)
        XCTAssertEqual(check.status, 0, check.err)
        XCTAssertTrue(check.out.contains("2 × 6 trials = 12 runs"), check.out)
        let line = try XCTUnwrap(check.out.split(separator: "\n").first { $0.hasPrefix("  seed=2,trial=3 ") })
        XCTAssertTrue(
            line.contains(" optimizer.learning_rate=") && line.contains(" model.hidden=[")
                && line.contains(" training.batch_size="), String(line))
    }

    func testInterruptedThenResumedRandomSearchGivesTheUninterruptedFiles() throws {
        let dir = try tempDir()
        try write(slow, to: "s.yaml", in: dir)
        let reference = try run(["run", "s.yaml", "--jobs", "1", "--results", "ref", "--quiet"], cwd: dir)
        XCTAssertEqual(reference.status, 0, reference.err)

        let (p, _, errURL) = try start(["run", "s.yaml", "--jobs", "2", "--results", "res"], cwd: dir)
        let expDir = dir.appendingPathComponent("res/xor-random")
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            let done = ((try? FileManager.default.contentsOfDirectory(atPath: expDir.path)) ?? []).filter {
                !$0.hasPrefix(".")
            }
            if !done.isEmpty { break }
            Thread.sleep(forTimeInterval: 0.05)
        }
        p.terminate()
        p.waitUntilExit()
        let err = try String(contentsOf: errURL, encoding: .utf8)
        XCTAssertEqual(p.terminationStatus, 1, err)
        let finished = try FileManager.default.contentsOfDirectory(atPath: expDir.path).filter {
            $0.hasPrefix("trial=")
        }
        XCTAssertGreaterThan(finished.count, 0)
        XCTAssertLessThan(finished.count, 8, "the sweep was not interrupted")

        let resumed = try run(["run", "s.yaml", "--jobs", "2", "--results", "res"], cwd: dir)
        XCTAssertEqual(resumed.status, 0, resumed.err)
        XCTAssertTrue(resumed.err.contains("keeping \(finished.count) run"), resumed.err)
        let a = try files(under: dir.appendingPathComponent("ref"))
        let b = try files(under: dir.appendingPathComponent("res"))
        XCTAssertEqual(Set(a.keys), Set(b.keys))
        for (name, bytes) in a { XCTAssertEqual(bytes, b[name], name) }
    }
}
