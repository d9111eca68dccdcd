import Foundation
import XCTest

/// Runs the built `nnexp` binary as a subprocess, as a user would.
final class CLITests: XCTestCase {
    func testRunWritesResultsAndExitsZero() throws {
        let dir = try tempDir()
        try """
        experiment: tiny
        dataset: {name: xor}
        model: {layers: [2, 4, 1], activation: sigmoid, output: sigmoid, loss: logistic, init: {uniform: [-1, 1]}}
        optimizer: {type: sgd, learning_rate: 0.5, momentum: 0.9}
        training: {epochs: 50}
        seed: 3
        """.write(to: dir.appendingPathComponent("tiny.yaml"), atomically: true, encoding: .utf8)
        let r = try run(["run", "tiny.yaml", "--results", "out", "--jobs", "1"], cwd: dir)
        XCTAssertEqual(r.status, 0, r.err)
        let runDir = dir.appendingPathComponent("out/tiny/run")
        for f in ["config.yaml", "cost.csv", "confusion-train.csv", "metrics.csv"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: runDir.appendingPathComponent(f).path), f)
        }
        let cost = try String(contentsOf: runDir.appendingPathComponent("cost.csv"), encoding: .utf8)
        let lines = cost.split(separator: "\n")
        XCTAssertEqual(lines.first, "epoch,cost,learning_rate")
        XCTAssertEqual(lines.count, 51)
        XCTAssertTrue(FileManager.default.fileExists(atPath: dir.appendingPathComponent("out/tiny/summary.csv").path))
    }

    func testBrokenSpecExitsTwoWithMessage() throws {
        let dir = try tempDir()
        try "experiment: bad\ndataset: {name: xor}\nmodel: {layers: [2, 1]}\noptimizer: {type: sgd, lr: 1}\n"
            .write(to: dir.appendingPathComponent("bad.yaml"), atomically: true, encoding: .utf8)
        let r = try run(["run", "bad.yaml"], cwd: dir)
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.err.contains("bad.yaml:4:24: error: unknown key `lr` in `optimizer`"), r.err)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("results").path))
    }

    /// Command-line mistakes exit 2 (docs/cli.md), with ArgumentParser's message and usage on stderr.
    func testUsageMistakesExitTwo() throws {
        let dir = try tempDir()
        for args in [["run", "--jobs", "many", "x.yaml"], ["run", "--no-such-option"], ["frobnicate"], ["diff"]] {
            let r = try run(args, cwd: dir)
            XCTAssertEqual(r.status, 2, "\(args): \(r.err)")
            XCTAssertTrue(r.err.contains("Error:"), "\(args): \(r.err)")
            XCTAssertTrue(
                r.err.contains("Usage:") || r.err.contains("USAGE") || r.err.contains("Help:"), "\(args): \(r.err)")
        }
        XCTAssertEqual(try run(["--help"], cwd: dir).status, 0)
    }

    func testVersionAndHelp() throws {
        let dir = try tempDir()
        let v = try run(["--version"], cwd: dir)
        XCTAssertEqual(v.status, 0)
        XCTAssertFalse(v.out.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty)
        let h = try run(["run", "--help"], cwd: dir)
        XCTAssertTrue(h.out.contains("--jobs"), h.out)
        XCTAssertTrue(h.out.contains("Example"), h.out)
    }
}
