import NNEngine

/// The IDX format of MNIST and Fashion-MNIST (LeCun et al.): a big-endian header — two zero bytes, a
/// type code (0x08 = unsigned byte), the number of dimensions — then one UInt32 size per dimension,
/// then the values in row-major order. Images are 3-dimensional (count × rows × columns, magic 2051),
/// labels 1-dimensional (count, magic 2049).
public enum IDX {
    /// Images as raw bytes, kept compact (1 byte a pixel) so that several preprocessings of the same
    /// files share one decoded copy.
    public struct Images: Sendable {
        /// Number of images.
        public let count: Int
        /// Pixel rows per image (28 for MNIST).
        public let rows: Int
        /// Pixel columns per image (28 for MNIST).
        public let columns: Int
        /// `count × rows × columns` pixels, row-major, 0...255.
        public let pixels: [UInt8]
        /// Pixels per image: rows × columns.
        public var dimension: Int { rows * columns }
    }

    /// Reads an images file (`*-idx3-ubyte`, plain or gzip).
    public static func readImages(_ path: String) throws -> Images {
        let bytes = try FileBytes.read(path, headerBytes: 16) {
            try declaredLength($0, path: path, dimensions: 3, what: "images")
        }
        let dims = try header(bytes, path: path, expectedDimensions: 3, what: "images")
        let (count, rows, columns) = (dims[0], dims[1], dims[2])
        guard rows > 0, columns > 0 else {
            throw DatasetError("\(path): images of \(rows)×\(columns) pixels; expected positive height and width")
        }
        let start = 4 + 4 * 3
        try checkLength(bytes, path: path, headerBytes: start, payload: try payload(dims, path: path))
        // Huge pages: training gathers shuffled minibatch rows straight from these pixels.
        let n = bytes.count - start
        let pixels = HugePages.bytes(count: n) { out in
            bytes.withUnsafeBufferPointer { src in
                if n > 0 { out.baseAddress!.update(from: src.baseAddress! + start, count: n) }
            }
        }
        return Images(count: count, rows: rows, columns: columns, pixels: pixels)
    }

    /// Reads a labels file (`*-idx1-ubyte`, plain or gzip).
    public static func readLabels(_ path: String) throws -> [UInt8] {
        let bytes = try FileBytes.read(path, headerBytes: 8) {
            try declaredLength($0, path: path, dimensions: 1, what: "labels")
        }
        let dims = try header(bytes, path: path, expectedDimensions: 1, what: "labels")
        try checkLength(bytes, path: path, headerBytes: 8, payload: dims[0])
        return Array(bytes[8...])
    }

    /// Validates the magic number and returns the dimension sizes.
    static func header(_ b: [UInt8], path: String, expectedDimensions: Int, what: String) throws -> [Int] {
        let magic = 0x800 + expectedDimensions
        guard b.count >= 4 else {
            throw DatasetError("\(path): truncated IDX file: \(b.count) bytes, expected at least a 4-byte magic number")
        }
        let found = be32(b, 0)
        guard found == magic else {
            var hint = ""
            if b[0] == 0, b[1] == 0, b[2] == 0x08, b[3] != UInt8(expectedDimensions) {
                hint =
                    " — a \(b[3])-dimensional IDX file; \(what) need \(expectedDimensions) dimension(s) (wrong file?)"
            } else if b[0] == 0, b[1] == 0, b[2] != 0x08 {
                hint = " — IDX value type 0x\(String(b[2], radix: 16)) is not unsigned bytes (0x08)"
            } else {
                hint = " — not an IDX file"
            }
            throw DatasetError("\(path): bad magic number \(found) (expected \(magic) for IDX \(what))\(hint)")
        }
        let headerBytes = 4 + 4 * expectedDimensions
        guard b.count >= headerBytes else {
            throw DatasetError("\(path): truncated IDX header: \(b.count) bytes, expected \(headerBytes)")
        }
        return (0..<expectedDimensions).map { be32(b, 4 + 4 * $0) }
    }

    /// The product of the header's sizes (one byte each), refused when it overflows an integer: a
    /// header of 0xFFFFFFFF³ declares more than any file can hold.
    static func payload(_ dims: [Int], path: String) throws -> Int {
        var n = 1
        for d in dims {
            let (p, overflow) = n.multipliedReportingOverflow(by: d)
            guard !overflow else {
                throw DatasetError(
                    "\(path): IDX header declares \(dims.map(String.init).joined(separator: "×")) values, more than any file can hold"
                )
            }
            n = p
        }
        return n
    }

    /// The whole file's length as its header declares it, for `FileBytes` to stop inflating there;
    /// nil when the header is not a valid one (reported once the file is read).
    static func declaredLength(_ head: [UInt8], path: String, dimensions: Int, what: String) throws -> Int? {
        guard let dims = try? header(head, path: path, expectedDimensions: dimensions, what: what) else { return nil }
        let (total, overflow) = try payload(dims, path: path).addingReportingOverflow(4 + 4 * dimensions)
        guard !overflow else { throw DatasetError("\(path): IDX header declares more values than any file can hold") }
        return total
    }

    static func checkLength(_ b: [UInt8], path: String, headerBytes: Int, payload: Int) throws {
        let (expected, overflow) = headerBytes.addingReportingOverflow(payload)
        if overflow { throw DatasetError("\(path): IDX header declares more values than any file can hold") }
        if b.count < expected {
            throw DatasetError(
                "\(path): truncated IDX data: expected \(expected) bytes (header says so), found \(b.count)")
        }
        if b.count > expected {
            throw DatasetError(
                "\(path): IDX file longer than its header says: expected \(expected) bytes, found \(b.count)")
        }
    }

    @inline(__always) static func be32(_ b: [UInt8], _ i: Int) -> Int {
        Int(b[i]) << 24 | Int(b[i + 1]) << 16 | Int(b[i + 2]) << 8 | Int(b[i + 3])
    }
}
