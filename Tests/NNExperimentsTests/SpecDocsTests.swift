import NNEngine
import XCTest

@testable import NNExperiments

/// docs/spec.md documents every key and every allowed value the decoder accepts.
final class SpecDocsTests: XCTestCase {
    var docs: String {
        get throws {
            let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
                "../../docs/spec.md"
            ).standardized.path
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
        let values =
            SpecDecoder.activationNames + SpecDecoder.outputNames + Loss.allCases.map(\.rawValue)
            + Reduction.allCases.map(\.rawValue) + OptimizerRegistry.names + MomentumRule.allCases.map(\.rawValue)
            + ["compounding", "inverse-time", "step"] + LearningRateSchedule.typeNames
            + Precision.allCases.map(\.rawValue) + SpecDecoder.costGranularities
            + ["train", "validation", "test", "xavier", "xavier_uniform", "xavier_normal", "he", "epsilon"]
            + EarlyStopping.Monitor.allCases.map(\.rawValue)
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

    /// From the optimizer registry: every key of every optimizer has a row whose "optimizers" column
    /// names that optimizer, and every optimizer has a row in the table of update rules.
    func testEveryOptimizerKeyIsDocumentedForItsOptimizer() throws {
        let rows = try docs.split(separator: "\n").map(String.init)
        var missing: [String] = []
        for kind in OptimizerRegistry.all {
            if !rows.contains(where: { $0.hasPrefix("| **\(kind.name)** |") }) {
                missing.append("update rule of \(kind.name)")
            }
            for key in kind.keys {
                guard let row = rows.first(where: { $0.hasPrefix("| `optimizer.\(key)` |") }) else {
                    missing.append("optimizer.\(key)")
                    continue
                }
                let columns = row.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
                let users =
                    columns.count > 4
                    ? columns[3].split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } : []
                if !users.contains(kind.name) { missing.append("optimizer.\(key) for \(kind.name)") }
            }
        }
        XCTAssertEqual(missing, [])
    }
}
