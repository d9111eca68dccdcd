import NNEngine
import XCTest

@testable import NNExperiments

final class SpecDecodingTests: XCTestCase {
    func decode(_ yaml: String, file: String = "t.yaml") -> (RunConfig?, [String]) {
        let sink = DiagnosticSink()
        do {
            let root = try YAMLParser.parse(yaml, file: file)
            let c = SpecDecoder(sink: sink).decode(root)
            return (c, sink.diagnostics.sorted().map(\.description))
        } catch {
            return (nil, ["\(error.location): error: \(error.message)"])
        }
    }

    func testValidSpecBecomesTypedConfig() {
        let (c, errors) = decode(
            """
            experiment: demo
            dataset: {name: xor}
            model: {layers: [2, 3, 1], activation: tanh, output: sigmoid, loss: logistic, init: {uniform: [-1.0, 1.0]}}
            optimizer: {type: sgd, learning_rate: 0.001, momentum: 0.001, momentum_rule: previous-step, decay: 0.00001, decay_rule: compounding}
            training: {epochs: 1000, minibatches: 50, shuffle: true, precision: float32}
            regularization: {l1: 0.0, l2: 0.1}
            seed: 1
            """)
        XCTAssertEqual(errors, [])
        guard let c else { return XCTFail("no config") }
        XCTAssertEqual(c.experiment, "demo")
        XCTAssertEqual(c.model.layers, .explicit([2, 3, 1]))
        XCTAssertEqual(c.model.activations, [.tanh])
        XCTAssertEqual(c.model.initialization, .uniform(-1, 1))
        XCTAssertEqual(
            c.optimizer,
            .sgd(
                SGDConfig(
                    learningRate: 0.001, momentum: 0.001, momentumRule: .previousStep, decay: .compounding(0.00001))))
        XCTAssertEqual(c.training.batching, .count(50))
        XCTAssertEqual(c.training.precision, .float32)
        XCTAssertTrue(c.training.shuffle)
        XCTAssertEqual(c.regularization, Regularization(l1: 0, l2: 0.1))
        XCTAssertEqual(c.seed, 1)
    }

    func testSyntaxErrorHasFileLineColumn() {
        let (_, errors) = decode("experiment: x\nmodel: {layers: [2, 3\n", file: "experiments/x.yaml")
        XCTAssertEqual(errors.count, 1)
        XCTAssertTrue(errors[0].hasPrefix("experiments/x.yaml:3:1: error: YAML syntax:"), errors[0])
    }

    func testUnknownKeyIsReportedWithSuggestion() {
        let (_, errors) = decode(
            """
            experiment: x
            dataset: {name: xor}
            model: {layers: [2, 1]}
            optimizer: {type: sgd, learning_rat: 0.1}
            """)
        XCTAssertEqual(
            errors, ["t.yaml:4:24: error: unknown key `learning_rat` in `optimizer`; did you mean `learning_rate`?"])
    }

    func testWrongTypeAndAllErrorsAtOnce() {
        let (_, errors) = decode(
            """
            experiment: x
            dataset: {name: xor}
            model: {layers: [2, 1], activation: sigmoidd}
            optimizer: {type: sgd, learning_rate: fast}
            training: {epochs: -3}
            """)
        XCTAssertEqual(
            errors,
            [
                "t.yaml:3:37: error: `model.activation` must be one of sigmoid, tanh, relu, leaky_relu, elu, linear, found 'sigmoidd'; did you mean `sigmoid`?",
                "t.yaml:4:39: error: `optimizer.learning_rate` must be a number, found 'fast'",
                "t.yaml:5:20: error: `training.epochs` must be at least 1, found -3"
            ])
    }

    func testAnchorsAliasesAndMergeKeys() throws {
        let root = try YAMLParser.parse(
            """
            base: &b {a: 1, b: 2}
            child:
              <<: *b
              b: 3
            list: [*b]
            """, file: "m.yaml")
        let child = try XCTUnwrap(root["child"])
        XCTAssertEqual(child["a"]?.scalar, "1")
        XCTAssertEqual(child["b"]?.scalar, "3")
        XCTAssertEqual(root["list"]?.sequence?.first?["b"]?.scalar, "2")
    }
}

/// `model.dropout`: decoding, its errors, and the canonical config (written only when set).
final class DropoutSpecTests: XCTestCase {
    let base = """
        experiment: d
        dataset: {name: xor}
        model: {hidden: [4, 3], activation: tanh%DROPOUT%}
        optimizer: {type: sgd, learning_rate: 0.1}
        """

    func decode(_ dropout: String, optimizer: String? = nil) -> (RunConfig?, [String]) {
        var yaml = base.replacingOccurrences(of: "%DROPOUT%", with: dropout)
        if let optimizer { yaml = yaml.replacingOccurrences(of: "{type: sgd, learning_rate: 0.1}", with: optimizer) }
        let sink = DiagnosticSink()
        guard let root = try? YAMLParser.parse(yaml, file: "t.yaml") else { return (nil, ["parse"]) }
        let c = SpecDecoder(sink: sink).decode(root)
        return (c, sink.diagnostics.sorted().map(\.description))
    }

    func testOneRateOrOnePerHiddenLayer() throws {
        let (one, e1) = decode(", dropout: 0.2")
        XCTAssertEqual(e1, [])
        XCTAssertEqual(one?.model.dropout, [0.2])
        XCTAssertEqual(one?.model.dropout(hidden: 2), Dropout(rates: [0.2, 0.2]))
        XCTAssertTrue(try XCTUnwrap(one).canonicalYAML.contains("  dropout: 0.2\n"))
        let (list, e2) = decode(", dropout: [0.5, 0]")
        XCTAssertEqual(e2, [])
        XCTAssertEqual(list?.model.dropout(hidden: 2), Dropout(rates: [0.5, 0]))
        XCTAssertTrue(try XCTUnwrap(list).canonicalYAML.contains("  dropout: [0.5, 0]\n"))
    }

    func testWithoutDropoutTheCanonicalConfigHasNoKey() throws {
        let (c, e) = decode("")
        XCTAssertEqual(e, [])
        let yaml = try XCTUnwrap(c).canonicalYAML
        XCTAssertFalse(yaml.contains("dropout"))
        XCTAssertFalse(yaml.contains("diagnostics"))
        XCTAssertNil(c?.model.dropout(hidden: 2))
    }

    func testBadRatesAreErrorsAtTheirPlace() {
        XCTAssertEqual(
            decode(", dropout: 1").1,
            ["t.yaml:3:52: error: `model.dropout` must be less than 1 (the share of units dropped), found 1"])
        XCTAssertEqual(
            decode(", dropout: -0.1").1, ["t.yaml:3:52: error: `model.dropout` must be at least 0, found -0.1"])
        XCTAssertEqual(
            decode(", dropout: [0.1, 0.2, 0.3]").1,
            ["t.yaml:3:52: error: `model.dropout` lists 3 rates for 2 hidden layers"])
        XCTAssertEqual(decode(", dropout: 0.2", optimizer: "{type: bfgs}").1.count, 1)
        XCTAssertTrue(
            decode(", dropout: 0.2", optimizer: "{type: bfgs}").1[0].contains(
                "`model.dropout` needs a first-order optimizer"))
    }
}
