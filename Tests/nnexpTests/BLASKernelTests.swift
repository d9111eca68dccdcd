import Foundation
import XCTest

/// Reading `nnexp env` (CLIHarness runs nnexp with a changed environment).
extension XCTestCase {
    /// `nnexp env` as name → value.
    func environment(_ env: [String: String?], cwd: URL) throws -> [String: String] {
        let r = try run(["env"], cwd: cwd, env: env)
        XCTAssertEqual(r.status, 0, r.err)
        var out: [String: String] = [:]
        for line in r.out.split(separator: "\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            out[String(line[..<colon])] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return out
    }

    func kernelName(_ inUse: String?) -> String { String((inUse ?? "").split(separator: " ").first ?? "") }

}

/// The OpenBLAS kernel rule (CBLASKernel): which kernel runs, that a user's choice wins, that runs
/// record the kernel and are retrained under another, and that `nnexp diff` names a kernel change.
final class BLASKernelTests: XCTestCase {
    func testRuleKernelFollowsFeatureLevel() throws {
        let dir = try tempDir()
        let e = try environment(["OPENBLAS_CORETYPE": nil], cwd: dir)
        let level = try XCTUnwrap(e["cpu feature level"])
        let rule = try XCTUnwrap(e["blas kernel of nnexp's rule"])
        switch level {
        case "x86-64-v4": XCTAssertEqual(rule, "SkylakeX")
        case "x86-64-v3": XCTAssertEqual(rule, "Haswell")
        default: XCTAssertTrue(rule.hasPrefix("none"), rule)
        }
        let inUse = try XCTUnwrap(e["blas kernel in use"])
        if rule.hasPrefix("none") {
            XCTAssertTrue(inUse.contains("OpenBLAS's own choice"), inUse)
        } else {
            // OpenBLAS names the kernel as the rule does; the process re-executed itself to get it.
            XCTAssertEqual(kernelName(inUse).lowercased(), rule.lowercased(), inUse)
            XCTAssertTrue(inUse.contains("chosen by nnexp"), inUse)
        }
        // The library's own choice comes from the first process image (or a probe), never the rule's mark.
        XCTAssertNotNil(e["blas kernel OpenBLAS picks itself"])
        XCTAssertNotEqual(e["blas kernel OpenBLAS picks itself"], "unknown")
        XCTAssertTrue(e["blas library"]?.hasPrefix("OpenBLAS ") ?? false, "\(e)")
    }

    func testUserSetKernelAlwaysWins() throws {
        let dir = try tempDir()
        // Prescott (SSE3) runs on every x86-64 CPU, so the user's choice is always loadable.
        let e = try environment(["OPENBLAS_CORETYPE": "Prescott"], cwd: dir)
        let inUse = try XCTUnwrap(e["blas kernel in use"])
        XCTAssertEqual(kernelName(inUse), "Prescott", inUse)
        XCTAssertTrue(inUse.contains("set by OPENBLAS_CORETYPE"), inUse)
        // What the library picks by itself is asked of a probe process without the variable.
        let own = try XCTUnwrap(e["blas kernel OpenBLAS picks itself"])
        XCTAssertFalse(own.isEmpty || own == "unknown", own)
    }

    func testVersionVerboseIsTheEnvReport() throws {
        let dir = try tempDir()
        let a = try run(["--version", "--verbose"], cwd: dir, env: [:])
        let b = try run(["env"], cwd: dir, env: [:])
        XCTAssertEqual(a.status, 0, a.err)
        XCTAssertEqual(a.out, b.out)
        XCTAssertTrue(a.out.contains("blas kernel in use:"), a.out)
        // Plain --version stays the bare version.
        let v = try run(["--version"], cwd: dir, env: [:])
        XCTAssertFalse(v.out.contains("blas"), v.out)
    }

    /// A run records library and kernel; under another kernel it is retrained (not kept), and `nnexp
    /// diff` says the kernel changed.
    func testRunsRecordKernelAndRetrainUnderAnother() throws {
        let dir = try tempDir()
        try write(
            """
            experiment: k
            dataset: {name: xor}
            model: {layers: [2, 3, 1], activation: sigmoid}
            optimizer: {type: sgd, learning_rate: 0.5}
            training: {epochs: 20}
            """, to: "k.yaml", in: dir)
        let first = try run(["run", "k.yaml", "--results", "a"], cwd: dir, env: ["OPENBLAS_CORETYPE": "Prescott"])
        XCTAssertEqual(first.status, 0, first.err)
        let config = try String(contentsOf: dir.appendingPathComponent("a/k/run/config.yaml"), encoding: .utf8)
        XCTAssertTrue(config.contains("\nblas:\n  library: OpenBLAS "), config)
        XCTAssertTrue(config.hasSuffix("  kernel: Prescott\n"), config)

        // Same kernel: kept. Another kernel: retrained.
        let same = try run(
            ["run", "k.yaml", "--results", "a", "--dry-run"], cwd: dir, env: ["OPENBLAS_CORETYPE": "Prescott"])
        XCTAssertTrue(same.out.contains("keep") || same.err.contains("keep"), same.out + same.err)
        try FileManager.default.copyItem(at: dir.appendingPathComponent("a"), to: dir.appendingPathComponent("b"))
        let other = try run(["run", "k.yaml", "--results", "b"], cwd: dir, env: ["OPENBLAS_CORETYPE": "Nehalem"])
        XCTAssertEqual(other.status, 0, other.err)
        let retrained = try String(contentsOf: dir.appendingPathComponent("b/k/run/config.yaml"), encoding: .utf8)
        XCTAssertTrue(retrained.hasSuffix("  kernel: Nehalem\n"), retrained)

        let d = try run(["diff", "a", "b"], cwd: dir, env: [:])
        XCTAssertTrue(d.out.contains("blas.kernel"), d.out)
        XCTAssertTrue(d.out.contains("note: BLAS kernel changed (Prescott → Nehalem) in 1 run"), d.out)
    }
}
