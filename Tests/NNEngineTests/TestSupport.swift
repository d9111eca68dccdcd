@testable import NNEngine

/// Small random problems for the engine tests, all drawn from seeded streams.
enum Fixture {
    static let hiddenActivations: [Activation] = [
        .sigmoid, .tanh, .relu, .leakyReLU(slope: 0.1), .elu(alpha: 1), .linear
    ]
    /// Every valid (output activation, loss) pair.
    static let outputLossPairs: [(Activation, Loss)] = [
        (.sigmoid, .logistic), (.sigmoid, .crossEntropy), (.softmax, .crossEntropy),
        (.sigmoid, .sse), (.softmax, .sse), (.linear, .sse),
        (.sigmoid, .mse), (.softmax, .mse), (.linear, .mse)
    ]

    /// Parameters with |w| in [0.1, 1] and a random sign: away from L1's kink at 0.
    static func parameters(_ arch: Architecture, seed: UInt64) -> [Double] {
        var rng = RNG(seed: seed, stream: "test-params")
        return (0..<arch.parameterCount).map { _ in
            let m = rng.uniform(0.1, 1)
            return rng.uniform() < 0.5 ? -m : m
        }
    }

    /// Random inputs in [−1, 1]; targets fitting the output: one-hot (softmax + cross-entropy),
    /// 0/1 (sigmoid + logistic), or reals otherwise.
    static func samples(_ arch: Architecture, loss: Loss, count: Int, seed: UInt64) -> Samples<Double> {
        var rng = RNG(seed: seed, stream: "test-samples")
        let x = (0..<(count * arch.inputs)).map { _ in rng.uniform(-1, 1) }
        var y: [Double]
        switch (arch.output, loss) {
        case (.softmax, _):
            y = Samples<Double>.oneHot(labels: (0..<count).map { _ in rng.below(arch.outputs) }, classes: arch.outputs)
            if arch.outputs == 1 { y = y.map { _ in 1 } }
        case (.sigmoid, .logistic), (.sigmoid, .crossEntropy):
            y = (0..<(count * arch.outputs)).map { _ in Double(rng.below(2)) }
        case (.sigmoid, _):
            y = (0..<(count * arch.outputs)).map { _ in rng.uniform(0, 1) }
        default:
            y = (0..<(count * arch.outputs)).map { _ in rng.uniform(-2, 2) }
        }
        return Samples(x: x, y: y, count: count, inputs: arch.inputs, outputs: arch.outputs)
    }

    static func float32(_ s: Samples<Double>) -> Samples<Float> {
        Samples(
            x: s.x.map { Float($0) }, y: s.y.map { Float($0) }, count: s.count, inputs: s.inputs, outputs: s.outputs)
    }

    /// The XOR truth table.
    static func xor<T: Real>(_: T.Type) -> Samples<T> {
        Samples(x: [0, 0, 0, 1, 1, 0, 1, 1], y: [0, 1, 1, 0], count: 4, inputs: 2, outputs: 1)
    }
}

/// f = ½·((x−3)² + 10·(y+1)²), an ill-conditioned convex quadratic with its minimum at (3, −1), on
/// which every first-order rule is checked to converge.
enum QuadraticBowl {
    /// `steps` steps of `opt` from (0, 0) with the exact gradient; the point reached.
    static func minimise<O: FirstOrderOptimizer>(_ opt: inout O, steps: Int) -> [Double] where O.T == Double {
        var p = [0.0, 0.0]
        var g = [0.0, 0.0]
        for _ in 0..<steps {
            g[0] = p[0] - 3
            g[1] = 10 * (p[1] + 1)
            p.withUnsafeMutableBufferPointer { opt.step(parameters: $0.baseAddress!, gradient: g, count: 2) }
        }
        return p
    }
}

extension FirstOrderOptimizer {
    /// One step on the calling thread (a fresh one-thread team), for tests of the rule's arithmetic.
    mutating func step(parameters p: UnsafeMutablePointer<T>, gradient g: UnsafePointer<T>, count n: Int) {
        step(parameters: p, gradient: g, count: n, team: ThreadTeam())
    }
}
