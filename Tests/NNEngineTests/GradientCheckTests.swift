import XCTest

@testable import NNEngine

final class GradientCheckTests: XCTestCase {
    /// Backprop agrees with central differences to < 1e-7 for every hidden activation × valid
    /// output/loss pair × regularisation × bias × reduction, on a 2-layer and a 3-layer net.
    func testEveryActivationLossRegularizationBias() {
        let regs = [
            Regularization.none, Regularization(l1: 0.05), Regularization(l2: 0.3), Regularization(l1: 0.02, l2: 0.1)
        ]
        var checked = 0
        var seed: UInt64 = 1
        for hidden in Fixture.hiddenActivations {
            for (output, loss) in Fixture.outputLossPairs {
                for sizes in [[3, 4, 2], [3, 5, 4, 3]] {
                    for bias in [true, false] {
                        for reg in regs {
                            for reduction in Reduction.allCases {
                                seed += 1
                                let arch = Architecture(sizes: sizes, hidden: hidden, output: output, bias: bias)
                                let p = Fixture.parameters(arch, seed: seed)
                                let s = Fixture.samples(arch, loss: loss, count: 5, seed: seed)
                                let r = GradientCheck.run(
                                    architecture: arch, parameters: p, samples: s, loss: loss,
                                    reduction: reduction, regularization: reg)
                                let what = "\(sizes) \(hidden)/\(output) \(loss) bias=\(bias) \(reg) \(reduction)"
                                XCTAssertLessThan(r.relativeError, 1e-7, what)
                                XCTAssertEqual(r.verdict, .ok, what)
                                XCTAssertEqual(r.layers.count, sizes.count - 1)
                                for layer in r.layers {
                                    XCTAssertLessThan(layer.relativeError, 1e-7, "\(what) layer \(layer.layer)")
                                }
                                checked += 1
                            }
                        }
                    }
                }
            }
        }
        XCTAssertEqual(checked, 6 * 9 * 2 * 2 * 4 * 2)
    }

    /// A deliberately wrong gradient must be caught: the check is not vacuous.
    func testDetectsWrongGradient() {
        let arch = Architecture(sizes: [2, 3, 1], hidden: .sigmoid, output: .sigmoid)
        let p = Fixture.parameters(arch, seed: 7)
        let s = Fixture.samples(arch, loss: .logistic, count: 4, seed: 7)
        let good = GradientCheck.run(
            architecture: arch, parameters: p, samples: s, loss: .logistic, reduction: .sum, regularization: .none)
        // Compare the backprop gradient of the logistic loss with the numerical gradient of SSE.
        let other = GradientCheck.run(
            architecture: arch, parameters: p, samples: s, loss: .sse, reduction: .sum, regularization: .none)
        let e = GradientCheck.relativeError(good.analytic, other.numeric, 0..<p.count)
        XCTAssertEqual(GradientVerdict(relativeError: e), .problem)
        XCTAssertEqual(GradientVerdict(relativeError: 5e-8), .ok)
        XCTAssertEqual(GradientVerdict(relativeError: 5e-6), .warning)
        XCTAssertEqual(GradientVerdict(relativeError: 2e-4), .problem)
    }

    /// The thresholds at their edges (both inclusive), NaN, and the order `nnexp gradcheck` takes the
    /// worst verdict by (one verdict type serves the engine and the command).
    func testVerdictThresholdsAndOrder() {
        XCTAssertEqual(GradientVerdict(relativeError: 0), .ok)
        XCTAssertEqual(GradientVerdict(relativeError: 1e-7), .ok)
        XCTAssertEqual(GradientVerdict(relativeError: 2e-7), .warning)
        XCTAssertEqual(GradientVerdict(relativeError: 1e-4), .warning)
        XCTAssertEqual(GradientVerdict(relativeError: 1.1e-4), .problem)
        XCTAssertEqual(GradientVerdict(relativeError: .nan), .problem)
        XCTAssertEqual(GradientVerdict(relativeError: .infinity), .problem)
        XCTAssertLessThan(GradientVerdict.ok, .warning)
        XCTAssertLessThan(GradientVerdict.warning, .problem)
        XCTAssertEqual([GradientVerdict.warning, .problem, .ok].max(), .problem)
        let report = GradientCheckReport(
            relativeError: 1e-9,
            layers: [
                LayerGradientError(layer: 1, relativeError: 1e-9),
                LayerGradientError(layer: 2, relativeError: 3e-5)
            ],
            analytic: [], numeric: [])
        XCTAssertEqual(report.verdict, .ok)
        XCTAssertEqual(report.worstVerdict, .warning, "a layer's warning is the run's worst verdict")
    }

    /// The numerical gradient itself matches a closed form: one linear unit with SSE,
    /// f = ½(w·x + b − y)², ∂f/∂w = (w·x + b − y)·x.
    func testNumericGradientClosedForm() {
        let arch = Architecture(sizes: [2, 1], activations: [.linear])
        let s = Samples<Double>(x: [0.5, -2], y: [3], count: 1, inputs: 2, outputs: 1)
        let r = GradientCheck.run(
            architecture: arch, parameters: [1.5, 0.25, -1], samples: s, loss: .sse,
            reduction: .sum, regularization: .none)
        let residual = 1.5 * 0.5 + 0.25 * -2 - 1 - 3
        for (i, v) in [residual * 0.5, residual * -2, residual].enumerated() {
            XCTAssertEqual(r.numeric[i], v, accuracy: 1e-8)
            XCTAssertEqual(r.analytic[i], v, accuracy: 1e-12)
        }
    }

    func testFloat32NetworkIsCheckedInFloat64() {
        let arch = Architecture(sizes: [3, 4, 2], hidden: .tanh, output: .softmax)
        let net = Network<Float>(architecture: arch, parameters: Fixture.parameters(arch, seed: 3).map { Float($0) })
        let s = Fixture.float32(Fixture.samples(arch, loss: .crossEntropy, count: 6, seed: 3))
        let r = GradientCheck.run(
            network: net, samples: s, loss: .crossEntropy, reduction: .mean, regularization: Regularization(l2: 0.1))
        XCTAssertLessThan(r.relativeError, 1e-7)
    }
}
