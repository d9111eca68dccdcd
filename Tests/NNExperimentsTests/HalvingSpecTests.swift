import XCTest

@testable import NNExperiments

/// `sweep.halving`: its rungs, its ranking and its spec errors.
final class HalvingSpecTests: XCTestCase {
    func testRungEpochsGrowByTheFactorUntilTheCap() {
        let h = Halving(metric: .validationAccuracy, minEpochs: 3, factor: 3)
        XCTAssertEqual(h.rungEpochs(cap: 100), [3, 9, 27, 81, 100])
        XCTAssertEqual(h.rungEpochs(cap: 27), [3, 9, 27])
        XCTAssertEqual(h.rungEpochs(cap: 2), [2])
        XCTAssertEqual(Halving(metric: .trainCost, minEpochs: 1, factor: 2).rungEpochs(cap: 5), [1, 2, 4, 5])
        XCTAssertEqual(
            Halving(metric: .trainCost, minEpochs: 1, factor: 1000).rungEpochs(cap: Int.max),
            [
                1, 1000, 1_000_000, 1_000_000_000, 1_000_000_000_000, 1_000_000_000_000_000, 1_000_000_000_000_000_000,
                Int.max
            ])
    }

    func testPromotionKeepsTheBestCeilingThirdWithTiesToTheEarlierRun() {
        let acc = Halving(metric: .validationAccuracy, minEpochs: 1, factor: 3)
        // ⌈7/3⌉ = 3: 0.9 (index 1), then the tie 0.8 at 0, 3, 5 goes to 0 and 3; nil ranks last.
        XCTAssertEqual(acc.promote([0.8, 0.9, nil, 0.8, 0.1, 0.8, 0.2]), [0, 1, 3])
        XCTAssertEqual(acc.promote([nil, nil]), [0])
        XCTAssertEqual(acc.promote([]), [])
        // Costs: lower is better.
        let cost = Halving(metric: .trainCost, minEpochs: 1, factor: 2)
        XCTAssertEqual(cost.promote([3, 1, 2, nil, 0.5]), [1, 4, 2].sorted())
    }

    let base = """
        experiment: h
        dataset: {name: moons, count: 100}
        model: {hidden: [4]}
        optimizer: {type: adam, learning_rate: 0.01}
        training: {epochs: 10}
        sweep:
          seed: [1, 2]

        """

    /// Diagnostics as `LINE:COL: error: message`.
    func errors(_ text: String) -> [String] {
        guard let f = try? SpecFolder(["h.yaml": text]) else { return ["cannot write the spec"] }
        defer { f.remove() }
        return f.errors("h.yaml").map { $0.replacingOccurrences(of: "h.yaml:", with: "") }
    }

    func loadSpec(_ text: String) throws -> Experiment {
        let f = try SpecFolder(["h.yaml": text])
        defer { f.remove() }
        return try f.load("h.yaml")
    }

    func testSpecErrors() throws {
        var e = errors(base + "  halving: {metric: validation_accuracy, min_epochs: 2}\n")
        XCTAssertEqual(e.count, 1, "\(e)")
        XCTAssertTrue(e[0].hasPrefix("8:21: error: `validation_accuracy` needs a validation split"), "\(e)")
        e = errors(base + "  halving: {metric: validation_acuracy, min_epochs: 2}\n")
        XCTAssertTrue(e.count == 1 && e[0].contains("did you mean `validation_accuracy`?"), "\(e)")
        e = errors(base + "  halving: {metric: validation_cost, min_epochs: 2}\n")
        XCTAssertTrue(e.count == 1 && e[0].hasPrefix("8:21: error: `validation_cost` needs a validation split"), "\(e)")
        e = errors(base + "  halving: {metric: train_cost, factor: 1}\n")
        XCTAssertEqual(e.count, 2, "\(e)")
        XCTAssertTrue(
            e.contains { $0.contains("needs `min_epochs`") }
                && e.contains { $0.contains("`sweep.halving.factor` must be at least 2, found 1") }, "\(e)")
        e = errors(base + "  halving: {metric: train_cost, min_epochs: 2, rungs: 3}\n")
        XCTAssertTrue(e.count == 1 && e[0].contains("rungs"), "\(e)")
        let cosine = base.replacingOccurrences(
            of: "learning_rate: 0.01}", with: "learning_rate: 0.01, schedule: {type: cosine}}")
        e = errors(cosine + "  halving: {metric: train_cost, min_epochs: 2}\n")
        XCTAssertTrue(
            e.count == 1 && e[0].hasPrefix("8:3: error: ")
                && e[0].contains("`cosine` schedule without `restart_every`"), "\(e)")
        // Only the runs it concerns: a swept optimizer names the run.
        let mixed = base.replacingOccurrences(of: "  seed: [1, 2]", with: "  optimizer: [{type: adam}, {type: bfgs}]")
        e = errors(mixed + "  halving: {metric: train_cost, min_epochs: 2}\n")
        XCTAssertEqual(
            e.filter { $0.contains("trains by iterations") },
            [
                "8:3: error: successive halving counts epochs of first-order optimizers; `bfgs` trains by iterations (in run `optimizer=type-bfgs`)"
            ])
        // A correct one loads, with its halving.
        let ok = try loadSpec(base + "  halving: {metric: train_cost, min_epochs: 2}\n")
        XCTAssertEqual(ok.halving, Halving(metric: .trainCost, minEpochs: 2, factor: 3))
        XCTAssertEqual(ok.runs.count, 2)
    }
}
