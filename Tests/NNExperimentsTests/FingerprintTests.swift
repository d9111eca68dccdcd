import Foundation
import NNDatasets
import NNEngine
import XCTest

@testable import NNExperiments

/// The run fingerprint (the canonical config.yaml) changes when any documented key changes: for every
/// key path of docs/spec.md, a spec that sets it to its documented example (in a context where the key
/// applies) must fingerprint differently from the same spec without it. A key forgotten by the
/// canonical config would otherwise keep a run's stale results. New keys are covered by documenting
/// them: the paths come from the docs, the values from their examples.
final class FingerprintTests: XCTestCase {
    typealias Spec = [(section: String, entries: [(String, String)])]

    /// Keys that are not part of a run's identity, each with the reason.
    static let exceptions: [String: String] = [
        "extends": "its file's keys are merged into the spec and tested one by one; the name decides nothing",
        "dataset": "a section: its keys are tested one by one",
        "model": "a section: its keys are tested one by one",
        "optimizer": "a section: its keys are tested one by one",
        "training": "a section: its keys are tested one by one",
        "regularization": "a section: its keys are tested one by one",
        "outputs": "a section: its keys are tested one by one",
        "training.checkpoint": "decides when state is saved, never a result (docs/spec.md)",
        "training.checkpoint.every": "part of training.checkpoint",
        "training.checkpoint.seconds": "part of training.checkpoint",
        "sweep":
            "makes runs rather than setting one; each run's values are in its fingerprint (`sweep:` block, SweepAndExtendsTests)",
        "sweep.zip": "as `sweep`", "sweep.variants": "as `sweep`", "sweep.random": "as `sweep`",
        "sweep.halving": "as `sweep`",
        "sweep.random.trials": "as `sweep`",
        "sweep.random.seed": "as `sweep` (the drawn values are the runs' axis values)",
        "sweep.random.params": "as `sweep`", "sweep.halving.metric": "as `sweep`",
        "sweep.halving.min_epochs": "as `sweep`",
        "sweep.halving.factor": "as `sweep` (each rung's epochs are its runs' `training.epochs`)"
    ]

    /// Where a documented example cannot be used as it stands: (changes to the base spec that make the
    /// key apply, the key's new value). Keyed by path.
    static let overrides: [String: (base: [(String, String, String)], set: (String, String, String))] = [
        "dataset.name": ([], ("dataset", "name", "moons")),
        "dataset.merge_test": (
            [("dataset", "name", "mnist"), ("dataset", "split", "{test: 0.2}")], ("dataset", "merge_test", "true")
        ),
        "dataset.targets": (
            [("dataset", "name", "csv"), ("dataset", "path", "d.csv")], ("dataset", "targets", "[3, 4]")
        ),
        "dataset.test_features": (
            [
                ("dataset", "name", "inline"), ("dataset", "features", "[[0, 0], [1, 1]]"),
                ("dataset", "labels", "[1, 0]"),
                ("dataset", "test_labels", "[1]")
            ], ("dataset", "test_features", "[[1, 2]]")
        ),
        "dataset.test_labels": (
            [
                ("dataset", "name", "inline"), ("dataset", "features", "[[0, 0], [1, 1]]"),
                ("dataset", "labels", "[1, 0]"),
                ("dataset", "test_features", "[[1, 2]]"), ("dataset", "test_labels", "[0]")
            ], ("dataset", "test_labels", "[1]")
        ),
        "dataset.test_targets": (
            [
                ("dataset", "name", "inline"), ("dataset", "features", "[[0, 0], [1, 1]]"),
                ("dataset", "targets", "[[1], [0]]"),
                ("dataset", "test_features", "[[1, 2]]"), ("dataset", "test_targets", "[[0.1]]")
            ], ("dataset", "test_targets", "[[0.5]]")
        ),
        "model.hidden": ([("model", "layers", ""), ("model", "hidden", "[3]")], ("model", "hidden", "[5]")),
        "optimizer.decay_rule": ([("optimizer", "decay", "0.01")], ("optimizer", "decay_rule", "compounding")),  // with decay 0 the rule changes nothing and is not written
        "model.activation": ([], ("model", "activation", "tanh")),
        "model.output": ([("model", "loss", "mse")], ("model", "output", "linear")),
        "model.loss": ([], ("model", "loss", "mse")),
        "optimizer.schedule.type": (
            [("optimizer", "schedule", "{type: cosine}")], ("optimizer", "schedule", "{type: plateau}")
        ),
        "optimizer.schedule.warmup": (
            [("optimizer", "schedule", "{type: cosine}")], ("optimizer", "schedule", "{type: cosine, warmup: 5}")
        ),
        "optimizer.schedule.every": (
            [("optimizer", "schedule", "{type: step, every: 2}")], ("optimizer", "schedule", "{type: step, every: 30}")
        ),
        "optimizer.schedule.factor": (
            [("optimizer", "schedule", "{type: step, every: 2}")],
            ("optimizer", "schedule", "{type: step, every: 2, factor: 0.5}")
        ),
        "optimizer.schedule.gamma": (
            [("optimizer", "schedule", "{type: exponential, gamma: 0.9}")],
            ("optimizer", "schedule", "{type: exponential, gamma: 0.95}")
        ),
        "optimizer.schedule.min": (
            [("optimizer", "schedule", "{type: cosine}")], ("optimizer", "schedule", "{type: cosine, min: 0.0001}")
        ),
        "optimizer.schedule.restart_every": (
            [("optimizer", "schedule", "{type: cosine}")],
            ("optimizer", "schedule", "{type: cosine, restart_every: 10}")
        ),
        "optimizer.schedule.patience": (
            [("optimizer", "schedule", "{type: plateau}")], ("optimizer", "schedule", "{type: plateau, patience: 5}")
        ),
        // early_stopping's own keys, set inside the mapping of a base that already stops early.
        "training.early_stopping.tolerance": (
            [("training", "early_stopping", "true")], ("training", "early_stopping", "{tolerance: 0.001}")
        ),
        "training.early_stopping.patience": (
            [("training", "early_stopping", "true")], ("training", "early_stopping", "{patience: 20}")
        ),
        "training.early_stopping.monitor": (
            [
                ("dataset", "name", "moons"), ("dataset", "split", "{validation: 0.2}"),
                ("training", "early_stopping", "true")
            ],
            ("training", "early_stopping", "{monitor: validation_accuracy}")
        ),
        "training.early_stopping.restore_best": (
            [("training", "early_stopping", "true")], ("training", "early_stopping", "{restore_best: true}")
        ),
        "optimizer.schedule.threshold": (
            [("optimizer", "schedule", "{type: plateau}")],
            ("optimizer", "schedule", "{type: plateau, threshold: 0.001}")
        )
    ]

    /// The smallest spec every key is added to.
    static let base: Spec = [
        ("experiment", [("", "fp")]),
        ("dataset", [("name", "xor")]),
        ("model", [("layers", "[2, 3, 1]")]),
        ("optimizer", [("type", "sgd")]),
        ("training", [("epochs", "20")])
    ]

    static func text(_ spec: Spec) -> String {
        spec.map { s in
            if s.entries.count == 1, s.entries[0].0.isEmpty { return "\(s.section): \(s.entries[0].1)" }
            return "\(s.section): {"
                + s.entries.filter { !$0.1.isEmpty }.map { "\($0.0): \($0.1)" }.joined(separator: ", ") + "}"
        }.joined(separator: "\n") + "\n"
    }

    /// Sets `key` of `section` to `value` (a top-level key when `section` is empty; "" removes it).
    static func set(_ spec: inout Spec, _ section: String, _ key: String, _ value: String) {
        if section.isEmpty {
            if let i = spec.firstIndex(where: { $0.section == key }) {
                spec[i].entries = [("", value)]
            } else {
                spec.append((key, [("", value)]))
            }
            return
        }
        let i =
            spec.firstIndex(where: { $0.section == section })
            ?? {
                spec.append((section, []))
                return spec.count - 1
            }()
        if let j = spec[i].entries.firstIndex(where: { $0.0 == key }) {
            spec[i].entries[j].1 = value
        } else {
            spec[i].entries.append((key, value))
        }
    }

    /// The context in which a key of a source or an optimizer applies: the first of the registry that takes it.
    static func context(_ section: String, _ key: String) -> [(String, String, String)] {
        switch section {
        case "dataset" where !DatasetSection.commonKeys.contains(key):
            guard let source = SourceRegistry.all.first(where: { $0.keys.contains(key) }) else { return [] }
            switch source.name {
            case "inline":
                return [
                    ("dataset", "name", "inline"), ("dataset", "features", "[[0, 0], [1, 1]]"),
                    ("dataset", "labels", "[1, 0]")
                ]
            case "csv", "npz": return [("dataset", "name", source.name), ("dataset", "path", "d.\(source.name)")]
            default: return [("dataset", "name", source.name)]
            }
        case "optimizer" where !["type", "clip", "schedule"].contains(key):
            guard let o = OptimizerRegistry.all.first(where: { $0.keys.contains(key) }) else { return [] }
            var c = [("optimizer", "type", o.name)]
            if o.name == "sgd", ["decay_every", "decay_factor"].contains(key) {
                c += [
                    ("optimizer", "decay_rule", "step"), ("optimizer", "decay_every", "5"),
                    ("optimizer", "decay_factor", "0.3")
                ]
            }
            if o.isFullBatch { c.append(("training", "epochs", "")) }
            return c
        case "model" where key == "leaky_slope": return [("model", "activation", "leaky_relu")]
        case "model" where key == "elu_alpha": return [("model", "activation", "elu")]
        default: return []
        }
    }

    /// Every key path in docs/spec.md's key columns, with the example of its row (`key: value`).
    func documentedPaths() throws -> [(path: String, example: String?)] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
            "../../docs/spec.md"
        ).standardized
        var out: [(String, String?)] = []
        for line in try String(contentsOf: url, encoding: .utf8).split(separator: "\n") where line.hasPrefix("| `") {
            let path = String(line.dropFirst(3).prefix { $0 != "`" })
            guard SpecSchema.allPaths.contains(path) else { continue }
            var example: String?
            if let r = line.range(of: "Example: `") { example = String(line[r.upperBound...].prefix { $0 != "`" }) }
            // A key's own row has its example; the limits table names some keys again without one.
            if let i = out.firstIndex(where: { $0.0 == path }) {
                if out[i].1 == nil { out[i].1 = example }
            } else {
                out.append((path, example))
            }
        }
        return out
    }

    func fingerprint(_ spec: Spec, in folder: SpecFolder, _ name: String) throws -> String {
        try Self.text(spec).write(toFile: folder.path(name), atomically: true, encoding: .utf8)
        return try XCTUnwrap(folder.load(name).runs.first).canonicalYAML
    }

    func testChangingAnyDocumentedKeyChangesTheFingerprint() throws {
        let folder = try SpecFolder([:])
        defer { folder.remove() }
        let paths = try documentedPaths()
        XCTAssertGreaterThan(paths.count, 100)
        var unchanged: [String] = []
        var failed: [String] = []
        var tested = 0
        for (path, example) in paths where Self.exceptions[path] == nil {
            var base = Self.base
            let change: (String, String, String)
            if let o = Self.overrides[path] {
                for (s, k, v) in o.base { Self.set(&base, s, k, v) }
                change = o.set
            } else {
                let parts = path.split(separator: ".").map(String.init)
                guard let example, let colon = example.firstIndex(of: ":") else {
                    failed.append("\(path): no usable example")
                    continue
                }
                let key = String(example[..<colon])
                let value = example[example.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                switch parts.count {
                case 1 where key == parts[0]: change = ("", key, value)
                case 2 where key == parts[1]:
                    for (s, k, v) in Self.context(parts[0], parts[1]) { Self.set(&base, s, k, v) }
                    change = (parts[0], key, value)
                case 3 where key == parts[1]: change = (parts[0], key, value)
                default:
                    failed.append("\(path): example `\(example)` does not set the key")
                    continue
                }
            }
            var changed = base
            Self.set(&changed, change.0, change.1, change.2)
            do {
                let a = try fingerprint(base, in: folder, "base.yaml")
                let b = try fingerprint(changed, in: folder, "changed.yaml")
                tested += 1
                if a == b { unchanged.append("\(path) (\(Self.text(changed)))") }
            } catch {
                failed.append("\(path): \(folder.strip("\(error)"))\n\(Self.text(changed))")
            }
        }
        XCTAssertEqual(failed, [], "keys the test could not set")
        XCTAssertEqual(unchanged, [], "keys that do not change the fingerprint")
        XCTAssertGreaterThan(tested, 80)
    }

    /// The generic part of the canonical config: a setting that predates no `spelledOut` list is
    /// written only when it differs from its default, so existing fingerprints keep their bytes.
    func testSettingsAtTheirDefaultAddNoLine() throws {
        var c = RunConfig(experiment: "e", dataset: DatasetConfig(source: .xor(repeats: 1, noise: 0)))
        let plain = c.canonicalYAML
        XCTAssertFalse(plain.contains("diagnostics"))
        XCTAssertFalse(plain.contains("early_stopping"))
        XCTAssertFalse(plain.contains("dropout"))
        XCTAssertTrue(
            plain.contains(
                "  merge_test: false\n  split: {test: own, stratify: false, shuffle: true}\n  preprocess: []\n"), plain)
        c.outputs.diagnostics = true
        c.training.earlyStopping = EarlyStopping()
        XCTAssertTrue(
            c.canonicalYAML.contains("  early_stopping: {tolerance: 0.0001, patience: 10}\n"), c.canonicalYAML)
        XCTAssertTrue(c.canonicalYAML.contains("  diagnostics: true\n"))
        // Checkpoints are excluded: they decide when state is saved, never a result.
        var d = c
        d.training.checkpoint = CheckpointSchedule(every: 3)
        XCTAssertEqual(c.canonicalYAML, d.canonicalYAML)
    }
}

/// The dataset block of config.yaml for every source that existed before sources became units, as
/// the hand-written writer formed it (numbers shortest, paths and CSV names quoted, columns bare,
/// optional keys only when set): stored fingerprints of these configs must keep their bytes.
final class CanonicalCompatibilityTests: XCTestCase {
    func block(_ s: DatasetConfig.Source, _ edit: (inout DatasetConfig) -> Void = { _ in }) -> String {
        var c = DatasetConfig(source: s)
        edit(&c)
        return DatasetSection.canonical(c).map { "\($0.0): \($0.1)" }.joined(separator: "\n")
    }

    let tail = "merge_test: false\nsplit: {test: own, stratify: false, shuffle: true}\npreprocess: []"

    func testEveryOldSourceKeepsItsLines() {
        XCTAssertEqual(block(.mnist(path: nil)), "name: mnist\n" + tail)
        XCTAssertEqual(block(.fashionMNIST(path: "/d/f")), "name: fashion-mnist\npath: \"/d/f\"\n" + tail)
        XCTAssertEqual(block(.iris), "name: iris\n" + tail)
        XCTAssertEqual(block(.moons(count: 200, noise: 0.2)), "name: moons\ncount: 200\nnoise: 0.2\n" + tail)
        XCTAssertEqual(
            block(.circles(count: 1000, noise: 0.05, factor: 0.8)),
            "name: circles\ncount: 1000\nnoise: 0.05\nfactor: 0.8\n" + tail)
        XCTAssertEqual(block(.xor(repeats: 1, noise: 0)), "name: xor\nrepeats: 1\nnoise: 0\n" + tail)
        XCTAssertEqual(
            block(.blobs(count: 200, centers: 3, std: 1.5, dimension: 2)),
            "name: blobs\ncount: 200\ncenters: 3\nstd: 1.5\ndimension: 2\n" + tail)
        XCTAssertEqual(
            block(.spirals(count: 300, classes: 3, noise: 0.2)),
            "name: spirals\ncount: 300\nclasses: 3\nnoise: 0.2\n" + tail)
        XCTAssertEqual(
            block(
                .inline(
                    train: InlineData(features: [[0, 1], [1.5, 1e-7]], targets: .labels(["a", "1"])),
                    test: InlineData(features: [[2, 2]], targets: .values([[0.25]])))),
            "name: inline\nfeatures: [[0, 1], [1.5, 1e-07]]\nlabels: [\"a\", \"1\"]\ntest_features: [[2, 2]]\ntest_targets: [[0.25]]\n"
                + tail)
        XCTAssertEqual(
            block(.csv(CSVOptions(path: "/d/a.csv"), testPath: nil)),
            "name: csv\npath: \"/d/a.csv\"\nheader: true\ndelimiter: \",\"\nlabel: -1\n" + tail)
        XCTAssertEqual(
            block(
                .csv(
                    CSVOptions(
                        path: "/d/a.csv", header: false, delimiter: ";", target: .values([.index(3), .name("y")])),
                    testPath: "/d/t.csv")),
            "name: csv\npath: \"/d/a.csv\"\nheader: false\ndelimiter: \";\"\ntargets: [3, \"y\"]\ntest_path: \"/d/t.csv\"\n"
                + tail)
        XCTAssertEqual(
            block(.csv(CSVOptions(path: "/d/a.csv", target: .label(.name("species"))), testPath: nil)),
            "name: csv\npath: \"/d/a.csv\"\nheader: true\ndelimiter: \",\"\nlabel: \"species\"\n" + tail)
    }

    func testCommonKeysKeepTheirLinesAndOrder() {
        let b = block(.mnist(path: nil)) { c in
            c.trainCount = 60000
            c.testCount = 10000
            c.mergeTest = true
            c.sample = 5000
            c.split = SplitConfig(
                test: .holdout(.fraction(0.15)), validation: .count(750), stratify: true, shuffle: false)
            c.preprocessing = [.scale(255), .binarize(threshold: 0), .standardize, .maxScale, .scaleTargets(100)]
            c.dataRoot = "/srv/data"
        }
        XCTAssertEqual(
            b,
            """
            name: mnist
            train: 60000
            test: 10000
            merge_test: true
            sample: 5000
            split: {test: 0.15, validation: 750, stratify: true, shuffle: false}
            preprocess: [{scale: 255}, {binarize: 0}, standardize, max_scale, {scale_targets: 100}]
            data_root: "/srv/data"
            """)
    }
}
