import XCTest
import NNDatasets
@testable import NNExperiments

/// A process removes only the temporary folders of the runs it is about to train: shards of one sweep
/// write other runs of the same experiment at the same time.
final class LeftoverTests: XCTestCase {
    func testLeftoverNamesMapToTheirRuns() {
        XCTAssertEqual(ResultStore.leftoverRun(".tmp-seed=1-123"), ["seed=1"])
        XCTAssertEqual(ResultStore.leftoverRun(".tmp-old-seed=1-9"), ["old-seed=1", "seed=1"])
        XCTAssertEqual(ResultStore.leftoverRun(".tmp-lr=1e-3-77"), ["lr=1e-3"])
        for notOne in ["seed=1", ".tmp-seed=1", ".tmp-seed=1-", ".tmp-seed=1-12a", "summary.csv"] {
            XCTAssertEqual(ResultStore.leftoverRun(notOne), [], notOne)
        }
    }

    func testOnlyTheGivenRunsLeftoversGo() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("nnexp-leftovers-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        let store = ResultStore(root: root)
        let exp = store.experimentDirectory("e")
        let names = [".tmp-seed=1-10", ".tmp-old-seed=1-10", ".tmp-seed=2-11", ".tmp-seed=10-12", "seed=2"]
        for n in names { try FileManager.default.createDirectory(atPath: exp + "/" + n, withIntermediateDirectories: true) }
        var c = RunConfig(experiment: "e", dataset: DatasetConfig(source: .xor(repeats: 1, noise: 0)))
        c.runName = "seed=1"
        store.removeLeftovers(of: [c])
        XCTAssertEqual(Set(try FileManager.default.contentsOfDirectory(atPath: exp)), [".tmp-seed=2-11", ".tmp-seed=10-12", "seed=2"])
    }
}
