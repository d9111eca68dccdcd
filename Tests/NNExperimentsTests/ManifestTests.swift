import Foundation
import NNDatasets
import XCTest

@testable import NNExperiments

/// SHA-256 against the published FIPS 180-4 examples, the manifest check, and what a failed write
/// leaves behind.
final class ManifestTests: XCTestCase {
    func testSHA256MatchesFIPS180Examples() throws {
        // FIPS 180-4 / NIST CSRC "SHA256.pdf" and "SHA2_Additional.pdf" examples.
        XCTAssertEqual(
            SHA256.hex(Array("abc".utf8)), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        XCTAssertEqual(SHA256.hex([]), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        XCTAssertEqual(
            SHA256.hex(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        let million = [UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)
        XCTAssertEqual(SHA256.hex(million), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
        // The file path reads in 1 MiB pieces: 2.5 MiB crosses two piece boundaries.
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("nnexp-sha-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let big = (0..<(5 << 19)).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ ($0 >> 9)) }
        try Data(big).write(to: dir.appendingPathComponent("big"))
        try Data(million).write(to: dir.appendingPathComponent("a"))
        XCTAssertEqual(try SHA256.hex(file: dir.appendingPathComponent("a").path), SHA256.hex(million))
        XCTAssertEqual(try SHA256.hex(file: dir.appendingPathComponent("big").path), SHA256.hex(big))
        XCTAssertThrowsError(try SHA256.hex(file: dir.path))  // a folder is not hashed
    }

    func testManifestListsFilesAndFindsEveryKindOfDamage() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("nnexp-manifest-\(UUID().uuidString)")
            .path
        defer { try? FileManager.default.removeItem(atPath: root) }
        XCTAssertEqual(
            String(decoding: Manifest.make(["b.csv": Array("x\n".utf8), "a.yaml": []]), as: UTF8.self),
            """
            file,bytes,sha256
            a.yaml,0,e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
            b.csv,2,\(SHA256.hex(Array("x\n".utf8)))

            """)
        let store = ResultStore(root: root)
        var c = RunConfig(experiment: "e", dataset: DatasetConfig(source: .xor(repeats: 1, noise: 0)))
        c.runName = "r"
        var o = RunOutcome(config: c, status: .completed)
        o.files = [
            "config.yaml": Array(c.canonicalYAML.utf8), "metrics.csv": Array("metric,value\nstatus,completed\n".utf8)
        ]
        o.log = ["timing"]
        try store.write(o)
        let dir = store.runDirectory(c)
        XCTAssertNil(Manifest.problem(in: dir))
        XCTAssertEqual(store.stored(c), .finished(status: "completed", metrics: ["status": "completed"]))
        try Data("timing changed\n".utf8).write(to: URL(fileURLWithPath: dir + "/run.log"))  // not listed
        XCTAssertNil(Manifest.problem(in: dir))
        try Data("metric,value\nstatus,completeD\n".utf8).write(to: URL(fileURLWithPath: dir + "/metrics.csv"))
        XCTAssertEqual(store.stored(c), .damaged("metrics.csv does not match its SHA-256 in the manifest"))
        try Data("file,bytes,sha256\n../x,1,00\n".utf8).write(to: URL(fileURLWithPath: dir + "/manifest.csv"))
        XCTAssertEqual(Manifest.problem(in: dir), "manifest.csv is unreadable")
    }

    /// A write that fails (here: a file name the folder cannot hold) removes its temporary folder
    /// and leaves the previous run folder as it was.
    func testFailedWriteLeavesNoTemporaryFolder() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("nnexp-fail-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        let store = ResultStore(root: root)
        var c = RunConfig(experiment: "e", dataset: DatasetConfig(source: .xor(repeats: 1, noise: 0)))
        c.runName = "r"
        var o = RunOutcome(config: c, status: .completed)
        o.files = ["config.yaml": Array("a\n".utf8)]
        try store.write(o)
        o.files["no-such-folder/x.csv"] = [1, 2, 3]
        XCTAssertThrowsError(try store.write(o)) { XCTAssertTrue("\($0)".contains("no-such-folder/x.csv"), "\($0)") }
        let entries = try FileManager.default.contentsOfDirectory(atPath: store.experimentDirectory("e"))
        XCTAssertEqual(Set(entries).subtracting([".lock"]), ["r"])
        XCTAssertEqual(try String(contentsOfFile: store.runDirectory(c) + "/config.yaml", encoding: .utf8), "a\n")
    }
}
