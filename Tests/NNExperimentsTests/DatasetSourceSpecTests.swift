import Foundation
import NNDatasets
import XCTest

@testable import NNExperiments

/// Dataset sources through the spec: the `npz` source decoded, fingerprinted and trained like `csv`,
/// its mistakes at their line and column, and the rule that decoder and loader judge an argument
/// with one validator (issue 19: the decoder once accepted circles `factor: 1`, the loader not).
final class DatasetSourceSpecTests: XCTestCase {
    let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../NNDatasetsTests/Fixtures").standardized.path

    func spec(_ dataset: String, layers: String = "[2, 3, 3]", output: String = "softmax") -> String {
        """
        experiment: n
        dataset: \(dataset)
        model: {layers: \(layers), output: \(output), loss: cross_entropy}
        optimizer: {type: sgd}
        training: {epochs: 2}

        """
    }

    func testNPZSpecDecodesWithDefaultsAndTrains() throws {
        let folder = try SpecFolder([
            "t.yaml": spec("{name: npz, path: \(fixtures)/labels.npz, test_path: \(fixtures)/labels-test.npz}")
        ])
        defer { folder.remove() }
        XCTAssertEqual(folder.errors("t.yaml"), [])
        let run = try XCTUnwrap(folder.load("t.yaml").runs.first)
        let text = run.canonicalYAML
        XCTAssertTrue(
            text.contains(
                """
                dataset:
                  name: npz
                  path: "\(fixtures)/labels.npz"
                  features: "X"
                  labels: "y"
                  test_path: "\(fixtures)/labels-test.npz"
                  merge_test: false
                """), text)
        // Both archives are inputs of the run, so editing one retrains it.
        XCTAssertEqual(run.inputFiles().map(\.name), ["\(fixtures)/labels.npz", "\(fixtures)/labels-test.npz"])
        let outcome = RunExecutor.execute(run)
        let metrics = String(decoding: try XCTUnwrap(outcome.files["metrics.csv"]), as: UTF8.self)
        XCTAssertTrue(metrics.contains("status,completed"), metrics)
        XCTAssertNotNil(outcome.files["confusion-test.csv"])
    }

    func testNPZRegressionUnderOtherNames() throws {
        let folder = try SpecFolder([
            "t.yaml": spec(
                "{name: npz, path: \(fixtures)/regression.npz, features: inputs, targets: t}",
                layers: "[2, 2]", output: "linear"
            ).replacingOccurrences(of: "cross_entropy", with: "mse")
        ])
        defer { folder.remove() }
        XCTAssertEqual(folder.errors("t.yaml"), [])
        let text = try XCTUnwrap(folder.load("t.yaml").runs.first).canonicalYAML
        XCTAssertTrue(text.contains("  features: \"inputs\"\n  targets: \"t\"\n"), text)
    }

    func testNPZMistakesAtTheirLocation() throws {
        let folder = try SpecFolder([
            "a.yaml": spec("{name: npz}"),
            "b.yaml": spec("{name: npz, path: d.npz, labels: y, targets: t, repeats: 2, features: [[1, 2]]}"),
            "c.yaml": spec("{name: npz, path: \(fixtures)/labels.npz, features: nothing}")
        ])
        defer { folder.remove() }
        XCTAssertEqual(
            folder.errors("a.yaml"),
            ["a.yaml:2:10: error: an npz dataset needs `path` (a .npz file holding arrays `X` and `y`)"])
        XCTAssertEqual(
            folder.errors("b.yaml"),
            [
                "b.yaml:2:46: error: give `dataset.labels` (classification) or `dataset.targets` (regression), not both",
                "b.yaml:2:58: error: `dataset.repeats` does not apply to dataset 'npz' (it takes: train, test, merge_test, sample, split, preprocess, seed, data_root, path, features, labels, targets, test_path)",
                "b.yaml:2:80: error: `dataset.features` must be a string, found a list"
            ])
        let c = folder.errors("c.yaml")
        XCTAssertEqual(c.count, 1)
        XCTAssertTrue(
            c.first?.contains("labels.npz: no array `nothing` (`dataset.features`); the archive holds `X`, `y`")
                == true, "\(c)")
    }

    /// One validator per argument: the decoder's message for a value is the loader's, for every
    /// numeric argument of every registered source.
    func testDecoderAndLoaderJudgeAnArgumentAlike() throws {
        let folder = try SpecFolder([
            "f.yaml": spec("{name: circles, factor: 1}", layers: "[2, 2]"),
            "m.yaml": spec("{name: moons, count: 1}", layers: "[2, 2]")
        ])
        defer { folder.remove() }
        let decoded = folder.errors("f.yaml") + folder.errors("m.yaml")
        XCTAssertEqual(
            decoded,
            [
                "f.yaml:2:34: error: `dataset.factor` must be less than 1 (the inner circle's radius; 1 puts it on the outer circle), found 1",
                "m.yaml:2:31: error: `dataset.count` must be at least 2, found 1"
            ])
        for (source, message) in [
            (DatasetConfig.Source.circles(count: 10, noise: 0, factor: 1), decoded[0]),
            (.moons(count: 1, noise: 0), decoded[1])
        ] {
            let loaderWords = try XCTUnwrap(message.components(separatedBy: "error: ").last)
            XCTAssertThrowsError(try DatasetLoader.build(DatasetConfig(source: source), seed: 0)) { e in
                XCTAssertEqual("\(e)", "\(source.name): \(loaderWords)")
            }
        }
    }

    /// The registry drives the decoder and the docs: every source is a `dataset.name` choice, every key
    /// of a source is accepted for it and refused for a source without it, and docs/spec.md names the
    /// source in each of its keys' rows; docs/datasets.md has a section per source.
    func testEverySourceIsDecodedAndDocumented() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..")
            .standardized
        let spec = try String(contentsOf: root.appendingPathComponent("docs/spec.md"), encoding: .utf8).split(
            separator: "\n"
        ).map(String.init)
        let datasets = try String(contentsOf: root.appendingPathComponent("docs/datasets.md"), encoding: .utf8)
        let nameRow = try XCTUnwrap(spec.first { $0.hasPrefix("| `dataset.name` |") })
        XCTAssertEqual(DatasetSection.sources, SourceRegistry.names)
        for kind in SourceRegistry.all {
            XCTAssertTrue(nameRow.contains("`\(kind.name)`"), "dataset.name row lacks \(kind.name)")
            XCTAssertTrue(datasets.contains("`\(kind.name)`"), "docs/datasets.md lacks \(kind.name)")
            for key in kind.keys {
                let row = try XCTUnwrap(
                    spec.first { $0.hasPrefix("| `dataset.\(key)` |") }, "dataset.\(key) undocumented")
                XCTAssertTrue(row.contains(kind.name), "the row of dataset.\(key) does not name \(kind.name)")
                XCTAssertTrue(DatasetSection.allKeys.contains(key))
            }
        }
    }
}
