import Foundation
import XCTest

@testable import NNEngine

/// Update rules checked step by step on two parameters against numbers worked out by hand.
final class OptimizerStepTests: XCTestCase {
    let gradients: [[Double]] = [[0.5, -1], [-0.2, 0.4], [0.1, 0.1]]

    func run<O: FirstOrderOptimizer>(_ opt: inout O, steps: Int? = nil) -> [[Double]] where O.T == Double {
        var p = [1.0, -2.0]
        var trace: [[Double]] = []
        for g in gradients.prefix(steps ?? gradients.count) {
            p.withUnsafeMutableBufferPointer { opt.step(parameters: $0.baseAddress!, gradient: g, count: 2) }
            trace.append(p)
        }
        return trace
    }

    func assertTrace(
        _ got: [[Double]], _ want: [[Double]], _ what: String, file: StaticString = #filePath, line: UInt = #line
    ) {
        XCTAssertEqual(got.count, want.count, what, file: file, line: line)
        for (g, w) in zip(got, want) {
            for i in 0..<2 { XCTAssertEqual(g[i], w[i], accuracy: 1e-12, what, file: file, line: line) }
        }
    }

    func testPlainSGD() {
        var o = SGD<Double>(SGDConfig(learningRate: 0.1), count: 2)
        // p −= 0.1·g
        assertTrace(run(&o), [[0.95, -1.9], [0.97, -1.94], [0.96, -1.95]], "sgd")
    }

    /// Raschka: w −= η·g + α·(η·g_prev). Differs from heavy ball from the third step on.
    func testRaschkaPreviousStepMomentum() {
        var o = SGD<Double>(SGDConfig(learningRate: 0.1, momentum: 0.5, momentumRule: .previousStep), count: 2)
        // step1: (0.05, −0.1); step2: (−0.02, 0.04) + 0.5·(0.05, −0.1) = (0.005, −0.01);
        // step3: (0.01, 0.01) + 0.5·(−0.02, 0.04) = (0, 0.03)
        assertTrace(run(&o), [[0.95, -1.9], [0.945, -1.89], [0.945, -1.92]], "previous-step")
    }

    func testHeavyBallMomentum() {
        var o = SGD<Double>(SGDConfig(learningRate: 0.1, momentum: 0.5, momentumRule: .heavyBall), count: 2)
        // v1 = (−0.05, 0.1); v2 = 0.5·v1 − 0.1·g2 = (−0.005, 0.01); v3 = 0.5·v2 − 0.1·g3 = (−0.0125, −0.005)
        assertTrace(run(&o), [[0.95, -1.9], [0.945, -1.89], [0.9325, -1.895]], "heavy-ball")
    }

    func testNesterovMomentum() {
        var o = SGD<Double>(SGDConfig(learningRate: 0.1, momentum: 0.5, momentumRule: .nesterov), count: 2)
        // v1 = g1; p −= 0.1·(g1 + 0.5·v1) = 0.1·(0.75, −1.5)
        // v2 = 0.5·v1 + g2 = (0.05, −0.1); p −= 0.1·(g2 + 0.5·v2) = 0.1·(−0.175, 0.35)
        // v3 = 0.5·v2 + g3 = (0.125, 0.05); p −= 0.1·(g3 + 0.5·v3) = 0.1·(0.1625, 0.125)
        assertTrace(run(&o), [[0.925, -1.85], [0.9425, -1.885], [0.92625, -1.8975]], "nesterov")
    }

    /// Adam against the textbook form (bias-corrected m̂, v̂), which the engine computes in the
    /// equivalent folded form of Kingma & Ba's section 2.
    func testAdamSteps() {
        let lr = 0.1
        let b1 = 0.9
        let b2 = 0.999
        let eps = 1e-8
        var o = Adam<Double>(AdamConfig(learningRate: lr, beta1: b1, beta2: b2, epsilon: eps), count: 2)
        let got = run(&o)
        var p = [1.0, -2.0]
        var m = [0.0, 0.0]
        var v = [0.0, 0.0]
        for (t, g) in gradients.enumerated() {
            for i in 0..<2 {
                m[i] = b1 * m[i] + (1 - b1) * g[i]
                v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i]
                let mh = m[i] / (1 - Foundation.pow(b1, Double(t + 1)))
                let vh = v[i] / (1 - Foundation.pow(b2, Double(t + 1)))
                p[i] -= lr * mh / (vh.squareRoot() + eps)
            }
            XCTAssertEqual(got[t][0], p[0], accuracy: 1e-12)
            XCTAssertEqual(got[t][1], p[1], accuracy: 1e-12)
        }
        // First step is ≈ lr·sign(g) (m̂/√v̂ = g/|g|): worked by hand.
        XCTAssertEqual(got[0][0], 0.9, accuracy: 1e-7)
        XCTAssertEqual(got[0][1], -1.9, accuracy: 1e-7)
    }

    /// Every first-order rule reaches the minimum of an ill-conditioned convex quadratic
    /// f = ½·(1·(x−3)² + 10·(y+1)²).
    func testConvexQuadraticMinimum() {
        var sgd = SGD<Double>(SGDConfig(learningRate: 0.15), count: 2)
        var heavy = SGD<Double>(SGDConfig(learningRate: 0.05, momentum: 0.8, momentumRule: .heavyBall), count: 2)
        var raschka = SGD<Double>(SGDConfig(learningRate: 0.05, momentum: 0.5, momentumRule: .previousStep), count: 2)
        var nesterov = SGD<Double>(SGDConfig(learningRate: 0.05, momentum: 0.8, momentumRule: .nesterov), count: 2)
        var adam = Adam<Double>(AdamConfig(learningRate: 0.05), count: 2)
        let results = [
            ("sgd", QuadraticBowl.minimise(&sgd, steps: 400)),
            ("heavy-ball", QuadraticBowl.minimise(&heavy, steps: 400)),
            ("previous-step", QuadraticBowl.minimise(&raschka, steps: 400)),
            ("nesterov", QuadraticBowl.minimise(&nesterov, steps: 400)),
            ("adam", QuadraticBowl.minimise(&adam, steps: 3000))
        ]
        for (name, p) in results {
            XCTAssertEqual(p[0], 3, accuracy: 1e-6, name)
            XCTAssertEqual(p[1], -1, accuracy: 1e-6, name)
        }
    }
}
