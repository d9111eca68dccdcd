import Foundation
import FuzzEntries
import XCTest

/// Replays every input the fuzzers ever found trouble with (FuzzTesting/Regressions/<target>/, one
/// file per crash or hang, added by `make fuzz`) and the seed corpus, through the same entry points
/// the fuzz targets use, so `make test` keeps them fixed without the fuzzer. Each must return.
final class FuzzRegressionTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("FuzzTesting")

    func inputs(_ folder: String, _ target: String) throws -> [URL] {
        let dir = Self.root.appendingPathComponent(folder).appendingPathComponent(target)
        let names = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { !$0.hasPrefix(".") }.sorted()
        return names.map { dir.appendingPathComponent($0) }
    }

    func testRegressionsAndSeedsRunCleanly() throws {
        var replayed = 0
        for (target, entry) in FuzzEntries.targets.sorted(by: { $0.key < $1.key }) {
            let seeds = try inputs("Corpus", target)
            XCTAssertFalse(seeds.isEmpty, "no seed corpus for \(target)")
            for file in try inputs("Regressions", target) + seeds {
                entry(Array(try Data(contentsOf: file)))
                replayed += 1
            }
        }
        XCTAssertGreaterThan(replayed, 20)
    }
}
