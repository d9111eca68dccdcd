import XCTest

@testable import NNExperiments

/// `config.yaml` read back through the YAML parser as (dotted key, value as written) leaves: what
/// summary.csv, the report's axes and `nnexp diff` show.
final class ConfigLeavesTests: XCTestCase {
    func leaves(_ text: String) throws -> [String] {
        try ConfigLeaves(text, path: "config.yaml").leaves.map { "\($0.key)=\($0.value)" }
    }

    func testBlocksNestFlowValuesStayWhole() throws {
        XCTAssertEqual(
            try leaves("a: 1\nsweep:\n  optimizer.learning_rate: 0.5\nb:\n  c: {x: 1}\n  d: \"q: r\"\n"),
            ["a=1", "sweep.optimizer.learning_rate=0.5", "b.c={x: 1}", "b.d=\"q: r\""])
        // The shapes config.yaml writes for sweep values: a list, a flow mapping, a float kept as written.
        let sweep = try ConfigLeaves(
            "sweep:\n  model.hidden: [256, 128]\n  optimizer: {type: sgd, learning_rate: 0.1}\n  regularization.l2: 0.0\n",
            path: "c"
        ).sweepValues
        XCTAssertEqual(sweep.map(\.key), ["model.hidden", "optimizer", "regularization.l2"])
        XCTAssertEqual(sweep.map(\.value), ["[256, 128]", "{type: sgd, learning_rate: 0.1}", "0.0"])
    }

    /// What a line-based reader got wrong and YAML gets right: comments, quoted keys, a flow value over
    /// two lines, a block list, an empty block, `': '` inside a quoted value.
    func testYAMLRulesNotLineRules() throws {
        XCTAssertEqual(
            try leaves(
                "a: 3   # note\n\"x/y.gz\": abc\nf: {p: 1,\n    q: 'it''s'}\nl:\n  - 1\n  - two\nempty:\ns: 'k: v' # c\n"
            ),
            ["a=3", "\"x/y.gz\"=abc", "f={p: 1, q: 'it''s'}", "l=[1, two]", "s='k: v'"])
        XCTAssertEqual(try leaves(""), [])
    }

    func testSyntaxErrorNamesTheFile() {
        XCTAssertThrowsError(try ConfigLeaves("a: [1, 2\nb: 3\n", path: "results/x/run/config.yaml")) { e in
            let text = "\(e)"
            XCTAssertTrue(e is ResultsReadError, text)
            XCTAssertTrue(text.hasPrefix("results/x/run/config.yaml: not valid YAML: line "), text)
        }
    }

    /// Every committed run's config.yaml reads, and its sweep values are the ones summary.csv lists.
    func testCommittedConfigsMatchTheirSummaries() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("results").path
        let fm = FileManager.default
        var checked = 0
        for experiment in ((try? fm.contentsOfDirectory(atPath: root)) ?? []).sorted() {
            let dir = (root as NSString).appendingPathComponent(experiment)
            guard let bytes = fm.contents(atPath: (dir as NSString).appendingPathComponent("summary.csv")) else {
                continue
            }
            let summary = try CSVDocument.parse(Array(bytes), path: "summary.csv")
            guard let status = summary.column("status") else { continue }
            let axes = Array(summary.header[1..<status])
            for row in summary.rows {
                let path = ((dir as NSString).appendingPathComponent(row[0]) as NSString).appendingPathComponent(
                    "config.yaml")
                guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { continue }
                let sweep = try ConfigLeaves(text, path: path).sweepValues
                for (i, axis) in axes.enumerated() {
                    XCTAssertEqual(sweep.first { $0.key == axis }?.value ?? "", row[i + 1], "\(path): \(axis)")
                }
                checked += 1
            }
        }
        if checked == 0 { throw XCTSkip("no committed results next to the tests") }
    }
}
