import Foundation
import NNRandom

extension Synthetic {
    /// Isotropic Gaussian clusters (make_blobs with an integer number of centres): centres drawn
    /// uniformly in the box [-10, 10)^dimension, `count / centers` points each (the first
    /// `count % centers` clusters get one more), spread `std` around their centre, then shuffled.
    public static func blobs(count: Int, centers: Int, std: Double, dimension: Int = 2, rng: inout RNG) -> Dataset {
        precondition(centers > 0 && dimension > 0)
        var c = [Double]()
        for _ in 0..<(centers * dimension) { c.append(rng.uniform(-10, 10)) }
        var rows: [[Double]] = [], labels: [Int] = []
        for k in 0..<centers {
            let n = count / centers + (k < count % centers ? 1 : 0)
            for _ in 0..<n {
                rows.append((0..<dimension).map { c[k * dimension + $0] + std * rng.normal() })
                labels.append(k)
            }
        }
        var order = Array(0..<labels.count)
        rng.shuffle(&order)
        var f = [Double](); f.reserveCapacity(count * dimension)
        for i in order { f.append(contentsOf: rows[i]) }
        return Dataset(name: "blobs", features: f, count: count, dimension: dimension,
                       targets: .classes(order.map { labels[$0] }, names: (0..<centers).map(String.init)))
    }

    /// Interleaved spiral arms (the CS231n spiral set): for class j, radius r runs linearly 0→1 and angle
    /// θ = 4j → 4(j+1) plus N(0, noise²); the point is (r·sin θ, r·cos θ). `count / classes` points per
    /// arm (the first `count % classes` arms get one more); shuffled.
    public static func spirals(count: Int, classes: Int, noise: Double, rng: inout RNG) -> Dataset {
        precondition(classes > 0)
        var pts: [(Double, Double)] = [], labels: [Int] = []
        for j in 0..<classes {
            let n = count / classes + (j < count % classes ? 1 : 0)
            let radii = linspace(0, 1, n)
            let angles = linspace(4 * Double(j), 4 * Double(j + 1), n)
            for i in 0..<n {
                let t = angles[i] + noise * rng.normal()
                pts.append((radii[i] * sin(t), radii[i] * cos(t))); labels.append(j)
            }
        }
        let (f, l) = shuffleAndJitter(pts, labels, noise: 0, rng: &rng)
        return Dataset(name: "spirals", features: f, count: count, dimension: 2,
                       targets: .classes(l, names: (0..<classes).map(String.init)))
    }
}
