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
                throw DatasetError("test: \(n) asks for the first \(n) test samples, but \(c.sourceName) has no test part of its own "
                    + "(hold one out with the split's test fraction or count instead)", key: "test")
            }
            ownTest = try Splits.first(n, of: t, part: "test")
        }
        var pool = train
        if c.mergeTest {
            guard let t = ownTest else { throw DatasetError("\(c.sourceName) has no test part of its own to merge into the pool", key: "merge_test") }
            guard case .holdout = c.split.test else {
                throw DatasetError("merging the test part into the pool needs the split to hold out its own test part (test fraction or count)", key: "merge_test")
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

    /// The source's training part and its own test part, if it has one.
    static func source(_ c: DatasetConfig, seed: UInt64) throws -> (Dataset, Dataset?) {
        var rng = RNG(seed: seed, stream: "data.generate")
        func positive(_ n: Int, _ what: String) throws {
            guard n > 0 else { throw DatasetError("\(c.sourceName): \(what) must be > 0, got \(n)", key: what) }
        }
        func noiseOK(_ x: Double) throws {
            guard x >= 0, x.isFinite else { throw DatasetError("\(c.sourceName): noise must be ≥ 0, got \(x)", key: "noise") }
        }
        switch c.source {
        case .mnist(let path), .fashionMNIST(let path):
            let set: IDXSet
            if case .mnist = c.source { set = .mnist } else { set = .fashionMNIST }
            let folder = set.folder(path: path, dataRoot: DataRoot.resolve(c.dataRoot))
            let raw = try DatasetCache.shared.idxFolder(folder, set: set)
            return (IDXFolder.dataset(raw.train, name: set.rawValue, classNames: set.classNames),
                    IDXFolder.dataset(raw.test, name: set.rawValue, classNames: set.classNames))
        case .iris:
            return (try Iris.load(), nil)
        case .moons(let n, let noise):
            try positive(n, "count"); try noiseOK(noise)
            return (Synthetic.moons(count: n, noise: noise, rng: &rng), nil)
        case .circles(let n, let noise, let factor):
            try positive(n, "count"); try noiseOK(noise)
            guard factor > 0, factor < 1 else { throw DatasetError("circles: factor must be in (0, 1), got \(factor)", key: "factor") }
            return (Synthetic.circles(count: n, noise: noise, factor: factor, rng: &rng), nil)
        case .xor(let repeats, let noise):
            try positive(repeats, "repeats"); try noiseOK(noise)
            return (Synthetic.xor(repeats: repeats, noise: noise, rng: &rng), nil)
        case .blobs(let n, let centers, let std, let dimension):
            try positive(n, "count"); try positive(centers, "centers"); try positive(dimension, "dimension"); try noiseOK(std)
            return (Synthetic.blobs(count: n, centers: centers, std: std, dimension: dimension, rng: &rng), nil)
        case .spirals(let n, let classes, let noise):
            try positive(n, "count"); try positive(classes, "classes"); try noiseOK(noise)
            return (Synthetic.spirals(count: n, classes: classes, noise: noise, rng: &rng), nil)
        case .inline(let train, let test):
            let tr = try train.dataset(part: "train")
            guard let test else { return (tr, nil) }
            return (tr, try test.dataset(part: "test").relabelled(like: tr, file: "inline test data"))
        case .csv(let o, let testPath):
            let tr = try CSV.load(o)
            guard let testPath else { return (tr, nil) }
            var to = o; to.path = testPath
            let te = try CSV.load(to)
            guard te.dimension == tr.dimension else {
                throw DatasetError("\(testPath): \(te.dimension) feature columns but \(o.path) has \(tr.dimension)")
            }
            return (tr, try te.relabelled(like: tr, file: testPath))
        }
    }
}

extension InlineData {
    /// Checks the rows and builds the dataset.
    func dataset(part: String) throws -> Dataset {
        let what = "inline \(part) data"
        guard let width = features.first?.count, width > 0 else { throw DatasetError("\(what): no feature rows") }
        for (i, r) in features.enumerated() where r.count != width {
            throw DatasetError("\(what): row \(i + 1) has \(r.count) features, expected \(width) like row 1")
        }
        for (i, r) in features.enumerated() where r.contains(where: { !$0.isFinite }) {
            throw DatasetError("\(what): row \(i + 1) has a value that is not a finite number")
        }
        let t: Dataset.Targets
        switch targets {
        case .labels(let raw):
            guard raw.count == features.count else {
                throw DatasetError("\(what): \(raw.count) labels for \(features.count) feature rows")
            }
            let (l, names) = ClassLabels.encode(raw)
            t = .classes(l, names: names)
        case .values(let rows):
            guard rows.count == features.count else {
                throw DatasetError("\(what): \(rows.count) target rows for \(features.count) feature rows")
            }
            guard let d = rows.first?.count, d > 0 else { throw DatasetError("\(what): empty target row") }
            for (i, r) in rows.enumerated() where r.count != d {
                throw DatasetError("\(what): target row \(i + 1) has \(r.count) values, expected \(d) like row 1")
            }
            t = .values(rows.flatMap { $0 }, dimension: d)
        }
        return Dataset(name: name, features: features.flatMap { $0 }, count: features.count, dimension: width, targets: t)
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
                    throw DatasetError("\(file): class \"\(n)\" does not occur in the training data (classes: \(refNames.joined(separator: ", ")))")
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
            throw DatasetError("\(file): targets are not of the same kind (class labels vs values) as the training data")
        }
    }

    /// This dataset's rows followed by `other`'s (same features and classes).
    func concatenated(with other: Dataset) throws -> Dataset {
        guard other.dimension == dimension else {
            throw DatasetError("cannot merge \(other.name) (\(other.dimension) features) into \(name) (\(dimension) features)")
        }
        let t: Targets
        switch (targets, other.targets) {
        case (.classes(let a, let n), .classes(let b, let m)) where n == m: t = .classes(a + b, names: n)
        case (.values(let a, let d), .values(let b, let e)) where d == e: t = .values(a + b, dimension: d)
        default: throw DatasetError("cannot merge \(other.name) into \(name): targets differ")
        }
        return Dataset(name: name, view: FeatureView(table: FeatureTable(concatenating: view, other.view)),
                       targets: t, imageShape: imageShape)
    }
}
