import Foundation
import XCTest

@testable import NNEngine

/// Each schedule's rate sequence against its closed form (worked by hand or written as torch's
/// recursive "chainable" form, independently of the implementation's closed form).
final class LearningRateScheduleTests: XCTestCase {
    func rates(_ s: LearningRateSchedule, epochs: Int, base: Double = 1, costs: [Double] = []) -> [Double] {
        var tracker = LearningRateSchedule.Tracker()
        return (0..<epochs).map { e in
            let r = s.rate(epoch: e, base: base, epochs: epochs, reductions: tracker.reductions)
            if e < costs.count { tracker.observe(costs[e], s) }
            return r
        }
    }

    func assertClose(
        _ got: [Double], _ want: [Double], _ what: String, file: StaticString = #filePath, line: UInt = #line
    ) {
        XCTAssertEqual(got.count, want.count, what, file: file, line: line)
        for (e, (g, w)) in zip(got, want).enumerated() {
            XCTAssertEqual(g, w, accuracy: 1e-12, "\(what) epoch \(e)", file: file, line: line)
        }
    }

    func testStepAndExponential() {
        // StepLR's chainable form: η ← η·factor when e > 0 and e mod every = 0.
        var eta = 0.1
        var want: [Double] = []
        for e in 0..<10 {
            if e > 0 && e % 3 == 0 { eta *= 0.5 }
            want.append(eta)
        }
        assertClose(rates(.init(.step(every: 3, factor: 0.5)), epochs: 10, base: 0.1), want, "step")
        XCTAssertEqual(rates(.init(.step(every: 2, factor: 0.5)), epochs: 5), [1, 1, 0.5, 0.5, 0.25])
        // ExponentialLR: η ← η·γ every epoch.
        eta = 0.2
        want = []
        for _ in 0..<8 {
            want.append(eta)
            eta *= 0.9
        }
        assertClose(rates(.init(.exponential(gamma: 0.9)), epochs: 8, base: 0.2), want, "exponential")
    }

    func testCosine() {
        // Over the run (T = E = 4), η₀ = 1, min = 0, by hand: 1, (1 + cos π/4)/2, 1/2, (1 − cos π/4)/2.
        let c = (1 + 0.5.squareRoot()) / 2
        assertClose(rates(.init(.cosine(min: 0, restartEvery: nil)), epochs: 4), [1, c, 0.5, 1 - c], "cosine")
        // To min = 0.1 with η₀ = 0.5: min + (η₀ − min)·(same factors).
        assertClose(
            rates(.init(.cosine(min: 0.1, restartEvery: nil)), epochs: 4, base: 0.5),
            [0.5, 0.1 + 0.4 * c, 0.3, 0.1 + 0.4 * (1 - c)], "cosine to min")
        // Warm restarts every 2 epochs: 1, 1/2, 1, 1/2, …
        assertClose(rates(.init(.cosine(min: 0, restartEvery: 2)), epochs: 6), [1, 0.5, 1, 0.5, 1, 0.5], "restarts")
    }

    func testWarmup() {
        XCTAssertEqual(rates(.init(.constant, warmup: 4), epochs: 6), [0.25, 0.5, 0.75, 1, 1, 1])
        // Combined: the warmup factor times the other schedule's rate of the same epoch.
        assertClose(
            rates(.init(.exponential(gamma: 0.5), warmup: 2), epochs: 4), [0.5, 0.5, 0.25, 0.125], "warmup+exponential")
    }

    /// ReduceLROnPlateau(patience 1, factor 0.1, threshold 0.1), traced by hand. Costs 10, 9.5, 9.2, 8, 8, 8, 8:
    /// e0 best 10; e1 9.5 ≥ 10·0.9 = 9 → bad 1; e2 9.2 ≥ 9 → bad 2 > 1 → cut (k = 1, bad 0);
    /// e3 8 < 9 → best 8; e4, e5 bad 1, 2 → cut (k = 2); e6 bad 1. Rates apply from the next epoch.
    func testPlateau() {
        let s = LearningRateSchedule(.plateau(factor: 0.1, patience: 1, threshold: 0.1))
        assertClose(
            rates(s, epochs: 8, costs: [10, 9.5, 9.2, 8, 8, 8, 8]), [1, 1, 1, 0.1, 0.1, 0.1, 0.01, 0.01], "plateau")
        var t = LearningRateSchedule.Tracker()
        for c in [10.0, 9.5, 9.2, 8, 8] { t.observe(c, s) }
        var u = LearningRateSchedule.Tracker()
        XCTAssertNoThrow(try u.importState(t.exportState()))
        XCTAssertEqual(u, t)
    }

    /// The older decay rules' rate sequences against their closed forms: inverse-time η₀/(1 + d·e),
    /// compounding η₀/∏ₖ₌₁..ₑ(1 + d·k) (the product taken first, so its roundings differ from the
    /// chain's: within a few ulps), step η₀·factor^⌊e/every⌋ (pow, likewise).
    func testDecayRulesAgainstClosedForms() {
        let base = 0.3
        let d = 0.07
        let epochs = 40
        let inverse = rates(DecayRule.inverseTime(d).schedule, epochs: epochs, base: base)
        let compounding = rates(DecayRule.compounding(d).schedule, epochs: epochs, base: base)
        let step = rates(DecayRule.step(every: 3, factor: 0.3).schedule, epochs: epochs, base: base)
        for e in 0..<epochs {
            let product = (0...e).reduce(1.0) { $0 * (1 + d * Double($1)) }
            XCTAssertEqual(inverse[e], base / (1 + d * Double(e)), accuracy: 1e-15 * base, "inverse-time \(e)")
            XCTAssertEqual(compounding[e], base / product, accuracy: 1e-13 * compounding[e], "compounding \(e)")
            XCTAssertEqual(step[e], base * pow(0.3, Double(e / 3)), accuracy: 1e-13 * step[e], "step \(e)")
        }
        // By hand: d = 0.1 from η₀ = 1 gives 1, 1/1.1, 1/(1.1·1.2), 1/(1.1·1.2·1.3); factor 0.5 is exact.
        assertClose(
            rates(DecayRule.compounding(0.1).schedule, epochs: 4), [1, 1 / 1.1, 1 / (1.1 * 1.2), 1 / (1.1 * 1.2 * 1.3)],
            "compounding")
        assertClose(
            rates(DecayRule.inverseTime(0.1).schedule, epochs: 4), [1, 1 / 1.1, 1 / 1.2, 1 / 1.3], "inverse-time")
        XCTAssertEqual(rates(DecayRule.step(every: 2, factor: 0.5).schedule, epochs: 5), [1, 1, 0.5, 0.5, 0.25])
        XCTAssertEqual(rates(DecayRule.none.schedule, epochs: 3), [1, 1, 1])
    }

    /// The decay rules as schedules keep the bits they had as the optimizers' own rules: the rates below
    /// are computed as the old `DecayRule.rate` did (each epoch from the previous rate; step by repeated
    /// multiplication from η₀), and must match bit for bit, whether the tracker takes one link per epoch,
    /// walks the chain from η₀ (`rate(epoch:)`), or starts mid-run as after a resume.
    func testDecayRulesKeepTheirBits() {
        let base = 0.001
        let epochs = 300
        let rules: [DecayRule] = [
            .compounding(0.00001), .compounding(0.013), .inverseTime(0.013), .step(every: 7, factor: 0.3), .none
        ]
        for rule in rules {
            var old: [Double] = []
            var previous = base
            for e in 0..<epochs {
                let r: Double
                switch rule {
                case .none: r = base
                case .compounding(let d): r = previous / (1 + d * Double(e))
                case .inverseTime(let d): r = base / (1 + d * Double(e))
                case .step(let every, let f):
                    var x = base
                    for _ in 0..<(e / every) { x *= f }
                    r = x
                }
                old.append(r)
                previous = r
            }
            let s = rule.schedule
            var chained = LearningRateSchedule.Tracker()
            var resumed = LearningRateSchedule.Tracker()
            for e in 0..<epochs {
                let a = chained.rate(epoch: e, of: s, base: base, epochs: epochs)
                let b = s.rate(epoch: e, base: base, epochs: epochs)
                XCTAssertEqual(a.bitPattern, old[e].bitPattern, "\(rule) epoch \(e) chained")
                XCTAssertEqual(b.bitPattern, old[e].bitPattern, "\(rule) epoch \(e) walked")
                if e >= 150 {
                    XCTAssertEqual(
                        resumed.rate(epoch: e, of: s, base: base, epochs: epochs).bitPattern, old[e].bitPattern,
                        "\(rule) epoch \(e) resumed")
                }
            }
        }
    }

    /// The trainer sets each epoch's rate from the schedule and records it: a `step` schedule trains to the
    /// same bits as the older `decay_rule: step` (one mechanism; factor 0.3 is inexact, so a different
    /// order of operations would show), and a run without either records its constant rate.
    func testTrainerAppliesTheSchedule() {
        let arch = Architecture(sizes: [2, 3, 1], hidden: .tanh, output: .sigmoid)
        let data = Fixture.xor(Double.self)
        func train(_ opt: OptimizerConfig) -> (Network<Double>, TrainingResult) {
            var net = Network<Double>(architecture: arch, initialization: .xavierUniform, seed: 1)
            let r = Trainer.train(
                &net, on: data, config: TrainingConfig(loss: .logistic, optimizer: opt, epochs: 9, batching: .size(2)))
            return (net, r)
        }
        var scheduled = OptimizerConfig.sgd(SGDConfig(learningRate: 0.5, momentum: 0.5))
        scheduled.schedule = LearningRateSchedule(.step(every: 3, factor: 0.3))
        let (a, ra) = train(scheduled)
        let (b, rb) = train(.sgd(SGDConfig(learningRate: 0.5, momentum: 0.5, decay: .step(every: 3, factor: 0.3))))
        XCTAssertEqual(a.parameters.map(\.bitPattern), b.parameters.map(\.bitPattern))
        XCTAssertEqual(
            ra.epochRates,
            [0.5, 0.5, 0.5, 0.5 * 0.3, 0.5 * 0.3, 0.5 * 0.3, 0.5 * 0.3 * 0.3, 0.5 * 0.3 * 0.3, 0.5 * 0.3 * 0.3])
        XCTAssertEqual(rb.epochRates, ra.epochRates)
        let (_, constant) = train(.sgd(SGDConfig(learningRate: 0.5)))
        XCTAssertEqual(constant.epochRates, Array(repeating: 0.5, count: 9))
        // Rprop has no single rate: nothing recorded.
        XCTAssertEqual(train(.rprop(RpropConfig())).1.epochRates, [])
        // Adam and the others take it too: a cosine schedule to 0 ends the run with the smallest rate.
        var adam = OptimizerConfig.adam(AdamConfig(learningRate: 0.01))
        adam.schedule = LearningRateSchedule(.cosine(min: 0, restartEvery: nil), warmup: 2)
        let (_, rc) = train(adam)
        XCTAssertEqual(rc.epochRates.count, 9)
        XCTAssertEqual(rc.epochRates[0], 0.005, accuracy: 1e-15)
        XCTAssertEqual(rc.epochRates[8], 0.01 * (1 + cos(Double.pi * 8 / 9)) / 2, accuracy: 1e-15)
    }
}
