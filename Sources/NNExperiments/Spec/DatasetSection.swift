import Foundation
import NNDatasets

/// The `dataset:` section of a spec, decoded into NNDatasets' `DatasetConfig` (keys documented in
/// docs/spec.md and docs/datasets.md).
struct DatasetSection {
    /// Every `dataset.name`, from the source registry.
    static var sources: [String] { SourceRegistry.names }
    /// Keys every source accepts.
    static let commonKeys = [
        "name", "train", "test", "merge_test", "sample", "split", "preprocess", "seed", "data_root"
    ]
    /// Every key: the common ones, then each source's own (from the registry).
    static var allKeys: [String] { commonKeys + SourceRegistry.allKeys.filter { !commonKeys.contains($0) }.sorted() }
    static let splitKeys = ["test", "validation", "stratify", "shuffle"]
    static let preprocessSteps = ["scale", "binarize", "standardize", "max_scale", "scale_targets"]

    let sink: DiagnosticSink
    let specDirectory: String

    /// The config, and the seed the data draws from when the section gives its own.
    func decode(_ node: YAMLNode) -> (DatasetConfig, dataSeed: UInt64?)? {
        guard node.mapping != nil else {
            sink.error(node, "`dataset` must be a mapping such as {name: mnist}, found \(node.kindDescription)")
            return nil
        }
        guard let nameNode = node["name"] else {
            sink.error(node, "`dataset` needs `name` (one of \(Self.sources.joined(separator: ", ")))")
            return nil
        }
        guard let name = Scalars.choice(nameNode, name: "dataset.name", choices: Self.sources, sink: sink),
            let kind = SourceRegistry.named(name)
        else { return nil }
        let mine = Self.commonKeys + kind.keys.filter { !Self.commonKeys.contains($0) }
        var notHere: [String: String] = [:]
        for key in Self.allKeys where !mine.contains(key) {
            notHere[key] =
                "`dataset.\(key)` does not apply to dataset '\(name)' (it takes: \(mine.dropFirst().joined(separator: ", ")))"
        }
        guard let r = MappingReader(node, path: "dataset", sink: sink, allowed: mine, notHere: notHere) else {
            return nil
        }

        let source = DatasetConfig.Source(kind.init(reading: SourceArguments(reader: r, section: self)))
        var c = DatasetConfig(source: source)
        c.trainCount = r.optionalInt("train", min: 1, max: SpecLimits.maxSamples)
        if let t = r["test"] {
            c.testCount = Scalars.int(t, name: "dataset.test", sink: sink, min: 1, max: SpecLimits.maxSamples)
        }
        c.mergeTest = r.bool("merge_test", default: false)
        c.sample = r.optionalInt("sample", min: 1, max: SpecLimits.maxSamples)
        if let s = r["split"] { c.split = decodeSplit(s) }
        if let p = r["preprocess"] { c.preprocessing = decodePreprocess(p) }
        c.dataRoot = r.string("data_root").map(resolve)
        let seed = r.optionalInt("seed", min: 0).map(UInt64.init)
        return (c, seed)
    }

    func resolve(_ path: String) -> String {
        path.hasPrefix("/") ? path : (specDirectory as NSString).appendingPathComponent(path)
    }

    func decodeSplit(_ node: YAMLNode) -> SplitConfig {
        var s = SplitConfig()
        guard let r = MappingReader(node, path: "dataset.split", sink: sink, allowed: Self.splitKeys) else { return s }
        if let t = r["test"] {
            switch t.scalar {
            case "own": s.test = .own
            case "none": s.test = .none
            default: if let a = amount(t, "dataset.split.test", words: "own, none") { s.test = .holdout(a) }
            }
        }
        if let v = r["validation"] { s.validation = amount(v, "dataset.split.validation", words: nil) }
        s.stratify = r.bool("stratify", default: false)
        s.shuffle = r.bool("shuffle", default: true)
        return s
    }

    /// A fraction (0 < f < 1) or a whole count of samples.
    func amount(_ n: YAMLNode, _ name: String, words: String?) -> SplitConfig.Amount? {
        let expected = "a fraction between 0 and 1 or a sample count" + (words.map { ", or \($0)" } ?? "")
        guard let s = n.scalar, n.isPlainScalar else {
            sink.error(n, "`\(name)` must be \(expected), found \(n.kindDescription)")
            return nil
        }
        if let i = Int(s) {
            guard i >= 1 else {
                sink.error(n, "`\(name)` must be \(expected), found \(s)")
                return nil
            }
            guard i <= SpecLimits.maxSamples else {
                sink.error(n, "`\(name)` must be at most \(SpecLimits.maxSamples), found \(s)")
                return nil
            }
            return .count(i)
        }
        guard let f = Double(s), f > 0, f < 1 else {
            sink.error(n, "`\(name)` must be \(expected), found '\(s)'")
            return nil
        }
        return .fraction(f)
    }

    func decodePreprocess(_ node: YAMLNode) -> [PreprocessStep] {
        guard let items = node.sequence else {
            sink.error(node, "`dataset.preprocess` must be a list of steps, e.g. [{scale: 255}, standardize]")
            return []
        }
        var steps: [PreprocessStep] = []
        for item in items {
            let key: String?
            let arg: YAMLNode?
            if let s = item.scalar {
                key = s
                arg = nil
            } else if let m = item.mapping, m.count == 1 {
                key = m[0].key.scalar
                arg = m[0].value
            } else {
                sink.error(item, "a preprocessing step is a name or a one-key mapping such as {scale: 255}")
                continue
            }
            guard let k = key,
                let step = Scalars.choice(
                    YAMLNode(.scalar(k, plain: true), at: item.location),
                    name: "dataset.preprocess", choices: Self.preprocessSteps, sink: sink)
            else { continue }
            func number(_ name: String, positive: Bool) -> Double? {
                guard let arg else {
                    sink.error(item, "`\(name)` takes a number, e.g. {\(name): \(name == "binarize" ? "0" : "255")}")
                    return nil
                }
                return Scalars.double(
                    arg, name: "dataset.preprocess.\(name)", sink: sink, min: positive ? 0 : nil, exclusiveMin: positive
                )
            }
            switch step {
            case "scale": if let f = number("scale", positive: true) { steps.append(.scale(f)) }
            case "binarize": if let t = number("binarize", positive: false) { steps.append(.binarize(threshold: t)) }
            case "scale_targets": if let f = number("scale_targets", positive: true) { steps.append(.scaleTargets(f)) }
            case "standardize", "max_scale":
                if let arg, !arg.isNull, Scalars.bool(arg, name: "dataset.preprocess.\(step)", sink: sink) != true {
                    continue
                }
                steps.append(step == "standardize" ? .standardize : .maxScale)
            default: break
            }
        }
        return steps
    }
}

/// A source's arguments read from the `dataset:` mapping: each getter reports a mistake at its line
/// and column, and numeric ones are validated by the source's own `IntArgument`/`NumberArgument` (the
/// validators its loader applies again).
struct SourceArguments: SourceReader {
    let reader: MappingReader
    let section: DatasetSection
    var sink: DiagnosticSink { reader.sink }

    func has(_ key: String) -> Bool { reader.has(key) }

    func int(_ a: IntArgument) -> Int {
        guard let n = reader[a.key] else { return a.defaultValue }
        // Range checked by the source's argument below, so that decoder and loader say the same.
        guard let v = Scalars.int(n, name: "dataset.\(a.key)", sink: sink) else { return a.defaultValue }
        if let p = a.problem(v) {
            sink.error(n, "`dataset.\(a.key)` \(p), found \(v)")
            return a.defaultValue
        }
        return v
    }

    func number(_ a: NumberArgument) -> Double {
        guard let n = reader[a.key] else { return a.defaultValue }
        guard let v = Scalars.double(n, name: "dataset.\(a.key)", sink: sink) else { return a.defaultValue }
        if let p = a.problem(v) {
            sink.error(n, "`dataset.\(a.key)` \(p), found \(n.scalar ?? "\(v)")")
            return a.defaultValue
        }
        return v
    }

    func bool(_ key: String, default d: Bool) -> Bool { reader.bool(key, default: d) }
    func string(_ key: String) -> String? { reader.string(key) }
    func path(_ key: String) -> String? { reader.string(key).map(section.resolve) }

    func columns(_ key: String) -> [CSVOptions.Column]? {
        guard let node = reader[key] else { return nil }
        func column(_ n: YAMLNode) -> CSVOptions.Column? {
            guard let s = n.scalar else {
                sink.error(n, "a column is a number (0-based, negative from the end) or a header name")
                return nil
            }
            if n.isPlainScalar, let i = Int(s) { return .index(i) }
            return .name(s)
        }
        return (node.sequence ?? [node]).compactMap(column)
    }

    func rows(_ key: String) -> [[Double]]? {
        guard let node = reader[key] else { return nil }
        let name = "dataset.\(key)"
        guard let list = node.sequence, !list.isEmpty else {
            sink.error(node, "`\(name)` must be a non-empty list of rows such as [[3, 5], [5, 1]]")
            return nil
        }
        var out: [[Double]] = []
        for row in list {
            let cells = row.sequence ?? [row]  // a bare number is a one-value row
            out.append(cells.compactMap { Scalars.double($0, name: name, sink: sink) })
        }
        if let w = out.first?.count, let bad = zip(out, list).first(where: { $0.0.count != w }) {
            sink.error(bad.1, "`\(name)` rows must all have \(w) values, found \(bad.0.count)")
        }
        return out
    }

    func scalars(_ key: String) -> [String]? {
        guard let node = reader[key] else { return nil }
        guard let items = node.sequence else {
            sink.error(node, "`dataset.\(key)` must be a list with one label per row")
            return nil
        }
        return items.map { $0.scalar ?? "" }
    }

    func error(at key: String?, _ message: String) {
        if let key { reader.error(at: key, message) } else { sink.error(reader.node, message) }
    }
}
