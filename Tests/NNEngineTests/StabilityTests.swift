import XCTest

@testable import NNEngine

/// No overflow, NaN or log(0) at |z| = 1e4, in both precisions.
final class StabilityTests: XCTestCase {
    func check<T: Real>(_: T.Type) {
        let z: [T] = [-10_000, -1_000, -50, 0, 50, 1_000, 10_000]
        var s = z
        s.withUnsafeMutableBufferPointer { Activation.sigmoid.apply($0.baseAddress!, rows: 1, cols: z.count) }
        XCTAssertTrue(s.allSatisfy { $0.isFinite && $0 >= 0 && $0 <= 1 }, "\(s)")
        XCTAssertEqual(s.first, 0)
        XCTAssertEqual(s.last, 1)
        XCTAssertEqual(s[3], 0.5)

        var soft: [T] = [10_000, -10_000, 9_999]
        soft.withUnsafeMutableBufferPointer { Activation.softmax.apply($0.baseAddress!, rows: 1, cols: 3) }
        XCTAssertTrue(soft.allSatisfy(\.isFinite), "\(soft)")
        XCTAssertEqual(Double(soft[0] + soft[1] + soft[2]), 1, accuracy: 1e-6)
        XCTAssertGreaterThan(soft[0], soft[2])

        var elu: [T] = [-10_000, 10_000]
        elu.withUnsafeMutableBufferPointer { Activation.elu(alpha: 1).apply($0.baseAddress!, rows: 1, cols: 2) }
        XCTAssertEqual(elu, [-1, 10_000])

        // Logistic loss on saturated outputs: finite, and exactly the linear tail softplus(z) − y·z.
        let logits: [T] = [10_000, -10_000]
        let y: [T] = [0, 1]
        var a = logits
        a.withUnsafeMutableBufferPointer { Activation.sigmoid.apply($0.baseAddress!, rows: 1, cols: 2) }
        let l = Loss.logistic.total(z: logits, a: a, y: y, rows: 1, cols: 2, output: .sigmoid)
        XCTAssertEqual(Double(l), 20_000, accuracy: 1e-3)
        let ce = Loss.crossEntropy.total(
            z: [T(10_000), -10_000], a: [1, 0], y: [0, 1], rows: 1, cols: 2, output: .softmax)
        XCTAssertEqual(Double(ce), 20_000, accuracy: 1e-2)

        // Whole cost and gradient through a network with huge pre-activations stay finite.
        for (output, loss) in [(Activation.sigmoid, Loss.logistic), (.softmax, .crossEntropy), (.sigmoid, .sse)] {
            let arch = Architecture(sizes: [1, 2], activations: [output])
            let ws = Workspace<T>(architecture: arch, capacity: 1)
            ws.input[0] = 1
            ws.targets[0] = 0
            ws.targets[1] = 1
            var g = [T](repeating: 0, count: 4)
            let c = arch.costAndGradient(
                ws, rows: 1, loss: loss, reduction: .sum, regularization: .none,
                parameters: [T(10_000), -10_000, 0, 0], gradient: &g)
            XCTAssertTrue(c.isFinite, "\(output) \(loss)")
            XCTAssertTrue(g.allSatisfy(\.isFinite), "\(output) \(loss): \(g)")
        }
    }

    func testFloat64() { check(Double.self) }
    func testFloat32() { check(Float.self) }
}
