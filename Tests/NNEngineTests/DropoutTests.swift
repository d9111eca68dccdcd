import NNRandom
import XCTest

@testable import NNEngine

/// Inverted dropout (Dropout.swift): the expected activation is kept, masks follow from the seed alone,
/// backpropagation with a fixed mask is the derivative of the masked cost, and a rate of 0 is no dropout.
final class DropoutTests: XCTestCase {
    /// Masked activations average to the unmasked ones, and the share of zeros is p (fixed seed;
    /// bounds at 5 standard errors of the sample mean).
    func testInvertedDropoutKeepsTheExpectedActivation() {
        let arch = Architecture(sizes: [3, 10, 2], hidden: .sigmoid, output: .softmax)
        let rows = 4000
        let p = 0.3
        let params = Fixture.parameters(arch, seed: 2)
        let plain = Workspace<Double>(architecture: arch, capacity: rows)
        let dropped = Workspace<Double>(architecture: arch, capacity: rows)
        dropped.enableDropout(Dropout(rates: [p]))
        // The same sample in every row: each unit's activation is one value a, its masked copies a·m.
        let x: [Double] = [0.3, -1.2, 0.8]
        for r in 0..<rows {
            for j in 0..<3 {
                plain.input[r * 3 + j] = x[j]
                dropped.input[r * 3 + j] = x[j]
            }
        }
        var rng = RNG(seed: 11, stream: Dropout.stream)
        dropped.drawDropoutMasks(rows: rows, rng: &rng)
        params.withUnsafeBufferPointer {
            arch.forward(plain, rows: rows, parameters: $0.baseAddress!)
            arch.forward(dropped, rows: rows, parameters: $0.baseAddress!)
        }
        var zeros = 0
        for j in 0..<10 {
            let a = plain.acts[1][j]
            var sum = 0.0
            for r in 0..<rows {
                let v = dropped.acts[1][r * 10 + j]
                if v == 0 { zeros += 1 } else { XCTAssertEqual(v, a / (1 - p), accuracy: 1e-12) }
                sum += v
            }
            let se = a * (p / (1 - p) / Double(rows)).squareRoot()
            XCTAssertEqual(sum / Double(rows), a, accuracy: 5 * se, "unit \(j)")
        }
        let n = Double(rows * 10)
        XCTAssertEqual(Double(zeros) / n, p, accuracy: 5 * (p * (1 - p) / n).squareRoot())
        // The output layer is never masked: its rows differ only through the hidden masks.
        XCTAssertNil(dropped.dropoutMask(layer: 2))
    }

    /// The same seed draws the same masks; another seed others; the stream is "dropout", not "shuffle".
    func testMasksAreDeterministic() {
        let arch = Architecture(sizes: [2, 6, 5, 1], hidden: .relu, output: .sigmoid)
        func masks(seed: UInt64, stream: String = Dropout.stream) -> [Double] {
            let ws = Workspace<Double>(architecture: arch, capacity: 9)
            ws.enableDropout(Dropout(rates: [0.5, 0.25]))
            var rng = RNG(seed: seed, stream: stream)
            ws.drawDropoutMasks(rows: 9, rng: &rng)
            ws.drawDropoutMasks(rows: 9, rng: &rng)
            return Array(UnsafeBufferPointer(start: ws.dropoutMask(layer: 1)!, count: 54))
                + Array(UnsafeBufferPointer(start: ws.dropoutMask(layer: 2)!, count: 45))
        }
        XCTAssertEqual(masks(seed: 3), masks(seed: 3))
        XCTAssertNotEqual(masks(seed: 3), masks(seed: 4))
        XCTAssertNotEqual(masks(seed: 3), masks(seed: 3, stream: "shuffle"))
        XCTAssertEqual(Set(masks(seed: 3).prefix(54)), [0, 2])
        XCTAssertEqual(Set(masks(seed: 3).suffix(45)), [0, 4.0 / 3])
    }

    /// Training with dropout gives the same bits for any thread count and twice in a row.
    func testTrainingWithDropoutIsIndependentOfThreads() {
        let arch = Architecture(sizes: [4, 40, 30, 3], hidden: .relu, output: .softmax)
        let data = Fixture.samples(arch, loss: .crossEntropy, count: 300, seed: 6)
        func run(threads: Int) -> [Double] {
            var c = TrainingConfig(
                loss: .crossEntropy, optimizer: .sgd(SGDConfig(learningRate: 0.01)), epochs: 3,
                batching: .size(150), shuffle: true, seed: 8)
            c.dropout = Dropout(rates: [0.5, 0.2])
            c.threads = ThreadBudget(fixed: threads)
            var net = Network<Double>(architecture: arch, initialization: .he, seed: 1)
            _ = Trainer.train(&net, on: data, config: c)
            return net.parameters
        }
        let one = run(threads: 1)
        XCTAssertEqual(one.map(\.bitPattern), run(threads: 2).map(\.bitPattern))
        XCTAssertEqual(one.map(\.bitPattern), run(threads: 1).map(\.bitPattern))
    }

    /// Backpropagation with a fixed mask against central differences of the cost with that mask.
    func testGradientWithAFixedMaskMatchesFiniteDifferences() {
        for (hidden, rows) in [(Activation.tanh, 7), (.sigmoid, 1), (.elu(alpha: 1), 5)] {
            let arch = Architecture(sizes: [3, 6, 5, 2], hidden: hidden, output: .softmax)
            let data = Fixture.samples(arch, loss: .crossEntropy, count: rows, seed: 5)
            let ws = Workspace<Double>(architecture: arch, capacity: rows)
            ws.enableDropout(Dropout(rates: [0.4, 0.3]))
            var rng = RNG(seed: 21, stream: Dropout.stream)
            ws.drawDropoutMasks(rows: rows, rng: &rng)
            ws.input.update(from: data.x, count: rows * 3)
            ws.targets.update(from: data.y, count: rows * 2)
            let reg = Regularization(l2: 0.01)
            var p = Fixture.parameters(arch, seed: 4)
            var g = [Double](repeating: 0, count: p.count)
            var scratch = g
            func cost(_ q: [Double]) -> Double {
                q.withUnsafeBufferPointer { qb in
                    scratch.withUnsafeMutableBufferPointer { sb in
                        arch.costAndGradient(
                            ws, rows: rows, loss: .crossEntropy, reduction: .mean, regularization: reg,
                            parameters: qb.baseAddress!, gradient: sb.baseAddress!)
                    }
                }
            }
            _ = p.withUnsafeBufferPointer { pb in
                g.withUnsafeMutableBufferPointer { gb in
                    arch.costAndGradient(
                        ws, rows: rows, loss: .crossEntropy, reduction: .mean, regularization: reg,
                        parameters: pb.baseAddress!, gradient: gb.baseAddress!)
                }
            }
            var num = [Double](repeating: 0, count: p.count)
            let h = 1e-6
            for i in p.indices {
                let v = p[i]
                p[i] = v + h
                let up = cost(p)
                p[i] = v - h
                let down = cost(p)
                p[i] = v
                num[i] = (up - down) / (2 * h)
            }
            let diff = zip(g, num).map { ($0 - $1) * ($0 - $1) }.reduce(0, +).squareRoot()
            let size = (g.map { $0 * $0 }.reduce(0, +).squareRoot() + num.map { $0 * $0 }.reduce(0, +).squareRoot())
            XCTAssertLessThan(diff / size, 1e-7, "\(hidden), \(rows) rows")
            // The mask matters: without it the gradient is another.
            ws.disableDropout()
            var plain = g
            _ = p.withUnsafeBufferPointer { pb in
                plain.withUnsafeMutableBufferPointer { gb in
                    arch.costAndGradient(
                        ws, rows: rows, loss: .crossEntropy, reduction: .mean, regularization: reg,
                        parameters: pb.baseAddress!, gradient: gb.baseAddress!)
                }
            }
            XCTAssertGreaterThan(zip(g, plain).map { abs($0 - $1) }.max()!, 1e-3, "\(hidden)")
        }
    }

    /// A rate of 0 draws nothing and changes nothing: the same bits as no dropout; a positive rate differs.
    func testZeroDropoutIsBitIdenticalToNone() {
        let arch = Architecture(sizes: [3, 5, 4, 2], hidden: .tanh, output: .softmax)
        let data = Fixture.samples(arch, loss: .crossEntropy, count: 40, seed: 3)
        func run(_ d: Dropout?, batching: Batching) -> [UInt64] {
            var c = TrainingConfig(
                loss: .crossEntropy, optimizer: .sgd(SGDConfig(learningRate: 0.1)), epochs: 4,
                batching: batching, shuffle: true, seed: 2)
            c.dropout = d
            var net = Network<Double>(architecture: arch, initialization: .xavierUniform, seed: 7)
            _ = Trainer.train(&net, on: data, config: c)
            return net.parameters.map(\.bitPattern)
        }
        for b in [Batching.size(1), .size(8), .full] {
            XCTAssertEqual(run(nil, batching: b), run(Dropout(rates: [0, 0]), batching: b), "\(b)")
            XCTAssertNotEqual(run(nil, batching: b), run(Dropout(rates: [0.2, 0]), batching: b), "\(b)")
        }
    }
}
