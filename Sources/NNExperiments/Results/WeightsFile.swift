import Foundation
import NNEngine

/// `weights.npz`: the trained parameters as NumPy arrays W1, b1, W2, … (the engine's NPZ layout).
enum WeightsFile {
    /// The file's bytes (arrays in the run's precision, `<f4` or `<f8`).
    static func encode<T: Real>(_ network: Network<T>) -> [UInt8]? {
        NPZ.encode(network: network)
    }

    /// Initial parameters from an `.npz` file (`model.init: {file: …}`), checked against the network.
    static func initialParameters(path: String, architecture: Architecture) throws -> [Double] {
        let bytes: [UInt8]
        do { bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path))) } catch {
            throw RunError("\(path): cannot read initial weights: \(error.localizedDescription)")
        }
        do { return try NPZ.parameters(from: bytes, architecture: architecture) } catch {
            throw RunError("\(path): \(error)")
        }
    }
}
