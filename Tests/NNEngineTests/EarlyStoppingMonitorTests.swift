import XCTest

@testable import NNEngine

/// Early stopping on a value the caller measures (`EpochObserver.monitored`) and `restoreBest`:
/// driven by scripted values, so which epoch is best and when training stops are known by hand.
final class EarlyStoppingMonitorTests: XCTestCase {
    let arch = Architecture(sizes: [3, 4, 2], hidden: .tanh, output: .softmax)

    final class Seen: @unchecked Sendable { var parameters: [[Double]] = [] }

    /// Trains with `monitor` fed `values[epoch]`; returns the result, the final parameters and the
    /// parameters the observer saw after each epoch.
    func run(_ monitor: EarlyStopping.Monitor, values: [Double], patience: Int, restore: Bool, epochs: Int = 30)
        -> (result: TrainingResult, final: [Double], seen: [[Double]])
    {
        var c = TrainingConfig(
            loss: .crossEntropy, optimizer: .sgd(SGDConfig(learningRate: 0.2)), epochs: epochs,
            batching: .size(4), shuffle: true, seed: 2)
        c.earlyStopping = EarlyStopping(tolerance: 0.01, patience: patience, monitor: monitor, restoreBest: restore)
        var net = Network<Double>(architecture: arch, initialization: .xavierUniform, seed: 1)
        let seen = Seen()
        var epoch = -1
        let observer = EpochObserver<Double>(
            { e, p in
                epoch = e
                seen.parameters.append(p)
            }, monitored: { values[epoch] })
        let r = Trainer.train(
            &net, on: Fixture.samples(arch, loss: .crossEntropy, count: 20, seed: 3), config: c, epochEnd: observer)
        return (r, net.parameters, seen.parameters)
    }

    func testValidationCostDrivesStoppingAndTheBestEpochIsRestored() {
        // Improvements beyond the tolerance 0.01 at epochs 1, 2, 3; 2.995 at epoch 5 is a new best
        // (strictly lower) but within the tolerance, so the count goes on: 4, 5, 6 stale → stop after 6.
        let values = [5, 4, 3, 3.5, 2.995, 3.1, 3.2, 1, 1, 1]
        let r = run(.validationCost, values: values, patience: 3, restore: true)
        XCTAssertTrue(r.result.stoppedEarly)
        XCTAssertEqual(r.result.epochCosts.count, 6)
        XCTAssertEqual(r.result.bestEpoch, 5)
        XCTAssertEqual(r.final, r.seen[4], "the parameters after epoch 5")
        XCTAssertNotEqual(r.final, r.seen[5])
        // Without restoreBest: the same stop, the last epoch's parameters, no best epoch.
        let plain = run(.validationCost, values: values, patience: 3, restore: false)
        XCTAssertEqual(plain.result.epochCosts.count, 6)
        XCTAssertNil(plain.result.bestEpoch)
        XCTAssertEqual(plain.final, plain.seen[5])
    }

    func testValidationAccuracyIsBetterWhenHigher() {
        let values = [0.5, 0.7, 0.9, 0.9, 0.85, 0.95, 0.955, 0.5, 0.5, 0.5, 0.5]
        let r = run(.validationAccuracy, values: values, patience: 4, restore: true)
        // Improvements beyond 0.01 at epochs 1, 2, 3, 6; 0.955 (epoch 7) is the best but within it.
        XCTAssertEqual(r.result.epochCosts.count, 10)
        XCTAssertEqual(r.result.bestEpoch, 7)
        XCTAssertEqual(r.final, r.seen[6])
    }

    func testRestoreBestAfterTheLastEpochWithoutStopping() {
        let values = (0..<8).map { $0 == 2 ? 0.1 : 1 + Double($0) }
        let r = run(.validationCost, values: values, patience: 100, restore: true, epochs: 8)
        XCTAssertFalse(r.result.stoppedEarly)
        XCTAssertEqual(r.result.epochCosts.count, 8)
        XCTAssertEqual(r.result.bestEpoch, 3)
        XCTAssertEqual(r.final, r.seen[2])
    }

    func testNoObserverValueNeverImproves() {
        var c = TrainingConfig(loss: .crossEntropy, optimizer: .sgd(SGDConfig(learningRate: 0.2)), epochs: 20, seed: 2)
        c.earlyStopping = EarlyStopping(patience: 3, monitor: .validationCost, restoreBest: true)
        var net = Network<Double>(architecture: arch, initialization: .xavierUniform, seed: 1)
        let start = net.parameters
        let r = Trainer.train(&net, on: Fixture.samples(arch, loss: .crossEntropy, count: 20, seed: 3), config: c)
        XCTAssertEqual(r.epochCosts.count, 3)
        XCTAssertNil(r.bestEpoch, "no finite value: nothing to restore")
        XCTAssertNotEqual(net.parameters, start)
    }
}
