import Foundation
import XCTest

/// `--threads-per-run` (and the default budget) never changes a result file: products are cut into
/// blocks by shape alone (NNEngine's ProductBlocks), whatever the thread count.
final class ThreadsPerRunTests: XCTestCase {
    func testResultFilesIdenticalForEveryThreadCount() throws {
        let dir = try tempDir()
        try write(
            """
            experiment: threads
            dataset: {name: blobs, count: 900, dimension: 300, centers: 4, std: 3.0, split: {test: 0.2}}
            model: {hidden: [200], activation: relu, output: softmax, loss: cross_entropy, init: he}
            optimizer: {type: adam, learning_rate: 0.01}
            training: {epochs: 3, batch_size: 240, shuffle: true, precision: float32}
            sweep: {seed: [1, 2]}
            """, to: "t.yaml", in: dir)
        var trees: [[String: Data]] = []
        for (name, extra) in [
            ("t1", ["--threads-per-run", "1", "--jobs", "1"]), ("t3", ["--threads-per-run", "3", "--jobs", "2"]),
            ("default", ["--jobs", "1"])
        ] {
            let r = try run(["run", "t.yaml", "--results", name, "--quiet"] + extra, cwd: dir)
            XCTAssertEqual(r.status, 0, r.err)
            trees.append(try files(under: dir.appendingPathComponent(name)))
        }
        XCTAssertGreaterThan(trees[0].count, 6)
        for t in trees.dropFirst() {
            XCTAssertEqual(Set(t.keys), Set(trees[0].keys))
            for (k, v) in trees[0] { XCTAssertEqual(t[k], v, "\(k) differs between thread counts") }
        }
        let bad = try run(["run", "t.yaml", "--threads-per-run", "0"], cwd: dir)
        XCTAssertEqual(bad.status, 2, bad.err)
        XCTAssertTrue(bad.err.contains("--threads-per-run"), bad.err)
    }
}
