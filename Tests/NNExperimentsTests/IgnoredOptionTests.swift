import NNEngine
import XCTest

@testable import NNExperiments

/// Options that were accepted and then silently did nothing (issue 13) are errors at their key;
/// the `extends` rules that let a child switch what a base chose.
final class IgnoredOptionTests: XCTestCase {
    func check(
        _ files: [String: String], main: String = "t.yaml", _ expected: [String],
        file: StaticString = #filePath, line: UInt = #line
    ) throws {
        let folder = try SpecFolder(files)
        defer { folder.remove() }
        XCTAssertEqual(folder.errors(main), expected, file: file, line: line)
    }

    let head = "experiment: v\ndataset: {name: xor}\nmodel: {layers: [2, 3, 1]}\n"

    func testTrainingOptionsUnderFullBatchOptimizers() throws {
        for type in ["bfgs", "lbfgs", "cg"] {
            try check(
                [
                    "t.yaml": head
                        + "optimizer: {type: \(type)}\ntraining: {epochs: 5, batch_size: 2, shuffle: true, early_stopping: true}\n"
                ],
                [
                    "t.yaml:5:12: error: `training.epochs` does not apply to optimizer '\(type)', which minimises the full-batch cost for `optimizer.max_iterations` iterations; remove it",
                    "t.yaml:5:23: error: `training.batch_size` does not apply to optimizer '\(type)', which minimises the full-batch cost for `optimizer.max_iterations` iterations; remove it",
                    "t.yaml:5:38: error: `training.shuffle` does not apply to optimizer '\(type)', which minimises the full-batch cost for `optimizer.max_iterations` iterations; remove it",
                    "t.yaml:5:53: error: `training.early_stopping` does not apply to optimizer '\(type)', which minimises the full-batch cost for `optimizer.max_iterations` iterations; remove it"
                ])
        }
        try check(
            ["t.yaml": head + "optimizer: {type: cg}\ntraining: {minibatches: 2, precision: float32}\n"],
            [
                "t.yaml:5:12: error: `training.minibatches` does not apply to optimizer 'cg', which minimises the full-batch cost for `optimizer.max_iterations` iterations; remove it"
            ])
    }

    func testDecayOptionsThatTheRuleIgnores() throws {
        try check(
            ["t.yaml": head + "optimizer: {type: sgd, decay: 0.1, decay_rule: compounding, decay_every: 3}\n"],
            ["t.yaml:4:61: error: `optimizer.decay_every` applies only to `decay_rule: step`, not 'compounding'"])
        try check(
            ["t.yaml": head + "optimizer: {type: adam, decay_rule: inverse-time, decay_every: 3, decay_factor: 0.5}\n"],
            [
                "t.yaml:4:51: error: `optimizer.decay_every` applies only to `decay_rule: step`, not 'inverse-time'",
                "t.yaml:4:67: error: `optimizer.decay_factor` applies only to `decay_rule: step` (with `decay_every`), not 'inverse-time'"
            ])
        try check(
            ["t.yaml": head + "optimizer: {type: sgd, decay: 0.1, decay_every: 3}\n"],
            [
                "t.yaml:4:24: error: `optimizer.decay` does not apply to `decay_rule: step`, whose rate is learning_rate × decay_factor^⌊epoch / decay_every⌋"
            ])
        try check(
            ["t.yaml": head + "optimizer: {type: sgd, decay_factor: 0.5}\n"],
            [
                "t.yaml:4:24: error: `optimizer.decay_factor` applies only to `decay_rule: step` (with `decay_every`), not 'inverse-time'"
            ])
        try check(["t.yaml": head + "optimizer: {type: sgd, decay_every: 3, decay_factor: 0.5}\n"], [])
    }

    func testMoreMinibatchesThanSamples() throws {
        try check(
            ["t.yaml": head + "optimizer: {type: sgd}\ntraining: {minibatches: 5}\n"],
            [
                "t.yaml:5:25: error: `training.minibatches: 5` asks for more minibatches than the 4 training samples of dataset 'xor'"
            ])
        try check(["t.yaml": head + "optimizer: {type: sgd}\ntraining: {minibatches: 4}\n"], [])
    }

    func testSoftmaxOverOneUnit() throws {
        try check(
            [
                "t.yaml":
                    "experiment: v\ndataset: {name: xor}\nmodel: {layers: [2, 3, 1], output: softmax, loss: cross_entropy}\noptimizer: {type: sgd}\n"
            ],
            [
                "t.yaml:3:36: error: a softmax over one output unit is always 1 (cost 0, nothing learnt): use `output: sigmoid` for one unit, or two outputs"
            ])
        // Resolved from the data: one regression target column.
        try check(
            [
                "t.yaml":
                    "experiment: v\ndataset: {name: inline, features: [[1], [2]], targets: [[1], [2]]}\nmodel: {hidden: [3], output: softmax, loss: cross_entropy}\noptimizer: {type: sgd}\n"
            ],
            [
                "t.yaml:3:30: error: a softmax over one output unit is always 1 (cost 0, nothing learnt): use `output: sigmoid` for one unit, or two outputs"
            ])
    }

    // MARK: extends

    func testChildWithAnotherOptimizerTypeReplacesTheSection() throws {
        let folder = try SpecFolder([
            "base.yaml": head + "optimizer: {type: sgd, learning_rate: 0.5, momentum: 0.9}\n",
            "t.yaml": "extends: base.yaml\noptimizer: {type: adam}\n"
        ])
        defer { folder.remove() }
        XCTAssertEqual(folder.errors("t.yaml"), [])
        guard let a = try folder.load("t.yaml").runs[0].optimizer.settings as? AdamConfig else {
            return XCTFail("not adam")
        }
        XCTAssertEqual(a.learningRate, 0.001)  // the default, not the base's sgd rate
        // Same type: options still merge key by key.
        try check(
            [
                "base.yaml": head + "optimizer: {type: sgd, momentum: 0.9}\n",
                "t.yaml": "extends: base.yaml\noptimizer: {type: sgd, learnin_rate: 1}\n"
            ],
            ["t.yaml:2:24: error: unknown key `learnin_rate` in `optimizer`; did you mean `learning_rate`?"])
    }

    func testNullRemovesAnInheritedKeyAnywhere() throws {
        let folder = try SpecFolder([
            "base.yaml": head + "optimizer: {type: sgd, momentum: 0.9}\ntraining: {epochs: 7, batch_size: 2}\n",
            "t.yaml": "extends: base.yaml\noptimizer: {momentum: ~}\ntraining: {batch_size: ~}\n"
        ])
        defer { folder.remove() }
        XCTAssertEqual(folder.errors("t.yaml"), [])
        let run = try folder.load("t.yaml").runs[0]
        guard let s = run.optimizer.settings as? SGDConfig else { return XCTFail("not sgd") }
        XCTAssertEqual(s.momentum, 0)
        XCTAssertEqual(run.training.epochs, 7)
        XCTAssertEqual(run.training.batching, .full)
    }

    func testChildLayersReplaceBaseHidden() throws {
        let folder = try SpecFolder([
            "base.yaml":
                "experiment: v\ndataset: {name: xor}\nmodel: {hidden: [8], activation: tanh}\noptimizer: {type: sgd}\n",
            "t.yaml": "extends: base.yaml\nmodel: {layers: [2, 5, 1]}\n",
            "u.yaml": "extends: t.yaml\nmodel: {hidden: [4, 4]}\n"
        ])
        defer { folder.remove() }
        XCTAssertEqual(folder.errors("t.yaml"), [])
        XCTAssertEqual(try folder.load("t.yaml").runs[0].model.layers, .explicit([2, 5, 1]))
        XCTAssertEqual(try folder.load("u.yaml").runs[0].model.layers, .hidden([4, 4]))
    }
}
