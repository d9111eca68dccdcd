import Foundation
import NNDatasets
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
        // FileBytes reads regular files only, bounded (never /dev/zero or a FIFO).
        do { bytes = try FileBytes.read(path) } catch let e as DatasetError {
            throw RunError("cannot read initial weights: \(e.message)")
        }
        do { return try NPZ.parameters(from: bytes, architecture: architecture) } catch {
            throw RunError("\(path): \(error)")
        }
    }
}
