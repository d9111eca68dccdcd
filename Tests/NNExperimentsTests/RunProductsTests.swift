import NNDatasets
import NNEngine
import XCTest

@testable import NNExperiments

/// The products `make bench` bounds `make reproduce` with, against counts worked by hand (2 flops per
/// multiply-add; training: forward and weight gradient for every layer, δ·W below the first only).
final class RunProductsTests: XCTestCase {
    func config(_ spec: String) throws -> RunConfig {
        let folder = try SpecFolder(["t.yaml": spec])
        defer { folder.remove() }
        return try folder.load("t.yaml").runs[0]
    }

    let data = "dataset: {name: blobs, count: 100, dimension: 4, centers: 3, split: {test: 20, validation: 10}}\n"

    /// 4-5-3 on 70 training rows: per row 2·20·2 (forward and dW of the first layer, no δ·W below it)
    /// + 2·15·3 (the second layer's three) = 170, so 11 900 per epoch however it is batched; a forward
    /// pass is 2·35 = 70 per row. `epoch_accuracy` evaluates all 100 labelled rows after each epoch, and
    /// every run evaluates them once at the end.
    func testMinibatchTrainingAndEpochEvaluationByHand() throws {
        let c = try config(
            "experiment: p\n" + data
                + "model: {hidden: [5]}\noptimizer: {type: sgd}\ntraining: {epochs: 3, batch_size: 32}\noutputs: {epoch_accuracy: true}\n"
        )
        let p = try RunProducts(c)
        XCTAssertEqual(p.architecture.sizes, [4, 5, 3])
        XCTAssertEqual(p.trainRows, 70)
        XCTAssertEqual(p.batching, .size(32))
        XCTAssertEqual(p.evaluatedRowsPerEpoch, 100)
        XCTAssertEqual(p.evaluatedRowsAtEnd, 100)
        XCTAssertEqual(p.trainingFlops(epochs: 3), 3 * 11_900)
        XCTAssertEqual(p.evaluationFlops(epochs: 3), 70 * (3 * 100 + 100))
        // The scheduler's rough size, which the bound used before, counts a δ·W for the first layer
        // too and every row of the pool (no data loaded): 6·35·100 per epoch.
        XCTAssertEqual(c.estimatedFlops(epochs: 3), 3 * 6 * 35 * 100)
    }

    /// A validation monitor alone evaluates the 10 validation rows per epoch; a two-layer-deep δ·W chain
    /// (4-6-5-3): per row 2·24·2 + 2·30·3 + 2·15·3 = 366.
    func testValidationMonitorAndDeeperNetworkByHand() throws {
        let c = try config(
            "experiment: p\n" + data
                + "model: {hidden: [6, 5]}\noptimizer: {type: adam}\ntraining: {epochs: 4, batch_size: 10, early_stopping: {monitor: validation_accuracy, patience: 2}}\n"
        )
        let p = try RunProducts(c)
        XCTAssertEqual(p.evaluatedRowsPerEpoch, 10)
        XCTAssertEqual(p.trainingFlops(epochs: 2), 2 * 366 * 70)
        XCTAssertEqual(p.evaluationFlops(epochs: 2), 2 * 69 * (2 * 10 + 100))
    }

    /// Full-batch minimisers count one cost and gradient per iteration over the whole training split.
    func testFullBatchMinimiserByHand() throws {
        let c = try config("experiment: p\n" + data + "model: {hidden: [5]}\noptimizer: {type: lbfgs}\n")
        let p = try RunProducts(c)
        XCTAssertEqual(p.batching, .full)
        XCTAssertEqual(p.evaluatedRowsPerEpoch, 0)
        XCTAssertEqual(p.trainingFlops(epochs: 7), 7 * 11_900)
    }
}
