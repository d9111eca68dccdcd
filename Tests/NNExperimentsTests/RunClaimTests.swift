import Foundation
import XCTest

@testable import NNExperiments

/// The claim file format, liveness rules and the leftover sweep, without processes.
final class RunClaimTests: XCTestCase {
    func tempDir() throws -> String {
        let d = FileManager.default.temporaryDirectory.appendingPathComponent("nnexp-claims-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: d) }
        return d
    }

    func testClaimTextRoundTripsAndRejectsMissingKeys() {
        let c = RunClaim(
            host: "node7", pid: 4242, pidStart: 99, started: Date(timeIntervalSince1970: 1_800_000_000),
            token: "00000000deadbeef", slurmJobID: "12", slurmArrayJobID: "10", slurmArrayTaskID: "2")
        XCTAssertEqual(
            c.text,
            """
            host: node7
            pid: 4242
            pid_start: 99
            started: 2027-01-15T08:00:00Z
            token: 00000000deadbeef
            slurm_job_id: 12
            slurm_array_job_id: 10
            slurm_array_task_id: 2

            """)
        XCTAssertEqual(RunClaim.parse(c.text, heartbeat: c.started), c)
        XCTAssertEqual(c.who, "node7, pid 4242 (Slurm job 10_2), since 2027-01-15T08:00:00Z")
        XCTAssertNil(RunClaim.parse("host: a\npid: 1\nstarted: 2027-01-15T08:00:00Z\n", heartbeat: Date()), "no token")
        XCTAssertNil(
            RunClaim.parse(
                "host: a\npid: x\nstarted: 2027-01-15T08:00:00Z\ntoken: 00000000deadbeef\n", heartbeat: Date()))
        XCTAssertNil(RunClaim.parse("", heartbeat: Date()))
        XCTAssertTrue(RunClaim.isToken(RunClaim.newToken()))
        XCTAssertNotEqual(RunClaim.newToken(), RunClaim.newToken())
    }

    func testAcquireIsExclusiveAndStaleClaimsAreTakenOver() throws {
        let store = ClaimStore(experimentDirectory: try tempDir(), staleAfter: 300)
        let mine = RunClaim.forThisProcess()
        XCTAssertEqual(try store.acquire("r", as: mine), .acquired(tookOver: nil, reason: nil))
        XCTAssertEqual(store.liveness(try XCTUnwrap(store.read("r"))), .live)
        // A second claimant (this process again, another token) sees the live claim.
        var other = RunClaim.forThisProcess()
        other.token = "1111111111111111"
        guard case .heldElsewhere(let held) = try store.acquire("r", as: other) else { return XCTFail("claimed twice") }
        XCTAssertEqual(held.token, mine.token)
        XCTAssertTrue(store.touch("r", token: mine.token))
        XCTAssertFalse(store.touch("r", token: other.token))
        store.release("r", token: other.token)  // not its claim: nothing happens
        XCTAssertTrue(store.holds("r", token: mine.token))
        store.release("r", token: mine.token)
        XCTAssertNil(store.read("r"))

        // Another host: live with a fresh heartbeat, stale with an old one.
        let remote = RunClaim(
            host: "elsewhere.invalid", pid: 1, pidStart: nil, started: Date(), token: "2222222222222222")
        XCTAssertEqual(store.liveness(remote), .live)
        XCTAssertEqual(
            store.liveness(remote, now: Date().addingTimeInterval(301)),
            .stale(reason: "no heartbeat for 301 s (stale after 300 s)"))
        // This host, a pid that is not running (pids are below 2^22 on Linux).
        let dead = RunClaim(
            host: RunClaim.hostName, pid: Int32(1 << 22) + 5, pidStart: nil, started: Date(), token: "3333333333333333")
        XCTAssertEqual(store.liveness(dead), .stale(reason: "process \(dead.pid) is gone"))
        // This process with another start time: its pid was reused.
        let reused = RunClaim(
            host: RunClaim.hostName, pid: getpid(), pidStart: (RunClaim.processStart(getpid()) ?? 0) + 1,
            started: Date(), token: "4444444444444444")
        if RunClaim.processStart(getpid()) != nil { XCTAssertNotEqual(store.liveness(reused), .live) }

        try DurableFiles.writeSynced(Array(dead.text.utf8), to: store.path("r"))
        guard case .acquired(let took?, let why?) = try store.acquire("r", as: mine) else {
            return XCTFail("stale claim not taken over")
        }
        XCTAssertEqual(took.token, dead.token)
        XCTAssertTrue(why.contains("is gone"), why)
        XCTAssertTrue(store.holds("r", token: mine.token))
    }

    func testLeftoverSweepKeepsTheTemporaryFoldersOfLiveClaimsOnly() throws {
        let root = try tempDir()
        let results = ResultStore(root: root)
        let exp = results.experimentDirectory("e")
        let claims = ClaimStore(experimentDirectory: exp)
        let live = RunClaim.forThisProcess()
        _ = try claims.acquire("a-b", as: live)
        let names = [
            ".tmp-a-b-\(live.token)",  // live claim: kept
            ".tmp-a-b-0000000000000001",  // another token of the same run: its claim is gone
            ".old-c-0000000000000002",  // no claim at all
            ".tmp-file-summary.csv-0000000000000003",
            ".tmp-legacy-123",  // not a name this version writes: left alone
            "run"
        ]
        for n in names {
            try FileManager.default.createDirectory(
                atPath: (exp as NSString).appendingPathComponent(n), withIntermediateDirectories: true)
        }
        results.removeLeftovers("e", claims: claims)
        let left = Set(try FileManager.default.contentsOfDirectory(atPath: exp)).subtracting([".claims"])
        XCTAssertEqual(left, [".tmp-a-b-\(live.token)", ".tmp-legacy-123", "run"])
        XCTAssertEqual(ResultStore.leftoverOwner(".tmp-a-b-\(live.token)").map { [$0.0, $0.1] }, ["a-b", live.token])
        XCTAssertNil(ResultStore.leftoverOwner(".tmp-x-12345"))
    }

    /// While a run trains, the scheduler's heartbeat keeps touching its claim file; afterwards the
    /// claim is gone.
    func testHeartbeatRefreshesTheClaimWhileTheRunTrains() throws {
        let folder = try SpecFolder([
            "s.yaml": """
            experiment: hb
            dataset: {name: xor, repeats: 250}
            model: {layers: [2, 16, 1], activation: tanh}
            optimizer: {type: sgd, learning_rate: 0.05}
            training: {epochs: 400, minibatches: 10}
            """
        ])
        defer { folder.remove() }
        let e = try folder.load("s.yaml")
        let scheduler = Scheduler(jobs: 1, store: ResultStore(root: folder.path("results")))
        scheduler.heartbeatInterval = 0.05
        let plan = scheduler.plan(e.runs, force: false)
        let claims = scheduler.claims("hb")
        let done = DispatchSemaphore(value: 0)
        Thread {
            _ = scheduler.execute(plan, cancel: CancellationFlag(), observer: nil)
            done.signal()
        }.start()
        var beats: Set<Date> = []
        while done.wait(timeout: .now() + 0.01) == .timedOut {
            if let c = claims.read("run") { beats.insert(c.heartbeat) }
        }
        XCTAssertGreaterThanOrEqual(
            beats.count, 3, "the claim's heartbeat did not move while the run trained (\(beats.count))")
        XCTAssertNil(claims.read("run"))
        guard case .finished("completed", _) = scheduler.store.stored(plan[0].config) else {
            return XCTFail("the run was not written")
        }
    }
}
