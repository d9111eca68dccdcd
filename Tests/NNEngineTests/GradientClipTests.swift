import NNRandom
import XCTest

@testable import NNEngine

/// `optimizer.clip`: the norm form caps ‖g‖₂ exactly and keeps the direction; the value form clamps.
final class GradientClipTests: XCTestCase {
    func clipped(_ g: [Double], _ c: GradientClip) -> [Double] {
        var g = g
        g.withUnsafeMutableBufferPointer { c.apply($0.baseAddress!, count: $0.count) }
        return g
    }

    func testNormIsCappedExactly() {
        // ‖(3, 4)‖ = 5 → capped at 1: (0.6, 0.8) by hand.
        let g = clipped([3, 4], .norm(1))
        XCTAssertEqual(g[0], 0.6, accuracy: 1e-15)
        XCTAssertEqual(g[1], 0.8, accuracy: 1e-15)
        // Random vectors of many sizes: the norm after is the cap to rounding, the direction unchanged.
        var rng = RNG(seed: 3, stream: "clip")
        for n in [1, 2, 7, 100, 1000] {
            let v = (0..<n).map { _ in rng.uniform(-10, 10) }
            let before = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
            let cap = before / 3
            let w = clipped(v, .norm(cap))
            let after = w.reduce(0) { $0 + $1 * $1 }.squareRoot()
            XCTAssertEqual(after, cap, accuracy: cap * 1e-14, "n=\(n)")
            for i in 0..<n { XCTAssertEqual(w[i] / v[i], cap / before, accuracy: 1e-14) }
        }
        // Float32 too, and a gradient inside the cap is left as it is, bit for bit.
        var f: [Float] = [3, 4]
        f.withUnsafeMutableBufferPointer { GradientClip.norm(2.5).apply($0.baseAddress!, count: 2) }
        XCTAssertEqual(f, [1.5, 2])
        XCTAssertEqual(clipped([0.3, -0.4], .norm(0.5)), [0.3, -0.4])
        XCTAssertEqual(clipped([0.3, -0.4], .norm(1)), [0.3, -0.4])
    }

    func testValueClampsEachComponent() {
        XCTAssertEqual(clipped([3, -4, 0.25, -0.5, 0], .value(0.5)), [0.5, -0.5, 0.25, -0.5, 0])
    }

    /// Through the trainer: one full-batch SGD step with η = 1 from the same start moves the parameters
    /// by the clipped gradient, whose norm is the cap.
    func testTrainerStepsWithTheClippedGradient() {
        let arch = Architecture(sizes: [2, 3, 1], hidden: .tanh, output: .sigmoid)
        let data = Fixture.xor(Double.self)
        let start = Network<Double>(architecture: arch, initialization: .xavierUniform, seed: 1)
        func oneStep(_ clip: GradientClip?) -> [Double] {
            var net = start
            var opt = OptimizerConfig.sgd(SGDConfig(learningRate: 1))
            opt.clip = clip
            _ = Trainer.train(&net, on: data, config: TrainingConfig(loss: .logistic, optimizer: opt, epochs: 1))
            return zip(start.parameters, net.parameters).map { $0 - $1 }
        }
        let free = oneStep(nil)
        let freeNorm = free.reduce(0) { $0 + $1 * $1 }.squareRoot()
        let cap = freeNorm / 4
        let step = oneStep(.norm(cap))
        XCTAssertEqual(step.reduce(0) { $0 + $1 * $1 }.squareRoot(), cap, accuracy: 1e-12)
        for (a, b) in zip(step, free) { XCTAssertEqual(a, b / 4, accuracy: 1e-12) }
        let clamped = oneStep(.value(0.01))
        for (a, b) in zip(clamped, free) { XCTAssertEqual(a, min(max(b, -0.01), 0.01), accuracy: 1e-15) }
    }
}
