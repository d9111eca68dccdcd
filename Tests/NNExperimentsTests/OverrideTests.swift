import Foundation
import XCTest

@testable import NNExperiments

/// `--set` and `--sweep`: precedence over the spec and its `extends`, sweeps added or replaced, and
/// mistakes reported at the argument.
final class OverrideTests: XCTestCase {
    let files = [
        "base.yaml": """
        experiment: ov
        dataset: {name: xor}
        model: {layers: [2, 4, 1]}
        optimizer: {type: sgd, learning_rate: 0.5, momentum: 0.9}
        training: {epochs: 20}
        regularization: {l2: 0.001}
        """,
        "child.yaml": """
        extends: base.yaml
        optimizer: {learning_rate: 0.3}
        sweep:
          regularization.l2: [0.0, 0.1]
          seed: [1, 2]
        """
    ]

    func load(_ sets: [String] = [], _ sweeps: [String] = []) throws -> Experiment {
        let f = try SpecFolder(files)
        defer { f.remove() }
        return try Experiment.load(path: f.path("child.yaml"), overrides: Overrides(sets: sets, sweeps: sweeps))
    }

    func errors(_ sets: [String] = [], _ sweeps: [String] = []) throws -> [String] {
        let f = try SpecFolder(files)
        defer { f.remove() }
        do {
            _ = try Experiment.load(path: f.path("child.yaml"), overrides: Overrides(sets: sets, sweeps: sweeps))
            return []
        } catch let e as SpecErrors { return e.diagnostics.map { f.strip($0.description) } }
    }

    func testSetTakesPrecedenceOverTheSpecAndItsBase() throws {
        let plain = try load()
        XCTAssertTrue(plain.runs[0].canonicalYAML.contains("  learning_rate: 0.3\n"))
        let e = try load(["optimizer.learning_rate=0.01", "training.epochs=7", "model.hidden=[100, 50]"])
        for r in e.runs {
            let y = r.canonicalYAML
            XCTAssertTrue(y.contains("  learning_rate: 0.01\n"), y)  // over the child spec
            XCTAssertTrue(y.contains("  momentum: 0.9\n"), y)  // the base's other keys stay
            XCTAssertTrue(y.contains("  epochs: 7\n"), y)  // over the base spec
            XCTAssertTrue(y.contains("  hidden: [100, 50]\n"), y)  // replaces the base's `layers`, as `extends` would
            XCTAssertFalse(y.contains("layers:"), y)
        }
        XCTAssertEqual(e.runs.map(\.runName), plain.runs.map(\.runName))
        // `~` (or nothing) removes a key so its default applies; a new optimizer type drops the old one's options.
        let d = try load(["optimizer.momentum=~", "regularization="]).runs[0].canonicalYAML
        XCTAssertTrue(d.contains("  momentum: 0\n"), d)
        let adam = try load(["optimizer.type=adam"]).runs[0].canonicalYAML
        XCTAssertTrue(adam.contains("  type: adam\n") && !adam.contains("momentum"), adam)
    }

    func testSetFixesASweptPathAndSweepAddsOrReplacesAxes() throws {
        let fixed = try load(["regularization.l2=0.2"])
        XCTAssertEqual(fixed.runs.map(\.runName), ["seed=1", "seed=2"])
        XCTAssertTrue(fixed.runs[0].canonicalYAML.contains("  l2: 0.2\n"))
        let replaced = try load([], ["regularization.l2=0,0.01,0.1"])
        XCTAssertEqual(
            replaced.runs.map(\.runName),
            ["l2=0,seed=1", "l2=0,seed=2", "l2=0.01,seed=1", "l2=0.01,seed=2", "l2=0.1,seed=1", "l2=0.1,seed=2"])
        let added = try load(["seed=5"], ["model.layers=[2, 3, 1],[2, 8, 1]"])
        XCTAssertEqual(
            added.runs.map(\.runName),
            ["l2=0.0,layers=2-3-1", "l2=0.0,layers=2-8-1", "l2=0.1,layers=2-3-1", "l2=0.1,layers=2-8-1"])
        XCTAssertTrue(
            added.runs[3].canonicalYAML.contains("sweep:\n  regularization.l2: 0.1\n  model.layers: [2, 8, 1]\n"),
            added.runs[3].canonicalYAML)
        XCTAssertTrue(added.runs[3].canonicalYAML.contains("\nseed: 5\n"))
        XCTAssertTrue(
            added.specText.hasSuffix(
                "# command-line overrides: --set seed=5 --sweep 'model.layers=[2, 3, 1],[2, 8, 1]'\n"), added.specText)
    }

    func testMistakesNameTheArgument() throws {
        XCTAssertEqual(
            try errors(
                ["optimizer.learning_rate=abc", "optimizer.lerning_rate=1", "model.layers=[2, 4", "nothing"], ["seed"]),
            [
                "--set model.layers=[2, 4: error: the value `[2, 4` is not YAML: YAML syntax: did not find expected ',' or ']' (while parsing a flow sequence)",
                "--set nothing: error: --set takes PATH=VALUE, e.g. optimizer.learning_rate=0.01",
                "--set optimizer.learning_rate=abc: error: `optimizer.learning_rate` must be a number, found 'abc'",
                "--set optimizer.lerning_rate=1: error: path `optimizer.lerning_rate` names no key; did you mean `optimizer.learning_rate`?",
                "--sweep seed: error: --sweep takes PATH=VALUE, e.g. regularization.l2=0,0.01,0.1"
            ])
        XCTAssertEqual(
            try errors([], ["regularization.l2=0,-1"]),
            ["--sweep regularization.l2=0,-1: error: `regularization.l2` must be at least 0, found -1"])
        XCTAssertEqual(
            try errors(["seed=1"], ["seed=1,2"]),
            ["--sweep seed=1,2: error: `seed` is given to both --set (seed=1) and --sweep; give it one of them"])
        XCTAssertEqual(try errors(["sweep.zip=1"]), ["--set sweep.zip=1: error: `sweep` cannot be overridden"])
    }

    func testSplitValuesKeepsBracketsAndQuotesWhole() {
        XCTAssertEqual(Overrides.splitValues("0,0.01, 0.1"), ["0", "0.01", "0.1"])
        XCTAssertEqual(
            Overrides.splitValues("[100, 50],[10],{a: 1, b: 2},'x,y'"), ["[100, 50]", "[10]", "{a: 1, b: 2}", "'x,y'"])
    }

    func testOverridesReachRandomSearchParameters() throws {
        let f = try SpecFolder([
            "r.yaml": """
            experiment: r
            dataset: {name: xor}
            model: {layers: [2, 4, 1]}
            optimizer: {type: sgd, learning_rate: 0.5}
            sweep:
              random:
                trials: 4
                seed: 1
                params:
                  optimizer.learning_rate: {loguniform: [1.0e-3, 1.0]}
                  optimizer.momentum: {uniform: [0, 0.9]}
            """
        ])
        defer { f.remove() }
        let plain = try Experiment.load(path: f.path("r.yaml"))
        let e = try Experiment.load(
            path: f.path("r.yaml"), overrides: Overrides(sets: ["optimizer.learning_rate=0.05"], sweeps: ["seed=1,2"]))
        XCTAssertEqual(e.runs.count, 8)
        XCTAssertEqual(e.randomPaths, ["optimizer.momentum"])
        // The momentum of each trial is unchanged by fixing the learning rate (per-path streams).
        XCTAssertEqual(e.runs.prefix(4).map { $0.axisValues.last!.value }, plain.runs.map { $0.axisValues.last!.value })
        XCTAssertTrue(e.runs.allSatisfy { $0.canonicalYAML.contains("  learning_rate: 0.05\n") })
    }
}
