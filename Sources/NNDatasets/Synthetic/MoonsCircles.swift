import Foundation
import NNRandom

extension Synthetic {
    /// Two interleaving half circles (make_moons): the upper moon (label 0) is the unit half circle,
    /// the lower (label 1) its copy flipped and shifted to (1, 0.5). `count / 2` points go to the upper
    /// moon, the rest to the lower; then shuffled and jittered by Gaussian `noise`.
    public static func moons(count: Int, noise: Double, rng: inout RNG) -> Dataset {
        let nOut = count / 2, nIn = count - nOut
        var pts: [(Double, Double)] = [], labels: [Int] = []
        for t in linspace(0, .pi, nOut) { pts.append((cos(t), sin(t))); labels.append(0) }
        for t in linspace(0, .pi, nIn) { pts.append((1 - cos(t), 1 - sin(t) - 0.5)); labels.append(1) }
        let (f, l) = shuffleAndJitter(pts, labels, noise: noise, rng: &rng)
        return Dataset(name: "moons", features: f, count: count, dimension: 2, targets: .classes(l, names: ["0", "1"]))
    }

    /// A large circle (label 0, radius 1) around a smaller one (label 1, radius `factor`), each with
    /// evenly spaced angles from 0 (endpoint 2π excluded) (make_circles).
    public static func circles(count: Int, noise: Double, factor: Double = 0.8, rng: inout RNG) -> Dataset {
        let nOut = count / 2, nIn = count - nOut
        var pts: [(Double, Double)] = [], labels: [Int] = []
        for t in linspace(0, 2 * .pi, nOut, endpoint: false) { pts.append((cos(t), sin(t))); labels.append(0) }
        for t in linspace(0, 2 * .pi, nIn, endpoint: false) { pts.append((factor * cos(t), factor * sin(t))); labels.append(1) }
        let (f, l) = shuffleAndJitter(pts, labels, noise: noise, rng: &rng)
        return Dataset(name: "circles", features: f, count: count, dimension: 2, targets: .classes(l, names: ["0", "1"]))
    }
}
