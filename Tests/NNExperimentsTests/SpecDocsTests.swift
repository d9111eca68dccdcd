import XCTest
@testable import NNExperiments
import NNEngine

/// docs/spec.md documents every key and every allowed value the decoder accepts.
final class SpecDocsTests: XCTestCase {
    var docs: String {
        get throws {
            let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../docs/spec.md").standardized.path
            return try String(contentsOfFile: path, encoding: .utf8)
        }
    }

    func testEveryKeyTheDecoderAcceptsIsDocumented() throws {
        let text = try docs
        let missing = SpecSchema.allPaths.filter { path in
            // Top-level keys appear as `key`; nested ones with their full dotted path.
            !text.contains("`\(path)`")
        }
        XCTAssertEqual(missing, [], "keys missing from docs/spec.md")
        XCTAssertGreaterThan(SpecSchema.allPaths.count, 40)
    }

    func testEveryAllowedValueIsDocumented() throws {
        let text = try docs
        let values = SpecDecoder.activationNames + SpecDecoder.outputNames + Loss.allCases.map(\.rawValue)
            + Reduction.allCases.map(\.rawValue) + OptimizerRegistry.names + MomentumRule.allCases.map(\.rawValue)
            + ["compounding", "inverse-time", "step"] + Precision.allCases.map(\.rawValue) + SpecDecoder.costGranularities
            + ["train", "validation", "test", "xavier", "xavier_uniform", "xavier_normal", "he", "epsilon"]
        XCTAssertEqual(values.filter { !text.contains("`\($0)`") }, [], "values missing from docs/spec.md")
    }

    func testEveryDocumentedKeyIsAccepted() throws {
        // The reverse: a dotted path documented in a key column must be one the decoder knows.
        let text = try docs
        let known = Set(SpecSchema.allPaths)
        var documented: [String] = []
        for line in text.split(separator: "\n") where line.hasPrefix("| `") {
            let key = line.dropFirst(3).prefix { $0 != "`" }
            documented.append(String(key))
        }
        XCTAssertFalse(documented.isEmpty)
        XCTAssertEqual(documented.filter { !known.contains($0) }, [])
    }
}
