import Foundation
import NNRandom

/// The one entry point: a config and a seed in, train / validation / test parts out.
public enum DatasetLoader {
    /// Loads through the process-wide cache: each distinct (config, seed when the config uses one)
    /// is built once and then shared read-only by every run that asks for it, from any thread.
    public static func load(_ config: DatasetConfig, seed: UInt64) throws -> SplitDataset {
        try DatasetCache.shared.split(config, seed: seed)
    }

    /// Builds the split without consulting the cache (raw IDX files are still shared).
    public static func build(_ c: DatasetConfig, seed: UInt64) throws -> SplitDataset {
        var (train, ownTest) = try source(c, seed: seed)
        if let n = c.trainCount { train = try Splits.first(n, of: train, part: "train") }
        if let n = c.testCount {
            guard let t = ownTest else {
                throw DatasetError(
                    "test: \(n) asks for the first \(n) test samples, but \(c.sourceName) has no test part of its own "
                        + "(hold one out with the split's test fraction or count instead)", key: "test")
            }
            ownTest = try Splits.first(n, of: t, part: "test")
        }
        var pool = train
        if c.mergeTest {
            guard let t = ownTest else {
                throw DatasetError(
                    "\(c.sourceName) has no test part of its own to merge into the pool", key: "merge_test")
            }
            guard case .holdout = c.split.test else {
                throw DatasetError(
                    "merging the test part into the pool needs the split to hold out its own test part (test fraction or count)",
                    key: "merge_test")
            }
            pool = try train.concatenated(with: t)
            ownTest = nil
        }
        if let n = c.sample {
            var rng = RNG(seed: seed, stream: "data.sample")
            pool = try Splits.sample(n, of: pool, rng: &rng)
        }
        var rng = RNG(seed: seed, stream: "data.split")
        let parts = try Splits.partition(count: pool.count, labels: pool.labels, config: c.split, rng: &rng)
        var result = SplitDataset(train: parts.train.count == pool.count ? pool : pool.subset(parts.train))
        if c.split.validation != nil { result.validation = pool.subset(parts.validation) }
        switch c.split.test {
        case .own: result.test = ownTest
        case .holdout: result.test = pool.subset(parts.test)
        case .none: result.test = nil
        }
        try Preprocessing.apply(c.preprocessing, to: &result)
        return result
    }

    /// The source's training part and its own test part, if it has one: its arguments checked by the
    /// same validators the spec decoder used, then loaded with the seed's `data.generate` stream.
    static func source(_ c: DatasetConfig, seed: UInt64) throws -> (Dataset, Dataset?) {
        try c.source.unit.check()
        var rng = RNG(seed: seed, stream: "data.generate")
        let parts = try c.source.unit.load(dataRoot: c.dataRoot, rng: &rng)
        return (parts.train, parts.test)
    }
}

extension Dataset {
    /// This dataset's class labels renumbered to `reference`'s class names (a separately loaded test
    /// file numbers its own classes; the network needs the training numbering).
    func relabelled(like reference: Dataset, file: String) throws -> Dataset {
        switch (targets, reference.targets) {
        case (.classes(let l, let names), .classes(_, let refNames)):
            var index: [String: Int] = [:]
            for (i, n) in refNames.enumerated() { index[n] = i }
            var map = [Int]()
            for n in names {
                guard let j = index[n] else {
                    throw DatasetError(
                        "\(file): class \"\(n)\" does not occur in the training data (classes: \(refNames.joined(separator: ", ")))"
                    )
                }
                map.append(j)
            }
            var out = self
            out.targets = .classes(l.map { map[$0] }, names: refNames)
            return out
        case (.values(_, let d), .values(_, let rd)):
            guard d == rd else { throw DatasetError("\(file): \(d) target columns but the training data has \(rd)") }
            return self
        default:
            throw DatasetError(
                "\(file): targets are not of the same kind (class labels vs values) as the training data")
        }
    }

    /// This dataset's rows followed by `other`'s (same features and classes).
    func concatenated(with other: Dataset) throws -> Dataset {
        guard other.dimension == dimension else {
            throw DatasetError(
                "cannot merge \(other.name) (\(other.dimension) features) into \(name) (\(dimension) features)")
        }
        let t: Targets
        switch (targets, other.targets) {
        case (.classes(let a, let n), .classes(let b, let m)) where n == m: t = .classes(a + b, names: n)
        case (.values(let a, let d), .values(let b, let e)) where d == e: t = .values(a + b, dimension: d)
        default: throw DatasetError("cannot merge \(other.name) into \(name): targets differ")
        }
        return Dataset(
            name: name, view: FeatureView(table: FeatureTable(concatenating: view, other.view)),
            targets: t, imageShape: imageShape)
    }
}
