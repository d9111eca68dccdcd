import NNEngine

/// `weights.npz`: the trained parameters as NumPy arrays W1, b1, W2, … (the engine's NPZ layout).
enum WeightsFile {
    /// The file's bytes, or nil while no NPZ writer is linked in.
    ///
    /// LEAD: once the engine's `NPZ` is merged, replace the body with `return NPZ.encode(network: network)`
    /// (NNEngine/Serialization/NPZ.swift). This is the only call site; the scheduler and docs already
    /// treat `weights.npz` as written when `outputs.weights` is true.
    static func encode<T: Real>(_ network: Network<T>) -> [UInt8]? {
        nil
    }
}

extension WeightsFile {
    /// Parameters in the flat layout from an `.npz` file's bytes, or nil while no NPZ reader is linked in.
    ///
    /// LEAD: once the engine's `NPZ` is merged, replace the body with
    /// `return try NPZ.parameters(from: bytes, architecture: architecture)`. Single call site:
    /// `RunExecutor.initialNetwork`.
    static func decode(_ bytes: [UInt8], architecture: Architecture) throws -> [Double]? {
        nil
    }
}
