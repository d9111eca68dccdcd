import NNDatasets
import NNEngine

extension DatasetSection {
    /// The dataset config as `key: value` lines of the canonical config, every default spelled out:
    /// the source's `name` and its own arguments (`DataSource.write`), then the common keys, by
    /// reflection over `DatasetConfig` (`CanonicalSection`: a setting added later is written when set).
    static func canonical(_ c: DatasetConfig) -> [(String, String)] {
        canonicalSection.lines(c, defaults: DatasetConfig(source: c.source))
    }

    static let canonicalSection = CanonicalSection(
        spelledOut: ["source", "mergeTest", "split", "preprocessing"],
        keys: ["trainCount": "train", "testCount": "test"],
        custom: [
            "source": { v, _ in
                let source = v as! DatasetConfig.Source
                var w = SettingsWriter()
                source.unit.write(to: &w)
                return [("name", source.name)] + w.entries.map { ($0.key, YAMLWriter.text($0.value)) }
            },
            "split": { v, _ in
                let s = v as! SplitConfig
                let test: String
                switch s.test {
                case .own: test = "own"
                case .none: test = "none"
                case .holdout(let a): test = amount(a)
                }
                var split = "{test: \(test)"
                if let v = s.validation { split += ", validation: \(amount(v))" }
                split += ", stratify: \(s.stratify), shuffle: \(s.shuffle)}"
                return [("split", split)]
            },
            "preprocessing": { v, _ in [("preprocess", YAMLWriter.list((v as! [PreprocessStep]).map(step)))] }
        ])

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
}
