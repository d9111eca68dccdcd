import XCTest

@testable import NNEngine

/// The fused per-sample SGD step (FusedPerSampleSGD.swift) against the general path
/// (gradient buffer, then `SGD.step`): the same training up to rounding.
final class FusedPerSampleSGDTests: XCTestCase {
    func train(
        _ arch: Architecture, loss: Loss, reduction: Reduction = .sum, reg: Regularization,
        data: Samples<Double>, epochs: Int, fused: Bool, decay: DecayRule = .none,
        batching: Batching = .size(1)
    ) -> (Network<Double>, TrainingResult) {
        var net = Network<Double>(architecture: arch, parameters: Fixture.parameters(arch, seed: 7).map { $0 * 0.5 })
        var config = TrainingConfig(
            loss: loss, reduction: reduction, regularization: reg,
            optimizer: .sgd(SGDConfig(learningRate: 0.02, decay: decay)),
            epochs: epochs, batching: batching, shuffle: true, recordBatchCosts: true, seed: 3)
        config.fusePerSampleSGD = fused
        let r = Trainer.train(&net, on: data, config: config)
        return (net, r)
    }

    func assertClose(_ a: [Double], _ b: [Double], tolerance: Double, _ what: String, line: UInt = #line) {
        XCTAssertEqual(a.count, b.count, line: line)
        let scale = max(b.map { abs($0) }.max() ?? 1, 1e-300)
        let worst = zip(a, b).map { abs($0 - $1) }.max() ?? 0
        XCTAssertLessThanOrEqual(worst / scale, tolerance, "\(what): max |fused − unfused| / max|unfused|", line: line)
    }

    /// A few hundred steps fused and unfused agree to ~1e-6 relative, for every output/loss pair and
    /// several hidden activations, with and without L1/L2, under both reductions.
    func testFusedMatchesUnfusedUpToRounding() {
        let regs = [Regularization.none, Regularization(l2: 0.01), Regularization(l1: 0.003, l2: 0.005)]
        for (output, loss) in Fixture.outputLossPairs {
            for hidden in [Activation.relu, .sigmoid, .tanh] {
                let arch = Architecture(sizes: [5, 6, 4, 3], hidden: hidden, output: output)
                let data = Fixture.samples(arch, loss: loss, count: 60, seed: 11)
                for reg in regs {
                    for reduction in [Reduction.sum, .mean] {
                        let (nf, rf) = train(
                            arch, loss: loss, reduction: reduction, reg: reg, data: data, epochs: 5, fused: true,
                            decay: .inverseTime(0.1))
                        let (nu, ru) = train(
                            arch, loss: loss, reduction: reduction, reg: reg, data: data, epochs: 5, fused: false,
                            decay: .inverseTime(0.1))
                        let what = "\(hidden)/\(output)/\(loss)/\(reduction)/l1=\(reg.l1),l2=\(reg.l2)"
                        XCTAssertEqual(rf.iterations, 300, what)
                        XCTAssertEqual(rf.iterations, ru.iterations, what)
                        assertClose(nf.parameters, nu.parameters, tolerance: 1e-6, what)
                        assertClose(rf.batchCosts, ru.batchCosts, tolerance: 1e-6, what)
                        assertClose(rf.epochCosts, ru.epochCosts, tolerance: 1e-6, what)
                    }
                }
            }
        }
    }

    /// The recorded cost of a sample is the cost before its update: the first batch cost equals the
    /// cost of the initial network on the first sample drawn (no shuffle here), penalty included.
    func testRecordedCostIsCostBeforeTheUpdate() {
        let arch = Architecture(sizes: [4, 5, 2], hidden: .tanh, output: .softmax)
        let data = Fixture.samples(arch, loss: .crossEntropy, count: 10, seed: 5)
        let reg = Regularization(l1: 0.01, l2: 0.02)
        let p0 = Fixture.parameters(arch, seed: 7)
        var net = Network<Double>(architecture: arch, parameters: p0)
        let config = TrainingConfig(
            loss: .crossEntropy, regularization: reg, optimizer: .sgd(SGDConfig(learningRate: 0.1)),
            epochs: 1, batching: .size(1), recordBatchCosts: true)
        let r = Trainer.train(&net, on: data, config: config)
        let first = Samples(x: Array(data.x[0..<4]), y: Array(data.y[0..<2]), count: 1, inputs: 4, outputs: 2)
        var g = [Double](repeating: 0, count: arch.parameterCount)
        let expected = Network<Double>(architecture: arch, parameters: p0)
            .costAndGradient(
                samples: first, loss: .crossEntropy, reduction: .sum, regularization: reg,
                parameters: p0, gradient: &g, workspace: Workspace<Double>(architecture: arch, capacity: 1))
        XCTAssertEqual(r.batchCosts[0], expected, accuracy: 1e-12 * abs(expected))
        XCTAssertNotEqual(net.parameters, p0)
    }

    /// On a tiny learnable problem the fused path's epoch costs are finite and fall.
    func testCostHistoryFiniteAndDecreasing() {
        let data = Fixture.xor(Double.self)
        var net = Network<Double>(
            architecture: Architecture(sizes: [2, 4, 1], hidden: .tanh, output: .sigmoid),
            initialization: .xavierUniform, seed: 2)
        let config = TrainingConfig(
            loss: .logistic, regularization: Regularization(l2: 1e-4),
            optimizer: .sgd(SGDConfig(learningRate: 0.3)), epochs: 400, batching: .size(1), shuffle: true, seed: 1)
        let r = Trainer.train(&net, on: data, config: config)
        XCTAssertEqual(r.status, .completed)
        XCTAssertTrue(r.epochCosts.allSatisfy(\.isFinite))
        XCTAssertLessThan(r.epochCosts.last!, 0.25 * r.epochCosts.first!)
        XCTAssertLessThan(r.epochCosts.suffix(50).reduce(0, +), r.epochCosts.prefix(50).reduce(0, +))
    }

    /// A batch of one that diverges leaves the parameters as the general path does (untouched by
    /// the non-finite step), and is reported.
    func testDivergenceMatchesUnfused() {
        let arch = Architecture(sizes: [3, 4, 1], hidden: .relu, output: .linear)
        var s = Fixture.samples(arch, loss: .sse, count: 8, seed: 9)
        var x = s.x
        x[5] = .infinity
        s = Samples(x: x, y: s.y, count: s.count, inputs: 3, outputs: 1)
        let (nf, rf) = train(arch, loss: .sse, reg: .none, data: s, epochs: 3, fused: true)
        let (nu, ru) = train(arch, loss: .sse, reg: .none, data: s, epochs: 3, fused: false)
        XCTAssertEqual(rf.status, ru.status)
        if case .diverged = rf.status {} else { XCTFail("expected divergence, got \(rf.status)") }
        assertClose(nf.parameters, nu.parameters, tolerance: 1e-12, "parameters at divergence")
    }
}
