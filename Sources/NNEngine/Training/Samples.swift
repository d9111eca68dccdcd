import Foundation

/// A training set in the engine's terms: features `x` (count × inputs, row-major) and targets `y`
/// (count × outputs: one-hot rows for classification, values for regression), in the run's precision.
/// Arrays are shared copy-on-write, so many concurrent runs can read one copy.
public struct Samples<T: Real>: Sendable {
    /// Features, count × inputs, row-major.
    public let x: [T]
    /// `x` as bytes when every feature is an integer in 0…255 (raw or binarised pixels), or the bytes
    /// `x` was computed from through `decoding` (standardised or scaled pixels), else nil. Minibatches
    /// are gathered from it: a random row of MNIST is then 784 bytes of memory traffic instead of
    /// 3 136 (Float) or 6 272 (Double), the largest cost of an epoch outside GEMM. The conversion back
    /// is exact (checked against `x` when a decoding is given), so training is bit-identical with or
    /// without it.
    public let bytes: [UInt8]?
    /// How `bytes` become `x` when they are not the values themselves; nil: x = T(b).
    public let decoding: ByteDecoding?
    /// The class of each row when `y` is one-hot (every row one +1 and otherwise +0, two or more
    /// outputs), else nil. Minibatch targets are then written from it rather than gathered: the rows of
    /// `y` sit at random places, a cache miss each (~2 % of a Raschka epoch), and the written rows are
    /// the same values.
    public let classes: [Int32]?
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
        self.init(
            x: x, y: y, count: count, inputs: inputs, outputs: outputs,
            bytes: keepBytes ? Self.byteCodes(x) : nil, decoding: nil)
    }

    /// A sample set whose features `x` were computed from the bytes `codes` (count × inputs) as
    /// `decoding` says (the preprocessing of image pixels). The codes are kept for the minibatch gather
    /// only when decoding every row gives `x` to the last bit (checked here, once); otherwise the
    /// gather reads `x`, so a mismatch costs speed, never a bit.
    public init(x: [T], y: [T], count: Int, inputs: Int, outputs: Int, codes: [UInt8], decoding: ByteDecoding) {
        let fits = codes.count == x.count && decoding.shift.count == inputs && decoding.divisor.count == inputs
        let kept = fits && Self.decodes(codes, through: decoding, to: x, cols: inputs)
        self.init(
            x: x, y: y, count: count, inputs: inputs, outputs: outputs,
            bytes: kept ? codes : Self.byteCodes(x), decoding: kept ? decoding : nil)
    }

    /// Every stored property as given (the shape checked by precondition).
    private init(x: [T], y: [T], count: Int, inputs: Int, outputs: Int, bytes: [UInt8]?, decoding: ByteDecoding?) {
        precondition(x.count == count * inputs && y.count == count * outputs, "samples: shape mismatch")
        self.x = x
        self.y = y
        self.count = count
        self.inputs = inputs
        self.outputs = outputs
        self.bytes = bytes
        self.decoding = decoding
        self.classes = Self.oneHotClasses(y, outputs: outputs)
    }

    /// Each row's class when every row of `y` (rows of `outputs` values) is exactly one +1 among +0s,
    /// else nil (regression targets, a single output column, −0, anything else).
    static func oneHotClasses(_ y: [T], outputs: Int) -> [Int32]? {
        guard outputs >= 2, outputs <= Int(Int32.max), y.count % outputs == 0 else { return nil }
        let rows = y.count / outputs
        var classes = [Int32](repeating: 0, count: rows)
        let ok = y.withUnsafeBufferPointer { v -> Bool in
            for r in 0..<rows {
                var found = -1
                for j in 0..<outputs {
                    let e = v[r * outputs + j]
                    if e == 1 && found < 0 {
                        found = j
                    } else if !(e == 0 && e.sign == .plus) {
                        return false
                    }
                }
                if found < 0 { return false }
                classes[r] = Int32(found)
            }
            return true
        }
        return ok ? classes : nil
    }

    /// Whether gathering every row of `codes` through `decoding` gives `x` bit for bit (one pass, in
    /// blocks of rows, through the training gather's own kernel).
    static func decodes(_ codes: [UInt8], through decoding: ByteDecoding, to x: [T], cols: Int) -> Bool {
        guard cols > 0 else { return true }
        let rows = x.count / cols
        let block = 256
        var scratch = [T](repeating: 0, count: block * cols)
        var index = [Int](repeating: 0, count: block)
        var r = 0
        while r < rows {
            let n = min(block, rows - r)
            for i in 0..<n { index[i] = r + i }
            T.gatherRows(
                codes, cols: cols, indices: index, count: n, decoding: decoding, into: &scratch, classes: nil,
                classCount: 0, targets: nil)
            let same = scratch.withUnsafeBytes { out in
                x.withUnsafeBytes { xb in
                    memcmp(
                        out.baseAddress!, xb.baseAddress! + r * cols * MemoryLayout<T>.stride,
                        n * cols * MemoryLayout<T>.stride) == 0
                }
            }
            if !same { return false }
            r += n
        }
        return true
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

/// Per-column affine reading of byte features: feature j of a row is (Double(b) − shift[j]) / divisor[j]
/// rounded once to the run's precision — what standardising ((x − mean) / std) or scaling (x / factor,
/// shift 0) a pixel computes in Float64.
public struct ByteDecoding: Sendable, Equatable {
    /// Subtracted from each byte, per column.
    public let shift: [Double]
    /// Then divided by, per column.
    public let divisor: [Double]
    /// 1 / divisor per column, rounded to Double: the Float32 gather multiplies by it when
    /// `float32ByScale` (a multiply is ~8× cheaper than a division; gather.c).
    public let scale: [Double]
    /// Whether Float((Double(b) − shift[j]) · scale[j]) equals Float((Double(b) − shift[j]) / divisor[j])
    /// bit for bit for every byte b in 0…255 and every column j — checked here, all 256·columns cases, so
    /// the multiplying gather is the dividing one exactly (it fails for ~1 value in 2.5 billion; then the
    /// gather divides).
    public let float32ByScale: Bool

    /// A decoding with one shift and one divisor per column.
    public init(shift: [Double], divisor: [Double]) {
        self.shift = shift
        self.divisor = divisor
        scale = divisor.map { 1 / $0 }
        float32ByScale = Self.scaleMatchesDivision(shift: shift, divisor: divisor, scale: scale)
    }

    /// The exhaustive check behind `float32ByScale`.
    static func scaleMatchesDivision(shift: [Double], divisor: [Double], scale: [Double]) -> Bool {
        guard shift.count == divisor.count, scale.count == divisor.count else { return false }
        for j in 0..<divisor.count {
            for b in 0...255 {
                let d = Double(b) - shift[j]
                if Float(d / divisor[j]).bitPattern != Float(d * scale[j]).bitPattern { return false }
            }
        }
        return true
    }
}
