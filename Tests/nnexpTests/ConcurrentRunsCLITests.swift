import Foundation
import XCTest

#if canImport(Glibc)
    import Glibc
#endif

/// Several `nnexp run` processes on one results folder (real processes, real signals): run claims,
/// stale claims, and results byte-identical to a clean single-process run.
final class ConcurrentRunsCLITests: XCTestCase {
    /// Six runs of about a second each in a debug build.
    let sweep = """
        experiment: shared
        dataset: {name: xor, repeats: 250}
        model: {layers: [2, 16, 1], activation: tanh, output: sigmoid, loss: logistic}
        optimizer: {type: sgd, learning_rate: 0.05, momentum: 0.5}
        training: {epochs: 300, minibatches: 10, shuffle: true}
        sweep:
          seed: [1, 2, 3]
          regularization.l2: [0.0, 0.001]
        """
    let runNames = [
        "seed=1,l2=0.0", "seed=1,l2=0.001", "seed=2,l2=0.0", "seed=2,l2=0.001", "seed=3,l2=0.0", "seed=3,l2=0.001"
    ]

    var hostName: String {
        var buf = [CChar](repeating: 0, count: 256)
        gethostname(&buf, 255)
        return String(cString: buf)
    }

    func reference(_ dir: URL) throws -> [String: Data] {
        let r = try run(["run", "s.yaml", "--jobs", "2", "--results", "ref", "--quiet"], cwd: dir)
        XCTAssertEqual(r.status, 0, r.err)
        return try files(under: dir.appendingPathComponent("ref"))
    }

    func assertSame(_ a: [String: Data], _ b: [String: Data], file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(Set(a.keys), Set(b.keys), file: file, line: line)
        for (name, bytes) in a where bytes != b[name] { XCTFail("\(name) differs", file: file, line: line) }
    }

    func leftovers(_ expDir: URL) -> [String] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: expDir.path)) ?? []
        let claims =
            (try? FileManager.default.contentsOfDirectory(atPath: expDir.appendingPathComponent(".claims").path)) ?? []
        return entries.filter { $0.hasPrefix(".tmp-") || $0.hasPrefix(".old-") } + claims.map { ".claims/" + $0 }
    }

    /// The race of issue 14: one process trains the sweep while another runs the same experiment
    /// again and again. Nothing of the first may be deleted or lost.
    func testLongSweepWhileAnotherProcessRerunsTheSameExperiment() throws {
        let dir = try tempDir()
        try write(sweep, to: "s.yaml", in: dir)
        let ref = try reference(dir)
        let (a, _, aErr) = try start(["run", "s.yaml", "--jobs", "1", "--results", "res"], cwd: dir)
        var others = 0
        while a.isRunning {
            let b = try run(["run", "s.yaml", "--jobs", "1", "--results", "res", "--quiet"], cwd: dir)
            XCTAssertTrue([0, 1].contains(b.status), b.err)
            XCTAssertFalse(b.err.contains("cannot write"), b.err)
            others += 1
        }
        a.waitUntilExit()
        let err = try String(contentsOf: aErr, encoding: .utf8)
        XCTAssertFalse(err.contains("cannot write"), err)
        XCTAssertTrue([0, 1].contains(a.terminationStatus), err)
        XCTAssertGreaterThan(others, 0)
        // Whichever finished last rebuilt the experiment files from a folder holding every run.
        let final = try run(["run", "s.yaml", "--results", "res", "--dry-run"], cwd: dir)
        XCTAssertTrue(final.out.hasSuffix("0 to train, 6 kept\n"), final.out)
        assertSame(ref, try files(under: dir.appendingPathComponent("res")))
        XCTAssertEqual(leftovers(dir.appendingPathComponent("res/shared")), [])
    }

    /// Two processes started together, one job each: every run is trained by exactly one of them.
    func testTwoProcessesOnOneSweepTrainEveryRunExactlyOnce() throws {
        let dir = try tempDir()
        try write(sweep, to: "s.yaml", in: dir)
        let ref = try reference(dir)
        let a = try start(["run", "s.yaml", "--jobs", "1", "--results", "res"], cwd: dir)
        let b = try start(["run", "s.yaml", "--jobs", "1", "--results", "res"], cwd: dir)
        a.process.waitUntilExit()
        b.process.waitUntilExit()
        let aErr = try String(contentsOf: a.err, encoding: .utf8)
        let bErr = try String(contentsOf: b.err, encoding: .utf8)
        func trained(_ err: String) -> Set<String> {
            Set(runNames.filter { err.contains("shared/\($0): completed") })
        }
        let ta = trained(aErr)
        let tb = trained(bErr)
        XCTAssertEqual(ta.intersection(tb), [], "trained twice\n\(aErr)\n\(bErr)")
        XCTAssertEqual(ta.union(tb), Set(runNames), "\(aErr)\n\(bErr)")
        XCTAssertFalse(
            ta.isEmpty || tb.isEmpty, "one process did everything: the test proves nothing\n\(aErr)\n\(bErr)")
        XCTAssertTrue(
            aErr.contains("skipped, running elsewhere: ") || bErr.contains("skipped, running elsewhere: "), aErr + bErr)
        // The last one to finish exits 0: every run is complete by then.
        XCTAssertTrue(a.process.terminationStatus == 0 || b.process.terminationStatus == 0, aErr + bErr)
        assertSame(ref, try files(under: dir.appendingPathComponent("res")))
        XCTAssertEqual(leftovers(dir.appendingPathComponent("res/shared")), [])
    }

    /// A live claim (this test process, on this host) is respected, also by --force; a claim of a
    /// killed process is taken over, its temporary folder removed.
    func testLiveClaimIsRespectedAndAKilledProcessesClaimIsTakenOver() throws {
        let dir = try tempDir()
        try write(sweep, to: "s.yaml", in: dir)
        let claims = dir.appendingPathComponent("res/shared/.claims")
        try FileManager.default.createDirectory(at: claims, withIntermediateDirectories: true)
        try write(
            "host: \(hostName)\npid: \(getpid())\nstarted: 2026-01-02T03:04:05Z\ntoken: 0123456789abcdef\nslurm_job_id: 42\n",
            to: "seed=2,l2=0.0", in: claims)
        let held = try run(["run", "s.yaml", "--jobs", "2", "--results", "res", "--force"], cwd: dir)
        XCTAssertEqual(held.status, 1, held.err)
        XCTAssertTrue(
            held.err.contains(
                "shared/seed=2,l2=0.0: skipped, running elsewhere: \(hostName), pid \(getpid()) (Slurm job 42), since 2026-01-02T03:04:05Z"
            ), held.err)
        XCTAssertFalse(
            FileManager.default.fileExists(atPath: dir.appendingPathComponent("res/shared/seed=2,l2=0.0").path))
        XCTAssertTrue(
            FileManager.default.fileExists(atPath: claims.appendingPathComponent("seed=2,l2=0.0").path),
            "a live claim was removed")
        let summary = try String(contentsOf: dir.appendingPathComponent("res/shared/summary.csv"), encoding: .utf8)
        XCTAssertTrue(summary.contains("\"seed=2,l2=0.0\",2,0.0,running,"), summary)
        let dry = try run(["run", "s.yaml", "--results", "res", "--dry-run"], cwd: dir)
        XCTAssertTrue(
            dry.out.contains("train  shared/seed=2,l2=0.0 [running elsewhere: \(hostName), pid \(getpid())"), dry.out)

        // Kill -9 a process while it trains that run: its claim and temporary folder stay behind.
        try FileManager.default.removeItem(at: claims.appendingPathComponent("seed=2,l2=0.0"))
        let (p, _, _) = try start(["run", "s.yaml", "--jobs", "1", "--results", "res", "--quiet"], cwd: dir)
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline,
            !FileManager.default.fileExists(atPath: claims.appendingPathComponent("seed=2,l2=0.0").path)
        {
            Thread.sleep(forTimeInterval: 0.01)
        }
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
        let dead = try String(contentsOf: claims.appendingPathComponent("seed=2,l2=0.0"), encoding: .utf8)
        XCTAssertTrue(dead.contains("pid: \(p.processIdentifier)\n"), dead)
        // A temporary folder of the killed writer, as if it died while writing.
        let token = try XCTUnwrap(dead.split(separator: "\n").first { $0.hasPrefix("token: ") }?.dropFirst(7))
        let tmp = dir.appendingPathComponent("res/shared/.tmp-seed=2,l2=0.0-\(token)")
        try FileManager.default.createDirectory(at: tmp, withIntermediateDirectories: true)

        let resumed = try run(["run", "s.yaml", "--jobs", "2", "--results", "res"], cwd: dir)
        XCTAssertEqual(resumed.status, 0, resumed.err)
        XCTAssertTrue(
            resumed.err.contains(
                "shared/seed=2,l2=0.0: taking over the stale claim of \(hostName), pid \(p.processIdentifier)"),
            resumed.err)
        XCTAssertTrue(resumed.err.contains("process \(p.processIdentifier) is gone"), resumed.err)
        XCTAssertEqual(leftovers(dir.appendingPathComponent("res/shared")), [])
        assertSame(try reference(dir), try files(under: dir.appendingPathComponent("res")))
    }

    /// Claims of another host: live while the heartbeat is fresh, stale (and taken over) when older
    /// than the timeout.
    func testOtherHostsClaimIsLiveUntilItsHeartbeatIsOld() throws {
        let dir = try tempDir()
        try write(sweep.replacingOccurrences(of: "seed: [1, 2, 3]", with: "seed: [1]"), to: "s.yaml", in: dir)
        let claims = dir.appendingPathComponent("res/shared/.claims")
        try FileManager.default.createDirectory(at: claims, withIntermediateDirectories: true)
        let claim = claims.appendingPathComponent("seed=1,l2=0.0")
        try write(
            "host: elsewhere.invalid\npid: 1\nstarted: 2026-01-02T03:04:05Z\ntoken: 00000000000000ff\n",
            to: "seed=1,l2=0.0", in: claims)
        let fresh = try run(["run", "s.yaml", "--results", "res"], cwd: dir)
        XCTAssertEqual(fresh.status, 1, fresh.err)
        XCTAssertTrue(
            fresh.err.contains("running elsewhere: elsewhere.invalid, pid 1, since 2026-01-02T03:04:05Z"), fresh.err)
        try FileManager.default.setAttributes(
            [.modificationDate: Date().addingTimeInterval(-301)], ofItemAtPath: claim.path)
        let old = try run(["run", "s.yaml", "--results", "res"], cwd: dir)
        XCTAssertEqual(old.status, 0, old.err)
        XCTAssertTrue(old.err.contains("taking over the stale claim of elsewhere.invalid, pid 1"), old.err)
        XCTAssertTrue(old.err.contains("stale after 300 s"), old.err)
        XCTAssertFalse(FileManager.default.fileExists(atPath: claim.path))
    }
}
