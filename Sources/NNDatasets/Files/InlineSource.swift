import NNEngine
import NNRandom

/// Samples written directly in a spec.
public struct InlineData: Hashable, Sendable {
    /// The targets of inline samples.
    public enum Targets: Hashable, Sendable {
        /// One class label per row, as written (numbers or names; encoded like CSV labels).
        case labels([String])
        /// One row of regression targets per feature row.
        case values([[Double]])
    }
    /// The dataset's name in reports. Default `inline`.
    public var name: String
    /// One row of features per sample.
    public var features: [[Double]]
    /// Labels or target rows, one per sample.
    public var targets: Targets
    /// Inline samples as the spec wrote them.
    public init(name: String = "inline", features: [[Double]], targets: Targets) {
        self.name = name
        self.features = features
        self.targets = targets
    }
}

/// `dataset.name: inline` — samples written in the spec: `features` (rows of numbers) with `labels`
/// (one class per row) or `targets` (rows of regression values); `test_features` with `test_labels` or
/// `test_targets` give an own test part.
public struct InlineSource: DataSource {
    /// The training rows.
    public var train: InlineData
    /// The own test part, if written.
    public var test: InlineData?
    /// A source of these rows.
    public init(train: InlineData, test: InlineData? = nil) {
        self.train = train
        self.test = test
    }

    /// `inline`.
    public static let name = "inline"
    /// The rows and their labels or targets, for training and for the own test part.
    public static let keys = ["features", "labels", "targets", "test_features", "test_labels", "test_targets"]

    /// Reads the rows; a missing or inconsistent part is reported (and an empty set kept).
    public init(reading r: any SourceReader) {
        let train = Self.read(r, features: "features", labels: "labels", targets: "targets")
        var test: InlineData?
        if r.has("test_features") {
            test = Self.read(r, features: "test_features", labels: "test_labels", targets: "test_targets")
        }
        self.init(train: train ?? InlineData(features: [], targets: .labels([])), test: test)
    }

    static func read(_ r: any SourceReader, features fk: String, labels lk: String, targets tk: String) -> InlineData? {
        guard let features = r.rows(fk) else {
            if !r.has(fk) { r.error(at: nil, "inline data needs `\(fk)` (rows of numbers)") }
            return nil
        }
        let targets: InlineData.Targets
        if r.has(lk) {
            guard let labels = r.scalars(lk) else { return nil }
            if labels.count != features.count {
                r.error(at: lk, "`dataset.\(lk)` has \(labels.count) labels for \(features.count) rows")
            }
            targets = .labels(labels)
        } else if r.has(tk) {
            guard let v = r.rows(tk) else { return nil }
            if v.count != features.count {
                r.error(at: tk, "`dataset.\(tk)` has \(v.count) rows for \(features.count) feature rows")
            }
            targets = .values(v)
        } else {
            r.error(at: nil, "inline data needs `\(lk)` (classes) or `\(tk)` (regression values)")
            return nil
        }
        return InlineData(name: "inline", features: features, targets: targets)
    }

    /// The rows as written: numbers in their shortest form, labels quoted.
    public func write(to w: inout SettingsWriter) {
        Self.write(train, prefix: "", to: &w)
        if let test { Self.write(test, prefix: "test_", to: &w) }
    }

    static func write(_ d: InlineData, prefix: String, to w: inout SettingsWriter) {
        func rows(_ r: [[Double]]) -> SettingsWriter.Value { .list(r.map { .list($0.map { .number($0) }) }) }
        w.value("\(prefix)features", rows(d.features))
        switch d.targets {
        case .labels(let l): w.value("\(prefix)labels", .list(l.map { .text($0) }))
        case .values(let v): w.value("\(prefix)targets", rows(v))
        }
    }

    /// The rows are checked when the dataset is built (`load`).
    public func check() throws {}
    /// The training set's name (`inline`).
    public var displayName: String { train.name }
    /// The rows written; features and outputs guessed (known once built).
    public func nominalShape(dataRoot: String?) -> NominalShape {
        NominalShape(samples: max(train.features.count, 1), features: 10, outputs: 2, exact: false)
    }
    /// Builds the training part and, when written, the test part numbered like it.
    public func load(dataRoot: String?, rng: inout RNG) throws -> (train: Dataset, test: Dataset?) {
        let tr = try train.dataset(part: "train")
        guard let test else { return (tr, nil) }
        return (tr, try test.dataset(part: "test").relabelled(like: tr, file: "inline test data"))
    }
}

extension DatasetConfig.Source {
    /// `dataset.name: inline`.
    public static func inline(train: InlineData, test: InlineData?) -> Self {
        Self(InlineSource(train: train, test: test))
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
        return Dataset(
            name: name, features: features.flatMap { $0 }, count: features.count, dimension: width, targets: t)
    }
}
