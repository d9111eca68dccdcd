import Foundation
import NNEngine
import NNRandom

/// `dataset.name: npz` — a NumPy `.npz` archive (`numpy.savez` or `savez_compressed`) holding a feature
/// array and a label or target array, named `X` and `y` by default as scikit-learn names them. Read with
/// the engine's NPY/NPZ decoding (floats, integers and booleans; C or Fortran order).
///
/// Keys: `path` (required), `features` (the feature array's name, `X`): shape (samples, features), or
/// (samples, height, width) for images, flattened row by row; `labels` (the class-label array, `y`):
/// shape (samples,) or (samples, 1) of whole numbers, numbered like CSV labels (sorted, so 0…k−1 keep
/// their values) — or `targets` (a regression-target array instead): (samples,) or (samples, k);
/// `test_path` (a second archive with arrays of the same names, the own test part; its classes must
/// occur in the first).
public struct NPZSource: DataSource {
    /// What the second array holds.
    public enum Target: Hashable, Sendable {
        /// Class labels, in the array of this name.
        case labels(String)
        /// Regression targets, in the array of this name.
        case targets(String)
    }
    /// The archive.
    public var path: String
    /// Name of the feature array. Default `X`.
    public var features: String
    /// The label or target array. Default labels in `y`.
    public var target: Target
    /// The own test part's archive, if any.
    public var testPath: String?
    /// A source reading `path` (and `testPath`).
    public init(path: String, features: String = "X", target: Target = .labels("y"), testPath: String? = nil) {
        self.path = path
        self.features = features
        self.target = target
        self.testPath = testPath
    }

    /// `npz`.
    public static let name = "npz"
    /// The archive, its array names and the test archive.
    public static let keys = ["path", "features", "labels", "targets", "test_path"]

    /// Reads the options; `path` is required, and `labels` and `targets` exclude each other.
    public init(reading r: any SourceReader) {
        let path = r.path("path")
        if path == nil, !r.has("path") {
            r.error(at: nil, "an npz dataset needs `path` (a .npz file holding arrays `X` and `y`)")
        }
        var target = Target.labels(r.string("labels") ?? "y")
        if r.has("targets") {
            if r.has("labels") {
                r.error(
                    at: "targets", "give `dataset.labels` (classification) or `dataset.targets` (regression), not both")
            }
            target = .targets(r.string("targets") ?? "y")
        }
        self.init(
            path: path ?? "", features: r.string("features") ?? "X", target: target, testPath: r.path("test_path"))
    }

    /// Every option, defaults spelled out; `test_path` only when set.
    public func write(to w: inout SettingsWriter) {
        w.text("path", path)
        w.text("features", features)
        switch target {
        case .labels(let name): w.text("labels", name)
        case .targets(let name): w.text("targets", name)
        }
        if let testPath { w.text("test_path", testPath) }
    }

    /// Array names must name something.
    public func check() throws {
        if features.isEmpty {
            throw DatasetError("npz: `dataset.features` must name an array, found an empty name", key: "features")
        }
        switch target {
        case .labels(let n) where n.isEmpty:
            throw DatasetError("npz: `dataset.labels` must name an array, found an empty name", key: "labels")
        case .targets(let n) where n.isEmpty:
            throw DatasetError("npz: `dataset.targets` must name an array, found an empty name", key: "targets")
        default: break
        }
    }
    /// The archive's path.
    public var displayName: String { path }
    /// A guess until the archive is read.
    public func nominalShape(dataRoot: String?) -> NominalShape { .file }
    /// The archive and the test archive, named by their configured paths.
    public func inputFiles(dataRoot: String?) -> [(name: String, path: String)] {
        [(path, path)] + (testPath.map { [($0, $0)] } ?? [])
    }

    /// Reads the archive and, when given, the test archive numbered like it.
    public func load(dataRoot: String?, rng: inout RNG) throws -> (train: Dataset, test: Dataset?) {
        let tr = try read(path)
        guard let testPath else { return (tr, nil) }
        let te = try read(testPath)
        guard te.dimension == tr.dimension else {
            throw DatasetError("\(testPath): \(te.dimension) features per sample but \(path) has \(tr.dimension)")
        }
        return (tr, try te.relabelled(like: tr, file: testPath))
    }

    /// One archive as a dataset: the feature array and the label or target array, checked against each other.
    func read(_ file: String) throws -> Dataset {
        guard FileManager.default.fileExists(atPath: file) else { throw DatasetError("\(file): npz file not found") }
        let arrays: [(name: String, array: NPYArray)]
        do { arrays = try NPZ.decode(try FileBytes.read(file)) } catch let e as NPZError {
            throw DatasetError("\(file): not a readable .npz archive: \(e.message)")
        }
        func array(_ name: String, key: String) throws -> NPYArray {
            guard let a = arrays.first(where: { $0.name == name })?.array else {
                let names = arrays.map { "`\($0.name)`" }.joined(separator: ", ")
                throw DatasetError(
                    "\(file): no array `\(name)` (`dataset.\(key)`); the archive holds \(names.isEmpty ? "no arrays" : names)"
                )
            }
            return a
        }
        let x = try array(features, key: "features")
        guard x.shape.count == 2 || x.shape.count == 3, x.shape[0] > 0, x.shape.dropFirst().allSatisfy({ $0 > 0 })
        else {
            throw DatasetError(
                "\(file): array `\(features)` has shape \(x.shapeDescription); features need (samples, features) or (samples, height, width), none of them 0"
            )
        }
        let n = x.shape[0]
        let d = x.shape.dropFirst().reduce(1, *)
        if let bad = x.values.firstIndex(where: { !$0.isFinite }) {
            throw DatasetError(
                "\(file): array `\(features)` holds a value that is not a finite number (sample \(bad / d + 1))")
        }
        let targets: Dataset.Targets
        switch target {
        case .labels(let name):
            let y = try array(name, key: "labels")
            guard y.shape == [n] || y.shape == [n, 1] else {
                throw DatasetError(
                    "\(file): labels `\(name)` have shape \(y.shapeDescription); \(n) samples need (\(n),) or (\(n), 1)"
                )
            }
            var raw: [String] = []
            raw.reserveCapacity(n)
            for (i, v) in y.values.enumerated() {
                guard let k = Int(exactly: v) else {
                    throw DatasetError(
                        "\(file): label \(v) of sample \(i + 1) in `\(name)` is not a whole number (regression values go in `dataset.targets`)"
                    )
                }
                raw.append(String(k))
            }
            let (labels, names) = ClassLabels.encode(raw)
            targets = .classes(labels, names: names)
        case .targets(let name):
            let y = try array(name, key: "targets")
            guard y.shape.count == 1 || y.shape.count == 2, y.shape[0] == n, y.shape.count == 1 || y.shape[1] > 0 else {
                throw DatasetError(
                    "\(file): targets `\(name)` have shape \(y.shapeDescription); \(n) samples need (\(n),) or (\(n), k)"
                )
            }
            if let bad = y.values.firstIndex(where: { !$0.isFinite }) {
                throw DatasetError(
                    "\(file): targets `\(name)` hold a value that is not a finite number (element \(bad + 1))")
            }
            targets = .values(y.values, dimension: y.shape.count == 1 ? 1 : y.shape[1])
        }
        let image = x.shape.count == 3 ? (x.shape[1], x.shape[2]) : nil
        return Dataset(
            name: (file as NSString).lastPathComponent, features: x.values, count: n, dimension: d, targets: targets,
            imageShape: image)
    }
}

extension DatasetConfig.Source {
    /// `dataset.name: npz`.
    public static func npz(_ source: NPZSource) -> Self { Self(source) }
}
