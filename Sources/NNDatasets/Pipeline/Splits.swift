import NNRandom

/// Subsets and splits. Every part is a set of row indices into one pool, and the parts of a split
/// partition the pool, so no sample can be in two parts (test never leaks into train).
public enum Splits {
    /// The first `n` rows (Raschka's `train: 60000, test: 10000` subsets).
    public static func first(_ n: Int, of ds: Dataset, part: String) throws -> Dataset {
        guard n >= 0 else { throw DatasetError("\(part): \(n) samples asked; expected a count ≥ 0", key: part) }
        guard n <= ds.count else {
            throw DatasetError(
                "\(part): \(n) samples asked but \(ds.name)'s \(part) part has only \(ds.count)", key: part)
        }
        return n == ds.count ? ds : ds.subset(Array(0..<n))
    }

    /// A random `n` of the rows, in random order (seeded).
    public static func sample(_ n: Int, of ds: Dataset, rng: inout RNG) throws -> Dataset {
        guard n > 0 else { throw DatasetError("sample: \(n) samples asked; expected a count > 0", key: "sample") }
        guard n <= ds.count else {
            throw DatasetError("sample: \(n) samples asked but the pool has only \(ds.count)", key: "sample")
        }
        var order = Array(0..<ds.count)
        // Partial Fisher–Yates: only the first n positions need drawing.
        for i in 0..<n { order.swapAt(i, i + rng.below(ds.count - i)) }
        return ds.subset(Array(order[0..<n]))
    }

    /// Row indices of the train / validation / test parts of a pool of `count` rows.
    public struct Parts: Equatable, Sendable {
        /// Rows of the training part.
        public var train: [Int]
        /// Rows of the validation part (empty when none).
        public var validation: [Int]
        /// Rows of the held-out test part (empty when the test part is not held out of the pool).
        public var test: [Int]
    }

    /// The number of samples an amount means in a pool of `pool` rows.
    static func size(_ a: SplitConfig.Amount, pool: Int, part: String) throws -> Int {
        switch a {
        case .count(let n):
            guard n >= 0 else { throw DatasetError("split: \(part) count \(n) must be ≥ 0", key: "split") }
            guard n <= pool else {
                throw DatasetError("split: \(part) asks for \(n) samples but the pool has only \(pool)", key: "split")
            }
            return n
        case .fraction(let f):
            guard f >= 0, f < 1 else {
                throw DatasetError("split: \(part) fraction \(f) must be in [0, 1)", key: "split")
            }
            return Int((f * Double(pool)).rounded())
        }
    }

    /// Divides rows 0..<count: held-out sizes from `config` (fractions of the whole pool), taken after a
    /// seeded shuffle (or in order: train, validation, test), per class when stratified.
    public static func partition(count: Int, labels: [Int]?, config: SplitConfig, rng: inout RNG) throws -> Parts {
        let nTest: Int
        if case .holdout(let a) = config.test { nTest = try size(a, pool: count, part: "test") } else { nTest = 0 }
        let nVal = try config.validation.map { try size($0, pool: count, part: "validation") } ?? 0
        guard nTest + nVal < count else {
            throw DatasetError(
                "split: validation (\(nVal)) and test (\(nTest)) samples leave no training samples from a pool of \(count)",
                key: "split")
        }
        // Nothing held out: the pool stays as it is (no shuffle, no draws from the generator).
        if nTest == 0 && nVal == 0 { return Parts(train: Array(0..<count), validation: [], test: []) }
        var order = Array(0..<count)
        if config.shuffle { rng.shuffle(&order) }
        if !config.stratify {
            let train = Array(order[0..<(count - nVal - nTest)])
            let val = Array(order[(count - nVal - nTest)..<(count - nTest)])
            let test = Array(order[(count - nTest)...])
            return Parts(train: train, validation: val, test: test)
        }
        guard let labels else {
            throw DatasetError("split: stratify needs class labels, but the targets are continuous", key: "split")
        }
        // Group the (shuffled) order by class; each class gives its share of every held-out part.
        let k = (labels.max() ?? -1) + 1
        var byClass = [[Int]](repeating: [], count: k)
        for i in order { byClass[labels[i]].append(i) }
        let sizes = byClass.map(\.count)
        let testPer = proportional(nTest, sizes: sizes, capacity: sizes)
        let valPer = proportional(nVal, sizes: sizes, capacity: zip(sizes, testPer).map { $0 - $1 })
        var rank = [Int](repeating: 0, count: count)  // position in the shuffled order, to keep it
        for (p, i) in order.enumerated() { rank[i] = p }
        var parts = Parts(train: [], validation: [], test: [])
        for c in 0..<k {
            let rows = byClass[c]
            let t = testPer[c]
            let v = valPer[c]
            parts.train += rows[0..<(rows.count - v - t)]
            parts.validation += rows[(rows.count - v - t)..<(rows.count - t)]
            parts.test += rows[(rows.count - t)...]
        }
        parts.train.sort { rank[$0] < rank[$1] }
        parts.validation.sort { rank[$0] < rank[$1] }
        parts.test.sort { rank[$0] < rank[$1] }
        return parts
    }

    /// Splits `total` over classes in proportion to `sizes` (largest remainder, ties to the lower
    /// class), never giving a class more than its `capacity`.
    static func proportional(_ total: Int, sizes: [Int], capacity: [Int]) -> [Int] {
        let n = sizes.reduce(0, +)
        guard n > 0, total > 0 else { return [Int](repeating: 0, count: sizes.count) }
        var out = sizes.indices.map { min(capacity[$0], sizes[$0] * total / n) }
        var left = total - out.reduce(0, +)
        let byRemainder = sizes.indices.sorted {
            let r0 = sizes[$0] * total % n
            let r1 = sizes[$1] * total % n
            return r0 != r1 ? r0 > r1 : $0 < $1
        }
        while left > 0 {
            var gave = false
            for c in byRemainder where left > 0 && out[c] < capacity[c] {
                out[c] += 1
                left -= 1
                gave = true
            }
            if !gave { break }
        }
        return out
    }
}
