/// A labelled table of samples, as loaded from a source and before it is split: `count × dimension`
/// features read as Float64 (exact for bytes and for the small sets written in specs), targets are
/// class indices (classification) or `count × targetDimension` values (regression).
///
/// Features are a `FeatureView` over a shared `FeatureTable`: subsets and splits pick rows without
/// copying values, and preprocessing is kept as steps applied when rows are read, so one loaded
/// pool serves every part and seed (`features` materialises a copy for callers that want one).
public struct Dataset: Sendable {
    /// What a sample's target is: a class index (classification) or a row of values (regression).
    public enum Targets: Sendable, Equatable {
        /// Class index per sample, 0..<classNames.count.
        case classes([Int], names: [String])
        /// Continuous targets, `count × dimension`, row-major.
        case values([Double], dimension: Int)
    }

    /// Shown in reports and messages (the source's name, or `train`/`test` parts of it).
    public var name: String
    /// The rows this dataset reads and the steps applied to them.
    public private(set) var view: FeatureView
    /// Class labels with their names, or regression targets.
    public var targets: Targets
    /// Image shape (height, width) when the features are pixels, for reports.
    public var imageShape: (Int, Int)?

    /// A dataset (`features.count` must be `count × dimension`, checked by precondition).
    public init(
        name: String, features: [Double], count: Int, dimension: Int, targets: Targets, imageShape: (Int, Int)? = nil
    ) {
        precondition(features.count == count * dimension, "dataset \(name): features do not fill count × dimension")
        self.init(
            name: name, view: FeatureView(table: FeatureTable(doubles: features, count: count, dimension: dimension)),
            targets: targets, imageShape: imageShape)
    }

    /// A dataset reading `view` (its targets must have one entry or row per row of the view, checked
    /// by precondition).
    public init(name: String, view: FeatureView, targets: Targets, imageShape: (Int, Int)? = nil) {
        switch targets {
        case .classes(let l, _): precondition(l.count == view.count, "dataset \(name): one label per row expected")
        case .values(let v, let d):
            precondition(v.count == view.count * d, "dataset \(name): targets do not fill count × dimension")
        }
        self.name = name
        self.view = view
        self.targets = targets
        self.imageShape = imageShape
    }

    /// Number of samples (rows).
    public var count: Int { view.count }
    /// Features per sample.
    public var dimension: Int { view.table.dimension }

    /// `count × dimension` features, row-major, with preprocessing applied. Free (the stored array)
    /// for a whole Float64 table read without steps; otherwise a new array each time (prefer
    /// `forEachRow` for large data).
    public var features: [Double] {
        if view.rows == nil, view.steps.isEmpty, case .doubles(let v) = view.table.storage { return v }
        let d = dimension
        var out = [Double]()
        out.reserveCapacity(count * d)
        forEachRow { _, x in out.append(contentsOf: x) }
        return out
    }

    /// Calls `body` with each row's index and its features (preprocessing applied), in order; the
    /// buffer is reused between calls.
    public func forEachRow(_ body: (Int, UnsafeBufferPointer<Double>) throws -> Void) rethrows {
        let d = dimension
        guard d > 0 else {
            for i in 0..<count { try body(i, UnsafeBufferPointer(start: nil, count: 0)) }
            return
        }
        let row = UnsafeMutableBufferPointer<Double>.allocate(capacity: d)
        defer { row.deallocate() }
        for i in 0..<count {
            view.table.copyRow(view.tableRow(i), into: row)
            for s in view.steps { s.apply(row) }
            try body(i, UnsafeBufferPointer(row))
        }
    }

    /// Row `i`'s features as loaded, before any preprocessing step (what a report draws an image from).
    public func unpreprocessedRow(_ i: Int) -> [Double] {
        [Double](unsafeUninitializedCapacity: dimension) { buf, n in
            view.table.copyRow(view.tableRow(i), into: buf)
            n = dimension
        }
    }

    /// This dataset with `step` applied to its features after the steps it already has (no copy).
    public func appending(_ step: FeatureStep) -> Dataset {
        var out = self
        out.view = FeatureView(table: view.table, rows: view.rows, steps: view.steps + [step])
        return out
    }

    /// The same rows through a view object of its own (for targets changed in place: converted samples
    /// are cached per view, so a view must not stand for two different sets of targets).
    func withOwnView() -> Dataset {
        var out = self
        out.view = FeatureView(table: view.table, rows: view.rows, steps: view.steps)
        return out
    }

    /// Number of classes, or nil for regression targets.
    public var classCount: Int? { if case .classes(_, let names) = targets { return names.count } else { return nil } }
    /// Class index per sample, or nil for regression targets.
    public var labels: [Int]? { if case .classes(let l, _) = targets { return l } else { return nil } }
    /// Class names in index order; empty for regression targets.
    public var classNames: [String] { if case .classes(_, let n) = targets { return n } else { return [] } }
    /// Number of network outputs this dataset needs (classes; 1 for two classes is not implied).
    public var targetDimension: Int {
        switch targets {
        case .classes(_, let names): return names.count
        case .values(_, let d): return d
        }
    }

    /// The rows at `indices`, in that order: a view of the same table (no feature is copied).
    public func subset(_ indices: [Int], name: String? = nil) -> Dataset {
        let rows = view.rows.map { r in indices.map { r[$0] } } ?? indices
        let t: Targets
        switch targets {
        case .classes(let l, let names): t = .classes(indices.map { l[$0] }, names: names)
        case .values(let v, let d):
            var nv = [Double]()
            nv.reserveCapacity(indices.count * d)
            for i in indices { nv.append(contentsOf: v[(i * d)..<((i + 1) * d)]) }
            t = .values(nv, dimension: d)
        }
        return Dataset(
            name: name ?? self.name, view: FeatureView(table: view.table, rows: rows, steps: view.steps),
            targets: t, imageShape: imageShape)
    }
}

/// A dataset split into the parts a run trains and evaluates on.
public struct SplitDataset: Sendable {
    /// The part the run trains on.
    public var train: Dataset
    /// The validation part, when the split holds one out.
    public var validation: Dataset?
    /// The test part (the source's own, or held out), when there is one.
    public var test: Dataset?
    /// The given parts.
    public init(train: Dataset, validation: Dataset? = nil, test: Dataset? = nil) {
        self.train = train
        self.validation = validation
        self.test = test
    }
}

/// A dataset problem a user can fix, with a message that names the file and what is wrong.
public struct DatasetError: Error, CustomStringConvertible, Sendable {
    /// What is wrong, naming the file or the key.
    public let message: String
    /// The `dataset` key whose value causes the problem (`split`, `sample`, `train`, `factor`…) when
    /// the problem lies in the config rather than in a file, so that a spec check can point at it;
    /// nil for a file that cannot be read or is corrupt.
    public let key: String?
    /// An error with `message`, about `key` when the config is at fault.
    public init(_ message: String, key: String? = nil) {
        self.message = message
        self.key = key
    }
    /// The message.
    public var description: String { message }
}
