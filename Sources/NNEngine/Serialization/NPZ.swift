/// NumPy's `.npz` archives (a ZIP of `.npy` members) as bytes, and the engine's parameter layout in
/// them: arrays W1, b1, W2, b2, … with Wl of shape (out, in) and bl of shape (out,), the same layout
/// as the flat parameter vector, readable with `numpy.load`. The engine touches no files: callers read
/// and write the bytes.
public enum NPZ {
    /// An archive of uncompressed members "<name>.npy", in the given order.
    public static func encode(_ arrays: [(name: String, array: NPYArray)]) -> [UInt8] {
        Zip.write(arrays.map { Zip.Member(name: $0.name + ".npy", data: NPY.encode($0.array)) })
    }

    /// The arrays of an archive in member order, named without ".npy". Accepts stored and deflated
    /// members (`numpy.savez` and `numpy.savez_compressed`).
    public static func decode(_ bytes: [UInt8]) throws -> [(name: String, array: NPYArray)] {
        try Zip.read(bytes).map { m in
            let name = m.name.hasSuffix(".npy") ? String(m.name.dropLast(4)) : m.name
            do { return (name, try NPY.decode(m.data)) } catch let e as NPZError {
                throw NPZError("array \(name): \(e.message)")
            }
        }
    }

    /// The archive for a network: W1, b1, … in the network's own precision (<f4 or <f8).
    public static func encode<T: Real>(network: Network<T>) -> [UInt8] {
        encode(
            architecture: network.architecture, parameters: network.parameters.map { Double($0) },
            dtype: T.self == Float.self ? .float32 : .float64)
    }

    /// The archive for `p` in the flat layout of `arch`: W1, b1, … stored as `dtype`.
    public static func encode(architecture arch: Architecture, parameters p: [Double], dtype: NPYDType) -> [UInt8] {
        precondition(p.count == arch.parameterCount, "NPZ: parameter count does not match the architecture")
        var arrays: [(String, NPYArray)] = []
        for (l, off) in arch.layout.enumerated() {
            let nin = arch.sizes[l]
            let nout = arch.sizes[l + 1]
            arrays.append(
                (
                    "W\(l + 1)",
                    NPYArray(
                        shape: [nout, nin], values: Array(p[off.weights..<(off.weights + nout * nin)]), dtype: dtype)
                ))
            if let b = off.bias {
                arrays.append(("b\(l + 1)", NPYArray(shape: [nout], values: Array(p[b..<(b + nout)]), dtype: dtype)))
            }
        }
        return encode(arrays)
    }

    /// The flat parameter vector stored in an archive, checked against `arch`: every Wl must be
    /// (out, in); every bl (out,) — (out, 1) and (1, out) are accepted too — and present exactly when
    /// the architecture has biases. Any other array is an error, so a file for another network is
    /// never half-loaded.
    public static func parameters(from bytes: [UInt8], architecture arch: Architecture) throws -> [Double] {
        let arrays = try decode(bytes)
        var byName: [String: NPYArray] = [:]
        for (name, a) in arrays {
            guard byName[name] == nil else { throw NPZError("array \(name) appears twice") }
            byName[name] = a
        }
        var p = [Double](repeating: 0, count: arch.parameterCount)
        var used = Set<String>()
        for (l, off) in arch.layout.enumerated() {
            let nin = arch.sizes[l]
            let nout = arch.sizes[l + 1]
            let wName = "W\(l + 1)"
            let bName = "b\(l + 1)"
            guard let w = byName[wName] else {
                throw NPZError(
                    "missing array \(wName) (layer \(l + 1) weights, expected shape \(NPY.tuple([nout, nin])))")
            }
            guard w.shape == [nout, nin] else {
                let hint = w.shape == [nin, nout] ? " (it looks transposed: weights are stored out × in)" : ""
                throw NPZError(
                    "array \(wName) has shape \(w.shapeDescription) but the architecture \(arch.sizes) needs \(NPY.tuple([nout, nin]))\(hint)"
                )
            }
            p.replaceSubrange(off.weights..<(off.weights + nout * nin), with: w.values)
            used.insert(wName)
            if let b = off.bias {
                guard let bias = byName[bName] else {
                    throw NPZError(
                        "missing array \(bName) (layer \(l + 1) biases, expected shape \(NPY.tuple([nout]))); the architecture has biases"
                    )
                }
                guard bias.shape == [nout] || bias.shape == [nout, 1] || bias.shape == [1, nout] else {
                    throw NPZError(
                        "array \(bName) has shape \(bias.shapeDescription) but the architecture \(arch.sizes) needs \(NPY.tuple([nout]))"
                    )
                }
                p.replaceSubrange(b..<(b + nout), with: bias.values)
                used.insert(bName)
            } else if byName[bName] != nil {
                throw NPZError("array \(bName) is present but the architecture has no biases")
            }
        }
        let extra = arrays.map(\.name).filter { !used.contains($0) }
        guard extra.isEmpty else {
            throw NPZError(
                "unexpected arrays \(extra.joined(separator: ", ")) for an architecture with \(arch.layerCount) weight layers (expected W1…W\(arch.layerCount)\(arch.bias ? ", b1…b\(arch.layerCount)" : ""))"
            )
        }
        for (i, v) in p.enumerated() where !v.isFinite {
            throw NPZError("parameter \(i) is \(v); initial weights must be finite")
        }
        return p
    }
}
