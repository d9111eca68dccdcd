import Foundation
import NNDatasets

/// The `dataset:` section of a spec, decoded into NNDatasets' `DatasetConfig` (keys documented in
/// docs/spec.md and docs/datasets.md).
struct DatasetSection {
    static let sources = ["mnist", "fashion-mnist", "iris", "moons", "circles", "xor", "blobs", "spirals", "inline", "csv"]
    /// Keys every source accepts.
    static let commonKeys = ["name", "train", "test", "merge_test", "sample", "split", "preprocess", "seed", "data_root"]
    /// Keys of each source.
    static let sourceKeys: [String: [String]] = [
        "mnist": ["path"], "fashion-mnist": ["path"], "iris": [],
        "moons": ["count", "noise"], "circles": ["count", "noise", "factor"], "xor": ["repeats", "noise"],
        "blobs": ["count", "centers", "std", "dimension"], "spirals": ["count", "classes", "noise"],
        "inline": ["features", "labels", "targets", "test_features", "test_labels", "test_targets"],
        "csv": ["path", "header", "delimiter", "label", "targets", "test_path"],
    ]
    static var allKeys: [String] { commonKeys + Array(Set(sourceKeys.values.joined())).sorted() }
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
        guard let name = Scalars.choice(nameNode, name: "dataset.name", choices: Self.sources, sink: sink) else { return nil }
        let mine = Self.commonKeys + Self.sourceKeys[name]!
        var notHere: [String: String] = [:]
        for key in Self.allKeys where !mine.contains(key) {
            notHere[key] = "`dataset.\(key)` does not apply to dataset '\(name)' (it takes: \(mine.dropFirst().joined(separator: ", ")))"
        }
        guard let r = MappingReader(node, path: "dataset", sink: sink, allowed: mine, notHere: notHere) else { return nil }

        let source: DatasetConfig.Source
        switch name {
        case "mnist": source = .mnist(path: r.string("path").map(resolve))
        case "fashion-mnist": source = .fashionMNIST(path: r.string("path").map(resolve))
        case "iris": source = .iris
        case "moons": source = .moons(count: r.int("count", default: 200, min: 2, max: SpecLimits.maxSamples), noise: r.double("noise", default: 0, min: 0))
        case "circles":
            let factor = r.double("factor", default: 0.8, min: 0, max: 1, exclusiveMin: true)
            if factor == 1, let f = r["factor"] {
                // The loader's rule too: radius 1 would draw the inner circle on the outer one.
                sink.error(f, "`dataset.factor` must be less than 1 (the inner circle's radius; 1 puts it on the outer circle), found \(f.scalar ?? "1")")
            }
            source = .circles(count: r.int("count", default: 200, min: 2, max: SpecLimits.maxSamples), noise: r.double("noise", default: 0, min: 0),
                              factor: factor < 1 ? factor : 0.8)
        case "xor": source = .xor(repeats: r.int("repeats", default: 1, min: 1, max: SpecLimits.maxRepeats), noise: r.double("noise", default: 0, min: 0))
        case "blobs":
            source = .blobs(count: r.int("count", default: 200, min: 1, max: SpecLimits.maxSamples), centers: r.int("centers", default: 3, min: 1, max: SpecLimits.maxClasses),
                            std: r.double("std", default: 1, min: 0), dimension: r.int("dimension", default: 2, min: 1, max: SpecLimits.maxDimension))
        case "spirals":
            source = .spirals(count: r.int("count", default: 300, min: 1, max: SpecLimits.maxSamples), classes: r.int("classes", default: 3, min: 2, max: SpecLimits.maxClasses),
                              noise: r.double("noise", default: 0.2, min: 0))
        case "inline": source = decodeInline(r, node: node) ?? .iris
        default: source = decodeCSV(r, node: node) ?? .iris
        }
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
        guard let s = n.scalar, n.isPlainScalar else { sink.error(n, "`\(name)` must be \(expected), found \(n.kindDescription)"); return nil }
        if let i = Int(s) {
            guard i >= 1 else { sink.error(n, "`\(name)` must be \(expected), found \(s)"); return nil }
            guard i <= SpecLimits.maxSamples else { sink.error(n, "`\(name)` must be at most \(SpecLimits.maxSamples), found \(s)"); return nil }
            return .count(i)
        }
        guard let f = Double(s), f > 0, f < 1 else { sink.error(n, "`\(name)` must be \(expected), found '\(s)'"); return nil }
        return .fraction(f)
    }

    func decodePreprocess(_ node: YAMLNode) -> [PreprocessStep] {
        guard let items = node.sequence else {
            sink.error(node, "`dataset.preprocess` must be a list of steps, e.g. [{scale: 255}, standardize]")
            return []
        }
        var steps: [PreprocessStep] = []
        for item in items {
            let key: String?, arg: YAMLNode?
            if let s = item.scalar { key = s; arg = nil }
            else if let m = item.mapping, m.count == 1 { key = m[0].key.scalar; arg = m[0].value }
            else { sink.error(item, "a preprocessing step is a name or a one-key mapping such as {scale: 255}"); continue }
            guard let k = key, let step = Scalars.choice(YAMLNode(.scalar(k, plain: true), at: item.location),
                                                         name: "dataset.preprocess", choices: Self.preprocessSteps, sink: sink) else { continue }
            func number(_ name: String, positive: Bool) -> Double? {
                guard let arg else { sink.error(item, "`\(name)` takes a number, e.g. {\(name): \(name == "binarize" ? "0" : "255")}"); return nil }
                return Scalars.double(arg, name: "dataset.preprocess.\(name)", sink: sink, min: positive ? 0 : nil, exclusiveMin: positive)
            }
            switch step {
            case "scale": if let f = number("scale", positive: true) { steps.append(.scale(f)) }
            case "binarize": if let t = number("binarize", positive: false) { steps.append(.binarize(threshold: t)) }
            case "scale_targets": if let f = number("scale_targets", positive: true) { steps.append(.scaleTargets(f)) }
            case "standardize", "max_scale":
                if let arg, !arg.isNull, Scalars.bool(arg, name: "dataset.preprocess.\(step)", sink: sink) != true { continue }
                steps.append(step == "standardize" ? .standardize : .maxScale)
            default: break
            }
        }
        return steps
    }

    func rows(_ node: YAMLNode?, _ name: String) -> [[Double]]? {
        guard let node else { return nil }
        guard let list = node.sequence, !list.isEmpty else {
            sink.error(node, "`\(name)` must be a non-empty list of rows such as [[3, 5], [5, 1]]"); return nil
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

    func inlineData(_ r: MappingReader, features fk: String, labels lk: String, targets tk: String, at node: YAMLNode) -> InlineData? {
        guard let features = rows(r[fk], "dataset.\(fk)") else {
            if r[fk] == nil { sink.error(node, "inline data needs `\(fk)` (rows of numbers)") }
            return nil
        }
        let targets: InlineData.Targets
        if let l = r[lk] {
            guard let items = l.sequence else { sink.error(l, "`dataset.\(lk)` must be a list with one label per row"); return nil }
            if items.count != features.count { sink.error(l, "`dataset.\(lk)` has \(items.count) labels for \(features.count) rows") }
            targets = .labels(items.map { $0.scalar ?? "" })
        } else if let t = r[tk] {
            guard let v = rows(t, "dataset.\(tk)") else { return nil }
            if v.count != features.count { sink.error(t, "`dataset.\(tk)` has \(v.count) rows for \(features.count) feature rows") }
            targets = .values(v)
        } else {
            sink.error(node, "inline data needs `\(lk)` (classes) or `\(tk)` (regression values)")
            return nil
        }
        return InlineData(name: "inline", features: features, targets: targets)
    }

    func decodeInline(_ r: MappingReader, node: YAMLNode) -> DatasetConfig.Source? {
        guard let train = inlineData(r, features: "features", labels: "labels", targets: "targets", at: node) else { return nil }
        var test: InlineData?
        if r.has("test_features") { test = inlineData(r, features: "test_features", labels: "test_labels", targets: "test_targets", at: node) }
        return .inline(train: train, test: test)
    }

    func decodeCSV(_ r: MappingReader, node: YAMLNode) -> DatasetConfig.Source? {
        guard let path = r.string("path") else { sink.error(node, "a csv dataset needs `path`"); return nil }
        func column(_ n: YAMLNode) -> CSVOptions.Column? {
            guard let s = n.scalar else { sink.error(n, "a column is a number (0-based, negative from the end) or a header name"); return nil }
            if n.isPlainScalar, let i = Int(s) { return .index(i) }
            return .name(s)
        }
        var target: CSVOptions.Target = .label(.index(-1))
        if let l = r["label"], let c = column(l) { target = .label(c) }
        if let t = r["targets"] {
            if r.has("label") { sink.error(t, "give `dataset.label` (classification) or `dataset.targets` (regression), not both") }
            let cols = (t.sequence ?? [t]).compactMap(column)
            target = .values(cols)
        }
        let delimiter = r.string("delimiter", default: ",") ?? ","
        if delimiter.count != 1, let d = r["delimiter"] { sink.error(d, "`dataset.delimiter` must be one character, found '\(delimiter)'") }
        let o = CSVOptions(path: resolve(path), header: r.bool("header", default: true), delimiter: delimiter.first ?? ",", target: target)
        return .csv(o, testPath: r.string("test_path").map(resolve))
    }
}
