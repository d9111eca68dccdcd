import NNDatasets
import XCTest

@testable import NNExperiments

/// Each committed reproduction spec, shrunk (fewer epochs, smaller subsets) but through the same code
/// path, shows its headline behaviour. The full runs are `make reproduce`; these keep them honest in
/// `make test`.
final class ReproductionSpecTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..")
        .standardized
    static var dataRoot: String { root.appendingPathComponent("data").path }

    func runs(_ spec: String) throws -> [RunConfig] {
        try Experiment.load(path: Self.root.appendingPathComponent("experiments/\(spec).yaml").path).runs
    }

    /// MNIST-based specs need `make data`; CI runs it before the tests.
    func requireMNIST(_ set: String = "mnist") throws {
        let dir = (Self.dataRoot as NSString).appendingPathComponent(set)
        if !FileManager.default.fileExists(atPath: dir) {
            throw XCTSkip("\(dir) not found (run `make data`); skipping the \(set) reproduction check")
        }
    }

    func shrunk(_ c: RunConfig, epochs: Int, train: Int? = nil, test: Int? = nil) -> RunConfig {
        var c = c
        c.training.epochs = epochs
        if let train { c.dataset.trainCount = train }
        if let test { c.dataset.testCount = test }
        c.dataset.dataRoot = Self.dataRoot
        return c
    }

    func execute(_ c: RunConfig) -> RunOutcome {
        let o = RunExecutor.execute(c)
        XCTAssertEqual(o.status, .completed, "\(c.experiment)/\(c.runName): \(o.status)")
        return o
    }

    func costs(_ o: RunOutcome) -> [Double] {
        String(decoding: o.files["cost.csv"] ?? [], as: UTF8.self).split(separator: "\n").dropFirst()
            .compactMap { Double($0.split(separator: ",")[1]) }
    }

    func testWelchBFGSReachesTheSeedsCost() throws {
        let o = execute(try runs("welch-bfgs")[0])
        XCTAssertLessThan(try XCTUnwrap(o.finalCost), 1e-2)
        XCTAssertLessThan(o.iterations, 200)
        let iris = execute(try runs("welch-bfgs-iris")[0])
        XCTAssertLessThan(try XCTUnwrap(iris.finalCost), 1e-4)
    }

    func testMoonsConjugateGradientBeats95Percent() throws {
        let run = try XCTUnwrap(try runs("moons-cg").first { $0.runName == "hidden=3" })
        let o = execute(run)
        XCTAssertGreaterThan(try XCTUnwrap(o.accuracy["train"]), 0.95)
    }

    func testCirclesTanhLearnsWithGradientDescent() throws {
        let all = try runs("circles-tanh")
        XCTAssertEqual(
            all.map(\.runName),
            [
                "layers=2-1-1", "layers=2-2-1", "layers=2-3-1", "layers=2-4-1", "layers=2-5-1", "layers=2-20-1",
                "layers=2-50-1"
            ])
        // The full 10 000 iterations: the first few thousand sit on the plateau at log 2 that the
        // N(0, 0.01²) initialisation starts on.
        let o = execute(try XCTUnwrap(all.first { $0.runName == "layers=2-5-1" }))
        let c = costs(o)
        XCTAssertEqual(c.first!, log(2), accuracy: 1e-3)
        XCTAssertLessThan(c.last!, 0.5 * c.first!)
        XCTAssertGreaterThan(try XCTUnwrap(o.accuracy["train"]), 0.8)
    }

    func testGradientCheckSpecIsOK() throws {
        try requireMNIST()
        let run = shrunk(try runs("gradient-check")[0], epochs: 1)
        let r = try GradientCheckRun.check(run, samples: 5)
        XCTAssertEqual(r.worstVerdict, .ok, "relative error \(r.relativeError)")
        XCTAssertEqual(r.layers.count, 2)
    }

    func testRaschkaNetworkLearnsMNIST() throws {
        try requireMNIST()
        let o = execute(shrunk(try runs("raschka-mnist")[0], epochs: 15, train: 2000, test: 500))
        XCTAssertEqual(
            o.files["cost-minibatch.csv"].map { String(decoding: $0, as: UTF8.self).split(separator: "\n").count },
            15 * 50 + 1)
        let c = costs(o)
        XCTAssertLessThan(c.last!, c.first!)
        XCTAssertGreaterThan(try XCTUnwrap(o.accuracy["test"]), 0.4)  // chance is 0.1
    }

    func testL2SweepExpandsToTwelveRuns() throws {
        let all = try runs("mnist-l2-sweep")
        XCTAssertEqual(all.count, 12)
        XCTAssertEqual(all.first?.runName, "l2=0.0,seed=1")
        XCTAssertEqual(Set(all.map(\.regularization.l2)), [0, 0.01, 0.1, 1.0])
    }

    func testClassicReLUSoftmaxSplitAndAccuracy() throws {
        try requireMNIST()
        let run = shrunk(try XCTUnwrap(try runs("classic-relu-softmax").first), epochs: 2)
        let o = execute(run)
        // 5000 samples, 70/15/15.
        let confusion = String(decoding: try XCTUnwrap(o.files["confusion-test.csv"]), as: UTF8.self)
        let testCount = confusion.split(separator: "\n").dropFirst().flatMap {
            $0.split(separator: ",").dropFirst().compactMap { Int($0) }
        }.reduce(0, +)
        XCTAssertEqual(testCount, 750)
        XCTAssertGreaterThan(try XCTUnwrap(o.accuracy["validation"]), 0.6)
    }

    func testBenchmarkGridsAreTheTwentyFourCells() throws {
        let fashion = try runs("fashion-mnist-mlp")
        let mnist = try runs("mnist-mlp")
        XCTAssertEqual(fashion.count, 24)
        XCTAssertEqual(fashion.map(\.runName), mnist.map(\.runName))
        XCTAssertEqual(mnist.first?.experiment, "mnist-mlp")
        try requireMNIST("fashion-mnist")
        let cell = try XCTUnwrap(fashion.first { $0.runName == "activation=relu,hidden=100,seed=1" })
        let o = execute(shrunk(cell, epochs: 3, train: 3000, test: 1000))
        XCTAssertGreaterThan(try XCTUnwrap(o.accuracy["test"]), 0.7)
    }

    /// Issue 18's experiments: eight optimizers × three seeds on one network (RPROP full batch), three
    /// activations with diagnostics, and dropout 0 / 0.2 / 0.5 with a validation split.
    func testIssue18ExperimentsExpandAsDescribed() throws {
        let opts = try runs("optimizers-mnist")
        XCTAssertEqual(opts.count, 24)
        XCTAssertEqual(Set(opts.map(\.optimizer.name)), ["sgd", "rmsprop", "adagrad", "adam", "adamw", "rprop"])
        XCTAssertEqual(Set(opts.map(\.model.layers)), [.hidden([64])])
        XCTAssertEqual(Set(opts.map(\.seed)), [1, 2, 3])
        for r in opts where r.optimizer.name == "rprop" { XCTAssertEqual(r.training.batching, .full) }
        XCTAssertEqual(opts.filter { $0.canonicalYAML.contains("momentum_rule: nesterov") }.count, 3)
        let deep = try runs("vanishing-gradients")
        XCTAssertEqual(deep.map(\.model.activations), [[.sigmoid], [.tanh], [.relu]])
        XCTAssertTrue(
            deep.allSatisfy { $0.outputs.diagnostics && $0.model.layers == .hidden(Array(repeating: 100, count: 6)) })
        let drop = try runs("dropout-overfitting")
        XCTAssertEqual(drop.map(\.model.dropout), [[0], [0.2], [0.5]])
        XCTAssertTrue(drop.allSatisfy { $0.dataset.split.validation != nil })
    }
}
