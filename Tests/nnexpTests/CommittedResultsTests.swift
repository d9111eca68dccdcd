import Foundation
import XCTest

/// The promise of results/: rerunning a committed experiment on a machine with the BLAS kernel the
/// results record gives every file byte for byte. A few small experiments are rerun with `--force`
/// into a temporary folder and compared with the committed tree.
final class CommittedResultsTests: XCTestCase {
    static let experiments = ["xor", "welch-bfgs", "welch-bfgs-iris", "moons-cg", "classic-relu-softmax"]

    var repository: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
    }

    /// The `kernel:` line of the first run's config.yaml under results/EXPERIMENT.
    func recordedKernel(_ experiment: String) throws -> String? {
        let dir = repository.appendingPathComponent("results/\(experiment)")
        for run in try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() {
            let config = dir.appendingPathComponent("\(run)/config.yaml")
            guard let text = try? String(contentsOf: config, encoding: .utf8) else { continue }
            return text.split(separator: "\n").first { $0.hasPrefix("  kernel: ") }.map { String($0.dropFirst(10)) }
        }
        return nil
    }

    func testCommittedResultsReproduceByteForByte() throws {
        let scratch = try tempDir()
        let here = try environment([:], cwd: scratch)
        let inUse = kernelName(here["blas kernel in use"])
        let rule = here["blas kernel of nnexp's rule"] ?? ""
        let recorded = Set(
            try Self.experiments.map { try XCTUnwrap(recordedKernel($0), "results/\($0) records no BLAS kernel") })
        XCTAssertEqual(recorded.count, 1, "committed results were made under several kernels: \(recorded.sorted())")
        let kernel = try XCTUnwrap(recorded.first)
        var env: [String: String?] = [:]
        if kernel.lowercased() != inUse.lowercased() {
            // A kernel set by the environment (this workplace sets OPENBLAS_CORETYPE on some CPUs) gives
            // way to nnexp's rule when the rule picks the committed kernel for this CPU's feature level.
            guard kernel.lowercased() == rule.lowercased() else {
                throw XCTSkip(
                    "committed results were made under the \(kernel) kernel; this machine runs \(inUse)"
                        + " and nnexp's rule here picks \(rule), so the bytes cannot be expected to match")
            }
            env["OPENBLAS_CORETYPE"] = .some(nil)  // removes the variable in the child (a nil subscript assignment would drop the entry)
        }
        let out = scratch.appendingPathComponent("results")
        let specs = Self.experiments.map { repository.appendingPathComponent("experiments/\($0).yaml").path }
        let r = try run(["run"] + specs + ["--force", "--results", out.path, "--jobs", "2"], cwd: repository, env: env)
        XCTAssertEqual(r.status, 0, r.err)
        for experiment in Self.experiments {
            let committed = try files(under: repository.appendingPathComponent("results/\(experiment)"))
            let rerun = try files(under: out.appendingPathComponent(experiment))
            XCTAssertEqual(Set(committed.keys), Set(rerun.keys), "\(experiment): the files differ")
            for (name, bytes) in committed.sorted(by: { $0.key < $1.key }) where rerun[name] != bytes {
                XCTFail("\(experiment)/\(name) differs from the committed file (kernel \(kernel))")
            }
        }
    }
}
