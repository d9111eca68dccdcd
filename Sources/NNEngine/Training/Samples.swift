/// A training set in the engine's terms: features `x` (count × inputs, row-major) and targets `y`
/// (count × outputs: one-hot rows for classification, values for regression), in the run's precision.
/// Arrays are shared copy-on-write, so many concurrent runs can read one copy.
public struct Samples<T: Real>: Sendable {
    /// Features, count × inputs, row-major.
    public let x: [T]
    /// `x` as bytes when every feature is an integer in 0…255 (raw or binarised pixels), else nil.
    /// Minibatches are gathered from it: a random row of MNIST is then 784 bytes of memory traffic
    /// instead of 3 136 (Float) or 6 272 (Double), the largest cost of an epoch outside GEMM. The
    /// conversion back is exact, so training is bit-identical with or without it.
    public let bytes: [UInt8]?
    /// Targets, count × outputs, row-major.
    public let y: [T]
    /// Number of samples (rows).
    public let count: Int
    /// Features per sample.
    public let inputs: Int
    /// Targets per sample.
    public let outputs: Int

    /// A sample set, keeping the byte copy of `x` when its values allow one.
    public init(x: [T], y: [T], count: Int, inputs: Int, outputs: Int) {
        self.init(x: x, y: y, count: count, inputs: inputs, outputs: outputs, keepBytes: true)
    }

    /// `keepBytes: false` never makes the byte copy (tests compare both gathers).
    init(x: [T], y: [T], count: Int, inputs: Int, outputs: Int, keepBytes: Bool) {
        precondition(x.count == count * inputs && y.count == count * outputs, "samples: shape mismatch")
        self.x = x
        self.y = y
        self.count = count
        self.inputs = inputs
        self.outputs = outputs
        self.bytes = keepBytes ? Self.byteCodes(x) : nil
    }

    /// The features as bytes if each is exactly an integer in 0…255, else nil. A C kernel reached
    /// through `Real`, so it runs at full speed even when `Samples` is built from unspecialised generic
    /// code (a generic Swift loop here took ~0.3 s of a sweep's start-up for 10 000 MNIST samples).
    static func byteCodes(_ x: [T]) -> [UInt8]? {
        x.withUnsafeBufferPointer { T.byteCodes($0) }
    }

    /// One-hot targets from class indices; a single output column holds the label itself (binary).
    public static func oneHot(labels: [Int], classes: Int) -> [T] {
        if classes == 1 { return labels.map { T($0) } }
        var y = [T](repeating: 0, count: labels.count * classes)
        for (i, c) in labels.enumerated() { y[i * classes + c] = 1 }
        return y
    }
}
