import XCTest
@testable import NNExperiments
import NNEngine

/// The spec decoder, the canonical config and the messages derive from NNEngine's optimizer registry.
final class OptimizerRegistryTests: XCTestCase {
    func decode(_ optimizer: String, training: String = "") throws -> RunConfig {
        let folder = try SpecFolder(["t.yaml": "experiment: t\ndataset: {name: xor}\nmodel: {layers: [2, 2, 1]}\noptimizer: \(optimizer)\n\(training)"])
        defer { folder.remove() }
        return try folder.load("t.yaml").runs[0]
    }

    /// Every registered optimizer decodes from `{type: NAME}`, writes only its own keys, in order, and
    /// its canonical settings read back to the same optimizer.
    func testEveryOptimizerRoundTripsThroughItsCanonicalSettings() throws {
        XCTAssertEqual(Set(OptimizerRegistry.names).count, OptimizerRegistry.all.count, "names are unique")
        for kind in OptimizerRegistry.all {
            let c = try decode("{type: \(kind.name)}")
            XCTAssertEqual(c.optimizer.name, kind.name)
            var w = SettingsWriter()
            c.optimizer.settings.write(to: &w)
            let written = w.entries.map(\.key)
            XCTAssertEqual(written, kind.keys.filter(written.contains), "\(kind.name) writes its keys in order")
            let inline = w.entries.map { "\($0.key): \(YAMLWriter.text($0.value))" }.joined(separator: ", ")
            let back = try decode("{type: \(kind.name)\(inline.isEmpty ? "" : ", " + inline)}")
            XCTAssertEqual(back.optimizer, c.optimizer, kind.name)
            XCTAssertEqual(back.canonicalYAML, c.canonicalYAML, kind.name)
        }
    }

    func testTypeMessageListsTheRegistry() throws {
        XCTAssertThrowsError(try decode("{type: adamm}")) { error in
            XCTAssertTrue("\(error)".contains("`optimizer.type` must be one of \(OptimizerRegistry.names.joined(separator: ", ")), found 'adamm'; did you mean `adam`?"), "\(error)")
        }
    }
}
