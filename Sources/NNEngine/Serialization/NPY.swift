/// NumPy's `.npy` format (version 1.0 written; 1.0, 2.0 and 3.0 read) for float arrays, as bytes.
///
/// Layout: the magic "\x93NUMPY", major and minor version bytes, the header length (little-endian
/// UInt16 in 1.0, UInt32 from 2.0), then an ASCII Python dict literal such as
/// `{'descr': '<f8', 'fortran_order': False, 'shape': (3, 2), }`, padded with spaces and ending in
/// '\n' so that the data starts at a multiple of 64 bytes, then the raw values.

/// Element types the engine reads and writes: IEEE floats, either byte order on input.
public enum NPYDType: String, Hashable, Sendable {
    case float32 = "<f4"
    case float64 = "<f8"

    /// Bytes per element: 4 or 8.
    public var byteCount: Int { self == .float32 ? 4 : 8 }
}

/// A float array with its shape (C order). Values are held as Double: every Float32 value converts
/// exactly, so a Float32 array round-trips bit for bit.
public struct NPYArray: Hashable, Sendable {
    /// Dimensions, C order; () for a scalar.
    public var shape: [Int]
    /// The elements in C order, widened to Double (exact for float32).
    public var values: [Double]
    /// The element type written (or read). Default float64.
    public var dtype: NPYDType

    /// An array of `values` (their count must be the product of `shape`, checked by precondition).
    public init(shape: [Int], values: [Double], dtype: NPYDType = .float64) {
        precondition(shape.reduce(1, *) == values.count, "NPY: \(values.count) values do not fill shape \(shape)")
        self.shape = shape
        self.values = values
        self.dtype = dtype
    }

    /// The shape as NumPy prints it: (3, 2), (4,), ().
    public var shapeDescription: String { NPY.tuple(shape) }
}

/// A malformed or unsupported `.npy`/`.npz` payload, or parameters that do not fit an architecture.
public struct NPZError: Error, CustomStringConvertible, Hashable, Sendable {
    /// What is wrong, for messages.
    public let message: String
    /// An error with this message.
    public init(_ message: String) { self.message = message }
    /// The message.
    public var description: String { message }
}

/// Encoding and decoding of single `.npy` arrays (format above).
public enum NPY {
    static let magic: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59]  // "\x93NUMPY"

    /// The `.npy` version 1.0 bytes of `a`: little-endian values, header padded to 64 bytes.
    public static func encode(_ a: NPYArray) -> [UInt8] {
        var header = "{'descr': '\(a.dtype.rawValue)', 'fortran_order': False, 'shape': \(tuple(a.shape)), }"
        let unpadded = magic.count + 2 + 2 + header.utf8.count + 1
        header += String(repeating: " ", count: (64 - unpadded % 64) % 64) + "\n"
        var out = magic + [1, 0]
        out.reserveCapacity(10 + header.utf8.count + a.values.count * a.dtype.byteCount)
        appendLE(&out, UInt16(header.utf8.count))
        out += Array(header.utf8)
        switch a.dtype {
        case .float32: for v in a.values { appendLE(&out, Float(v).bitPattern) }
        case .float64: for v in a.values { appendLE(&out, v.bitPattern) }
        }
        return out
    }

    /// Parses `.npy` bytes (versions 1–3, C or Fortran order); throws `NPZError` naming the problem.
    /// Floats (<f4, <f8, either byte order) keep their type; integers (i1…i8, u1…u8, either byte
    /// order) and booleans (b1) are read widened to Double and reported as float64 — exact, since a
    /// value beyond 2^53 is refused — so that data sets saved by NumPy with integer labels or pixels load.
    public static func decode(_ bytes: [UInt8]) throws -> NPYArray {
        guard bytes.count >= 10, Array(bytes[0..<6]) == magic else {
            throw NPZError("not a .npy array (bad magic bytes)")
        }
        let major = bytes[6]
        let headerLength: Int
        let start: Int
        switch major {
        case 1:
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
            start = 10
        case 2, 3:
            guard bytes.count >= 12 else { throw NPZError("truncated .npy header") }
            headerLength = (0..<4).reduce(0) { $0 | Int(bytes[8 + $1]) << (8 * $1) }
            start = 12
        default: throw NPZError(".npy format version \(major).\(bytes[7]) is not supported (1.0–3.0 are)")
        }
        guard bytes.count >= start + headerLength else { throw NPZError("truncated .npy header") }
        guard
            let header = String(bytes: bytes[start..<(start + headerLength)], encoding: major == 3 ? .utf8 : .isoLatin1)
        else {
            throw NPZError("unreadable .npy header")
        }
        let fields = try parseHeader(header)
        guard let descr = fields.descr else { throw NPZError(".npy header has no 'descr'") }
        guard let shape = fields.shape else { throw NPZError(".npy header has no 'shape'") }
        guard let (kind, width, littleEndian) = elementType(descr) else {
            throw NPZError(
                "dtype '\(descr)' is not supported (need float32 '<f4' or float64 '<f8', or integers or booleans: "
                    + "'|i1' to '<i8', '|u1' to '<u8', '|b1')")
        }
        var count = 1
        for d in shape {
            let (c, overflow) = count.multipliedReportingOverflow(by: d)
            guard d >= 0, !overflow, c <= Int(Int32.max) else {
                throw NPZError(".npy shape \(tuple(shape)) is too large")
            }
            count = c
        }
        let dataStart = start + headerLength
        guard bytes.count - dataStart >= count * width else {
            throw NPZError(
                ".npy data truncated: shape \(tuple(shape)) needs \(count * width) bytes, found \(bytes.count - dataStart)"
            )
        }
        var values = [Double](repeating: 0, count: count)
        for i in 0..<count {
            var bits: UInt64 = 0
            for b in 0..<width {
                let byte = UInt64(bytes[dataStart + i * width + b])
                bits |= byte << (8 * UInt64(littleEndian ? b : width - 1 - b))
            }
            switch kind {
            case "f": values[i] = width == 4 ? Double(Float(bitPattern: UInt32(bits))) : Double(bitPattern: bits)
            case "b": values[i] = bits == 0 ? 0 : 1
            case "i":
                let shift = UInt64(64 - 8 * width)
                let v = Int64(bitPattern: bits << shift) >> shift  // sign-extended
                guard v.magnitude <= 1 << 53 else {
                    throw NPZError("integer \(v) at element \(i) cannot be held exactly as a float64 (|v| > 2^53)")
                }
                values[i] = Double(v)
            default:
                guard bits <= 1 << 53 else {
                    throw NPZError("integer \(bits) at element \(i) cannot be held exactly as a float64 (v > 2^53)")
                }
                values[i] = Double(bits)
            }
        }
        if fields.fortranOrder && shape.count > 1 { values = fromFortranOrder(values, shape: shape) }
        return NPYArray(shape: shape, values: values, dtype: kind == "f" && width == 4 ? .float32 : .float64)
    }

    // MARK: - helpers

    /// The kind ('f' float, 'i' signed, 'u' unsigned integer, 'b' boolean), byte width and byte order of
    /// a supported `descr`; nil for any other (strings, objects, complex, float16, structured).
    static func elementType(_ descr: String) -> (kind: Character, width: Int, littleEndian: Bool)? {
        let c = Array(descr)
        guard c.count == 3, let width = Int(String(c[2])) else { return nil }
        let little: Bool
        switch c[0] {
        case "<", "|", "=": little = true  // '=' is native order, little-endian on every platform nnexp builds for
        case ">": little = width == 1
        default: return nil
        }
        switch (c[1], width) {
        case ("f", 4), ("f", 8), ("i", 1), ("i", 2), ("i", 4), ("i", 8), ("u", 1), ("u", 2), ("u", 4), ("u", 8),
            ("b", 1):
            return (c[1], width, little)
        default: return nil
        }
    }

    static func tuple(_ shape: [Int]) -> String {
        shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
    }

    static func appendLE<I: FixedWidthInteger>(_ out: inout [UInt8], _ v: I) {
        for i in 0..<(I.bitWidth / 8) { out.append(UInt8(truncatingIfNeeded: v >> (8 * i))) }
    }

    /// Column-major to row-major (C) order.
    static func fromFortranOrder(_ v: [Double], shape: [Int]) -> [Double] {
        var out = v
        var index = [Int](repeating: 0, count: shape.count)
        for c in 0..<v.count {
            // c is the C-order position of `index`; find its Fortran-order position.
            var f = 0
            var stride = 1
            for d in 0..<shape.count {
                f += index[d] * stride
                stride *= shape[d]
            }
            out[c] = v[f]
            var d = shape.count - 1
            while d >= 0 {
                index[d] += 1
                if index[d] < shape[d] { break }
                index[d] = 0
                d -= 1
            }
        }
        return out
    }

    /// Reads 'descr', 'fortran_order' and 'shape' from the header's dict literal (the only three keys
    /// NumPy writes).
    static func parseHeader(_ h: String) throws -> (descr: String?, fortranOrder: Bool, shape: [Int]?) {
        let s = Array(h.unicodeScalars)
        var i = 0
        var descr: String?
        var fortran = false
        var shape: [Int]?
        func skipSpace() { while i < s.count, s[i] == " " || s[i] == "\n" || s[i] == "\t" || s[i] == "," { i += 1 } }
        func quoted() throws -> String {
            guard i < s.count, s[i] == "'" || s[i] == "\"" else { throw NPZError("malformed .npy header: \(h)") }
            let q = s[i]
            i += 1
            var out = ""
            while i < s.count, s[i] != q {
                out.unicodeScalars.append(s[i])
                i += 1
            }
            guard i < s.count else { throw NPZError("malformed .npy header: \(h)") }
            i += 1
            return out
        }
        skipSpace()
        guard i < s.count, s[i] == "{" else { throw NPZError("malformed .npy header (no dict): \(h)") }
        i += 1
        while true {
            skipSpace()
            guard i < s.count else { throw NPZError("malformed .npy header (unterminated dict): \(h)") }
            if s[i] == "}" { break }
            let key = try quoted()
            skipSpace()
            guard i < s.count, s[i] == ":" else { throw NPZError("malformed .npy header near '\(key)': \(h)") }
            i += 1
            while i < s.count, s[i] == " " { i += 1 }
            switch key {
            case "descr": descr = try quoted()
            case "fortran_order":
                let rest = String(String.UnicodeScalarView(s[i...]))
                if rest.hasPrefix("True") {
                    fortran = true
                    i += 4
                } else if rest.hasPrefix("False") {
                    i += 5
                } else {
                    throw NPZError("malformed 'fortran_order' in .npy header: \(h)")
                }
            case "shape":
                guard i < s.count, s[i] == "(" else { throw NPZError("malformed 'shape' in .npy header: \(h)") }
                i += 1
                var dims: [Int] = []
                var token = ""
                while i < s.count, s[i] != ")" {
                    if s[i] == "," {
                        if !token.isEmpty { dims.append(try dim(token, h)) }
                        token = ""
                    } else if s[i] != " " && s[i] != "L" {
                        token.unicodeScalars.append(s[i])
                    }
                    i += 1
                }
                guard i < s.count else { throw NPZError("malformed 'shape' in .npy header: \(h)") }
                if !token.isEmpty { dims.append(try dim(token, h)) }
                i += 1
                shape = dims
            default:
                throw NPZError("unexpected key '\(key)' in .npy header")
            }
        }
        return (descr, fortran, shape)
    }

    private static func dim(_ t: String, _ h: String) throws -> Int {
        guard let v = Int(t), v >= 0 else { throw NPZError("malformed dimension '\(t)' in .npy header: \(h)") }
        return v
    }
}
