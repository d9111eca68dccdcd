import Foundation
import XCTest

@testable import NNExperiments

/// `FolderStatus` reads each run's state from the folder alone: live claims make runs `running` (with
/// their checkpoint's epoch), checkpoints of unfinished runs make them `checkpointed`, stale claims
/// and damaged checkpoints do not count.
final class FolderStatusTests: XCTestCase {
    func tempDir() throws -> String {
        let d = FileManager.default.temporaryDirectory.appendingPathComponent("nnexp-status-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: d) }
        return d
    }

    func setModificationTime(_ path: String, secondsAgo: TimeInterval) throws {
        try FileManager.default.setAttributes(
            [.modificationDate: Date().addingTimeInterval(-secondsAgo)], ofItemAtPath: path)
    }

    func testClaimsAndCheckpointsGiveRunningAndCheckpointedRuns() throws {
        let root = try tempDir()
        let exp = (root as NSString).appendingPathComponent("e")
        try FileManager.default.createDirectory(atPath: exp, withIntermediateDirectories: true)
        let runs = ["a", "b", "c", "d", "e", "f", "g"]
        try Data(("run,status\n" + runs.map { "\($0),not-run\n" }.joined()).utf8).write(
            to: URL(fileURLWithPath: exp + "/summary.csv"))
        // a: completed (and an old checkpoint it no longer needs does not change that).
        try FileManager.default.createDirectory(atPath: exp + "/a", withIntermediateDirectories: true)
        try Data("metric,value\nstatus,completed\n".utf8).write(to: URL(fileURLWithPath: exp + "/a/metrics.csv"))
        let checkpoints = CheckpointStore(experimentDirectory: exp)
        try checkpoints.save(Checkpoint(fingerprint: "f", epoch: 3), run: "a")

        let claims = ClaimStore(experimentDirectory: exp, staleAfter: 300)
        // b: this process, live, checkpointed at epoch 12 while it trains.
        let mine = RunClaim.forThisProcess()
        _ = try claims.acquire("b", as: mine)
        try checkpoints.save(Checkpoint(fingerprint: "f", epoch: 12, arrays: ["w": [1, 2, 3]]), run: "b")
        // c: another host, Slurm array task, heartbeat 40 s ago: live.
        let other = RunClaim(
            host: "node-that-is-not-this-one", pid: 4242, pidStart: nil,
            started: Date(timeIntervalSince1970: 1_800_000_000),
            token: "00000000000000c1", slurmJobID: "80", slurmArrayJobID: "77", slurmArrayTaskID: "3")
        _ = try claims.acquire("c", as: other)
        try setModificationTime(claims.path("c"), secondsAgo: 40)
        // d: another host's claim without a heartbeat for an hour: stale, so the checkpoint counts.
        var gone = other
        gone.token = "00000000000000d1"
        _ = try claims.acquire("d", as: gone)
        try setModificationTime(claims.path("d"), secondsAgo: 3600)
        try checkpoints.save(Checkpoint(fingerprint: "f", epoch: 7), run: "d")
        // e: a damaged checkpoint: named, and the run counts as not run.
        try Data("not a checkpoint".utf8).write(to: URL(fileURLWithPath: checkpoints.path("e")))
        // f: nothing at all. g: a folder without metrics.csv.
        try FileManager.default.createDirectory(atPath: exp + "/g", withIntermediateDirectories: true)
        // h: checkpointed but in no summary yet (a task that started before any summary was written).
        try checkpoints.save(Checkpoint(fingerprint: "f", epoch: 1), run: "h")
        // i: claimed and checkpointed, in no summary: counted once.
        var alsoMine = RunClaim.forThisProcess()
        alsoMine.token = "00000000000000e1"
        _ = try claims.acquire("i", as: alsoMine)
        try checkpoints.save(Checkpoint(fingerprint: "f", epoch: 4), run: "i")

        let e = FolderStatus.experiment("e", at: exp, claims: claims)
        XCTAssertEqual(e.completed, ["a"])
        XCTAssertEqual(e.running.map(\.run), ["b", "c", "i"])
        XCTAssertEqual(e.running.map(\.checkpointEpoch), [12, nil, 4])
        XCTAssertEqual(e.running[0].claim.token, mine.token)
        XCTAssertEqual(e.running[1].claim.slurmArrayJobID, "77")
        XCTAssertEqual(e.running[1].claim.slurmArrayTaskID, "3")
        XCTAssertEqual(e.running[1].claim.heartbeat.timeIntervalSinceNow, -40, accuracy: 5)
        XCTAssertEqual(e.checkpointed.map(\.run), ["d", "h"])
        XCTAssertEqual(e.checkpointed.map(\.epoch), [7, 1])
        XCTAssertEqual(e.notRun, ["e", "f"])
        XCTAssertEqual(e.incomplete, ["g"])
        XCTAssertEqual(e.damagedCheckpoints.count, 1)
        XCTAssertTrue(e.damagedCheckpoints[0].hasPrefix(checkpoints.path("e") + ": "), e.damagedCheckpoints[0])
        XCTAssertEqual(e.total, 9)

        // Once the runs' claims are gone (released after training), b is checkpointed and c not run.
        claims.release("b", token: mine.token)
        claims.release("c", token: other.token)
        claims.release("i", token: alsoMine.token)
        let later = FolderStatus.experiment("e", at: exp, claims: claims)
        XCTAssertEqual(later.running.map(\.run), [])
        XCTAssertEqual(later.checkpointed.map(\.run), ["b", "d", "h", "i"])
        XCTAssertEqual(later.notRun, ["c", "e", "f"])
    }

    /// jobs.txt of a halving submission: the rung arrays (`rungR=<id>`) in order, besides array and merge.
    func testSubmissionListsTheRungArraysOfAHalving() throws {
        let dir = try tempDir()
        let sub = (dir as NSString).appendingPathComponent("20261201-000000-1")
        try FileManager.default.createDirectory(atPath: sub, withIntermediateDirectories: true)
        try Data("array=10\nrung1=11\nrung2=12\nmerge=13\ntasks=2\nruns=9\n".utf8).write(
            to: URL(fileURLWithPath: sub + "/jobs.txt"))
        let s = try XCTUnwrap(FolderStatus.submissions(at: dir).first)
        XCTAssertEqual(s.arrayJob, "10")
        XCTAssertEqual(s.rungJobs, ["11", "12"])
        XCTAssertEqual(s.mergeJob, "13")
        XCTAssertEqual(s.tasks, 2)
    }
}
