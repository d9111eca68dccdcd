import XCTest

@testable import NNExperiments

/// Every kind of spec mistake, with its exact `FILE:LINE:COL: error: MESSAGE`.
final class ValidationMessageTests: XCTestCase {
    func check(
        _ files: [String: String], main: String = "t.yaml", _ expected: [String],
        file: StaticString = #filePath, line: UInt = #line
    ) throws {
        let folder = try SpecFolder(files)
        defer { folder.remove() }
        XCTAssertEqual(folder.errors(main), expected, file: file, line: line)
    }

    func testYAMLSyntax() throws {
        try check(
            ["t.yaml": "experiment: v\nmodel: {layers: [2, 1], activation: [tanh}\n"],
            ["t.yaml:2:42: error: YAML syntax: did not find expected ',' or ']' (while parsing a flow sequence)"])
    }

    func testDuplicateKey() throws {
        try check(
            ["t.yaml": validHead + "model: {layers: [2, 3, 1]}\n"],
            ["t.yaml:5:1: error: duplicate key `model` (first given at line 3)"])
    }

    func testUnknownTopLevelKeyWithSuggestion() throws {
        try check(
            ["t.yaml": validHead + "trainig: {epochs: 3}\n"],
            ["t.yaml:5:1: error: unknown top-level key `trainig`; did you mean `training`?"])
    }

    func testUnknownSectionKeyWithSuggestion() throws {
        try check(
            ["t.yaml": validHead.replacingOccurrences(of: "{type: sgd}", with: "{type: sgd, learning_rat: 0.1}")],
            ["t.yaml:4:24: error: unknown key `learning_rat` in `optimizer`; did you mean `learning_rate`?"])
    }

    func testMissingRequiredKey() throws {
        try check(
            ["t.yaml": "experiment: v\ndataset: {name: xor}\nmodel: {layers: [2, 1]}\n"],
            ["t.yaml:1:1: error: missing key `optimizer` (e.g. {type: sgd, learning_rate: 0.1})"])
    }

    func testWrongTypesAndRangesAllAtOnce() throws {
        try check(
            [
                "t.yaml": """
                experiment: v
                dataset: {name: xor}
                model: {layers: [2, 3, 1], activation: sigmoidd}
                optimizer: {type: sgd, learning_rate: fast, momentum: 1.5}
                training: {epochs: 1.5, minibatches: 0, shuffle: maybe}
                regularization: {l2: -0.1}
                seed: -1
                """
            ],
            [
                "t.yaml:3:40: error: `model.activation` must be one of sigmoid, tanh, relu, leaky_relu, elu, linear, found 'sigmoidd'; did you mean `sigmoid`?",
                "t.yaml:4:39: error: `optimizer.learning_rate` must be a number, found 'fast'",
                "t.yaml:4:55: error: `optimizer.momentum` must be at most 1, found 1.5",
                "t.yaml:5:20: error: `training.epochs` must be a whole number, found '1.5'",
                "t.yaml:5:38: error: `training.minibatches` must be at least 1, found 0",
                "t.yaml:5:50: error: `training.shuffle` must be true or false, found 'maybe'",
                "t.yaml:6:22: error: `regularization.l2` must be at least 0, found -0.1",
                "t.yaml:7:7: error: `seed` must be at least 0, found -1"
            ])
    }

    func testOptionOfAnotherOptimizer() throws {
        try check(
            ["t.yaml": validHead.replacingOccurrences(of: "{type: sgd}", with: "{type: adam, momentum: 0.9}")],
            [
                "t.yaml:4:25: error: `optimizer.momentum` does not apply to optimizer 'adam' (it takes: learning_rate, beta1, beta2, epsilon, decay, decay_rule, decay_every, decay_factor, clip, schedule)"
            ])
    }

    /// Rprop is full batch: minibatches are reported where the spec sets them (one minibatch is fine).
    func testRpropWithMinibatches() throws {
        let rprop = validHead.replacingOccurrences(of: "{type: sgd}", with: "{type: rprop}")
        let message =
            "optimizer 'rprop' trains on the full batch only (its step sizes follow the sign of one cost's gradient from step to step); remove `training.minibatches` / `training.batch_size`"
        try check(["t.yaml": rprop + "training: {epochs: 5, minibatches: 4}\n"], ["t.yaml:5:36: error: " + message])
        try check(["t.yaml": rprop + "training:\n  batch_size: 2\n"], ["t.yaml:6:15: error: " + message])
        try check(["t.yaml": rprop + "training: {minibatches: 1}\n"], [])
        try check(
            ["t.yaml": validHead + "training: {minibatches: 2}\nsweep: {optimizer.type: [sgd, rprop]}\n"],
            ["t.yaml:5:25: error: " + message + " (in run `type=rprop`)"])
    }

    func testNewOptimizersValidateTheirKeys() throws {
        try check(
            [
                "t.yaml": validHead.replacingOccurrences(
                    of: "{type: sgd}", with: "{type: rprop, eta_minus: 1.5, eta_plus: 0.9, step_min: 2, step_max: 1}")
            ],
            [
                "t.yaml:4:26: error: `optimizer.eta_minus` must be less than 1 (it shrinks the step), found 1.5",
                "t.yaml:4:42: error: `optimizer.eta_plus` must be greater than 1 (it grows the step), found 0.9",
                "t.yaml:4:57: error: `optimizer.step_min` (2.0) must not exceed `optimizer.step_max` (1.0)"
            ])
        try check(
            [
                "t.yaml": validHead.replacingOccurrences(
                    of: "{type: sgd}", with: "{type: rmsprop, alpha: 2, centered: maybe, beta1: 0.9}")
            ],
            [
                "t.yaml:4:35: error: `optimizer.alpha` must be at most 1, found 2",
                "t.yaml:4:48: error: `optimizer.centered` must be true or false, found 'maybe'",
                "t.yaml:4:55: error: `optimizer.beta1` does not apply to optimizer 'rmsprop' (it takes: learning_rate, alpha, epsilon, momentum, centered, decay, decay_rule, decay_every, decay_factor, clip, schedule)"
            ])
        try check(
            [
                "t.yaml": validHead.replacingOccurrences(
                    of: "{type: sgd}", with: "{type: adagrad, initial_accumulator: -1, weight_decay: 0.1}")
            ],
            [
                "t.yaml:4:49: error: `optimizer.initial_accumulator` must be at least 0, found -1",
                "t.yaml:4:53: error: `optimizer.weight_decay` does not apply to optimizer 'adagrad' (it takes: learning_rate, epsilon, initial_accumulator, decay, decay_rule, decay_every, decay_factor, clip, schedule)"
            ])
        try check(
            [
                "t.yaml": validHead.replacingOccurrences(
                    of: "{type: sgd}", with: "{type: adamw, weight_decay: -0.1, decay_bias: false}")
            ],
            [
                "t.yaml:4:46: error: unknown key `decay_bias` in `optimizer`; did you mean `decay_biases`?",
                "t.yaml:4:40: error: `optimizer.weight_decay` must be at least 0, found -0.1"
            ].sorted())
    }

    func testUnknownOptimizer() throws {
        try check(
            ["t.yaml": validHead.replacingOccurrences(of: "{type: sgd}", with: "{type: adamm}")],
            [
                "t.yaml:4:19: error: `optimizer.type` must be one of sgd, adam, bfgs, lbfgs, cg, rprop, rmsprop, adagrad, adamw, found 'adamm'; did you mean `adam`?"
            ])
    }

    func testLayersAndHiddenTogetherAndTooFewLayers() throws {
        try check(
            ["t.yaml": validHead.replacingOccurrences(of: "{layers: [2, 3, 1]}", with: "{layers: [2], hidden: [3]}")],
            [
                "t.yaml:3:17: error: `model.layers` needs at least an input and an output size, found 1 entry",
                "t.yaml:3:22: error: give `model.layers` or `model.hidden`, not both"
            ])
    }

    func testLossThatDoesNotFitTheOutput() throws {
        try check(
            [
                "t.yaml": validHead.replacingOccurrences(
                    of: "{layers: [2, 3, 1]}", with: "{layers: [2, 3, 2], output: softmax, loss: logistic}")
            ],
            ["t.yaml:3:51: error: loss 'logistic' needs a sigmoid output, but `model.output` is 'softmax'"])
    }

    func testInitRangeBackwards() throws {
        try check(
            [
                "t.yaml": validHead.replacingOccurrences(
                    of: "{layers: [2, 3, 1]}", with: "{layers: [2, 3, 1], init: {uniform: [1, -1]}}")
            ],
            ["t.yaml:3:44: error: `model.init.uniform` needs low < high, found [1, -1]"])
    }

    func testMinibatchCostWithFullBatchOptimizer() throws {
        try check(
            [
                "t.yaml": validHead.replacingOccurrences(of: "{type: sgd}", with: "{type: lbfgs}")
                    + "outputs: {cost: minibatch}\n"
            ],
            [
                "t.yaml:5:17: error: `outputs.cost: minibatch` needs a minibatch optimizer (sgd, adam, rprop, rmsprop, adagrad or adamw); 'lbfgs' works on the full batch and records one cost per iteration in cost.csv"
            ])
    }

    func testConfusionSplitMisspelled() throws {
        try check(
            ["t.yaml": validHead + "outputs: {confusion: [train, tset]}\n"],
            [
                "t.yaml:5:30: error: `outputs.confusion` must be one of train, validation, test, found 'tset'; did you mean `test`?"
            ])
    }

    func testExperimentNameUnsafeForAFolder() throws {
        try check(
            ["t.yaml": validHead.replacingOccurrences(of: "experiment: v", with: "experiment: a/b")],
            [
                "t.yaml:1:13: error: `experiment` names a results folder: use letters, digits, '-', '_' and '.' only, found 'a/b'"
            ])
    }

    func testLayerSizesThatContradictTheData() throws {
        try check(
            ["t.yaml": validHead.replacingOccurrences(of: "[2, 3, 1]", with: "[3, 3, 1]")],
            ["t.yaml:3:17: error: `model.layers` starts with 3 inputs but dataset 'xor' has 2 features"])
    }

    func testSweepPathNamingNoKey() throws {
        try check(
            ["t.yaml": validHead + "sweep:\n  regularization.l3: [0.1]\n"],
            ["t.yaml:6:3: error: sweep path `regularization.l3` names no key; did you mean `regularization.l1`?"])
    }

    func testSweepValueOfTheWrongTypePointsAtTheItem() throws {
        try check(
            ["t.yaml": validHead + "sweep:\n  regularization.l2: [0.1, high]\n"],
            ["t.yaml:6:28: error: `regularization.l2` must be a number, found 'high'"])
    }

    func testSweepAxisThatIsNotAList() throws {
        try check(
            ["t.yaml": validHead + "sweep: {model.activation: tanh}\n"],
            ["t.yaml:5:27: error: sweep axis `model.activation` needs a non-empty list of values, found 'tanh'"])
    }

    func testZipOfUnequalLengths() throws {
        try check(
            ["t.yaml": validHead + "sweep:\n  zip: {seed: [1, 2], training.epochs: [5]}\n"],
            [
                "t.yaml:6:23: error: zipped axes vary together and need lists of equal length: `seed` has 2 values, `training.epochs` has 1"
            ])
    }

    func testSweepValuesGivingTheSameRunName() throws {
        try check(
            ["t.yaml": validHead + "sweep: {model.activation: [tanh, tanh]}\n"],
            [
                "t.yaml:5:34: error: two runs would both be named `activation=tanh`: this value repeats the one at line 5, column 28"
            ])
    }

    func testOptionThatOnlySomeSweptRunsRejectNamesTheRun() throws {
        try check(
            [
                "t.yaml": validHead.replacingOccurrences(of: "{type: sgd}", with: "{type: sgd, momentum: 0.9}")
                    + "sweep: {optimizer.type: [sgd, adam]}\n"
            ],
            [
                "t.yaml:4:24: error: `optimizer.momentum` does not apply to optimizer 'adam' (it takes: learning_rate, beta1, beta2, epsilon, decay, decay_rule, decay_every, decay_factor, clip, schedule) (in run `type=adam`)"
            ])
    }

    func testMistakeInABaseSpecIsReportedInTheBaseFile() throws {
        try check(
            [
                "base.yaml":
                    "dataset: {name: xor}\nmodel: {layers: [2, 3, 1]}\noptimizer: {type: sgd, learning_rate: -1}\n",
                "t.yaml": "extends: base.yaml\nexperiment: child\noptimizer: {momentum: 0.5}\n"
            ], ["base.yaml:3:39: error: `optimizer.learning_rate` must be greater than 0, found -1"])
    }

    func testExtendsCycle() throws {
        try check(
            [
                "a.yaml":
                    "extends: b.yaml\nexperiment: a\ndataset: {name: xor}\nmodel: {layers: [2, 1]}\noptimizer: {type: sgd}\n",
                "b.yaml": "extends: a.yaml\n"
            ], main: "a.yaml", ["b.yaml:1:10: error: `extends` makes a cycle: a.yaml → b.yaml → a.yaml"])
    }

    func testExtendsMissingFile() throws {
        // The folder prefix is stripped from messages, so the looked-for path reads as the bare name.
        try check(
            ["t.yaml": "extends: nothere.yaml\n" + validHead],
            [
                "t.yaml:1:10: error: cannot read the extended spec `nothere.yaml` (looked for nothere.yaml): no such file or directory"
            ])
    }

    func testActivationListOfTheWrongLength() throws {
        try check(
            [
                "t.yaml": validHead.replacingOccurrences(
                    of: "{layers: [2, 3, 1]}", with: "{layers: [2, 3, 1], activation: [tanh, relu]}")
            ],
            ["t.yaml:3:40: error: `model.activation` lists 2 activations for 1 hidden layer"])
    }
}
