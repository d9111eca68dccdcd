import XCTest

@testable import NNEngine

/// Every first-order rule's state exports and imports exactly: stopping after k steps, importing the
/// exported state into a fresh rule and continuing gives the same bits as never stopping.
final class OptimizerStateTests: XCTestCase {
    /// A deterministic gradient sequence that depends on the parameters (a quadratic's gradient plus a
    /// step-dependent wobble), so a wrong state changes every later step.
    static func gradient<T: Real>(_ p: [T], step: Int) -> [T] {
        p.enumerated().map { i, x in T(Double(i + 1)) * x - T(0.3) + T(0.1 * Double((step * 7 + i * 3) % 5) - 0.2) }
    }

    func roundTrip<R: FirstOrderOptimizer>(
        _ name: String, steps: Int = 12, stopAt k: Int = 5, make: () -> R,
        file: StaticString = #filePath, line: UInt = #line
    ) throws {
        let start: [R.T] = [R.T(1), R.T(-2), R.T(0.5)]
        func run(_ opt: inout R, _ p: inout [R.T], _ range: Range<Int>, epochEvery: Int = 4) {
            for s in range {
                // A new rate each epoch, as the trainer sets it from the schedule: it is state too.
                if s % epochEvery == 0, let r = opt.learningRate { opt.learningRate = r * 0.9 }
                let g = Self.gradient(p, step: s)
                p.withUnsafeMutableBufferPointer { opt.step(parameters: $0.baseAddress!, gradient: g, count: 3) }
            }
        }
        var straight = make()
        var p1 = start
        run(&straight, &p1, 0..<steps)

        var first = make()
        var p2 = start
        run(&first, &p2, 0..<k)
        let state = first.exportState()
        var resumed = make()
        try resumed.importState(state)
        XCTAssertEqual(resumed.exportState(), state, name, file: file, line: line)
        run(&resumed, &p2, k..<steps)
        XCTAssertEqual(p1.map { Double($0).bitPattern }, p2.map { Double($0).bitPattern }, name, file: file, line: line)
        XCTAssertEqual(straight.exportState(), resumed.exportState(), name, file: file, line: line)
    }

    func testFirstOrderRulesResumeBitIdentically() throws {
        for rule in MomentumRule.allCases {
            let c = SGDConfig(learningRate: 0.1, momentum: 0.7, momentumRule: rule, decay: .compounding(0.05))
            try roundTrip("sgd \(rule)") { SGD<Double>(c, count: 3) }
            try roundTrip("sgd \(rule) float") { SGD<Float>(c, count: 3) }
        }
        try roundTrip("sgd plain") {
            SGD<Double>(SGDConfig(learningRate: 0.1, decay: .step(every: 1, factor: 0.5)), count: 3)
        }
        let adam = AdamConfig(learningRate: 0.05, decay: .inverseTime(0.1))
        try roundTrip("adam") { Adam<Double>(adam, count: 3) }
        try roundTrip("adam float") { Adam<Float>(adam, count: 3) }
        try roundTrip("rprop") { Rprop<Double>(RpropConfig(learningRate: 0.05), count: 3) }
        try roundTrip("rprop float") { Rprop<Float>(RpropConfig(learningRate: 0.05), count: 3) }
        for (momentum, centered) in [(0.0, false), (0.9, true)] {
            let c = RMSpropConfig(learningRate: 0.01, momentum: momentum, centered: centered, decay: .compounding(0.1))
            try roundTrip("rmsprop \(momentum) \(centered)") { RMSprop<Double>(c, count: 3) }
            try roundTrip("rmsprop \(momentum) \(centered) float") { RMSprop<Float>(c, count: 3) }
        }
        try roundTrip("adagrad") {
            Adagrad<Double>(AdagradConfig(learningRate: 0.1, initialAccumulator: 0.1), count: 3)
        }
        try roundTrip("adagrad float") { Adagrad<Float>(AdagradConfig(learningRate: 0.1), count: 3) }
        let adamw = AdamWConfig(learningRate: 0.05, weightDecay: 0.1, decay: .step(every: 1, factor: 0.9))
        try roundTrip("adamw") { AdamW<Double>(adamw, count: 3, decayed: [0..<2]) }
        try roundTrip("adamw float") { AdamW<Float>(adamw, count: 3) }
    }

    func testImportRejectsAStateThatDoesNotFit() {
        var adam = Adam<Double>(AdamConfig(), count: 3)
        var s = adam.exportState()
        s.arrays["m"] = [1, 2]
        XCTAssertThrowsError(try adam.importState(s)) {
            XCTAssertEqual("\($0)", "optimizer state array 'm' holds 2 values, expected 3")
        }
        s = adam.exportState()
        s.scalars["t"] = 1.5
        XCTAssertThrowsError(try adam.importState(s)) {
            XCTAssertEqual("\($0)", "optimizer state scalar 't' must be a whole number ≥ 0, found 1.5")
        }
        var sgd = SGD<Double>(SGDConfig(learningRate: 0.1, momentum: 0.5), count: 3)
        XCTAssertThrowsError(try sgd.importState(OptimizerState(scalars: ["learning_rate": 0.1]))) {
            XCTAssertEqual("\($0)", "optimizer state has no array 'velocity'")
        }
    }
}
