import Foundation
import XCTest

/// `make bench` is not part of `make test`, so this runs the `nnexp-bench` driver's cases on tiny sizes
/// to catch a broken case or report format. No timing is asserted, only the shape of each JSON report
/// and the facts that do not depend on speed.
final class BenchSmokeTests: XCTestCase {
    private var packageRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
    }

    private func bench(_ args: [String]) throws -> [String: Any] {
        let dataRoot =
            ProcessInfo.processInfo.environment["NNEXP_DATA"] ?? packageRoot.appendingPathComponent("data").path
        guard FileManager.default.fileExists(atPath: dataRoot + "/mnist/train-labels-idx1-ubyte.gz") else {
            throw XCTSkip("MNIST not found under \(dataRoot) (run `make data`)")
        }
        let exe = binary.deletingLastPathComponent().appendingPathComponent("nnexp-bench")
        let p = Process()
        p.executableURL = exe
        p.arguments = args + ["--data", dataRoot]
        let out = Pipe()
        let err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 0, "\(args): \(stderr)")
        let line = String(decoding: stdout, as: UTF8.self).split(separator: "\n").last.map(String.init) ?? ""
        return try XCTUnwrap(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], line)
    }

    func testEveryCaseReportsOnTinySizes() throws {
        let raw = try bench(["raschka", "--samples", "600", "--epochs", "1"])
        XCTAssertEqual(raw["samples"] as? Int, 600)
        XCTAssertEqual(raw["byte_features"] as? Bool, true, "raw MNIST pixels should use the byte gather")
        XCTAssertGreaterThan(raw["seconds_per_epoch"] as? Double ?? 0, 0)
        XCTAssertTrue((raw["final_cost"] as? Double ?? .nan).isFinite)

        let scaled = try bench(["raschka", "--samples", "600", "--epochs", "1", "--scaled", "--precision", "float64"])
        XCTAssertEqual(
            scaled["byte_features"] as? Bool, true, "pixels ÷ 255 are gathered from their bytes through the step")
        XCTAssertEqual(scaled["precision"] as? String, "float64")

        let gemm = try bench(["gemm", "--samples", "600", "--repeats", "1"])
        XCTAssertGreaterThan(gemm["gflops"] as? Double ?? 0, 0)
        let square = try bench(["square", "--size", "64", "--repeats", "1"])
        XCTAssertEqual(square["size"] as? Int, 64)
        let perSample = try bench(["per-sample", "--samples", "100", "--epochs", "1"])
        XCTAssertGreaterThan(perSample["samples_per_second"] as? Double ?? 0, 0)
        XCTAssertGreaterThan(perSample["unfused_samples_per_second"] as? Double ?? 0, 0)
        let large = try bench(["large", "--layers", "784,30,20,10", "--samples", "200", "--epochs", "1"])
        XCTAssertEqual(large["layers"] as? String, "784,30,20,10")
        XCTAssertEqual(large["samples"] as? Int, 200)
        XCTAssertTrue((large["final_cost"] as? Double ?? .nan).isFinite)
        let twoThreads = try bench([
            "large", "--layers", "784,30,20,10", "--samples", "200", "--epochs", "1", "--threads", "2"
        ])
        XCTAssertEqual(
            twoThreads["final_cost"] as? Double, large["final_cost"] as? Double, "thread count changed the bits")

        // The bound counts the products training computes: xor's 2-4-1 over its 4 samples is, per
        // sample, 2·8·2 (forward and weight gradient of the first layer: no δ·W below it) + 2·4·3 = 56
        // flops, so 448,000 over 2000 epochs; the final evaluation adds a forward pass, 4·2·12 = 96.
        let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let bound = try bench([
            "reproduce-bound", repo.appendingPathComponent("experiments/xor.yaml").path, "--size", "64"
        ])
        XCTAssertEqual(bound["runs"] as? Int, 1)
        XCTAssertEqual(bound["flops_float64"] as? Double, 448_096)
        XCTAssertGreaterThan(bound["seconds"] as? Double ?? 0, 0)
        // Timed at its own (tiny) shapes the products take far longer than at the large-square rate.
        XCTAssertGreaterThan(bound["own_shape_seconds"] as? Double ?? 0, bound["seconds"] as? Double ?? .infinity)
        XCTAssertEqual(bound["probed_shapes"] as? Int, 1)
    }
}
