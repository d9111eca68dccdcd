import XCTest

@testable import NNEngine

/// `TrainingConfig.diagnostics` against norms, ratios and unit activity computed here by hand for a
/// 2-2-1 network (own forward and backward pass, no engine code), one full-batch SGD step per epoch.
final class TrainingDiagnosticsTests: XCTestCase {
    let x: [[Double]] = [[0.5, 1.0], [1.5, -0.5], [2.0, 0.25]]
    let y: [Double] = [1, 0, 1]

    func sigmoid(_ z: Double) -> Double { 1 / (1 + exp(-z)) }

    /// W1 (2×2, out×in), b1, W2 (1×2), b2 — the engine's layout.
    struct P {
        var w1: [[Double]]
        var b1: [Double]
        var w2: [Double]
        var b2: Double
        var flat: [Double] { w1[0] + w1[1] + b1 + w2 + [b2] }
    }

    /// Hidden outputs per sample and the gradients of Σ logistic loss (sigmoid output: δ = a − y).
    func pass(_ p: P, _ f: Activation) -> (h: [[Double]], gw1: [[Double]], gb1: [Double], gw2: [Double], gb2: Double) {
        var gw1 = [[0.0, 0.0], [0.0, 0.0]]
        var gb1 = [0.0, 0.0]
        var gw2 = [0.0, 0.0]
        var gb2 = 0.0
        var hs: [[Double]] = []
        for (xi, yi) in zip(x, y) {
            let z = (0..<2).map { j in p.w1[j][0] * xi[0] + p.w1[j][1] * xi[1] + p.b1[j] }
            let h = z.map { f == .relu ? max($0, 0) : sigmoid($0) }
            hs.append(h)
            let a = sigmoid(p.w2[0] * h[0] + p.w2[1] * h[1] + p.b2)
            let d = a - yi
            gb2 += d
            for j in 0..<2 {
                gw2[j] += d * h[j]
                let dh = d * p.w2[j] * (f == .relu ? (h[j] > 0 ? 1 : 0) : h[j] * (1 - h[j]))
                gb1[j] += dh
                for i in 0..<2 { gw1[j][i] += dh * xi[i] }
            }
        }
        return (hs, gw1, gb1, gw2, gb2)
    }

    func norm(_ v: [Double]) -> Double { v.map { $0 * $0 }.reduce(0, +).squareRoot() }

    func check(_ f: Activation, _ start: P, epochs: Int = 3) {
        let arch = Architecture(sizes: [2, 2, 1], hidden: f, output: .sigmoid)
        let eta = 0.5
        let data = Samples<Double>(x: x.flatMap { $0 }, y: y, count: 3, inputs: 2, outputs: 1)
        var c = TrainingConfig(loss: .logistic, optimizer: .sgd(SGDConfig(learningRate: eta)), epochs: epochs)
        c.diagnostics = true
        var net = Network<Double>(architecture: arch, parameters: start.flat)
        let r = Trainer.train(&net, on: data, config: c)
        XCTAssertEqual(r.diagnostics.count, epochs)
        var p = start
        for e in 0..<epochs {
            let g = pass(p, f)
            let w1 = p.w1[0] + p.w1[1]
            let gw1 = g.gw1[0] + g.gw1[1]
            var next = p
            for j in 0..<2 {
                for i in 0..<2 { next.w1[j][i] -= eta * g.gw1[j][i] }
                next.b1[j] -= eta * g.gb1[j]
                next.w2[j] -= eta * g.gw2[j]
            }
            next.b2 -= eta * g.gb2
            let d = r.diagnostics[e]
            XCTAssertEqual(d.count, 2)
            XCTAssertEqual(d[0].gradientNorm, norm(gw1), accuracy: 1e-12)
            XCTAssertEqual(d[1].gradientNorm, norm(g.gw2), accuracy: 1e-12)
            XCTAssertEqual(d[0].updateRatio, eta * norm(gw1) / norm(w1), accuracy: 1e-12)
            XCTAssertEqual(d[1].updateRatio, eta * norm(g.gw2) / norm(p.w2), accuracy: 1e-12)
            XCTAssertEqual(d[0].weightNorm, norm(next.w1[0] + next.w1[1]), accuracy: 1e-12)
            XCTAssertEqual(d[1].weightNorm, norm(next.w2), accuracy: 1e-12)
            XCTAssertNil(d[1].deadShare)
            XCTAssertNil(d[1].saturatedShare)
            let units = (0..<2).map { j in g.h.map { $0[j] } }
            if f == .relu {
                let dead = units.filter { $0.allSatisfy { $0 <= 0 } }.count
                XCTAssertEqual(d[0].deadShare, Double(dead) / 2)
                XCTAssertNil(d[0].saturatedShare)
            } else {
                let sat = units.filter { u in 2 * u.filter { $0 < 0.01 || $0 > 0.99 }.count > 3 }.count
                XCTAssertEqual(d[0].saturatedShare, Double(sat) / 2)
                XCTAssertNil(d[0].deadShare)
            }
            p = next
        }
    }

    /// ReLU: the second hidden unit is negative on every sample (dead), the first is not.
    func testReLUNormsRatiosAndDeadUnits() {
        let start = P(w1: [[0.4, 0.3], [-2.0, -0.5]], b1: [0.1, -3.0], w2: [0.7, -0.2], b2: 0.05)
        check(.relu, start)
        XCTAssertEqual(pass(start, .relu).h.filter { $0[1] > 0 }.count, 0)
        XCTAssertGreaterThan(pass(start, .relu).h.filter { $0[0] > 0 }.count, 0)
    }

    /// Sigmoid: the first hidden unit has large weights and sits beyond 0.99 on most samples.
    func testSigmoidSaturation() {
        let start = P(w1: [[9.0, 6.0], [0.3, -0.2]], b1: [2.0, 0.0], w2: [0.5, 0.4], b2: -0.1)
        check(.sigmoid, start)
        XCTAssertGreaterThan(pass(start, .sigmoid).h.filter { $0[0] > 0.99 }.count, 1)
    }

    /// Diagnostics change no bits of the training itself (minibatches; per-sample SGD takes the general path).
    func testDiagnosticsLeaveTrainingUnchanged() {
        let arch = Architecture(sizes: [3, 5, 4, 2], hidden: .tanh, output: .softmax)
        let data = Fixture.samples(arch, loss: .crossEntropy, count: 30, seed: 3)
        func run(_ on: Bool) -> ([UInt64], TrainingResult) {
            var c = TrainingConfig(
                loss: .crossEntropy, optimizer: .adam(AdamConfig(learningRate: 0.01)), epochs: 4,
                batching: .size(7), shuffle: true, seed: 2)
            c.diagnostics = on
            var net = Network<Double>(architecture: arch, initialization: .xavierUniform, seed: 7)
            let r = Trainer.train(&net, on: data, config: c)
            return (net.parameters.map(\.bitPattern), r)
        }
        let (off, r0) = run(false)
        let (on, r1) = run(true)
        XCTAssertEqual(off, on)
        XCTAssertEqual(r0.epochCosts, r1.epochCosts)
        XCTAssertTrue(r0.diagnostics.isEmpty)
        XCTAssertEqual(r1.diagnostics.count, 4)
        XCTAssertEqual(r1.diagnostics[0].count, 3)
    }
}
