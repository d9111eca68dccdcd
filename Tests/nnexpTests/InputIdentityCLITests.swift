import Foundation
import XCTest

/// A run's identity includes the SHA-256 of every file it reads: rewriting a data file or an init
/// file retrains, touching one without changing it does not.
final class InputIdentityCLITests: XCTestCase {
    let csv = "x1,x2,y\n0,0,0\n0,1,1\n1,0,1\n1,1,0\n0.1,0.1,0\n0.1,0.9,1\n0.9,0.1,1\n0.9,0.9,0\n"

    /// The digest by coreutils' sha256sum: an implementation independent of nnexp's.
    func sha256sum(_ url: URL) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
        p.arguments = [url.path]
        let pipe = Pipe()
        p.standardOutput = pipe
        try p.run()
        let out = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return String(decoding: out, as: UTF8.self).split(separator: " ").first.map(String.init) ?? ""
    }

    func testRewrittenDataFileOrInitFileRetrains() throws {
        let dir = try tempDir()
        try write(csv, to: "data.csv", in: dir)
        try write(
            """
            experiment: fromcsv
            dataset: {name: csv, path: data.csv, label: y}
            model: {hidden: [3]}
            optimizer: {type: sgd, learning_rate: 0.5}
            training: {epochs: 20}
            sweep:
              seed: [1, 2]
            """, to: "c.yaml", in: dir)
        let first = try run(["run", "c.yaml", "--quiet"], cwd: dir)
        XCTAssertEqual(first.status, 0, first.err)
        let config = try String(
            contentsOf: dir.appendingPathComponent("results/fromcsv/seed=1/config.yaml"), encoding: .utf8)
        let digest = try sha256sum(dir.appendingPathComponent("data.csv"))
        XCTAssertEqual(digest.count, 64)
        XCTAssertTrue(config.hasSuffix("inputs:\n  \"./data.csv\": \(digest)\n"), config)
        XCTAssertTrue(
            FileManager.default.fileExists(atPath: dir.appendingPathComponent("results/.input-hashes.csv").path))

        // The same bytes written again (a new modification time): rehashed, unchanged, kept.
        Thread.sleep(forTimeInterval: 0.01)
        try write(csv, to: "data.csv", in: dir)
        let same = try run(["run", "c.yaml", "--dry-run"], cwd: dir)
        XCTAssertTrue(same.out.hasSuffix("0 to train, 2 kept\n"), same.out)
        // Different bytes: every run reading the file retrains.
        try write(csv.replacingOccurrences(of: "0.9,0.9,0", with: "0.8,0.9,0"), to: "data.csv", in: dir)
        let changed = try run(["run", "c.yaml", "--dry-run"], cwd: dir)
        XCTAssertEqual(
            changed.out,
            "train  fromcsv/seed=1 (config changed)\ntrain  fromcsv/seed=2 (config changed)\n2 to train, 0 kept\n")

        // An init file: a run started from seed=1's weights, then from seed=2's.
        let weights = dir.appendingPathComponent("results/fromcsv")
        try FileManager.default.copyItem(
            at: weights.appendingPathComponent("seed=1/weights.npz"), to: dir.appendingPathComponent("w0.npz"))
        try write(
            """
            experiment: warm
            dataset: {name: xor}
            model: {layers: [2, 3, 2], init: {file: w0.npz}}
            optimizer: {type: sgd, learning_rate: 0.5}
            training: {epochs: 5}
            """, to: "w.yaml", in: dir)
        let warm = try run(["run", "w.yaml", "--quiet"], cwd: dir)
        XCTAssertEqual(warm.status, 0, warm.err)
        let warmConfig = try String(
            contentsOf: dir.appendingPathComponent("results/warm/run/config.yaml"), encoding: .utf8)
        XCTAssertTrue(
            warmConfig.hasSuffix("inputs:\n  \"w0.npz\": \(try sha256sum(dir.appendingPathComponent("w0.npz")))\n"),
            warmConfig)
        try FileManager.default.removeItem(at: dir.appendingPathComponent("w0.npz"))
        try FileManager.default.copyItem(
            at: weights.appendingPathComponent("seed=2/weights.npz"), to: dir.appendingPathComponent("w0.npz"))
        let rewarm = try run(["run", "w.yaml", "--dry-run"], cwd: dir)
        XCTAssertEqual(rewarm.out, "train  warm/run (config changed)\n1 to train, 0 kept\n")
    }

    /// A sealed checkpoint file (docs/results.md "Checkpoints") with no arrays.
    func checkpoint(fingerprint: String, epoch: Int, in dir: URL) throws -> Data {
        let body = Data("nnexp-checkpoint 1\nfingerprint: \(fingerprint)\nepoch: \(epoch)\nend\n".utf8)
        let tmp = dir.appendingPathComponent("body")
        try body.write(to: tmp)
        let hex = Array(try sha256sum(tmp).utf8)
        func v(_ c: UInt8) -> UInt8 { c <= 57 ? c - 48 : c - 87 }
        return body + Data(stride(from: 0, to: 64, by: 2).map { v(hex[$0]) << 4 | v(hex[$0 + 1]) })
    }

    /// The scheduler's side of checkpoints: one made for another config is ignored (and said) and
    /// removed; one of this config is used (here it holds nothing to resume from, which is said, and
    /// the run trains from the start) and removed once the run's folder is written.
    func testCheckpointsAreCheckedAgainstTheRunsFingerprint() throws {
        let dir = try tempDir()
        try write(
            """
            experiment: ck
            dataset: {name: xor}
            model: {layers: [2, 3, 1]}
            optimizer: {type: sgd, learning_rate: 0.5}
            training: {epochs: 5}
            sweep:
              seed: [1, 2]
            """, to: "k.yaml", in: dir)
        XCTAssertEqual(try run(["run", "k.yaml", "--quiet"], cwd: dir).status, 0)
        let exp = dir.appendingPathComponent("results/ck")
        let fingerprint = try sha256sum(exp.appendingPathComponent("seed=1/config.yaml"))
        try checkpoint(fingerprint: fingerprint, epoch: 3, in: dir).write(
            to: exp.appendingPathComponent(".checkpoint-seed=1"))
        try checkpoint(fingerprint: fingerprint, epoch: 3, in: dir).write(
            to: exp.appendingPathComponent(".checkpoint-seed=2"))
        let r = try run(["run", "k.yaml", "--force"], cwd: dir)
        XCTAssertEqual(r.status, 0, r.err)
        XCTAssertTrue(r.err.contains("ck/seed=1: resuming from epoch 3"), r.err)
        XCTAssertTrue(
            r.err.contains(
                "ck/seed=1: its checkpoint cannot be used (.checkpoint-seed=1: it holds no parameters): training from the start"
            ), r.err)
        XCTAssertTrue(r.err.contains("ck/seed=2: ignoring its checkpoint: its fingerprint differs"), r.err)
        for run in ["seed=1", "seed=2"] {
            XCTAssertFalse(
                FileManager.default.fileExists(atPath: exp.appendingPathComponent(".checkpoint-\(run)").path), run)
        }
    }

    /// An lbfgs run never resumes: a checkpoint of its very config is ignored, said and removed, and
    /// an interrupted lbfgs run leaves none.
    func testLBFGSRunsIgnoreCheckpoints() throws {
        let dir = try tempDir()
        try write(
            """
            experiment: lb
            dataset: {name: xor}
            model: {layers: [2, 3, 1]}
            optimizer: {type: lbfgs, max_iterations: 20}
            """, to: "l.yaml", in: dir)
        XCTAssertEqual(try run(["run", "l.yaml", "--quiet"], cwd: dir).status, 0)
        let exp = dir.appendingPathComponent("results/lb")
        let fingerprint = try sha256sum(exp.appendingPathComponent("run/config.yaml"))
        try checkpoint(fingerprint: fingerprint, epoch: 3, in: dir).write(
            to: exp.appendingPathComponent(".checkpoint-run"))
        let r = try run(["run", "l.yaml", "--force"], cwd: dir)
        XCTAssertEqual(r.status, 0, r.err)
        XCTAssertTrue(
            r.err.contains(
                "lb/run: ignoring its checkpoint: L-BFGS keeps its history inside liblbfgs, which cannot be saved exactly, so lbfgs runs restart from the beginning"
            ), r.err)
        XCTAssertFalse(r.err.contains("resuming"), r.err)
        XCTAssertFalse(FileManager.default.fileExists(atPath: exp.appendingPathComponent(".checkpoint-run").path))
    }
}
