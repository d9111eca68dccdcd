import Foundation

/// A folder holding the four IDX files of an MNIST-style set: `train-images-idx3-ubyte`,
/// `train-labels-idx1-ubyte`, `t10k-images-idx3-ubyte`, `t10k-labels-idx1-ubyte`, each plain or `.gz`
/// (also the `train-images.idx3-ubyte` spelling some mirrors use).
public struct IDXFolder: Sendable {
    /// One part (train or t10k) as compact bytes.
    public struct Part: Sendable {
        /// The part's images.
        public let images: IDX.Images
        /// One label per image, checked to be below the class count.
        public let labels: [UInt8]
    }
    /// The folder read.
    public let path: String
    /// The training part (`train-*` files).
    public let train: Part
    /// The test part (`t10k-*` files).
    public let test: Part

    /// Reads and cross-checks the four files. `classCount` bounds the labels (10 for MNIST).
    public static func read(_ folder: String, setName: String, classCount: Int) throws -> IDXFolder {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDir), isDir.boolValue else {
            throw DatasetError(
                "\(setName): data folder \(folder) does not exist; run `make data` "
                    + "(or point `path:` / NNEXP_DATA at a folder holding the IDX files)")
        }
        let train = try readPart(folder, kind: "train", setName: setName, classCount: classCount)
        let test = try readPart(folder, kind: "t10k", setName: setName, classCount: classCount)
        guard train.images.rows == test.images.rows, train.images.columns == test.images.columns else {
            throw DatasetError(
                "\(setName) in \(folder): train images are \(train.images.rows)×\(train.images.columns) "
                    + "but test images are \(test.images.rows)×\(test.images.columns)")
        }
        return IDXFolder(path: folder, train: train, test: test)
    }

    static func readPart(_ folder: String, kind: String, setName: String, classCount: Int) throws -> Part {
        let imagesPath = try locate(folder, kind: kind, what: "images", dims: 3, setName: setName)
        let labelsPath = try locate(folder, kind: kind, what: "labels", dims: 1, setName: setName)
        let images = try IDX.readImages(imagesPath)
        let labels = try IDX.readLabels(labelsPath)
        guard images.count == labels.count else {
            throw DatasetError(
                "\(labelsPath): \(labels.count) labels but \(imagesPath) holds \(images.count) images; "
                    + "expected the same count (files from different sets?)")
        }
        if let bad = labels.firstIndex(where: { Int($0) >= classCount }) {
            throw DatasetError(
                "\(labelsPath): label \(labels[bad]) at index \(bad) is out of range; expected 0..<\(classCount)")
        }
        return Part(images: images, labels: labels)
    }

    /// The first existing spelling of a part's file, or an error listing what was looked for.
    static func locate(_ folder: String, kind: String, what: String, dims: Int, setName: String) throws -> String {
        let names = ["\(kind)-\(what)-idx\(dims)-ubyte", "\(kind)-\(what).idx\(dims)-ubyte"]
        var tried: [String] = []
        for n in names {
            for candidate in [n, n + ".gz"] {
                let p = (folder as NSString).appendingPathComponent(candidate)
                tried.append(candidate)
                if FileManager.default.fileExists(atPath: p) { return p }
            }
        }
        throw DatasetError(
            "\(setName): \(folder) has no \(kind) \(what) file (looked for \(tried.joined(separator: ", "))); "
                + "run `make data` or point `path:` at a folder holding the IDX files")
    }

    /// A part as a `Dataset` with features 0...255 (unscaled) and labels. The features are the
    /// cached bytes themselves (no copy, no Float64 array): splits are views of them.
    static func dataset(_ part: Part, name: String, classNames: [String]) -> Dataset {
        let table = FeatureTable(bytes: part.images.pixels, count: part.images.count, dimension: part.images.dimension)
        return Dataset(
            name: name, view: FeatureView(table: table),
            targets: .classes(part.labels.map { Int($0) }, names: classNames),
            imageShape: (part.images.rows, part.images.columns))
    }
}

/// The named IDX sets and where their folders are looked for.
public enum IDXSet: String, Sendable, Hashable, CaseIterable {
    case mnist
    case fashionMNIST = "fashion-mnist"

    /// The name shown in messages: MNIST or Fashion-MNIST.
    public var displayName: String { self == .mnist ? "MNIST" : "Fashion-MNIST" }

    /// Class names by label: the digits, or Fashion-MNIST's ten garment names.
    public var classNames: [String] {
        switch self {
        case .mnist: return (0...9).map(String.init)
        case .fashionMNIST:
            return [
                "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"
            ]
        }
    }

    /// Debian's dataset-fashion-mnist package installs here; used when the data root has no copy.
    public static let debianFashionMNIST = "/usr/share/datasets/fashion-mnist"

    /// The folder to read: an explicit `path`, else `<dataRoot>/<rawValue>`; Fashion-MNIST falls back to
    /// the Debian package's folder when the data root has none.
    public func folder(path: String?, dataRoot: String) -> String {
        if let p = path { return p }
        let inRoot = (dataRoot as NSString).appendingPathComponent(rawValue)
        if self == .fashionMNIST, !FileManager.default.fileExists(atPath: inRoot),
            FileManager.default.fileExists(atPath: IDXSet.debianFashionMNIST)
        {
            return IDXSet.debianFashionMNIST
        }
        return inRoot
    }
}

/// Where data files live: a configured root, else the NNEXP_DATA environment variable, else `data`
/// (relative to the current directory).
public enum DataRoot {
    /// `NNEXP_DATA`: the data root when a spec gives none.
    public static let environmentVariable = "NNEXP_DATA"
    /// The data root: `configured` when non-empty, else $NNEXP_DATA when set and non-empty, else `data`.
    public static func resolve(_ configured: String?) -> String {
        if let c = configured, !c.isEmpty { return c }
        if let e = ProcessInfo.processInfo.environment[environmentVariable], !e.isEmpty { return e }
        return "data"
    }
}
