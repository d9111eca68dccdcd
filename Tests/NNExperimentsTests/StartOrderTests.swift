import NNDatasets
import XCTest

@testable import NNExperiments

/// Runs start biggest first, so a long run never starts last while the other workers idle; ties keep
/// plan order. (That results do not depend on order is tested through the CLI across --jobs.)
final class StartOrderTests: XCTestCase {
    func config(_ source: DatasetConfig.Source, epochs: Int, layers: LayerSizes, train: Int? = nil) -> RunConfig {
        var c = RunConfig(experiment: "e", dataset: DatasetConfig(source: source, trainCount: train))
        c.training.epochs = epochs
        c.model.layers = layers
        return c
    }

    func testLongestRunsStartFirstAndTiesKeepPlanOrder() {
        let runs = [
            config(.xor(repeats: 1, noise: 0), epochs: 2000, layers: .explicit([2, 4, 1])),  // 2000·4·12 = 96 000
            config(.mnist(path: nil), epochs: 20, layers: .hidden([100]), train: 10_000),  // 2e5·79 400
            config(.mnist(path: nil), epochs: 1000, layers: .explicit([784, 50, 10])),  // 6e7·39 700
            config(.moons(count: 200, noise: 0.2), epochs: 50, layers: .hidden([3])),  // 50·200·12 = 120 000
            config(.mnist(path: nil), epochs: 20, layers: .hidden([100]), train: 10_000)  // tie with #1
        ]
        XCTAssertEqual(Scheduler.startOrder(runs), [2, 1, 4, 3, 0])
        XCTAssertGreaterThan(runs[2].estimatedWork, runs[1].estimatedWork)
        XCTAssertEqual(runs[1].estimatedWork, 20 * 10_000 * (784 * 100 + 100 * 10))
    }

    func testEqualRunsKeepPlanOrder() {
        let runs = (0..<6).map { _ in config(.xor(repeats: 250, noise: 0), epochs: 300, layers: .explicit([2, 16, 1])) }
        XCTAssertEqual(Scheduler.startOrder(runs), Array(0..<6))
        XCTAssertEqual(Scheduler.startOrder([]), [])
    }

    func testEqualRunsOnTheSameSplitStartTogether() {
        // An l2 × seed grid (seed the inner axis) on a seeded split: plan order alternates seeds.
        let runs = [0.0, 0.1].flatMap { l2 in
            (1...3).map { seed -> RunConfig in
                var c = config(.moons(count: 200, noise: 0.2), epochs: 50, layers: .hidden([3]))
                c.dataset.split = SplitConfig(validation: .count(20))
                c.regularization.l2 = l2
                c.seed = UInt64(seed)
                return c
            }
        }
        XCTAssertEqual(Scheduler.startOrder(runs), [0, 3, 1, 4, 2, 5])
        // Data that ignores the seed is one group: plan order.
        let same = runs.map { c -> RunConfig in
            var c = c
            c.dataset = DatasetConfig(source: .iris)
            return c
        }
        XCTAssertEqual(Scheduler.startOrder(same), Array(0..<6))
    }
}
