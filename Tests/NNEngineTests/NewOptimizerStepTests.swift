import Foundation
import XCTest

@testable import NNEngine

/// Rprop, RMSprop, Adagrad and AdamW step by step on two parameters: against numbers worked out by hand
/// and against the torch.optim formulas written out independently here in plain scalar code.
final class NewOptimizerStepTests: XCTestCase {
    let start = [1.0, -2.0]
    let gradients: [[Double]] = [[0.5, -1], [-0.2, 0.4], [0.1, 0.1], [0.3, 0.2]]

    func run<O: FirstOrderOptimizer>(_ opt: inout O, _ grads: [[Double]]? = nil) -> [[Double]] where O.T == Double {
        var p = start
        var trace: [[Double]] = []
        for g in grads ?? gradients {
            p.withUnsafeMutableBufferPointer { opt.step(parameters: $0.baseAddress!, gradient: g, count: 2) }
            trace.append(p)
        }
        return trace
    }

    func assertTrace(
        _ got: [[Double]], _ want: [[Double]], accuracy: Double = 1e-12, _ what: String,
        file: StaticString = #filePath, line: UInt = #line
    ) {
        XCTAssertEqual(got.count, want.count, what, file: file, line: line)
        for (k, (g, w)) in zip(got, want).enumerated() {
            for i in 0..<2 {
                XCTAssertEqual(g[i], w[i], accuracy: accuracy, "\(what) step \(k + 1) p\(i)", file: file, line: line)
            }
        }
    }

    // MARK: Rprop

    /// Worked by hand with Δ₀ = 0.1, η⁻ = 0.5, η⁺ = 1.2:
    /// 1: g·g_prev = 0 → Δ = 0.1, p −= 0.1·sign(g) → (0.9, −1.9)
    /// 2: both signs flip → Δ = 0.05, update skipped, g_prev ← 0 → (0.9, −1.9)
    /// 3: g_prev = 0 → Δ stays 0.05 → (0.85, −1.95)
    /// 4: same signs → Δ = 0.06 → (0.79, −2.01)
    func testRpropByHand() {
        var o = Rprop<Double>(RpropConfig(learningRate: 0.1), count: 2)
        assertTrace(run(&o), [[0.9, -1.9], [0.9, -1.9], [0.85, -1.95], [0.79, -2.01]], "rprop")
    }

    /// Δ is clamped to [step_min, step_max], also on the first step (torch clamps every step).
    func testRpropClampsTheStep() {
        var o = Rprop<Double>(RpropConfig(learningRate: 1, etaPlus: 3, stepMin: 0.3, stepMax: 2), count: 2)
        // 1: Δ = clamp(1) = 1 → (0, −1); 2: flip → Δ = max(0.5, 0.3) = 0.5, skipped;
        // 3: Δ = 0.5 → (−0.5, −1.5); 4: grow → Δ = min(1.5, 2) = 1.5 → (−2, −3)
        assertTrace(run(&o), [[0, -1], [0, -1], [-0.5, -1.5], [-2, -3]], "rprop clamp")
        var tiny = Rprop<Double>(RpropConfig(learningRate: 5, stepMax: 2), count: 2)
        assertTrace(run(&tiny, [[1, -1]]), [[-1, 0]], "rprop first step clamped to step_max")
    }

    // MARK: RMSprop

    /// torch.optim.RMSprop's documented algorithm, scalar by scalar.
    func rmspropReference(lr: Double, alpha: Double, eps: Double, momentum: Double, centered: Bool) -> [[Double]] {
        var p = start
        var v = [0.0, 0.0]
        var gAvg = [0.0, 0.0]
        var b = [0.0, 0.0]
        var trace: [[Double]] = []
        for g in gradients {
            for i in 0..<2 {
                v[i] = alpha * v[i] + (1 - alpha) * g[i] * g[i]
                var vt = v[i]
                if centered {
                    gAvg[i] = alpha * gAvg[i] + (1 - alpha) * g[i]
                    vt -= gAvg[i] * gAvg[i]
                }
                if momentum > 0 {
                    b[i] = momentum * b[i] + g[i] / (vt.squareRoot() + eps)
                    p[i] -= lr * b[i]
                } else {
                    p[i] -= lr * g[i] / (vt.squareRoot() + eps)
                }
            }
            trace.append(p)
        }
        return trace
    }

    func testRMSpropAgainstTorchFormulas() {
        for (momentum, centered) in [(0.0, false), (0.9, false), (0.0, true), (0.5, true)] {
            let c = RMSpropConfig(learningRate: 0.01, alpha: 0.9, epsilon: 1e-8, momentum: momentum, centered: centered)
            var o = RMSprop<Double>(c, count: 2)
            assertTrace(
                run(&o), rmspropReference(lr: 0.01, alpha: 0.9, eps: 1e-8, momentum: momentum, centered: centered),
                "rmsprop momentum=\(momentum) centered=\(centered)")
        }
    }

    /// First step by hand: v = (1−α)·g², so √v = √(1−α)·|g| and p −= η·sign(g)/√(1−α).
    /// α = 0.99: √0.01 = 0.1, a step of 10·η = 0.1. Centered, v − ḡ² = (1−α)·α·g², a step of η/√(α(1−α)).
    func testRMSpropFirstStepByHand() {
        var o = RMSprop<Double>(RMSpropConfig(learningRate: 0.01), count: 2)
        assertTrace(run(&o, [[0.5, -1]]), [[0.9, -1.9]], accuracy: 1e-7, "rmsprop first step")
        var c = RMSprop<Double>(RMSpropConfig(learningRate: 0.01, centered: true), count: 2)
        let step = 0.01 / (0.99 * 0.01).squareRoot()
        assertTrace(run(&c, [[0.5, -1]]), [[1 - step, -2 + step]], accuracy: 1e-7, "rmsprop centered first step")
    }

    // MARK: Adagrad

    /// By hand with η = 0.1, s₀ = 0: step 1 s = g², p −= 0.1·sign(g) → (0.9, −1.9);
    /// step 2 s = (0.29, 1.16): p −= 0.1·(−0.2/√0.29, 0.4/√1.16).
    func testAdagradByHand() {
        var o = Adagrad<Double>(AdagradConfig(learningRate: 0.1), count: 2)
        let got = run(&o)
        assertTrace(
            Array(got.prefix(2)), [[0.9, -1.9], [0.9 + 0.02 / 0.29.squareRoot(), -1.9 - 0.04 / 1.16.squareRoot()]],
            accuracy: 1e-9, "adagrad")
    }

    func testAdagradAgainstTorchFormulas() {
        let lr = 0.05
        let eps = 1e-10
        let s0 = 0.1
        var o = Adagrad<Double>(AdagradConfig(learningRate: lr, epsilon: eps, initialAccumulator: s0), count: 2)
        var p = start
        var s = [s0, s0]
        var want: [[Double]] = []
        for g in gradients {
            for i in 0..<2 {
                s[i] += g[i] * g[i]
                p[i] -= lr * g[i] / (s[i].squareRoot() + eps)
            }
            want.append(p)
        }
        assertTrace(run(&o), want, "adagrad s0=0.1")
    }

    // MARK: AdamW

    /// torch.optim.AdamW's documented algorithm (bias-corrected m̂, v̂; decay before the step).
    func adamwReference(
        lr: Double, wd: Double, l2: Double = 0, b1: Double = 0.9, b2: Double = 0.999, eps: Double = 1e-8
    ) -> [[Double]] {
        var p = start
        var m = [0.0, 0.0]
        var v = [0.0, 0.0]
        var trace: [[Double]] = []
        for (k, g0) in gradients.enumerated() {
            let t = Double(k + 1)
            for i in 0..<2 {
                let g = g0[i] + l2 * p[i]  // Adam + L2: the penalty's gradient joins g
                p[i] *= 1 - lr * wd
                m[i] = b1 * m[i] + (1 - b1) * g
                v[i] = b2 * v[i] + (1 - b2) * g * g
                let mh = m[i] / (1 - pow(b1, t))
                let vh = v[i] / (1 - pow(b2, t))
                p[i] -= lr * mh / (vh.squareRoot() + eps)
            }
            trace.append(p)
        }
        return trace
    }

    /// AdamW and Adam + L2 with the same λ = 0.1, η = 0.1 take different steps. By hand, step 1:
    /// AdamW shrinks p by 1 − ηλ = 0.99 → (0.99, −1.98), then the Adam step ≈ η·sign(g) → (0.89, −1.88);
    /// Adam + L2 steps along g + λp = (0.6, −1.2), the same signs → (0.9, −1.9): no decay at all on step 1.
    func testAdamWDiffersFromAdamWithL2() {
        let lr = 0.1
        let lambda = 0.1
        var w = AdamW<Double>(AdamWConfig(learningRate: lr, weightDecay: lambda), count: 2)
        let adamw = run(&w)
        var a = Adam<Double>(AdamConfig(learningRate: lr), count: 2)
        var p = start
        var l2: [[Double]] = []
        for g in gradients {
            let gl2 = [g[0] + lambda * p[0], g[1] + lambda * p[1]]
            p.withUnsafeMutableBufferPointer { a.step(parameters: $0.baseAddress!, gradient: gl2, count: 2) }
            l2.append(p)
        }
        assertTrace([adamw[0]], [[0.89, -1.88]], accuracy: 1e-7, "adamw step 1 by hand")
        assertTrace([l2[0]], [[0.9, -1.9]], accuracy: 1e-7, "adam+l2 step 1 by hand")
        assertTrace(adamw, adamwReference(lr: lr, wd: lambda), "adamw vs torch formula")
        assertTrace(l2, adamwReference(lr: lr, wd: 0, l2: lambda), "adam+l2 vs formula")
        XCTAssertGreaterThan(abs(adamw[1][0] - l2[1][0]), 5e-4)
        XCTAssertGreaterThan(abs(adamw[3][1] - l2[3][1]), 5e-4)
    }

    /// With λ = 0, AdamW is Adam to the bit.
    func testAdamWWithoutDecayIsAdam() {
        var w = AdamW<Double>(AdamWConfig(learningRate: 0.05, weightDecay: 0), count: 2)
        var a = Adam<Double>(AdamConfig(learningRate: 0.05), count: 2)
        XCTAssertEqual(run(&w).flatMap { $0.map(\.bitPattern) }, run(&a).flatMap { $0.map(\.bitPattern) })
    }

    /// `decay_biases: false` decays the weight blocks only: with a zero gradient the Adam step is 0, so
    /// weights shrink by exactly 1 − ηλ and biases stay.
    func testAdamWSparesBiasesWhenAsked() {
        let arch = Architecture(sizes: [2, 2, 1], hidden: .sigmoid, output: .sigmoid)  // W1 0..<4, b1 4..<6, W2 6..<8, b2 8
        let spared = AdamWConfig(learningRate: 0.1, weightDecay: 0.5, decayBiases: false)
        XCTAssertEqual(spared.decayed(arch), [0..<4, 6..<8])
        XCTAssertEqual(AdamWConfig().decayed(arch), [0..<9])
        var o = AdamW<Double>(spared, count: 9, decayed: spared.decayed(arch))
        var p = (1...9).map(Double.init)
        p.withUnsafeMutableBufferPointer {
            o.step(parameters: $0.baseAddress!, gradient: [Double](repeating: 0, count: 9), count: 9)
        }
        let want = [0.95, 1.9, 2.85, 3.8, 5, 6, 6.65, 7.6, 9]
        for i in 0..<9 { XCTAssertEqual(p[i], want[i], accuracy: 1e-14) }
        XCTAssertEqual([p[4], p[5], p[8]], [5, 6, 9], "biases untouched")
    }

    // MARK: minimum

    /// Each reaches the minimum (3, −1) of the ill-conditioned quadratic f = ½·((x−3)² + 10·(y+1)²).
    func testNewRulesReachTheMinimum() {
        var rprop = Rprop<Double>(RpropConfig(learningRate: 0.1), count: 2)
        var rms = RMSprop<Double>(RMSpropConfig(learningRate: 0.01, decay: .none), count: 2)
        var rmsCentered = RMSprop<Double>(RMSpropConfig(learningRate: 0.001, momentum: 0.9, centered: true), count: 2)
        var adagrad = Adagrad<Double>(AdagradConfig(learningRate: 0.5), count: 2)
        var adamw = AdamW<Double>(AdamWConfig(learningRate: 0.05, weightDecay: 0), count: 2)
        let results = [
            ("rprop", QuadraticBowl.minimise(&rprop, steps: 500), 1e-6),
            ("rmsprop", QuadraticBowl.minimise(&rms, steps: 3000), 1e-2),
            ("rmsprop centered momentum", QuadraticBowl.minimise(&rmsCentered, steps: 5000), 1e-3),
            ("adagrad", QuadraticBowl.minimise(&adagrad, steps: 3000), 1e-6),
            ("adamw", QuadraticBowl.minimise(&adamw, steps: 3000), 1e-6)
        ]
        for (name, p, tol) in results {
            XCTAssertEqual(p[0], 3, accuracy: tol, name)
            XCTAssertEqual(p[1], -1, accuracy: tol, name)
        }
    }

    /// With λ > 0 the shrink pulls p toward 0 by ηλp a step, far less than the Adam step (up to η), so
    /// AdamW still ends near the minimum of f = ½(x−3)².
    func testAdamWWithDecayEndsNearTheMinimum() {
        var o = AdamW<Double>(AdamWConfig(learningRate: 0.01, weightDecay: 1e-4), count: 1)
        var p = [0.0]
        for _ in 0..<5000 {
            let g = [p[0] - 3]
            p.withUnsafeMutableBufferPointer { o.step(parameters: $0.baseAddress!, gradient: g, count: 1) }
        }
        XCTAssertEqual(p[0], 3, accuracy: 1e-2)
    }
}
