import Foundation
import NNEngine
import XCTest

/// nnexp's training against an independent implementation: the Raschka seed's own NumPy class
/// (NeuralNetMLP), run by scripts/raschka-fixture.py from the same starting weights on 300 MNIST
/// images scaled to [0, 1]. Its 15 minibatch costs and final weights are in the committed fixture;
/// nnexp must match them in Float64 to 1e-9 (relative; absolute for weights near zero).
final class RaschkaTrajectoryTests: XCTestCase {
    // The hyperparameters scripts/raschka-fixture.py trains with (its constants).
    let samples = 300, hidden = 30, epochs = 3, minibatches = 5
    let eta = 0.001, alpha = 0.001, decrease = 0.00001, l2 = 0.1

    func fixture() throws -> [String: NPYArray] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
            "Fixtures/raschka-trajectory.npz")
        let arrays = try NPZ.decode([UInt8](try Data(contentsOf: url)))
        return Dictionary(arrays.map { ($0.name, $0.array) }, uniquingKeysWith: { a, _ in a })
    }

    /// Raschka's layout (a bias column first, then out × in weights) into nnexp's (weights, then biases).
    func nnexpLayer(_ a: NPYArray) -> [Double] {
        let rows = a.shape[0]
        let cols = a.shape[1]
        var weights: [Double] = []
        var biases: [Double] = []
        for r in 0..<rows {
            biases.append(a.values[r * cols])
            weights += a.values[(r * cols + 1)..<((r + 1) * cols)]
        }
        return weights + biases
    }

    func testMatchesTheSeedsNumPyClassInFloat64() throws {
        let f = try fixture()
        let pixels = try XCTUnwrap(f["pixels"])
        let labels = try XCTUnwrap(f["labels"])
        XCTAssertEqual(pixels.shape, [samples, 784])
        let x = pixels.values.map { $0 / 255.0 }
        var y = [Double](repeating: 0, count: samples * 10)
        for (i, label) in labels.values.enumerated() { y[i * 10 + Int(label)] = 1 }
        let data = Samples<Double>(x: x, y: y, count: samples, inputs: 784, outputs: 10)

        let arch = Architecture(sizes: [784, hidden, 10], hidden: .sigmoid, output: .sigmoid)
        let start = nnexpLayer(try XCTUnwrap(f["w1_initial"])) + nnexpLayer(try XCTUnwrap(f["w2_initial"]))
        var net = Network<Double>(architecture: arch, parameters: start)
        let config = TrainingConfig(
            loss: .logistic, reduction: .sum, regularization: Regularization(l1: 0, l2: l2),
            optimizer: .sgd(
                SGDConfig(
                    learningRate: eta, momentum: alpha, momentumRule: .previousStep,
                    decay: .compounding(decrease))),
            epochs: epochs, batching: .count(minibatches), shuffle: false, recordBatchCosts: true)
        let result = Trainer.train(&net, on: data, config: config)

        let costs = try XCTUnwrap(f["batch_costs"]).values
        XCTAssertEqual(result.batchCosts.count, costs.count)
        for (i, (mine, theirs)) in zip(result.batchCosts, costs).enumerated() {
            XCTAssertLessThanOrEqual(
                abs(mine - theirs) / abs(theirs), 1e-9, "minibatch \(i): \(mine) vs NumPy \(theirs)")
        }
        // The costs fell, so the comparison is about a trajectory that learned something.
        XCTAssertLessThan(costs.last!, 0.7 * costs.first!)

        let expected = nnexpLayer(try XCTUnwrap(f["w1_final"])) + nnexpLayer(try XCTUnwrap(f["w2_final"]))
        XCTAssertEqual(net.parameters.count, expected.count)
        var worst = 0.0
        for (a, b) in zip(net.parameters, expected) { worst = max(worst, abs(a - b) / max(1, abs(b))) }
        XCTAssertLessThanOrEqual(worst, 1e-9, "largest weight difference from NumPy")
        // And the weights moved: the fixture is not the starting point.
        XCTAssertGreaterThan(zip(start, expected).map { abs($0 - $1) }.max()!, 1e-4)
    }
}
