/// A labelled table of samples, as loaded from a source and before it is split: features are row-major
/// `count × dimension` Float64 values (exact for bytes and for the small sets written in specs), targets
/// are class indices (classification) or `count × targetDimension` values (regression).
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
    /// `count × dimension` features, row-major.
    public var features: [Double]
    /// Number of samples (rows).
    public var count: Int
    /// Features per sample.
    public var dimension: Int
    /// Class labels with their names, or regression targets.
    public var targets: Targets
    /// Image shape (height, width) when the features are pixels, for reports.
    public var imageShape: (Int, Int)?

    /// A dataset (`features.count` must be `count × dimension`, checked by precondition).
    public init(name: String, features: [Double], count: Int, dimension: Int, targets: Targets, imageShape: (Int, Int)? = nil) {
        precondition(features.count == count * dimension, "dataset \(name): features do not fill count × dimension")
        self.name = name; self.features = features; self.count = count; self.dimension = dimension
        self.targets = targets; self.imageShape = imageShape
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

    /// The rows at `indices`, in that order.
    public func subset(_ indices: [Int], name: String? = nil) -> Dataset {
        var f = [Double](); f.reserveCapacity(indices.count * dimension)
        for i in indices { f.append(contentsOf: features[(i * dimension)..<((i + 1) * dimension)]) }
        let t: Targets
        switch targets {
        case .classes(let l, let names): t = .classes(indices.map { l[$0] }, names: names)
        case .values(let v, let d):
            var nv = [Double](); nv.reserveCapacity(indices.count * d)
            for i in indices { nv.append(contentsOf: v[(i * d)..<((i + 1) * d)]) }
            t = .values(nv, dimension: d)
        }
        return Dataset(name: name ?? self.name, features: f, count: indices.count, dimension: dimension, targets: t, imageShape: imageShape)
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
        self.train = train; self.validation = validation; self.test = test
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
    public init(_ message: String, key: String? = nil) { self.message = message; self.key = key }
    /// The message.
    public var description: String { message }
}
