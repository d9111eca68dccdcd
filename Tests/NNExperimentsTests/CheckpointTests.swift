import Foundation
import NNDatasets
import XCTest

@testable import NNExperiments

/// The checkpoint file: exact round trip of every value, fingerprint check, and damaged files named,
/// never trapped on.
final class CheckpointTests: XCTestCase {
    func sample() -> Checkpoint {
        Checkpoint(
            fingerprint: String(repeating: "ab", count: 32), epoch: 1200,
            scalars: ["adam.step": "1200", "rng.shuffle": "18446744073709551615", "early.best_epoch": "1100"],
            arrays: [
                "weights": [
                    0.1, -0.0, .infinity, .nan, Double(Float(0.3)), .leastNonzeroMagnitude, -1.7976931348623157e308
                ],
                "history.cost": [3, 2.5, 2.25], "empty": []
            ])
    }

    func testRoundTripIsBitExact() throws {
        let c = sample()
        let bytes = c.encoded()
        XCTAssertTrue(
            String(decoding: bytes.prefix(90), as: UTF8.self).hasPrefix("nnexp-checkpoint 1\nfingerprint: abab"))
        let back = try Checkpoint.decode(bytes, path: "x")
        XCTAssertEqual(back.fingerprint, c.fingerprint)
        XCTAssertEqual(back.epoch, 1200)
        XCTAssertEqual(back.scalars, c.scalars)
        XCTAssertEqual(Set(back.arrays.keys), ["weights", "history.cost", "empty"])
        for (k, v) in c.arrays { XCTAssertEqual(back.arrays[k]!.map(\.bitPattern), v.map(\.bitPattern), k) }
        // Header + 10 values × 8 bytes + the 32-byte SHA-256.
        let header =
            "nnexp-checkpoint 1\nfingerprint: \(c.fingerprint)\nepoch: 1200\nscalar adam.step: 1200\nscalar early.best_epoch: 1100\nscalar rng.shuffle: 18446744073709551615\narray empty 0\narray history.cost 3\narray weights 7\nend\n"
        XCTAssertEqual(bytes.count, header.utf8.count + 10 * 8 + 32)
        XCTAssertEqual(Array(bytes.prefix(header.utf8.count)), Array(header.utf8))
        // history.cost's first value, 3.0, little-endian right after the header (empty has none).
        XCTAssertEqual(Array(bytes[header.utf8.count..<(header.utf8.count + 8)]), [0, 0, 0, 0, 0, 0, 8, 0x40])
    }

    func testDamagedFilesAreErrorsNamingTheFile() {
        let bytes = sample().encoded()
        func message(_ b: [UInt8]) -> String {
            do {
                _ = try Checkpoint.decode(b, path: "/r/.checkpoint-x")
                return "accepted"
            } catch { return "\(error)" }
        }
        XCTAssertEqual(
            message(Array(bytes.prefix(bytes.count - 1))), "/r/.checkpoint-x: damaged: its SHA-256 does not match")
        var flipped = bytes
        flipped[bytes.count - 40] ^= 1
        XCTAssertEqual(message(flipped), "/r/.checkpoint-x: damaged: its SHA-256 does not match")
        XCTAssertEqual(message([1, 2, 3]), "/r/.checkpoint-x: too short to be a checkpoint")
        // A well-hashed file whose header claims more values than it has.
        func sealed(_ text: String) -> [UInt8] {
            let b = Array(text.utf8)
            let hex = Array(SHA256.hex(b).utf8)
            func v(_ c: UInt8) -> UInt8 { c <= 57 ? c - 48 : c - 87 }
            return b + stride(from: 0, to: 64, by: 2).map { v(hex[$0]) << 4 | v(hex[$0 + 1]) }
        }
        XCTAssertEqual(
            message(sealed("nnexp-checkpoint 1\nfingerprint: a\nepoch: 1\narray w 9223372036854775807\nend\n")),
            "/r/.checkpoint-x: arrays larger than the file")
        XCTAssertEqual(
            message(sealed("nnexp-checkpoint 2\nend\n")).prefix(48), "/r/.checkpoint-x: not an nnexp checkpoint of for")
        XCTAssertEqual(
            message(sealed("nnexp-checkpoint 1\nfingerprint: a\nepoch: 1\narray w 2\nend\n12345678")),
            "/r/.checkpoint-x: arrays larger than the file")
        XCTAssertEqual(
            message(sealed("nnexp-checkpoint 1\nfingerprint: a\nepoch: 1\narray w 1\nend\n123456789012")),
            "/r/.checkpoint-x: 12 bytes of values, the header describes 8")
    }

    func testStoreChecksTheFingerprint() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("nnexp-ckpt-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = CheckpointStore(experimentDirectory: dir)
        var c = RunConfig(experiment: "e", dataset: DatasetConfig(source: .xor(repeats: 1, noise: 0)))
        c.runName = "r"
        XCTAssertEqual(store.load("r", for: c), .none)
        let ckpt = Checkpoint(fingerprint: Checkpoint.fingerprint(of: c), epoch: 3, arrays: ["w": [1, 2]])
        try store.save(ckpt, run: "r")
        XCTAssertEqual(store.load("r", for: c), .resumable(ckpt))
        XCTAssertEqual(try store.read("r"), ckpt)
        var other = c
        other.seed = 9
        XCTAssertEqual(
            store.load("r", for: other),
            .ignored("its fingerprint differs (made for another config, input or nnexp version)"))
        try Data([0, 1]).write(to: URL(fileURLWithPath: store.path("r")))
        guard case .ignored(let why) = store.load("r", for: c) else { return XCTFail() }
        XCTAssertTrue(why.contains("too short"), why)
        XCTAssertThrowsError(try store.read("r"))
        store.remove("r")
        XCTAssertEqual(store.load("r", for: c), .none)
        XCTAssertNil(try store.read("r"))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir), [])  // nothing temporary left
    }
}
