/// A training set in the engine's terms: features `x` (count × inputs, row-major) and targets `y`
/// (count × outputs: one-hot rows for classification, values for regression), in the run's precision.
/// Arrays are shared copy-on-write, so many concurrent runs can read one copy.
public struct Samples<T: Real>: Sendable {
    public let x: [T]
    public let y: [T]
    public let count: Int
    public let inputs: Int
    public let outputs: Int

    public init(x: [T], y: [T], count: Int, inputs: Int, outputs: Int) {
        precondition(x.count == count * inputs && y.count == count * outputs, "samples: shape mismatch")
        self.x = x; self.y = y; self.count = count; self.inputs = inputs; self.outputs = outputs
    }

    /// One-hot targets from class indices; a single output column holds the label itself (binary).
    public static func oneHot(labels: [Int], classes: Int) -> [T] {
        if classes == 1 { return labels.map { T($0) } }
        var y = [T](repeating: 0, count: labels.count * classes)
        for (i, c) in labels.enumerated() { y[i * classes + c] = 1 }
        return y
    }
}
