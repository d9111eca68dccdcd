import Foundation
import XCTest

@testable import NNExperiments

/// Writes spec files into a fresh folder and loads one of them as the CLI would.
struct SpecFolder {
    let dir: String

    init(_ files: [String: String]) throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("nnexp-spec-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        for (name, text) in files {
            try FileManager.default.createDirectory(
                atPath: (path(name) as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try text.write(toFile: path(name), atomically: true, encoding: .utf8)
        }
    }

    func path(_ name: String) -> String { (dir as NSString).appendingPathComponent(name) }

    /// The diagnostics of loading `name` (file names relative to the folder), layer sizes included;
    /// empty when the spec is valid.
    func errors(_ name: String) -> [String] {
        do {
            let e = try Experiment.load(path: path(name))
            let found = e.checkAgainstData()
            return found.diagnostics.map { strip($0.description) } + found.unreadable.map(strip)
        } catch let e as SpecErrors {
            return e.diagnostics.map { strip($0.description) }
        } catch {
            return [strip("\(error)")]
        }
    }

    func load(_ name: String) throws -> Experiment { try Experiment.load(path: path(name)) }

    func strip(_ s: String) -> String { s.replacingOccurrences(of: dir + "/", with: "") }

    func remove() { try? FileManager.default.removeItem(atPath: dir) }
}

/// The smallest valid spec, to which a test appends or swaps lines.
let validHead = """
    experiment: v
    dataset: {name: xor}
    model: {layers: [2, 3, 1]}
    optimizer: {type: sgd}

    """
