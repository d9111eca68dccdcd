import Foundation
import NNEngine
import NNRandom

/// What MNIST and Fashion-MNIST share as sources: IDX files (plain or `.gz`) in `path` or the data
/// root's folder for the set, read once per process (`DatasetCache.idxFolder`), with their own train
/// (60 000) and test (10 000) parts. Key: `path` (a folder, optional).
public protocol IDXSource: DataSource {
    /// Which set.
    static var idxSet: IDXSet { get }
    /// The folder of the four IDX files; nil: `<data root>/<set>`.
    var path: String? { get }
    /// A source reading `path`.
    init(path: String?)
}

extension IDXSource {
    /// The set's name: `mnist` or `fashion-mnist`.
    public static var name: String { idxSet.rawValue }
    /// `path`.
    public static var keys: [String] { ["path"] }
    /// Reads `path` (relative to the spec).
    public init(reading r: any SourceReader) { self.init(path: r.path("path")) }
    /// `path`, only when set (the data root is the machine's, not the run's).
    public func write(to w: inout SettingsWriter) { if let path { w.text("path", path) } }
    /// Nothing to check before the files are read.
    public func check() throws {}
    /// 60 000 training samples of 784 pixels, 10 classes (a guess until the files are read).
    public func nominalShape(dataRoot: String?) -> NominalShape {
        NominalShape(samples: 60_000, features: 784, outputs: 10, exact: false)
    }
    /// The four files, named `<set>/<file name>` whatever their folder.
    public func inputFiles(dataRoot: String?) -> [(name: String, path: String)] {
        let folder = Self.idxSet.folder(path: path, dataRoot: DataRoot.resolve(dataRoot))
        var out: [(String, String)] = []
        for kind in ["train", "t10k"] {
            for (what, dims) in [("images", 3), ("labels", 1)] {
                guard
                    let p = try? IDXFolder.locate(
                        folder, kind: kind, what: what, dims: dims, setName: Self.idxSet.displayName)
                else { continue }
                out.append(("\(Self.idxSet.rawValue)/\((p as NSString).lastPathComponent)", p))
            }
        }
        return out
    }
    /// The train and t10k parts, from the process-wide cache of raw folders.
    public func load(dataRoot: String?, rng: inout RNG) throws -> (train: Dataset, test: Dataset?) {
        let folder = Self.idxSet.folder(path: path, dataRoot: DataRoot.resolve(dataRoot))
        let raw = try DatasetCache.shared.idxFolder(folder, set: Self.idxSet)
        return (
            IDXFolder.dataset(raw.train, name: Self.idxSet.rawValue, classNames: Self.idxSet.classNames),
            IDXFolder.dataset(raw.test, name: Self.idxSet.rawValue, classNames: Self.idxSet.classNames)
        )
    }
}

/// `dataset.name: mnist` — LeCun's digits from `path` or `<data root>/mnist`.
public struct MNISTSource: IDXSource {
    /// `.mnist`.
    public static let idxSet = IDXSet.mnist
    /// The folder; nil: `<data root>/mnist`.
    public var path: String?
    /// A source reading `path`.
    public init(path: String? = nil) { self.path = path }
}

/// `dataset.name: fashion-mnist` — Zalando's Fashion-MNIST from `path` or `<data root>/fashion-mnist`
/// (else Debian's /usr/share/datasets/fashion-mnist).
public struct FashionMNISTSource: IDXSource {
    /// `.fashionMNIST`.
    public static let idxSet = IDXSet.fashionMNIST
    /// The folder; nil: `<data root>/fashion-mnist`.
    public var path: String?
    /// A source reading `path`.
    public init(path: String? = nil) { self.path = path }
}

/// `dataset.name: iris` — Fisher's iris, bundled: 150 × 4, classes setosa/versicolor/virginica. No keys,
/// no own test part.
public struct IrisSource: DataSource {
    /// The bundled set.
    public init() {}
    /// `iris`.
    public static let name = "iris"
    /// None.
    public static let keys: [String] = []
    /// Nothing to read.
    public init(reading r: any SourceReader) {}
    /// Nothing to write.
    public func write(to w: inout SettingsWriter) {}
    /// Nothing to check.
    public func check() throws {}
    /// 150 samples, 4 features, 3 classes.
    public func nominalShape(dataRoot: String?) -> NominalShape {
        NominalShape(samples: 150, features: 4, outputs: 3, exact: true)
    }
    /// The bundled table.
    public func load(dataRoot: String?, rng: inout RNG) throws -> (train: Dataset, test: Dataset?) {
        (try Iris.load(), nil)
    }
}

extension DatasetConfig.Source {
    /// `dataset.name: mnist`, from `path` or the data root.
    public static func mnist(path: String?) -> Self { Self(MNISTSource(path: path)) }
    /// `dataset.name: fashion-mnist`, from `path` or the data root.
    public static func fashionMNIST(path: String?) -> Self { Self(FashionMNISTSource(path: path)) }
    /// `dataset.name: iris`.
    public static var iris: Self { Self(IrisSource()) }
}
