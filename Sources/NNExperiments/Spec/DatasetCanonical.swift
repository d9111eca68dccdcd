import NNDatasets

extension DatasetSection {
    /// The dataset config as `key: value` lines of the canonical config, every default spelled out.
    static func canonical(_ c: DatasetConfig) -> [(String, String)] {
        let n = YAMLWriter.num
        var lines: [(String, String)] = [("name", c.sourceName)]
        switch c.source {
        case .mnist(let p), .fashionMNIST(let p):
            lines[0].1 = { if case .mnist = c.source { return "mnist" } else { return "fashion-mnist" } }()
            if let p { lines.append(("path", YAMLWriter.quote(p))) }
        case .iris: break
        case .moons(let count, let noise): lines += [("count", "\(count)"), ("noise", n(noise))]
        case .circles(let count, let noise, let f): lines += [("count", "\(count)"), ("noise", n(noise)), ("factor", n(f))]
        case .xor(let r, let noise): lines += [("repeats", "\(r)"), ("noise", n(noise))]
        case .blobs(let count, let centers, let std, let d):
            lines += [("count", "\(count)"), ("centers", "\(centers)"), ("std", n(std)), ("dimension", "\(d)")]
        case .spirals(let count, let classes, let noise): lines += [("count", "\(count)"), ("classes", "\(classes)"), ("noise", n(noise))]
        case .inline(let train, let test):
            lines[0].1 = "inline"
            lines += inline(train, prefix: "")
            if let test { lines += inline(test, prefix: "test_") }
        case .csv(let o, let testPath):
            lines[0].1 = "csv"
            lines += [("path", YAMLWriter.quote(o.path)), ("header", "\(o.header)"), ("delimiter", YAMLWriter.quote(String(o.delimiter)))]
            switch o.target {
            case .label(let col): lines.append(("label", column(col)))
            case .values(let cols): lines.append(("targets", YAMLWriter.list(cols.map(column))))
            }
            if let testPath { lines.append(("test_path", YAMLWriter.quote(testPath))) }
        }
        if let t = c.trainCount { lines.append(("train", "\(t)")) }
        if let t = c.testCount { lines.append(("test", "\(t)")) }
        lines.append(("merge_test", "\(c.mergeTest)"))
        if let s = c.sample { lines.append(("sample", "\(s)")) }
        let s = c.split
        let test: String
        switch s.test {
        case .own: test = "own"
        case .none: test = "none"
        case .holdout(let a): test = amount(a)
        }
        var split = "{test: \(test)"
        if let v = s.validation { split += ", validation: \(amount(v))" }
        split += ", stratify: \(s.stratify), shuffle: \(s.shuffle)}"
        lines.append(("split", split))
        lines.append(("preprocess", YAMLWriter.list(c.preprocessing.map(step))))
        if let r = c.dataRoot { lines.append(("data_root", YAMLWriter.quote(r))) }
        return lines
    }

    static func amount(_ a: SplitConfig.Amount) -> String {
        switch a {
        case .fraction(let f): return YAMLWriter.num(f)
        case .count(let c): return "\(c)"
        }
    }

    static func step(_ s: PreprocessStep) -> String {
        switch s {
        case .scale(let f): return "{scale: \(YAMLWriter.num(f))}"
        case .binarize(let t): return "{binarize: \(YAMLWriter.num(t))}"
        case .standardize: return "standardize"
        case .maxScale: return "max_scale"
        case .scaleTargets(let f): return "{scale_targets: \(YAMLWriter.num(f))}"
        }
    }

    static func column(_ c: CSVOptions.Column) -> String {
        switch c {
        case .index(let i): return "\(i)"
        case .name(let s): return YAMLWriter.quote(s)
        }
    }

    static func inline(_ d: InlineData, prefix: String) -> [(String, String)] {
        let rows = YAMLWriter.list(d.features.map { YAMLWriter.list($0.map(YAMLWriter.num)) })
        var out = [("\(prefix)features", rows)]
        switch d.targets {
        case .labels(let l): out.append(("\(prefix)labels", YAMLWriter.list(l.map(YAMLWriter.quote))))
        case .values(let v): out.append(("\(prefix)targets", YAMLWriter.list(v.map { YAMLWriter.list($0.map(YAMLWriter.num)) })))
        }
        return out
    }
}
