import NNEngine

/// The feature values of a loaded pool, shared read-only by every part of every split taken from it.
///
/// Splits, subsets and samples never copy features: each part is a `FeatureView` (row indices into
/// one table plus the preprocessing steps still to apply), so a sweep over seeds holds the pool once
/// and each seed's split costs only its indices. Image files keep their pixels as the bytes read
/// (0…255, exact as Float64 at an eighth of the memory); other sources keep Float64 values.
public final class FeatureTable: Sendable {
    enum Storage: Sendable {
        case doubles([Double])
        case bytes([UInt8])
    }
    let storage: Storage
    /// Rows in the table.
    public let count: Int
    /// Values per row.
    public let dimension: Int

    /// A table over `values` (`count × dimension`, row-major; checked by precondition).
    public init(doubles values: [Double], count: Int, dimension: Int) {
        precondition(values.count == count * dimension, "feature table: values do not fill count × dimension")
        storage = .doubles(values)
        self.count = count
        self.dimension = dimension
    }

    /// A table over bytes (pixels), read as the Float64 values 0…255 (shares `values`' storage).
    public init(bytes values: [UInt8], count: Int, dimension: Int) {
        precondition(values.count == count * dimension, "feature table: bytes do not fill count × dimension")
        storage = .bytes(values)
        self.count = count
        self.dimension = dimension
    }

    /// Whether the values are held as bytes (image pixels) rather than Float64.
    public var holdsBytes: Bool { if case .bytes = storage { return true } else { return false } }

    /// Bytes the values occupy.
    public var byteCount: Int {
        switch storage {
        case .doubles(let v): return v.count * MemoryLayout<Double>.stride
        case .bytes(let v): return v.count
        }
    }

    /// Writes row `r` as Float64 into `out` (`dimension` values).
    func copyRow(_ r: Int, into out: UnsafeMutableBufferPointer<Double>) {
        let d = dimension
        let start = r * d
        switch storage {
        case .doubles(let v):
            v.withUnsafeBufferPointer { src in for j in 0..<d { out[j] = src[start + j] } }
        case .bytes(let v):
            // Through pointers: `start + j` in the loop kept an overflow check per element and the loop scalar.
            v.withUnsafeBufferPointer { src in
                guard let s = src.baseAddress.map({ $0 + start }), let o = out.baseAddress else { return }
                for j in 0..<d { o[j] = Double(s[j]) }
            }
        }
    }

    /// The rows at `rows` (all, in order, when nil) as one new table of the same storage kind.
    func gathered(_ rows: [Int]?) -> Storage {
        guard let rows else { return storage }
        let d = dimension
        switch storage {
        case .doubles(let v):
            var out = [Double]()
            out.reserveCapacity(rows.count * d)
            for r in rows { out.append(contentsOf: v[(r * d)..<((r + 1) * d)]) }
            return .doubles(out)
        case .bytes(let v):
            // Huge pages: the engine gathers shuffled minibatches from these bytes (`byteDecoding`).
            guard d > 0 else { return .bytes([]) }
            let out = HugePages.bytes(count: rows.count * d) { out in
                v.withUnsafeBufferPointer { src in
                    for (i, r) in rows.enumerated() {
                        (out.baseAddress! + i * d).update(from: src.baseAddress! + r * d, count: d)
                    }
                }
            }
            return .bytes(out)
        }
    }
}

/// An elementwise feature transform still to be applied when a view's rows are read (preprocessing
/// fitted on a training part). Applied one value at a time in Float64, so reading through the view
/// gives to the last bit what transforming a materialised copy in place gave.
public enum FeatureStep: Sendable, Equatable {
    /// x / factor.
    case divide(Double)
    /// 1 where x > threshold, else 0.
    case binarize(Double)
    /// (x − shift[j]) / divisor[j] for column j (division, not a reciprocal product, so results match
    /// NumPy's `(x - mean) / std` and `x / amax` to the last bit).
    case affine(shift: [Double], divisor: [Double])

    /// Transforms one row in place.
    func apply(_ x: UnsafeMutableBufferPointer<Double>) {
        switch self {
        case .divide(let f): for k in x.indices { x[k] /= f }
        case .binarize(let t): for k in x.indices { x[k] = x[k] > t ? 1 : 0 }
        case .affine(let shift, let divisor): for k in x.indices { x[k] = (x[k] - shift[k]) / divisor[k] }
        }
    }
}

/// Which rows of a `FeatureTable` a dataset reads, and the steps applied to them when read. Immutable:
/// every subset or transform makes a new view, so a view's identity names its values (the engine's
/// converted samples are cached per view).
public final class FeatureView: Sendable {
    /// The shared values.
    public let table: FeatureTable
    /// Table rows in order; nil means every row of the table, in order.
    public let rows: [Int]?
    /// Applied in order to each row as it is read.
    public let steps: [FeatureStep]

    /// A view of `rows` of `table` (all when nil), read through `steps`.
    public init(table: FeatureTable, rows: [Int]? = nil, steps: [FeatureStep] = []) {
        self.table = table
        self.rows = rows
        self.steps = steps
    }

    /// Rows the view reads.
    public var count: Int { rows?.count ?? table.count }

    /// The view's pixel bytes and the one per-column affine step that turns them into its values, when
    /// the table holds bytes and the view applies a single `affine` or `divide` step (standardised or
    /// scaled pixels); nil otherwise (unpreprocessed bytes are values already). The engine gathers
    /// minibatches from these bytes (`Samples.decoding`), after checking that they decode to the values.
    var byteDecoding: (codes: [UInt8], decoding: ByteDecoding)? {
        guard steps.count == 1, case .bytes(let codes) = table.gathered(rows) else { return nil }
        let d = table.dimension
        switch steps[0] {
        case .affine(let shift, let divisor):
            guard shift.count == d, divisor.count == d else { return nil }
            return (codes, ByteDecoding(shift: shift, divisor: divisor))
        case .divide(let f):
            return (
                codes, ByteDecoding(shift: [Double](repeating: 0, count: d), divisor: [Double](repeating: f, count: d))
            )
        case .binarize:
            return nil
        }
    }

    /// The table row behind the view's row `i`.
    @inline(__always) func tableRow(_ i: Int) -> Int { rows.map { $0[i] } ?? i }
}

extension FeatureTable {
    /// `a`'s rows followed by `b`'s as one new table (a pool merging a source's train and test parts):
    /// bytes stay bytes when both are unpreprocessed byte views, else Float64 with their steps applied.
    convenience init(concatenating a: FeatureView, _ b: FeatureView) {
        let d = a.table.dimension
        precondition(b.table.dimension == d, "feature table: concatenating rows of different widths")
        if a.steps.isEmpty, b.steps.isEmpty, case .bytes(let x) = a.table.gathered(a.rows),
            case .bytes(let y) = b.table.gathered(b.rows)
        {
            self.init(bytes: x + y, count: a.count + b.count, dimension: d)
            return
        }
        var values = Dataset(name: "", view: a, targets: .values([], dimension: 0)).features
        values += Dataset(name: "", view: b, targets: .values([], dimension: 0)).features
        self.init(doubles: values, count: a.count + b.count, dimension: d)
    }
}

extension Samples {
    /// Engine samples of features `x` (the rows of `view`, converted) and targets `y`: when the view is
    /// standardised or scaled pixels, the samples keep its bytes and step, so minibatches are gathered
    /// from the bytes (`Samples.decoding`; checked against `x` before it is used).
    public init(x: [T], y: [T], count: Int, inputs: Int, outputs: Int, view: FeatureView) {
        if let coded = view.byteDecoding {
            self.init(
                x: x, y: y, count: count, inputs: inputs, outputs: outputs, codes: coded.codes,
                decoding: coded.decoding)
        } else {
            self.init(x: x, y: y, count: count, inputs: inputs, outputs: outputs)
        }
    }
}
