import NNDatasets
import XCTest

@testable import NNExperiments

/// `--shard K/N`: a partition of all runs, balanced by estimated work, fixed by the specs and N.
final class ShardTests: XCTestCase {
    /// A run whose estimated work is `epochs` × 48 (4 xor samples × 12 weights of a 2-4-1 net).
    func run(epochs: Int, seed: Int = 1) -> RunConfig {
        var c = RunConfig(experiment: "e", dataset: DatasetConfig(source: .xor(repeats: 1, noise: 0)))
        c.training.epochs = epochs
        c.model.layers = .explicit([2, 4, 1])
        c.seed = UInt64(seed)
        return c
    }

    func testGreedyLargestFirstOntoTheLeastLoadedShard() {
        // Plan order 3,10,1,5,7,4 (work ∝ epochs). By hand: 10→s0, 7→s1, 5→s1 (7<10: 12), 4→s0 (10<12: 14),
        // 3→s1 (12<14: 15), 1→s0 (14<15: 15). Both shards end at 15.
        let runs = [3, 10, 1, 5, 7, 4].map { run(epochs: $0) }
        XCTAssertEqual(Shard.assignment(runs, count: 2), [1, 0, 0, 1, 1, 0])
        // One shard gets everything; more shards than runs leave the last ones empty.
        XCTAssertEqual(Shard.assignment(runs, count: 1), Array(repeating: 0, count: 6))
        XCTAssertEqual(Shard.assignment(runs, count: 8), [4, 0, 5, 2, 1, 3])
        XCTAssertEqual(Shard.assignment([], count: 3), [])
    }

    func testEqualRunsTieInPlanOrderAndCountsDifferByAtMostOne() {
        let runs = (0..<12).map { run(epochs: 20, seed: $0) }
        XCTAssertEqual(Shard.assignment(runs, count: 3), [0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2])
        let five = Shard.assignment(runs, count: 5)
        let counts = (0..<5).map { s in five.filter { $0 == s }.count }
        XCTAssertEqual(counts, [3, 3, 2, 2, 2])
    }

    func testShardsAreADisjointCoverOfEveryRunAndBalanced() {
        // Uneven runs over two experiments: epochs from a fixed LCG, 1…500.
        var x: UInt64 = 12345
        func next() -> Int {
            x = x &* 6364136223846793005 &+ 1442695040888963407
            return Int(x >> 33) % 500 + 1
        }
        func experiment(_ name: String, _ n: Int) -> Experiment {
            var runs: [RunConfig] = []
            for i in 0..<n {
                var c = run(epochs: next(), seed: i)
                c.experiment = name
                c.runName = "seed=\(i)"
                runs.append(c)
            }
            return Experiment(name: name, specPath: "\(name).yaml", axes: ["seed"], runs: runs)
        }
        let experiments = [experiment("a", 37), experiment("b", 26)]
        let all = experiments.flatMap { e in e.runs.map { "\(e.name)/\($0.runName)" } }
        let work = Dictionary(
            uniqueKeysWithValues: experiments.flatMap { e in
                e.runs.map { ("\(e.name)/\($0.runName)", $0.estimatedWork) }
            })
        for n in [1, 2, 3, 4, 7, 63, 64] {
            var seen: [String] = []
            var loads: [Double] = []
            for k in 0..<n {
                let part = Shard(index: k, count: n)!.select(experiments)
                XCTAssertEqual(part.map(\.name), ["a", "b"], "every experiment stays, maybe with no run")
                let names = part.flatMap { e in e.runs.map { "\(e.name)/\($0.runName)" } }
                // Within a shard, runs keep plan order.
                XCTAssertEqual(names, all.filter { names.contains($0) })
                seen += names
                loads.append(names.reduce(0) { $0 + work[$1]! })
            }
            XCTAssertEqual(seen.count, all.count, "N=\(n): disjoint")
            XCTAssertEqual(Set(seen), Set(all), "N=\(n): a cover")
            // LPT's guarantee: no shard exceeds the mean load by more than the largest run.
            let mean = loads.reduce(0, +) / Double(n)
            let largest = work.values.max()!
            XCTAssertLessThanOrEqual(loads.max()!, mean + largest, "N=\(n): \(loads)")
            if n == 2 { XCTAssertLessThan(abs(loads[0] - loads[1]), largest, "\(loads)") }
        }
    }

    func testParsing() {
        XCTAssertEqual(Shard(parsing: "0/3"), Shard(index: 0, count: 3))
        XCTAssertEqual(Shard(parsing: "2/3")?.description, "2/3")
        for bad in ["3/3", "-1/3", "1/0", "1", "a/b", "1/2/3", "/2", "1/", ""] {
            XCTAssertNil(Shard(parsing: bad), bad)
        }
    }
}
