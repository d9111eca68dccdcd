import NNEngine
import XCTest

@testable import NNExperiments

final class SweepAndExtendsTests: XCTestCase {
    /// The issue's example spec (with XOR standing in for MNIST until the dataset registry lands).
    func testIssueExampleSpecIsValid() throws {
        let folder = try SpecFolder([
            "t.yaml": """
            experiment: mnist-l2-sweep
            description: Raschka's 784-50-10 sigmoid MLP on MNIST, sweeping the L2 penalty
            dataset: {name: xor}
            model: {layers: [784, 50, 10], activation: sigmoid, output: sigmoid, loss: logistic,
                    init: {uniform: [-1.0, 1.0]}}
            optimizer: {type: sgd, learning_rate: 0.001, momentum: 0.001, momentum_rule: previous-step,
                        decay: 0.00001, decay_rule: compounding}
            training: {epochs: 1000, minibatches: 50, shuffle: true}
            regularization: {l1: 0.0, l2: 0.1}
            seed: 1
            sweep:
              regularization.l2: [0.0, 0.01, 0.1, 1.0]
            """
        ])
        defer { folder.remove() }
        let e = try folder.load("t.yaml")
        XCTAssertEqual(e.name, "mnist-l2-sweep")
        XCTAssertEqual(e.runs.map(\.runName), ["l2=0.0", "l2=0.01", "l2=0.1", "l2=1.0"])
        XCTAssertEqual(e.runs.map(\.regularization.l2), [0, 0.01, 0.1, 1])
        XCTAssertEqual(
            e.runs[0].optimizer,
            .sgd(
                SGDConfig(
                    learningRate: 0.001, momentum: 0.001, momentumRule: .previousStep,
                    decay: .compounding(0.00001))))
        XCTAssertEqual(e.runs[0].training.batching, .count(50))
        XCTAssertEqual(e.runs[0].model.layers, .explicit([784, 50, 10]))
        XCTAssertEqual(e.sizeDescription, "4 = 4 runs")
    }

    func testProductOrderZipAndVariants() throws {
        let folder = try SpecFolder([
            "t.yaml": validHead
                + """
                sweep:
                  model.activation: [sigmoid, tanh]
                  zip:
                    optimizer.learning_rate: [0.1, 0.5]
                    training.epochs: [10, 20]
                  model.hidden: [[4], [8, 2]]
                  variants:
                    - {optimizer.type: adam, optimizer.learning_rate: 0.01}
                """.replacingOccurrences(of: "model: {layers: [2, 3, 1]}", with: "")
        ])
        defer { folder.remove() }
        let spec = try String(contentsOfFile: folder.path("t.yaml"), encoding: .utf8)
        try spec.replacingOccurrences(of: "model: {layers: [2, 3, 1]}\n", with: "model: {hidden: [3]}\n")
            .write(toFile: folder.path("t.yaml"), atomically: true, encoding: .utf8)
        let e = try folder.load("t.yaml")
        // First axis slowest; the zip group is one axis; variants come last.
        XCTAssertEqual(
            e.runs.map(\.runName),
            [
                "activation=sigmoid,learning_rate=0.1,epochs=10,hidden=4",
                "activation=sigmoid,learning_rate=0.1,epochs=10,hidden=8-2",
                "activation=sigmoid,learning_rate=0.5,epochs=20,hidden=4",
                "activation=sigmoid,learning_rate=0.5,epochs=20,hidden=8-2",
                "activation=tanh,learning_rate=0.1,epochs=10,hidden=4",
                "activation=tanh,learning_rate=0.1,epochs=10,hidden=8-2",
                "activation=tanh,learning_rate=0.5,epochs=20,hidden=4",
                "activation=tanh,learning_rate=0.5,epochs=20,hidden=8-2",
                "learning_rate=0.01,type=adam"
            ])
        XCTAssertEqual(
            e.axes, ["model.activation", "optimizer.learning_rate", "training.epochs", "model.hidden", "optimizer.type"]
        )
        XCTAssertEqual(e.sizeDescription, "2 × 2 × 2 + 1 variant = 9 runs")
        XCTAssertEqual(e.runs[3].model.layers, .hidden([8, 2]))
        XCTAssertEqual(e.runs[3].training.epochs, 20)
        XCTAssertEqual(e.runs[8].optimizer.name, "adam")
        XCTAssertEqual(e.runs[8].model.activations, [.sigmoid])
    }

    func testAnySectionIsSweepableAndNullRestoresTheDefault() throws {
        let folder = try SpecFolder([
            "t.yaml": validHead.replacingOccurrences(of: "{type: sgd}", with: "{type: sgd, momentum: 0.9}") + """
                sweep:
                  seed: [1, 2]
                  variants:
                    - {optimizer.type: adam, optimizer.momentum: ~}
                    - {optimizer: {type: lbfgs, max_iterations: 5}}
                """
        ])
        defer { folder.remove() }
        let e = try folder.load("t.yaml")
        XCTAssertEqual(
            e.runs.map(\.runName),
            ["seed=1", "seed=2", "type=adam,momentum=default", "optimizer=type-lbfgs-max_iterations-5"])
        XCTAssertEqual(e.runs.map(\.seed), [1, 2, 0, 0])
        XCTAssertEqual(e.runs[2].optimizer, .adam(AdamConfig()))
        XCTAssertEqual(e.runs[3].optimizer, .lbfgs(FullBatchConfig(maxIterations: 5)))
    }

    func testRunNamesAreSafeAndDisambiguated() {
        let paths = ["optimizer.learning_rate", "other.learning_rate", "model.layers"]
        XCTAssertEqual(
            RunNames.name([("optimizer.learning_rate", "0.1"), ("model.layers", "[2, 3, 1]")], allPaths: paths),
            "optimizer.learning_rate=0.1,layers=2-3-1")
        XCTAssertEqual(RunNames.safe("a/b c"), "a_bc")
        XCTAssertEqual(RunNames.safe(".hidden"), "_.hidden")
        XCTAssertEqual(RunNames.name([], allPaths: []), "run")
        let long = RunNames.name([("description", String(repeating: "x", count: 300))], allPaths: ["description"])
        XCTAssertEqual(long.count, 117)
        XCTAssertTrue(long.hasPrefix("description=xxx"))
        XCTAssertEqual(
            long, RunNames.name([("description", String(repeating: "x", count: 300))], allPaths: ["description"]))
    }

    func testExtendsDeepMergesWithAnchorsAndMergeKeys() throws {
        let folder = try SpecFolder([
            "specs/base.yaml": """
            x-net: &net {activation: tanh, output: sigmoid}
            dataset: {name: xor}
            model:
              <<: *net
              layers: [2, 3, 1]
            optimizer: {type: sgd, learning_rate: 0.5, momentum: 0.9}
            training: {epochs: 7}
            """,
            "specs/t.yaml": """
            extends: base.yaml
            experiment: child
            model: {activation: relu}
            optimizer: {learning_rate: 0.1}
            training: {shuffle: true}
            """
        ])
        defer { folder.remove() }
        let c = try folder.load("specs/t.yaml").runs[0]
        // Mappings merge key by key: the child's values win, the base's others stay.
        XCTAssertEqual(c.optimizer, .sgd(SGDConfig(learningRate: 0.1, momentum: 0.9)))
        XCTAssertEqual(c.training.epochs, 7)
        XCTAssertTrue(c.training.shuffle)
        XCTAssertEqual(c.model.activations, [.relu])
        XCTAssertEqual(c.model.output, .sigmoid)
        XCTAssertEqual(c.model.layers, .explicit([2, 3, 1]))
    }

    func testBaseListIsAppliedInOrder() throws {
        let folder = try SpecFolder([
            "net.yaml": "model: {layers: [2, 3, 1], activation: tanh}\ntraining: {epochs: 3}\n",
            "opt.yaml": "optimizer: {type: adam}\ntraining: {epochs: 5}\n",
            "t.yaml": "extends: [net.yaml, opt.yaml]\nexperiment: x\ndataset: {name: xor}\n"
        ])
        defer { folder.remove() }
        let c = try folder.load("t.yaml").runs[0]
        XCTAssertEqual(c.training.epochs, 5)
        XCTAssertEqual(c.optimizer.name, "adam")
        XCTAssertEqual(c.model.activations, [.tanh])
    }

    func testCanonicalConfigCarriesVersionAndSweepValues() throws {
        let folder = try SpecFolder(["t.yaml": validHead + "sweep: {regularization.l2: [0.5]}\n"])
        defer { folder.remove() }
        let yaml = try folder.load("t.yaml").runs[0].canonicalYAML
        XCTAssertTrue(
            yaml.hasPrefix(
                "nnexp_version: \(NNExpVersion.string)\nexperiment: v\nrun: l2=0.5\nsweep:\n  regularization.l2: 0.5\n"),
            yaml)
        XCTAssertTrue(yaml.contains("regularization:\n  l1: 0\n  l2: 0.5\n"), yaml)
    }
}
