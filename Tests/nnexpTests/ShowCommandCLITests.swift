import Foundation
import XCTest

/// `nnexp show`: each run's resolved config, which `nnexp run` accepts as a spec and which
/// reproduces that run's files exactly.
final class ShowCommandCLITests: XCTestCase {
    let spec = """
        experiment: show-me
        dataset: {name: moons, count: 100, noise: 0.2}
        model: {hidden: [4], activation: tanh, output: sigmoid, loss: logistic}
        optimizer: {type: adam, learning_rate: 0.01}
        training: {epochs: 25, batch_size: 16, shuffle: true}
        sweep:
          regularization.l2: [0.0, 0.01]
          random:
            trials: 3
            seed: 5
            params:
              optimizer.learning_rate: {loguniform: [1.0e-3, 1.0e-1]}
              model.hidden: {choice: [[4], [6, 3]]}
        """

    func testShownConfigRerunGivesIdenticalFiles() throws {
        let dir = try tempDir()
        try write(spec, to: "s.yaml", in: dir)
        let sets = ["--set", "training.epochs=12", "--sweep", "seed=3,4"]
        let original = try run(["run", "s.yaml", "--results", "orig", "--quiet", "--no-report"] + sets, cwd: dir)
        XCTAssertEqual(original.status, 0, original.err)

        let all = try run(["show", "s.yaml"] + sets, cwd: dir)
        XCTAssertEqual(all.status, 0, all.err)
        XCTAssertEqual(all.out.components(separatedBy: "\n---\n").count, 12, all.out)

        let shown = try run(
            ["show", "s.yaml", "--only", "l2=0.01", "--only", "trial=2", "--only", "seed=4"] + sets, cwd: dir)
        XCTAssertEqual(shown.status, 0, shown.err)
        XCTAssertTrue(shown.out.hasPrefix("# show-me/l2=0.01,seed=4,trial=2 (from s.yaml)\nnnexp_version: "), shown.out)
        XCTAssertTrue(shown.out.contains("\n  epochs: 12\n"), shown.out)
        // Exactly the config.yaml that run wrote, after the comment line.
        let runDir = dir.appendingPathComponent("orig/show-me/l2=0.01,seed=4,trial=2")
        let config = try String(contentsOf: runDir.appendingPathComponent("config.yaml"), encoding: .utf8)
        XCTAssertEqual(String(shown.out.drop { $0 != "\n" }.dropFirst()), config)

        try write(shown.out, to: "one.yaml", in: dir)
        let check = try run(["check", "one.yaml"], cwd: dir)
        XCTAssertEqual(check.status, 0, check.err)
        XCTAssertTrue(check.out.contains("experiment show-me, 1 run\n  l2=0.01,seed=4,trial=2"), check.out)
        let again = try run(["run", "one.yaml", "--results", "again", "--quiet", "--no-report"], cwd: dir)
        XCTAssertEqual(again.status, 0, again.err)
        let a = try files(under: runDir)
        let b = try files(under: dir.appendingPathComponent("again/show-me/l2=0.01,seed=4,trial=2"))
        XCTAssertGreaterThan(a.count, 4)
        XCTAssertEqual(Set(a.keys), Set(b.keys))
        for (name, bytes) in a { XCTAssertEqual(bytes, b[name], name) }
        // Given to the original results folder, the run is recognised as unchanged.
        let dry = try run(["run", "one.yaml", "--results", "orig", "--dry-run"], cwd: dir)
        XCTAssertTrue(dry.out.contains("keep   show-me/l2=0.01,seed=4,trial=2 (completed, unchanged)"), dry.out)
        // Retrained there, it leaves the experiment's own files (the whole sweep's summary) alone.
        let summary = dir.appendingPathComponent("orig/show-me/summary.csv")
        let before = try Data(contentsOf: summary)
        let forced = try run(["run", "one.yaml", "--results", "orig", "--force", "--quiet"], cwd: dir)
        XCTAssertEqual(forced.status, 0, forced.err)
        XCTAssertEqual(try Data(contentsOf: summary), before)
        XCTAssertEqual(String(decoding: before, as: UTF8.self).split(separator: "\n").count, 13)
        XCTAssertEqual(try files(under: runDir), a)
        // And a run's own config.yaml is such a spec too.
        let direct = try run(["check", "orig/show-me/l2=0.0,seed=3,trial=0/config.yaml"], cwd: dir)
        XCTAssertEqual(direct.status, 0, direct.err)
    }
}
