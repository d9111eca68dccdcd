import NNEngine
import NNRandom

/// `dataset.name: csv` — a table (plain or gzip) read by `CSV.load`: `path` (required), `header`
/// (true), `delimiter` (one character, `,`), `label` (the class column, -1: the last) or `targets`
/// (regression columns), `test_path` (a second file, read with the same options, as the own test
/// part; its class names must occur in the first).
public struct CSVSource: DataSource {
    /// How the file is read.
    public var options: CSVOptions
    /// The own test part's file, if any.
    public var testPath: String?
    /// A source reading `options.path` (and `testPath`).
    public init(_ options: CSVOptions, testPath: String? = nil) {
        self.options = options
        self.testPath = testPath
    }

    /// `csv`.
    public static let name = "csv"
    /// The file, its format, its target columns and the test file.
    public static let keys = ["path", "header", "delimiter", "label", "targets", "test_path"]

    /// Reads the options; `path` is required, and `label` and `targets` exclude each other.
    public init(reading r: any SourceReader) {
        let path = r.path("path")
        if path == nil, !r.has("path") { r.error(at: nil, "a csv dataset needs `path`") }
        var target: CSVOptions.Target = .label(.index(-1))
        if r.has("label"), let c = r.columns("label")?.first { target = .label(c) }
        if r.has("targets") {
            if r.has("label") {
                r.error(
                    at: "targets", "give `dataset.label` (classification) or `dataset.targets` (regression), not both")
            }
            target = .values(r.columns("targets") ?? [])
        }
        let delimiter = r.string("delimiter") ?? ","
        if delimiter.count != 1 {
            r.error(at: "delimiter", "`dataset.delimiter` must be one character, found '\(delimiter)'")
        }
        self.init(
            CSVOptions(
                path: path ?? "", header: r.bool("header", default: true), delimiter: delimiter.first ?? ",",
                target: target),
            testPath: r.path("test_path"))
    }

    /// Every option, defaults spelled out; `test_path` only when set.
    public func write(to w: inout SettingsWriter) {
        func column(_ c: CSVOptions.Column) -> SettingsWriter.Value {
            switch c {
            case .index(let i): return .integer(i)
            case .name(let s): return .text(s)
            }
        }
        w.text("path", options.path)
        w.flag("header", options.header)
        w.text("delimiter", String(options.delimiter))
        switch options.target {
        case .label(let c): w.value("label", column(c))
        case .values(let cs): w.value("targets", .list(cs.map(column)))
        }
        if let testPath { w.text("test_path", testPath) }
    }

    /// The options are checked as the file is read.
    public func check() throws {}
    /// The file's path.
    public var displayName: String { options.path }
    /// A guess until the file is read.
    public func nominalShape(dataRoot: String?) -> NominalShape { .file }
    /// The file and the test file, named by their configured paths.
    public func inputFiles(dataRoot: String?) -> [(name: String, path: String)] {
        [(options.path, options.path)] + (testPath.map { [($0, $0)] } ?? [])
    }
    /// Reads the table and, when given, the test table numbered like it.
    public func load(dataRoot: String?, rng: inout RNG) throws -> (train: Dataset, test: Dataset?) {
        let tr = try CSV.load(options)
        guard let testPath else { return (tr, nil) }
        var to = options
        to.path = testPath
        let te = try CSV.load(to)
        guard te.dimension == tr.dimension else {
            throw DatasetError("\(testPath): \(te.dimension) feature columns but \(options.path) has \(tr.dimension)")
        }
        return (tr, try te.relabelled(like: tr, file: testPath))
    }
}

extension DatasetConfig.Source {
    /// `dataset.name: csv`.
    public static func csv(_ options: CSVOptions, testPath: String?) -> Self {
        Self(CSVSource(options, testPath: testPath))
    }
}
