/// A rule that updates parameters in place from a minibatch gradient. One small type per rule, with
/// its state allocated once per run.
protocol FirstOrderOptimizer {
    associatedtype T: Real
    /// Called at the start of each epoch (learning-rate schedules).
    mutating func beginEpoch(_ epoch: Int)
    mutating func step(parameters p: UnsafeMutablePointer<T>, gradient g: UnsafePointer<T>, count n: Int)
    /// The learning rate when a step is exactly p ← p − η·g with no state (plain SGD), else nil.
    /// Per-sample training then applies the step while backpropagating (FusedPerSampleSGD.swift).
    var plainRate: T? { get }
}

extension FirstOrderOptimizer {
    var plainRate: T? { nil }
}

struct SGD<T: Real>: FirstOrderOptimizer {
    let config: SGDConfig
    private(set) var rate: Double
    private var state: [T]   // previous step (Raschka) or velocity

    init(_ config: SGDConfig, count: Int) {
        self.config = config
        self.rate = config.learningRate
        self.state = config.momentum != 0 ? [T](repeating: 0, count: count) : []
    }

    mutating func beginEpoch(_ epoch: Int) {
        rate = config.decay.rate(epoch: epoch, initial: config.learningRate, previous: rate)
    }

    var plainRate: T? { state.isEmpty ? T(rate) : nil }

    mutating func step(parameters p: UnsafeMutablePointer<T>, gradient g: UnsafePointer<T>, count n: Int) {
        let eta = T(rate), mu = T(config.momentum)
        if state.isEmpty {
            for i in 0..<n { p[i] -= eta * g[i] }
            return
        }
        state.withUnsafeMutableBufferPointer { sb in
            let s = sb.baseAddress!
            switch config.momentumRule {
            case .previousStep:
                for i in 0..<n {
                    let delta = eta * g[i]
                    p[i] -= delta + mu * s[i]
                    s[i] = delta
                }
            case .heavyBall:
                for i in 0..<n {
                    s[i] = mu * s[i] - eta * g[i]
                    p[i] += s[i]
                }
            case .nesterov:
                for i in 0..<n {
                    s[i] = mu * s[i] + g[i]
                    p[i] -= eta * (g[i] + mu * s[i])
                }
            }
        }
    }
}

/// Adam (Kingma & Ba 2015) with bias correction.
struct Adam<T: Real>: FirstOrderOptimizer {
    let config: AdamConfig
    private var rate: Double
    private var m: [T], v: [T]
    private var t = 0

    init(_ config: AdamConfig, count: Int) {
        self.config = config
        self.rate = config.learningRate
        m = [T](repeating: 0, count: count)
        v = [T](repeating: 0, count: count)
    }

    mutating func beginEpoch(_ epoch: Int) {
        rate = config.decay.rate(epoch: epoch, initial: config.learningRate, previous: rate)
    }

    mutating func step(parameters p: UnsafeMutablePointer<T>, gradient g: UnsafePointer<T>, count n: Int) {
        t += 1
        let b1 = T(config.beta1), b2 = T(config.beta2), eps = T(config.epsilon)
        let c1 = 1 - _pow(config.beta1, t), c2 = 1 - _pow(config.beta2, t)
        let stepSize = T(rate * c2.squareRoot() / c1)
        let epsHat = eps * T(c2.squareRoot())
        m.withUnsafeMutableBufferPointer { mb in
            v.withUnsafeMutableBufferPointer { vb in
                let m = mb.baseAddress!, v = vb.baseAddress!
                for i in 0..<n {
                    m[i] = b1 * m[i] + (1 - b1) * g[i]
                    v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i]
                    p[i] -= stepSize * m[i] / (v[i].squareRoot() + epsHat)
                }
            }
        }
    }
}

import Foundation
@inline(__always) private func _pow(_ x: Double, _ n: Int) -> Double { Foundation.pow(x, Double(n)) }
