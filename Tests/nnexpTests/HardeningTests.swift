import Foundation
import XCTest

/// Inputs that once crashed, hung or were silently accepted (issue 13). Each must end with exit 2 or
/// 3 and a message within seconds — never a signal, never a hang.
final class HardeningTests: XCTestCase {
    /// Runs nnexp, killing it (and failing) if it takes longer than `seconds`.
    func runBounded(
        _ args: [String], cwd: URL, seconds: Double = 60,
        file: StaticString = #filePath, line: UInt = #line
    ) throws -> (status: Int32, out: String, err: String) {
        let (p, out, err) = try start(args, cwd: cwd)
        let deadline = Date().addingTimeInterval(seconds)
        while p.isRunning, Date() < deadline { usleep(20_000) }
        if p.isRunning {
            p.terminate()
            kill(p.processIdentifier, SIGKILL)
            p.waitUntilExit()
            XCTFail("nnexp \(args.joined(separator: " ")) still running after \(seconds) s", file: file, line: line)
        }
        p.waitUntilExit()
        XCTAssertEqual(
            p.terminationReason, .exit, "nnexp ended by signal \(p.terminationStatus)", file: file, line: line)
        defer {
            try? FileManager.default.removeItem(at: out)
            try? FileManager.default.removeItem(at: err)
        }
        return (
            p.terminationStatus, try String(contentsOf: out, encoding: .utf8),
            try String(contentsOf: err, encoding: .utf8)
        )
    }

    /// `nnexp check` on `spec` exits `status` and its stderr holds every one of `messages`.
    func expectCheck(
        _ spec: String, status: Int32 = 2, _ messages: [String], files: [String: String] = [:],
        file: StaticString = #filePath, line: UInt = #line
    ) throws {
        let dir = try tempDir()
        try write(spec, to: "s.yaml", in: dir)
        for (name, text) in files { try write(text, to: name, in: dir) }
        let r = try runBounded(["check", "s.yaml"], cwd: dir, file: file, line: line)
        XCTAssertEqual(r.status, status, r.err, file: file, line: line)
        for m in messages { XCTAssertTrue(r.err.contains(m), "missing «\(m)» in:\n\(r.err)", file: file, line: line) }
    }

    // MARK: 1. sizes with no upper bound

    func testHugeDatasetCountsAreRefusedAtTheirLine() throws {
        let cases: [(String, String)] = [
            (
                "dataset: {name: moons, count: 1000000000000}",
                "s.yaml:2:31: error: `dataset.count` must be at most 100000000"
            ),
            (
                "dataset: {name: moons, count: 9223372036854775807}",
                "s.yaml:2:31: error: `dataset.count` must be at most"
            ),
            ("dataset: {name: xor, repeats: 1000000000}", "s.yaml:2:31: error: `dataset.repeats` must be at most"),
            (
                "dataset: {name: blobs, dimension: 1000000000}",
                "s.yaml:2:35: error: `dataset.dimension` must be at most"
            ),
            ("dataset: {name: blobs, centers: 1000000000}", "s.yaml:2:33: error: `dataset.centers` must be at most")
        ]
        for (data, message) in cases {
            try expectCheck("experiment: big\n\(data)\nmodel: {hidden: [3]}\noptimizer: {type: sgd}\n", [message])
        }
    }

    func testHugeStepCountsAndLayersAreRefused() throws {
        let head = "experiment: big\ndataset: {name: xor}\n"
        try expectCheck(
            head + "model: {hidden: [3]}\noptimizer: {type: sgd}\ntraining: {epochs: 10000000000}\n",
            ["s.yaml:5:20: error: `training.epochs` must be at most 100000000"])
        try expectCheck(
            head + "model: {hidden: [3]}\noptimizer: {type: cg, max_iterations: 9223372036854775807}\n",
            ["s.yaml:4:39: error: `optimizer.max_iterations` must be at most 100000000"])
        try expectCheck(
            head + "model: {hidden: [3]}\noptimizer: {type: lbfgs, memory: 1000000000000}\n",
            ["s.yaml:4:34: error: `optimizer.memory` must be at most 10000"])
        try expectCheck(
            head + "model: {layers: [2, 1000000000000, 1]}\noptimizer: {type: sgd}\n",
            ["s.yaml:3:21: error: `model.layers` must be at most 10000000"])
    }

    /// Each value within its bound, but together more than any machine holds: refused by `check`
    /// with the memory the run would need, at the section that asks for most.
    func testRunsThatCannotFitInMemoryAreRefusedWithTheirNeed() throws {
        try expectCheck(
            "experiment: big\ndataset: {name: xor}\nmodel: {hidden: [10000000, 10000000]}\noptimizer: {type: sgd}\n",
            ["s.yaml:3:17: error: this run would need at least 3.20 PB of memory (1e+14 parameters"])
        try expectCheck(
            "experiment: big\ndataset: {name: blobs, count: 100000000, dimension: 1000000}\nmodel: {hidden: [3]}\noptimizer: {type: sgd}\ntraining: {batch_size: 10}\n",
            ["s.yaml:2:10: error: this run would need at least", "PB of memory"])
        try expectCheck(
            "experiment: big\ndataset: {name: xor}\nmodel: {hidden: [10000000]}\noptimizer: {type: lbfgs, memory: 10000}\n",
            ["s.yaml:4:34: error: this run would need at least 8.00 TB of memory (5e+07 parameters"])
    }

    /// The BFGS size guard applies to `hidden:` exactly as to `layers:` (it once checked only the latter).
    func testBFGSGuardSeesTheResolvedArchitecture() throws {
        let inline = "dataset: {name: blobs, count: 20, dimension: 100, centers: 3}\n"
        try expectCheck(
            "experiment: b\n" + inline + "model: {hidden: [50]}\noptimizer: {type: bfgs}\n",
            ["s.yaml:4:19: error: optimizer 'bfgs' keeps a dense 5203×5203 inverse Hessian"])
    }

    // MARK: 2. YAML bombs and pathological trees

    /// Nine aliases of nine aliases… (9^10 leaves) used as sweep values: refused while parsing.
    func testAliasBombIsRefusedByTheNodeLimit() throws {
        var lines = ["a: &a [1, 1, 1, 1, 1, 1, 1, 1, 1]"]
        let names = "abcdefghij".map(String.init)
        for i in 1..<names.count {
            let p = names[i - 1]
            lines.append("\(names[i]): &\(names[i]) [*\(p), *\(p), *\(p), *\(p), *\(p), *\(p), *\(p), *\(p), *\(p)]")
        }
        let spec =
            "experiment: bomb\ndataset: {name: xor}\nmodel: {hidden: [3]}\noptimizer: {type: sgd}\n"
            + lines.map { "x-" + $0 }.joined(separator: "\n") + "\nsweep: {seed: *j}\n"
        try expectCheck(spec, ["error: the spec holds more than 1000000 values once its aliases are expanded"])
    }

    func testDeepNestingIsRefusedAtTheLimit() throws {
        let spec = "experiment: deep\nx-deep: " + String(repeating: "[", count: 100_000) + "\n"
        try expectCheck(spec, ["s.yaml:2:", "error: lists and mappings nest more than 64 levels deep"])
    }

    /// 100,000 keys in one mapping: linear construction (it once took over a minute). The bound of
    /// 60 s is a hang detector, not a timing assertion.
    func testManyKeysAreReadAndReported() throws {
        let keys = (0..<100_000).map { "  k\($0): 1" }.joined(separator: "\n")
        let spec =
            "experiment: wide\ndataset: {name: xor}\nmodel: {hidden: [3]}\noptimizer: {type: sgd}\nregularization:\n"
            + keys + "\n"
        try expectCheck(spec, ["s.yaml:6:3: error: unknown key `k0` in `regularization`", "100000 errors in spec"])
    }

    func testTwoDocumentsInOneFileAreAnError() throws {
        try expectCheck(
            "experiment: one\ndataset: {name: xor}\nmodel: {hidden: [3]}\noptimizer: {type: sgd}\n---\nexperiment: two\n",
            ["s.yaml:5:1: error: a second YAML document starts here"])
    }

    /// `!!str 0.1` is a string, so a number key refuses it (it was once read as 0.1).
    func testStrTagMakesAString() throws {
        try expectCheck(
            "experiment: t\ndataset: {name: xor}\nmodel: {hidden: [3]}\noptimizer: {type: sgd, learning_rate: !!str 0.1}\n",
            ["s.yaml:4:39: error: `optimizer.learning_rate` must be a number, found the string \"0.1\""])
    }

    // MARK: 3. data files

    /// A device, a folder and a FIFO given as data: exit 3 naming the path, at once.
    func testNonRegularDataFilesAreRefused() throws {
        let dir = try tempDir()
        XCTAssertEqual(mkfifo(dir.appendingPathComponent("pipe.csv").path, 0o600), 0)
        try FileManager.default.createDirectory(
            at: dir.appendingPathComponent("folder.csv"), withIntermediateDirectories: true)
        for (path, why) in [
            ("/dev/zero", "is not a regular file"), ("pipe.csv", "is not a regular file"), ("folder.csv", "is a folder")
        ] {
            try write(
                "experiment: d\ndataset: {name: csv, path: \(path)}\nmodel: {hidden: [3]}\noptimizer: {type: sgd}\n",
                to: "s.yaml", in: dir)
            let r = try runBounded(["check", "s.yaml"], cwd: dir, seconds: 30)
            XCTAssertEqual(r.status, 3, r.err)
            XCTAssertTrue(r.err.contains("\(path): \(why)"), r.err)
        }
    }

    // MARK: 4. a second Ctrl-C or SIGTERM

    /// A real process and real signals: a second signal while runs are inside their epochs quits with
    /// status 130, never by a signal (it once segfaulted in 5 of 8 tries). Several tries, both signals.
    func testSecondSignalQuitsWith130() throws {
        let dir = try tempDir()
        // Epochs of about a second, so the first signal's cancellation is still pending at the second.
        try write(
            """
            experiment: slow
            dataset: {name: blobs, count: 20000, dimension: 50, centers: 3, seed: 0}
            model: {hidden: [2048]}
            optimizer: {type: sgd, learning_rate: 0.001}
            training: {epochs: 1000}
            sweep: {seed: [1, 2]}
            """, to: "slow.yaml", in: dir)
        for (i, sig) in [SIGINT, SIGTERM, SIGINT, SIGTERM].enumerated() {
            let (p, out, err) = try start(["run", "slow.yaml", "--results", "out-\(i)", "--jobs", "2"], cwd: dir)
            // Checking the spec takes a fraction of a second; then the handlers are in place and both
            // runs are inside their first epochs.
            usleep(1_500_000)
            XCTAssertTrue(p.isRunning, "the run ended before it could be interrupted")
            kill(p.processIdentifier, sig)
            usleep(200_000)  // two signals sent at once merge into one in the kernel
            kill(p.processIdentifier, sig)
            let deadline = Date().addingTimeInterval(30)
            while p.isRunning, Date() < deadline { usleep(20_000) }
            if p.isRunning {
                kill(p.processIdentifier, SIGKILL)
                XCTFail("still running 30 s after the second signal")
            }
            p.waitUntilExit()
            XCTAssertEqual(p.terminationReason, .exit, "try \(i): ended by signal \(p.terminationStatus)")
            XCTAssertEqual(
                p.terminationStatus, 130, "try \(i): " + ((try? String(contentsOf: err, encoding: .utf8)) ?? ""))
            try? FileManager.default.removeItem(at: out)
            try? FileManager.default.removeItem(at: err)
        }
    }

    // MARK: 6. data mistakes located

    func testDataMistakesAreReportedAtTheirKey() throws {
        try expectCheck(
            "experiment: d\ndataset: {name: xor, split: {test: 50}}\nmodel: {hidden: [3]}\noptimizer: {type: sgd}\n",
            ["s.yaml:2:29: error: dataset: split: test asks for 50 samples but the pool has only 4"])
        try expectCheck(
            "experiment: d\ndataset: {name: moons, sample: 500}\nmodel: {hidden: [3]}\noptimizer: {type: sgd}\n",
            ["s.yaml:2:32: error: dataset: sample: 500 samples asked but the pool has only 200"])
        // The docs said (0, 1], the loader refused 1: both now refuse it, at the line.
        try expectCheck(
            "experiment: d\ndataset: {name: circles, factor: 1}\nmodel: {hidden: [3]}\noptimizer: {type: sgd}\n",
            ["s.yaml:2:34: error: `dataset.factor` must be less than 1"])
        try expectCheck(
            "experiment: d\ndataset: {name: xor}\nmodel: {hidden: [3], init: {file: nothere.npz}}\noptimizer: {type: sgd}\n",
            ["s.yaml:3:35: error: `model.init.file`: ", "nothere.npz: no such file or directory"])
    }

    /// A data file that cannot be read fails the runs that use it; the other specs' runs train, and
    /// the exit status is 1 (docs/cli.md, Failures).
    func testUnreadableDataFailsOnlyItsRuns() throws {
        let dir = try tempDir()
        try write(
            "experiment: broken\ndataset: {name: csv, path: missing.csv}\nmodel: {hidden: [3]}\noptimizer: {type: sgd}\ntraining: {epochs: 2}\n",
            to: "broken.yaml", in: dir)
        try write(
            "experiment: fine\ndataset: {name: xor}\nmodel: {hidden: [3]}\noptimizer: {type: sgd}\ntraining: {epochs: 2}\n",
            to: "fine.yaml", in: dir)
        let check = try runBounded(["check", "broken.yaml", "fine.yaml"], cwd: dir)
        XCTAssertEqual(check.status, 3, check.err)
        let r = try runBounded(["run", "broken.yaml", "fine.yaml", "--results", "out", "--jobs", "1"], cwd: dir)
        XCTAssertEqual(r.status, 1, r.err)
        XCTAssertTrue(r.err.contains("missing.csv"), r.err)
        XCTAssertTrue(
            FileManager.default.fileExists(atPath: dir.appendingPathComponent("out/fine/run/cost.csv").path), r.err)
        let metrics = try String(contentsOf: dir.appendingPathComponent("out/broken/run/metrics.csv"), encoding: .utf8)
        XCTAssertTrue(metrics.contains("failed"), metrics)
    }

    // MARK: 7. names, information leaks, messages

    func testOverlongExperimentNameIsRefusedAtCheck() throws {
        let name = String(repeating: "a", count: 256)
        try expectCheck(
            "experiment: \(name)\ndataset: {name: xor}\nmodel: {hidden: [3]}\noptimizer: {type: sgd}\n",
            ["s.yaml:1:13: error: `experiment` names a results folder: at most 255 bytes, found 256"])
    }

    func testEmptyResultsFolderAndUnknownHelpTopicExitTwo() throws {
        let dir = try tempDir()
        try write(
            "experiment: e\ndataset: {name: xor}\nmodel: {hidden: [3]}\noptimizer: {type: sgd}\ntraining: {epochs: 1}\n",
            to: "e.yaml", in: dir)
        let r = try runBounded(["run", "e.yaml", "--results", ""], cwd: dir)
        XCTAssertEqual(r.status, 2, r.err)
        XCTAssertTrue(r.err.contains("--results needs a folder name"), r.err)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("e").path))
        let h = try runBounded(["help", "nosuchcommand"], cwd: dir)
        XCTAssertEqual(h.status, 2, h.err)
        XCTAssertTrue(h.err.contains("error: no command `nosuchcommand`"), h.err)
        XCTAssertEqual(try runBounded(["help", "run"], cwd: dir).status, 0)
    }

    /// A file that is not a spec, given to `extends` or as the spec itself, is reported as such and
    /// its contents are never echoed (it once printed /etc/shadow line by line as unknown keys).
    func testNonSpecFilesAreNotEchoed() throws {
        let secret = (0..<20).map { "user\($0):$6$SECRETHASH\($0):19000:0:99999:7:::" }.joined(separator: "\n") + "\n"
        try expectCheck(
            "experiment: e\nextends: shadow\n",
            ["s.yaml:2:10: error: `shadow` is not a spec: none of its 20 top-level keys is a spec key"],
            files: ["shadow": secret])
        try expectCheck(
            "experiment: e\nextends: text\n",
            ["s.yaml:2:10: error: `text` is not a spec: it holds a single string, not a YAML mapping of spec keys"],
            files: ["text": "just some words\n"])
        let dir = try tempDir()
        try write(secret, to: "shadow", in: dir)
        for args in [["check", "shadow"], ["check", "s.yaml"]] {
            try write("experiment: e\nextends: shadow\n", to: "s.yaml", in: dir)
            let r = try runBounded(args, cwd: dir)
            XCTAssertEqual(r.status, 2, r.err)
            XCTAssertFalse(r.err.contains("SECRETHASH"), r.err)
        }
    }

    /// However many mistakes a spec has, at most 50 are printed, then how many more there are.
    func testDiagnosticsAreCapped() throws {
        let keys = (0..<120).map { "  k\($0): 1" }.joined(separator: "\n")
        let dir = try tempDir()
        try write(
            "experiment: w\ndataset: {name: xor}\nmodel: {hidden: [3]}\noptimizer: {type: sgd}\nregularization:\n"
                + keys + "\n", to: "s.yaml", in: dir)
        let r = try runBounded(["check", "s.yaml"], cwd: dir)
        XCTAssertEqual(r.status, 2)
        XCTAssertEqual(r.err.components(separatedBy: ": error: ").count - 1, 50, r.err)
        XCTAssertTrue(r.err.contains("… and 70 more (only the first 50 are shown)\n120 errors in spec"), r.err)
    }

    /// Unreadable spec files: plain sentences with the path and the system's reason, never
    /// Foundation's "NSCocoaErrorDomain … error 256"; a device or FIFO as a spec never hangs.
    func testUnreadableSpecsGivePlainReasons() throws {
        let dir = try tempDir()
        try FileManager.default.createDirectory(
            at: dir.appendingPathComponent("folder.yaml"), withIntermediateDirectories: true)
        XCTAssertEqual(mkfifo(dir.appendingPathComponent("pipe.yaml").path, 0o600), 0)
        try Data([0xff, 0xfe, 0x00, 0x41]).write(to: dir.appendingPathComponent("binary.yaml"))
        for (spec, why) in [
            ("folder.yaml", "is a folder, not a file"), ("pipe.yaml", "is not a regular file"),
            ("/dev/zero", "is not a regular file"), ("binary.yaml", "not UTF-8 text"),
            ("nothere.yaml", "no such file or directory")
        ] {
            let r = try runBounded(["check", spec], cwd: dir, seconds: 30)
            XCTAssertEqual(r.status, 2, r.err)
            XCTAssertTrue(r.err.contains("\(spec): error: cannot read the spec: \(why)"), r.err)
            XCTAssertFalse(r.err.contains("NSCocoaErrorDomain") || r.err.contains("correct format"), r.err)
        }
    }
}
