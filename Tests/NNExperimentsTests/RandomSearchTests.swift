import Foundation
import NNRandom
import XCTest

@testable import NNExperiments

/// `sweep.random`: each distribution against its CDF, the counter-based determinism rule, sampling
/// without replacement, and the spec's mistakes.
final class RandomSearchTests: XCTestCase {
    /// A search over one parameter read from YAML, as a spec writes it.
    func search(_ distribution: String, trials: Int = 10_000, seed: Int = 11, path: String = "optimizer.learning_rate")
        throws -> RandomSearch
    {
        let node = try YAMLParser.parse(
            "trials: \(trials)\nseed: \(seed)\nparams:\n  \(path): \(distribution)\n", file: "t.yaml")
        let sink = DiagnosticSink()
        let s = RandomSearch.read(node, sink: sink)
        XCTAssertEqual(sink.diagnostics.map(\.description), [])
        return try XCTUnwrap(s)
    }

    func numbers(_ s: RandomSearch) -> [Double] { s.draws().map { Double($0[0].scalar!)! } }

    /// Kolmogorov–Smirnov statistic of a continuous sample against the CDF `F`:
    /// D = max_i max(i/n − F(x₍ᵢ₎), F(x₍ᵢ₎) − (i−1)/n) over the sorted sample.
    func ks(_ xs: [Double], _ F: (Double) -> Double) -> Double {
        let s = xs.sorted()
        let n = Double(s.count)
        var d = 0.0
        for (i, x) in s.enumerated() { d = max(d, Double(i + 1) / n - F(x), F(x) - Double(i) / n) }
        return d
    }

    /// The same for a distribution on the points `support`: max |Fₙ(k) − F(k)| over the support.
    func ksDiscrete(_ xs: [Double], support: [Double], _ F: (Double) -> Double) -> Double {
        let n = Double(xs.count)
        return support.map { k in abs(Double(xs.filter { $0 <= k + 1e-9 }.count) / n - F(k)) }.max()!
    }

    /// 1.95/√n: the KS critical value at α ≈ 0.001 (Smirnov's asymptotic 1.949/√n).
    let critical = 1.95 / (10_000 as Double).squareRoot()

    func testUniformFollowsItsCDF() throws {
        let xs = numbers(try search("{uniform: [0.8, 0.99]}"))
        XCTAssertTrue(xs.allSatisfy { $0 >= 0.8 && $0 < 0.99 })
        XCTAssertLessThan(ks(xs) { min(max(($0 - 0.8) / 0.19, 0), 1) }, critical)
        // The test can fail: the same sample is far from a uniform on a shifted range.
        XCTAssertGreaterThan(ks(xs) { min(max(($0 - 0.85) / 0.19, 0), 1) }, 5 * critical)
    }

    func testLogUniformFollowsItsCDF() throws {
        let xs = numbers(try search("{loguniform: [1.0e-4, 1.0e-1]}"))
        XCTAssertTrue(xs.allSatisfy { $0 >= 1e-4 && $0 <= 1e-1 })
        let F: (Double) -> Double = { (log($0) - log(1e-4)) / (log(1e-1) - log(1e-4)) }
        XCTAssertLessThan(ks(xs, F), critical)
        // Against a plain uniform on the same range it is far off (most mass in the low decades).
        XCTAssertGreaterThan(ks(xs) { ($0 - 1e-4) / (1e-1 - 1e-4) }, 0.5)
    }

    func testIntFollowsItsCDF() throws {
        let xs = numbers(try search("{int: [3, 12]}", path: "training.epochs"))
        XCTAssertEqual(Set(xs), Set((3...12).map(Double.init)))
        XCTAssertLessThan(ksDiscrete(xs, support: (3...12).map(Double.init)) { ($0 - 2) / 10 }, critical)
    }

    func testLogIntFollowsItsCDF() throws {
        // P(k) = ln((k + ½)/(k − ½)) / ln((b + ½)/(a − ½)), so F(k) = ln((k + ½)/(a − ½)) / ln((b + ½)/(a − ½)).
        let xs = numbers(try search("{int: [16, 256], log: true}", path: "training.batch_size"))
        XCTAssertTrue(xs.allSatisfy { $0 >= 16 && $0 <= 256 && $0 == $0.rounded() })
        let F: (Double) -> Double = { log(($0 + 0.5) / 15.5) / log(256.5 / 15.5) }
        XCTAssertLessThan(ksDiscrete(xs, support: (16...256).map(Double.init), F), critical)
        XCTAssertGreaterThan(ksDiscrete(xs, support: (16...256).map(Double.init)) { ($0 - 15) / 241 }, 0.2)
    }

    func testChoiceFollowsItsCDF() throws {
        // Beside a real-valued parameter, so drawn with replacement (independent draws).
        let node = try YAMLParser.parse(
            "trials: 10000\nseed: 5\nparams:\n  model.hidden: {choice: [[50], [100], [100, 50], [300, 100]]}\n  regularization.l2: {uniform: [0, 1]}\n",
            file: "t.yaml")
        let s = try XCTUnwrap(RandomSearch.read(node, sink: DiagnosticSink()))
        let index = ["[50]": 0.0, "[100]": 1, "[100, 50]": 2, "[300, 100]": 3]
        let xs = s.draws().map { index[YAMLFlow.render($0[0])]! }
        XCTAssertLessThan(ksDiscrete(xs, support: [0, 1, 2, 3]) { ($0 + 1) / 4 }, critical)
    }

    func testStepsFollowTheirCDF() throws {
        // uniform [0.5, 0.95] step 0.05: the ten values 0.5, 0.55, …, 0.95, each 1/10.
        let xs = numbers(try search("{uniform: [0.5, 0.95], step: 0.05}", path: "optimizer.momentum"))
        let grid = (0...9).map { 0.5 + Double($0) * 0.05 }
        XCTAssertEqual(Set(xs.map { ($0 * 100).rounded() }), Set(grid.map { ($0 * 100).rounded() }))
        XCTAssertTrue(xs.allSatisfy { "\($0)".count <= 4 }, "values are tidy decimals")
        XCTAssertLessThan(ksDiscrete(xs, support: grid) { ($0 - 0.5) / 0.05 / 10 + 0.1 }, critical)
        // int [10, 100] step 10: 10, 20, …, 100.
        let ys = numbers(try search("{int: [10, 100], step: 10}", path: "training.epochs"))
        XCTAssertEqual(Set(ys), Set((1...10).map { Double($0 * 10) }))
        XCTAssertLessThan(ksDiscrete(ys, support: (1...10).map { Double($0 * 10) }) { $0 / 100 }, critical)
    }

    func testLogUniformStepGivesMultiplesInRange() throws {
        let xs = numbers(try search("{loguniform: [0.001, 1], step: 0.001}"))
        XCTAssertTrue(xs.allSatisfy { $0 >= 0.001 && $0 <= 1 && abs($0 * 1000 - ($0 * 1000).rounded()) < 1e-9 })
        // Before rounding, loguniform: the share below 0.01 is ln(10)/ln(1000) = 1/3 (up to rounding at 0.01).
        let below = Double(xs.filter { $0 < 0.0095 }.count) / Double(xs.count)
        XCTAssertEqual(below, log(9.5) / log(1000), accuracy: 0.02)
    }

    // MARK: determinism

    func testTrialValuesArePureFunctionsOfSeedTrialAndPath() throws {
        let ten = try search("{loguniform: [1.0e-4, 1.0e-1]}", trials: 10).draws()
        let twenty = try search("{loguniform: [1.0e-4, 1.0e-1]}", trials: 20).draws()
        XCTAssertEqual(ten, Array(twenty.prefix(10)))
        // Trial i alone, from its own generator (the documented rule), equals trial i of the sweep.
        let p = try search("{loguniform: [1.0e-4, 1.0e-1]}", trials: 20).params[0]
        for i in [17, 3, 0, 12] {
            var rng = RNG(seed: 11, counter: UInt64(i), stream: "optimizer.learning_rate")
            XCTAssertEqual([RandomSearch.value(p, &rng)], twenty[i])
        }
        // Another parameter beside it changes none of its values; another seed changes them.
        let node = try YAMLParser.parse(
            "trials: 20\nseed: 11\nparams:\n  model.activation: {choice: [tanh, relu]}\n  optimizer.learning_rate: {loguniform: [1.0e-4, 1.0e-1]}\n",
            file: "t.yaml")
        let both = try XCTUnwrap(RandomSearch.read(node, sink: DiagnosticSink())).draws()
        XCTAssertEqual(both.map { $0[1] }, twenty.map { $0[0] })
        XCTAssertNotEqual(try search("{loguniform: [1.0e-4, 1.0e-1]}", trials: 20, seed: 12).draws(), twenty)
    }

    func testAllChoiceTrialsAreDrawnWithoutReplacement() throws {
        let yaml =
            "trials: %d\nseed: 3\nparams:\n  model.activation: {choice: [sigmoid, tanh, relu]}\n  model.hidden: {choice: [[4], [8], [16], [4, 4]]}\n  seed: {choice: [1, 2, 3, 4, 5]}\n"
        func draws(_ n: Int) throws -> [[String]] {
            let node = try YAMLParser.parse(String(format: yaml, n), file: "t.yaml")
            return try XCTUnwrap(RandomSearch.read(node, sink: DiagnosticSink())).draws().map {
                $0.map(YAMLFlow.render)
            }
        }
        let all = try draws(60)  // 3 × 4 × 5 = 60: every combination once
        XCTAssertEqual(Set(all.map { $0.joined(separator: "|") }).count, 60)
        XCTAssertEqual(Array(all.prefix(25)), try draws(25))
        // Trials exceeding the combinations are an error at `trials`.
        let sink = DiagnosticSink()
        XCTAssertNil(RandomSearch.read(try YAMLParser.parse(String(format: yaml, 61), file: "t.yaml"), sink: sink))
        XCTAssertEqual(
            sink.diagnostics.map(\.description),
            [
                "t.yaml:1:9: error: `sweep.random.trials` is 61, but the choices make only 60 different combinations (when every parameter is a `choice`, trials are drawn without replacement)"
            ])
    }

    func testTrialLabelsArePaddedToTheTrialCount() throws {
        XCTAssertEqual(try search("{uniform: [0, 1]}", trials: 40).trialLabel(7), "07")
        XCTAssertEqual(try search("{uniform: [0, 1]}", trials: 100).trialLabel(17), "017")
        XCTAssertEqual(try search("{uniform: [0, 1]}", trials: 9).trialLabel(3), "3")
    }

    // MARK: specs

    let head = """
        experiment: rs
        dataset: {name: xor}
        model: {layers: [2, 3, 1]}
        optimizer: {type: sgd, learning_rate: 0.5}
        training: {epochs: 20}

        """

    func testGridAxesCombineWithTrialsAndRunsCarryTheDrawnValues() throws {
        let f = try SpecFolder([
            "a.yaml": head + """
                sweep:
                  seed: [1, 2]
                  random:
                    trials: 12
                    seed: 7
                    params:
                      optimizer.learning_rate: {loguniform: [1.0e-3, 1.0]}
                      model.activation: {choice: [sigmoid, tanh]}
                """
        ])
        defer { f.remove() }
        let e = try f.load("a.yaml")
        XCTAssertEqual(e.runs.count, 24)
        XCTAssertEqual(e.sizeDescription, "2 × 12 trials = 24 runs")
        XCTAssertEqual(e.runs[0].runName, "seed=1,trial=00")
        XCTAssertEqual(e.runs[13].runName, "seed=2,trial=01")
        XCTAssertEqual(e.axes, ["seed", "trial", "optimizer.learning_rate", "model.activation"])
        XCTAssertEqual(e.randomPaths, ["optimizer.learning_rate", "model.activation"])
        // The same trial under both grid points has the same values, and the run really uses them.
        let r = e.runs[13]
        XCTAssertEqual(r.axisValues.map(\.value).dropFirst(2), e.runs[1].axisValues.map(\.value).dropFirst(2))
        let lr = Double(r.axisValues[2].value)!
        XCTAssertTrue(r.canonicalYAML.contains("\n  learning_rate: \(NumberFormat.shortest(lr))\n"), r.canonicalYAML)
        XCTAssertTrue(
            r.canonicalYAML.contains(
                "sweep:\n  seed: 2\n  trial: 01\n  optimizer.learning_rate: \(r.axisValues[2].value)\n  model.activation: \(r.axisValues[3].value)\n"
            ), r.canonicalYAML)
    }

    func testSpecMistakesAreReportedAtTheirLines() throws {
        let f = try SpecFolder([
            "b.yaml": head + """
                sweep:
                  random:
                    trials: 5
                    seed: 7
                    params:
                      optimizer.learning_rate: {loguniform: [-4, -1]}
                """,
            "c.yaml": head + """
                sweep:
                  random:
                    trials: 5
                    seed: 7
                    params:
                      regularization.l2: {uniform: [-0.1, 0.1]}
                      model.activation: {choice: [sigmoid, tahn]}
                      training.epochs: {int: [0, 10]}
                      optimizer.lerning_rate: {uniform: [0.1, 0.2]}
                  halving: {metric: validation_accuracy, min_epochs: 3, factor: 3}
                """,
            "d.yaml": head + """
                sweep:
                  optimizer.learning_rate: [0.1, 0.2]
                  random:
                    trials: 5
                    seed: 7
                    params:
                      optimizer.learning_rate: {uniform: [0.1, 0.2]}
                """
        ])
        defer { f.remove() }
        XCTAssertEqual(
            f.errors("b.yaml"),
            [
                "b.yaml:11:45: error: `loguniform` takes the range of the values themselves, [low, high] with 0 < low < high, not exponents: found [-4, -1]; for 10^-4 to 10^-1 write [1.0e-4, 1.0e-1]"
            ])
        XCTAssertEqual(
            f.errors("c.yaml"),
            [
                "c.yaml:14:7: error: sweep path `optimizer.lerning_rate` names no key; did you mean `optimizer.learning_rate`?"
            ])
        let fixed = try SpecFolder([
            "c.yaml": head + """
                sweep:
                  random:
                    trials: 5
                    seed: 7
                    params:
                      regularization.l2: {uniform: [-0.1, 0.1]}
                      model.activation: {choice: [sigmoid, tahn]}
                      training.epochs: {int: [0, 10]}
                """
        ])
        defer { fixed.remove() }
        // Every bound a range allows is checked, drawn or not.
        XCTAssertEqual(
            fixed.errors("c.yaml"),
            [
                "c.yaml:11:26: error: `regularization.l2` must be at least 0, found -0.1 (the range of `regularization.l2` in `sweep.random` allows -0.1)",
                "c.yaml:12:44: error: `model.activation` must be one of sigmoid, tanh, relu, leaky_relu, elu, linear, found 'tahn'; did you mean `tanh`?",
                "c.yaml:13:24: error: `training.epochs` must be at least 1, found 0 (the range of `training.epochs` in `sweep.random` allows 0)"
            ])
        XCTAssertEqual(
            f.errors("d.yaml"),
            [
                "d.yaml:12:7: error: `optimizer.learning_rate` is both a grid axis and a `sweep.random` parameter; give it one place"
            ])
    }

    func testDistributionMistakes() throws {
        func errors(_ d: String, path: String = "optimizer.learning_rate") throws -> [String] {
            let sink = DiagnosticSink()
            _ = RandomSearch.read(
                try YAMLParser.parse("trials: 4\nseed: 1\nparams:\n  \(path): \(d)\n", file: "t.yaml"), sink: sink)
            return sink.diagnostics.map(\.message)
        }
        XCTAssertEqual(try errors("{uniform: [1, 0]}"), ["`uniform` needs low < high, found [1, 0]"])
        XCTAssertEqual(
            try errors("{uniform: [0, 1], log: true}"),
            ["`log` applies to `int` only (for real values use `loguniform`)"])
        XCTAssertEqual(
            try errors("{int: [0, 10], log: true}", path: "training.epochs"),
            ["`int` with `log: true` needs low ≥ 1, found 0"])
        XCTAssertEqual(
            try errors("{uniform: [0, 1], choice: [1]}"),
            ["`optimizer.learning_rate` gives 2 distributions (uniform, choice); give one"])
        XCTAssertEqual(
            try errors("{normal: [0, 1]}"),
            [
                "unknown key `normal` in `sweep.random.params.optimizer.learning_rate` (known keys: uniform, loguniform, int, choice, log, step)",
                "`optimizer.learning_rate` needs one distribution, e.g. {uniform: [0.8, 0.99]}, {loguniform: [1.0e-4, 1.0e-1]}, {int: [16, 256], log: true} or {choice: [sigmoid, tanh]}"
            ])
        XCTAssertEqual(
            try errors("{uniform: [0, 1], step: 2}"),
            ["`step` 2 is wider than the range [0, 1], which leaves a single value"])
        XCTAssertEqual(try errors("{choice: []}"), ["`choice` takes a non-empty list of values, found a list"])
        XCTAssertEqual(
            try errors("{loguniform: [0, 1]}").first?.hasPrefix(
                "`loguniform` takes the range of the values themselves"), true)
    }
}

extension RandomSearchTests {
    /// Steps that would overflow the whole-number grid index are refused, never trapped on.
    func testExtremeStepsAreMistakesNotTraps() throws {
        func errors(_ d: String, path: String) throws -> [String] {
            let sink = DiagnosticSink()
            _ = RandomSearch.read(
                try YAMLParser.parse("trials: 4\nseed: 1\nparams:\n  \(path): \(d)\n", file: "t.yaml"), sink: sink)
            return sink.diagnostics.map(\.message)
        }
        XCTAssertEqual(
            try errors("{uniform: [0, 1.0e300], step: 1.0e-300}", path: "regularization.l2"),
            ["`step` 1e-300 cuts [0, 1.0e300] into more than 2^53 values; use no `step`"])
        XCTAssertEqual(
            try errors("{int: [5, 5], step: 1.0e300}", path: "training.epochs"),
            ["`step` 1e+300 is wider than the range [5, 5], which leaves a single value"])
        XCTAssertEqual(
            try errors("{int: [1, 9007199254740993]}", path: "training.epochs"),
            ["`sweep.random.params.training.epochs.int` must be at most 9007199254740992, found 9007199254740993"])
        // The widest int range draws without trapping.
        let wide = try search("{int: [-9007199254740992, 9007199254740992]}", trials: 50, path: "training.epochs")
        XCTAssertEqual(wide.draws().count, 50)
    }
}
