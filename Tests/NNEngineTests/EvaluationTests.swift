import NNRandom
import XCTest

@testable import NNEngine

/// `Network.evaluate` and `predict` walk the samples in chunks of the workspace's capacity, the first
/// product reading each chunk where the samples are stored (a one-row chunk is copied and goes
/// through GEMV): checked against a forward pass written out in plain loops.
final class EvaluationTests: XCTestCase {
    /// tanh hidden layers, softmax output, weights then bias per layer (`Architecture.layout`).
    private func naiveOutputs(_ arch: Architecture, _ p: [Double], _ x: [Double], count: Int) -> [[Double]] {
        (0..<count).map { r in
            var a = Array(x[(r * arch.inputs)..<((r + 1) * arch.inputs)])
            for l in 0..<arch.layerCount {
                let (nin, nout) = (arch.sizes[l], arch.sizes[l + 1])
                let (w, b) = arch.layout[l]
                var z = (0..<nout).map { j in (0..<nin).reduce(p[b! + j]) { $0 + p[w + j * nin + $1] * a[$1] } }
                if l == arch.layerCount - 1 {
                    let m = z.max()!
                    let e = z.map { Foundation.exp($0 - m) }
                    let s = e.reduce(0, +)
                    z = e.map { $0 / s }
                } else {
                    z = z.map { Foundation.tanh($0) }
                }
                a = z
            }
            return a
        }
    }

    func testChunkedEvaluationMatchesAPlainForwardPass() {
        let arch = Architecture(sizes: [5, 4, 3], hidden: .tanh, output: .softmax)
        var rng = RNG(seed: 7)
        let p = (0..<arch.parameterCount).map { _ in rng.uniform(-1, 1) }
        let net = Network<Double>(architecture: arch, parameters: p)
        // 22 samples in chunks of 7: 7, 7, 7 and a last chunk of one row; 23: a last chunk of two rows.
        for count in [22, 23] {
            let x = (0..<(count * 5)).map { _ in rng.uniform(-2, 2) }
            var y = [Double](repeating: 0, count: count * 3)
            for r in 0..<count { y[r * 3 + r % 3] = 1 }
            let ws = Workspace<Double>(architecture: arch, capacity: 7)
            let e = net.evaluate(x, targets: y, count: count, loss: .crossEntropy, workspace: ws)
            let want = naiveOutputs(arch, p, x, count: count)
            var loss = 0.0
            for r in 0..<count {
                for j in 0..<3 { XCTAssertEqual(e.outputs[r * 3 + j], want[r][j], accuracy: 1e-12, "row \(r)") }
                XCTAssertEqual(e.classes[r], want[r].indices.max { want[r][$0] < want[r][$1] }!, "row \(r)")
                loss -= Foundation.log(want[r][r % 3])
            }
            XCTAssertEqual(e.lossSum, loss, accuracy: 1e-10)
            XCTAssertEqual(net.predict(x, count: count, workspace: ws).outputs, e.outputs)
        }
    }
}
