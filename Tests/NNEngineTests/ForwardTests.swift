import Foundation
import XCTest

@testable import NNEngine

final class ForwardTests: XCTestCase {
    func sigmoid(_ z: Double) -> Double { 1 / (1 + Foundation.exp(-z)) }

    /// A 2-2-1 sigmoid network, worked by hand: h = σ(W1·x + b1), y = σ(W2·h + b2).
    func testTinySigmoidNetworkByHand() {
        let arch = Architecture(sizes: [2, 2, 1], hidden: .sigmoid, output: .sigmoid)
        // W1 = [[0.1, 0.2], [-0.3, 0.4]], b1 = [0.5, -0.5], W2 = [[0.7, -0.6]], b2 = [0.05]
        let p = [0.1, 0.2, -0.3, 0.4, 0.5, -0.5, 0.7, -0.6, 0.05]
        let x = [1.0, 2.0, -1.0, 0.5]
        let ws = Workspace<Double>(architecture: arch, capacity: 2)
        ws.input.update(from: x, count: 4)
        arch.forward(ws, rows: 2, parameters: p)
        for r in 0..<2 {
            let x0 = x[2 * r]
            let x1 = x[2 * r + 1]
            let h0 = sigmoid(0.1 * x0 + 0.2 * x1 + 0.5)
            let h1 = sigmoid(-0.3 * x0 + 0.4 * x1 - 0.5)
            XCTAssertEqual(ws.output[r], sigmoid(0.7 * h0 - 0.6 * h1 + 0.05), accuracy: 1e-15)
        }
        // Sample 1 by hand: z1 = (0.1 + 0.4 + 0.5, −0.3 + 0.8 − 0.5) = (1, 0), h = (σ(1), 0.5) =
        // (0.7310586, 0.5); y = σ(0.7·0.7310586 − 0.3 + 0.05) = σ(0.2617410) = 0.5650642.
        XCTAssertEqual(ws.output[0], 0.565_064_2, accuracy: 1e-7)
    }

    /// Softmax outputs of a linear layer, with and without bias, against a direct computation.
    func testSoftmaxAndNoBias() {
        let arch = Architecture(sizes: [2, 3], activations: [.softmax], bias: false)
        let p = [1.0, 0, 0, 1, -1, -1]
        let ws = Workspace<Double>(architecture: arch, capacity: 1)
        ws.input.update(from: [2.0, 3.0], count: 2)
        arch.forward(ws, rows: 1, parameters: p)
        let z = [2.0, 3.0, -5.0]
        let e = z.map { Foundation.exp($0) }
        let s = e.reduce(0, +)
        for j in 0..<3 { XCTAssertEqual(ws.output[j], e[j] / s, accuracy: 1e-15) }
    }

    func testHiddenActivationsElementwise() {
        let z: [Double] = [-2, -0.5, 0, 0.5, 2]
        func run(_ a: Activation) -> [Double] {
            var v = z
            v.withUnsafeMutableBufferPointer { a.apply($0.baseAddress!, rows: 1, cols: z.count) }
            return v
        }
        let expected: [(Activation, (Double) -> Double)] = [
            (.sigmoid, sigmoid), (.tanh, Foundation.tanh), (.relu, { max($0, 0) }),
            (.leakyReLU(slope: 0.1), { $0 > 0 ? $0 : 0.1 * $0 }),
            (.elu(alpha: 1.5), { $0 > 0 ? $0 : 1.5 * (Foundation.exp($0) - 1) }),
            (.linear, { $0 })
        ]
        for (a, f) in expected {
            for (got, zi) in zip(run(a), z) { XCTAssertEqual(got, f(zi), accuracy: 1e-15, "\(a)(\(zi))") }
        }
    }

    /// The single-sample path (GEMV/GER) gives the same cost and gradient as the batch path (GEMM).
    func testSingleSamplePathMatchesBatchPath() {
        for bias in [true, false] {
            let arch = Architecture(sizes: [4, 6, 5, 3], hidden: .tanh, output: .softmax, bias: bias)
            let p = Fixture.parameters(arch, seed: 4)
            let s = Fixture.samples(arch, loss: .crossEntropy, count: 1, seed: 4)
            let one = Workspace<Double>(architecture: arch, capacity: 1)
            var g1 = [Double](repeating: 0, count: p.count)
            one.input.update(from: s.x, count: 4)
            one.targets.update(from: s.y, count: 3)
            let c1 = arch.costAndGradient(
                one, rows: 1, loss: .crossEntropy, reduction: .sum, regularization: Regularization(l2: 0.1),
                parameters: p, gradient: &g1)
            // The same sample twice as a batch of 2 with mean reduction: same cost and gradient, via GEMM.
            let two = Workspace<Double>(architecture: arch, capacity: 2)
            var g2 = g1.map { _ in 0.0 }
            two.input.update(from: s.x + s.x, count: 8)
            two.targets.update(from: s.y + s.y, count: 6)
            let c2 = arch.costAndGradient(
                two, rows: 2, loss: .crossEntropy, reduction: .mean, regularization: Regularization(l2: 0.2),
                parameters: p, gradient: &g2)
            XCTAssertEqual(c1, c2, accuracy: 1e-13)
            for i in 0..<p.count { XCTAssertEqual(g1[i], g2[i], accuracy: 1e-13) }
        }
    }

    /// The cross-entropy from the softmax's stored row maxima and exp sums is the recomputed one bit
    /// for bit (the same exps, summed in the same order), in both precisions, over rows whose logits
    /// span ±30 and a row with a tie for the maximum; and the softmax outputs are the plain ones.
    func testCrossEntropyFromTheSoftmaxRowsIsTheSameBits() {
        func check<T: Real>(_: T.Type) {
            let (rows, cols) = (37, 10)
            var state: UInt64 = 12345
            var z = (0..<(rows * cols)).map { _ -> T in
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                return T(Double(state >> 11) / Double(1 << 53) * 60 - 30)
            }
            z[cols + 3] = (z[cols..<(2 * cols)].max() ?? 0) + 1
            z[cols] = z[cols + 3]  // row 1's maximum twice
            var y = [T](repeating: 0, count: rows * cols)
            for r in 0..<rows { y[r * cols + (r * 7) % cols] = 1 }
            var a = z
            var plain = z
            var maxima = [T](repeating: 0, count: rows)
            var sums = [T](repeating: 0, count: rows)
            a.withUnsafeMutableBufferPointer { ab in
                maxima.withUnsafeMutableBufferPointer { mb in
                    sums.withUnsafeMutableBufferPointer { sb in
                        Activation.softmax(
                            ab.baseAddress!, rows: rows, cols: cols, maxima: mb.baseAddress!, sums: sb.baseAddress!)
                    }
                }
            }
            plain.withUnsafeMutableBufferPointer { Activation.softmax.apply($0.baseAddress!, rows: rows, cols: cols) }
            XCTAssertEqual(a.map { Double($0).bitPattern }, plain.map { Double($0).bitPattern })
            let recomputed = Loss.crossEntropy.total(z: z, a: a, y: y, rows: rows, cols: cols, output: .softmax)
            let stored = maxima.withUnsafeBufferPointer { mb in
                sums.withUnsafeBufferPointer { sb in
                    Loss.crossEntropy.total(
                        z: z, a: a, y: y, rows: rows, cols: cols, output: .softmax,
                        softmaxRows: (mb.baseAddress!, sb.baseAddress!))
                }
            }
            XCTAssertEqual(Double(stored).bitPattern, Double(recomputed).bitPattern, "\(T.self)")
            XCTAssertTrue(recomputed > 0)
        }
        check(Float.self)
        check(Double.self)
    }

    func testLossValuesByHand() {
        // One sample, outputs from logits z = (0.3, −1.2), targets y = (1, 0).
        let z: [Double] = [0.3, -1.2]
        let y: [Double] = [1, 0]
        let a = z.map(sigmoid)
        let logistic = -(Foundation.log(a[0]) + Foundation.log(1 - a[1]))
        XCTAssertEqual(
            Loss.logistic.total(z: z, a: a, y: y, rows: 1, cols: 2, output: .sigmoid), logistic, accuracy: 1e-14)
        let e = z.map { Foundation.exp($0) }
        let soft = e.map { $0 / e.reduce(0, +) }
        XCTAssertEqual(
            Loss.crossEntropy.total(z: z, a: soft, y: y, rows: 1, cols: 2, output: .softmax), -Foundation.log(soft[0]),
            accuracy: 1e-14)
        let out: [Double] = [0.25, 2]
        let t: [Double] = [1, 1]
        XCTAssertEqual(Loss.sse.total(z: out, a: out, y: t, rows: 1, cols: 2, output: .linear), 0.5 * (0.5625 + 1))
        XCTAssertEqual(Loss.mse.total(z: out, a: out, y: t, rows: 1, cols: 2, output: .linear), (0.5625 + 1) / 2)
    }

    func testLossOutputPairing() {
        XCTAssertTrue(Loss.logistic.accepts(output: .sigmoid))
        XCTAssertFalse(Loss.logistic.accepts(output: .softmax))
        XCTAssertFalse(Loss.crossEntropy.accepts(output: .linear))
        XCTAssertTrue(Loss.sse.accepts(output: .linear))
    }
}
