import Foundation
import XCTest

/// The single-node Slurm cluster of scripts/slurm-local.sh, for the tests that submit real jobs.
/// Started once per test process when not already running (and stopped at the end only then);
/// `make test` starts it before the suite and stops it after. Without root or without a cluster
/// that starts, the tests skip saying why; under CI (CI=true) that is a failure instead.
enum LocalSlurm {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let script = repository.appendingPathComponent("scripts/slurm-local.sh").path
    static var onCI: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }

    private static let lock = NSLock()
    nonisolated(unsafe) private static var outcome: Result<Void, SkipReason>?
    nonisolated(unsafe) private static var startedHere = false

    struct SkipReason: Error { var message: String }

    /// SLURM_CONF set for this process and its children, or the reason Slurm cannot run here.
    static func ensure() -> Result<Void, SkipReason> {
        lock.lock()
        defer { lock.unlock() }
        if let outcome { return outcome }
        let r: Result<Void, SkipReason>
        if getuid() != 0 {
            r = .failure(
                SkipReason(
                    message:
                        "not root: scripts/slurm-local.sh needs root to install and run slurmctld, slurmd and munged"))
        } else {
            let wasRunning = shell([script, "status"]).status == 0
            let start = shell([script, "start"])
            if start.status == 0,
                let conf = start.out.split(separator: "\n").last(where: { $0.hasPrefix("SLURM_CONF=") })
            {
                setenv("SLURM_CONF", String(conf.dropFirst("SLURM_CONF=".count)), 1)
                startedHere = !wasRunning
                if startedHere { atexit { _ = LocalSlurm.shell([LocalSlurm.script, "stop"]) } }
                r = .success(())
            } else {
                r = .failure(
                    SkipReason(
                        message:
                            "the local Slurm cluster did not start (scripts/slurm-local.sh start, status \(start.status)): \(start.err.suffix(600))"
                    ))
            }
        }
        outcome = r
        return r
    }

    /// Runs a command, returning its status and output (small outputs only).
    @discardableResult
    static func shell(_ args: [String]) -> (status: Int32, out: String, err: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = args
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("nnexp-sh-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("out")
        let err = dir.appendingPathComponent("err")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        p.standardOutput = try? FileHandle(forWritingTo: out)
        p.standardError = try? FileHandle(forWritingTo: err)
        p.standardInput = FileHandle.nullDevice
        do { try p.run() } catch { return (127, "", "\(error)") }
        p.waitUntilExit()
        return (
            p.terminationStatus, (try? String(contentsOf: out, encoding: .utf8)) ?? "",
            (try? String(contentsOf: err, encoding: .utf8)) ?? ""
        )
    }
}

extension XCTestCase {
    /// Skips (or, under CI, fails) a test that needs the local Slurm cluster when it cannot run.
    func requireLocalSlurm() throws {
        if case .failure(let why) = LocalSlurm.ensure() {
            if LocalSlurm.onCI {
                XCTFail("CI=true but Slurm cannot run: \(why.message)")
                throw why
            }
            throw XCTSkip(why.message)
        }
    }

    /// Polls `condition` every 0.1 s until it holds or `seconds` pass.
    func waitFor(_ what: String, seconds: TimeInterval, _ condition: () throws -> Bool) throws {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try condition() { return }
            Thread.sleep(forTimeInterval: 0.1)
        }
        XCTFail("timed out after \(Int(seconds)) s waiting for \(what)")
        throw LocalSlurm.SkipReason(message: "timed out waiting for \(what)")
    }
}
