import NNZlib

/// The parts of the ZIP format `.npz` files use: writing uncompressed ("stored") members, and reading
/// stored or deflated members, including the ZIP64 records NumPy's `savez` writes (it always forces
/// ZIP64 local headers). Hand-written because no Debian library offers zip reading and writing in
/// memory with a small C API; zlib supplies CRC-32 and raw inflate (through NNZlib's `Zlib`).
enum Zip {
    struct Member {
        var name: String
        var data: [UInt8]
    }

    static func crc32(_ data: [UInt8]) -> UInt32 { Zlib.crc32(data) }

    /// A ZIP archive of stored members, with fixed timestamps (1980-01-01 00:00) so that the same
    /// arrays always produce the same bytes.
    static func write(_ members: [Member]) -> [UInt8] {
        var out: [UInt8] = []
        var central: [UInt8] = []
        let dosTime: UInt16 = 0
        let dosDate: UInt16 = (0 << 9) | (1 << 5) | 1
        for m in members {
            let name = Array(m.name.utf8)
            let crc = crc32(m.data)
            let offset = UInt32(out.count)
            put(&out, UInt32(0x0403_4b50))
            put(&out, UInt16(20))
            put(&out, UInt16(0))
            put(&out, UInt16(0))
            put(&out, dosTime)
            put(&out, dosDate)
            put(&out, crc)
            put(&out, UInt32(m.data.count))
            put(&out, UInt32(m.data.count))
            put(&out, UInt16(name.count))
            put(&out, UInt16(0))
            out += name
            out += m.data

            put(&central, UInt32(0x0201_4b50))
            put(&central, UInt16(20))
            put(&central, UInt16(20))
            put(&central, UInt16(0))
            put(&central, UInt16(0))
            put(&central, dosTime)
            put(&central, dosDate)
            put(&central, crc)
            put(&central, UInt32(m.data.count))
            put(&central, UInt32(m.data.count))
            put(&central, UInt16(name.count))
            put(&central, UInt16(0))
            put(&central, UInt16(0))
            put(&central, UInt16(0))
            put(&central, UInt16(0))
            put(&central, UInt32(0))
            put(&central, offset)
            central += name
        }
        let cdOffset = UInt32(out.count)
        out += central
        put(&out, UInt32(0x0605_4b50))
        put(&out, UInt16(0))
        put(&out, UInt16(0))
        put(&out, UInt16(members.count))
        put(&out, UInt16(members.count))
        put(&out, UInt32(central.count))
        put(&out, cdOffset)
        put(&out, UInt16(0))
        return out
    }

    static func read(_ z: [UInt8]) throws -> [Member] {
        let r = Reader(bytes: z)
        // The end-of-central-directory record sits in the last 22 + 65535 (comment) bytes.
        var eocd = -1
        var i = z.count - 22
        while i >= max(0, z.count - 22 - 65535) {
            if try r.u32(i) == 0x0605_4b50 {
                eocd = i
                break
            }
            i -= 1
        }
        guard eocd >= 0 else { throw NPZError("not a ZIP archive (no end-of-central-directory record)") }
        var entries = Int(try r.u16(eocd + 10))
        var cdOffset = Int(try r.u32(eocd + 16))
        if entries == 0xFFFF || cdOffset == 0xFFFF_FFFF, eocd >= 20, try r.u32(eocd - 20) == 0x0706_4b50 {
            let z64 = Int(truncatingIfNeeded: try r.u64(eocd - 20 + 8))
            guard try r.u32(z64) == 0x0606_4b50 else { throw NPZError("corrupt ZIP64 end-of-central-directory record") }
            entries = Int(truncatingIfNeeded: try r.u64(z64 + 32))
            cdOffset = Int(truncatingIfNeeded: try r.u64(z64 + 48))
        }
        var members: [Member] = []
        var p = cdOffset
        for _ in 0..<entries {
            guard try r.u32(p) == 0x0201_4b50 else { throw NPZError("corrupt ZIP central directory") }
            let flags = try r.u16(p + 8)
            let method = try r.u16(p + 10)
            let crc = try r.u32(p + 16)
            var compressed = Int(try r.u32(p + 20))
            var size = Int(try r.u32(p + 24))
            let nameLength = Int(try r.u16(p + 28))
            let extraLength = Int(try r.u16(p + 30))
            let commentLength = Int(try r.u16(p + 32))
            var local = Int(try r.u32(p + 42))
            let name = String(decoding: try r.slice(p + 46, nameLength), as: UTF8.self)
            // ZIP64 extended information: 8-byte values for the fields that hold 0xFFFFFFFF, in order.
            var e = p + 46 + nameLength
            let extraEnd = e + extraLength
            while e + 4 <= extraEnd {
                let id = try r.u16(e)
                let len = Int(try r.u16(e + 2))
                if id == 0x0001 {
                    var q = e + 4
                    if size == 0xFFFF_FFFF {
                        size = Int(truncatingIfNeeded: try r.u64(q))
                        q += 8
                    }
                    if compressed == 0xFFFF_FFFF {
                        compressed = Int(truncatingIfNeeded: try r.u64(q))
                        q += 8
                    }
                    if local == 0xFFFF_FFFF { local = Int(truncatingIfNeeded: try r.u64(q)) }
                }
                e += 4 + len
            }
            p = extraEnd + commentLength
            if flags & 1 != 0 { throw NPZError("ZIP member '\(name)' is encrypted") }
            guard try r.u32(local) == 0x0403_4b50 else { throw NPZError("corrupt ZIP local header for '\(name)'") }
            let dataStart = local + 30 + Int(try r.u16(local + 26)) + Int(try r.u16(local + 28))
            let raw = try r.slice(dataStart, compressed)
            let data: [UInt8]
            switch method {
            case 0: data = raw
            case 8:
                // Deflate expands at most ~1032:1; a larger claimed size is corruption, not a reason to allocate.
                guard size >= 0, size <= raw.count * 1032 + 64 else {
                    throw NPZError("ZIP member '\(name)': implausible size \(size)")
                }
                data = try inflate(raw, size: size, name: name)
            default:
                throw NPZError(
                    "ZIP member '\(name)' uses compression method \(method) (only stored and deflate are supported)")
            }
            guard data.count == size else { throw NPZError("ZIP member '\(name)': size mismatch") }
            guard crc32(data) == crc else { throw NPZError("ZIP member '\(name)': CRC-32 mismatch (corrupt file)") }
            members.append(Member(name: name, data: data))
        }
        return members
    }

    /// Raw deflate (no zlib header), as ZIP stores it; `size` is the member's declared uncompressed size
    /// (already bounded by deflate's largest ratio): inflation stops with an error one output chunk past it.
    static func inflate(_ input: [UInt8], size: Int, name: String) throws -> [UInt8] {
        do {
            return try Zlib.inflate(.rawDeflate, input, outputChunk: min(size + 1, 1 << 20), reserve: size) { out in
                if out.count > size {
                    throw NPZError(
                        "ZIP member '\(name)': inflates to more than its declared \(size) bytes (stopped there)")
                }
            }
        } catch let e as Zlib.InflateError {
            throw NPZError("ZIP member '\(name)': corrupt deflate data (\(e))")
        }
    }

    static func put<I: FixedWidthInteger>(_ out: inout [UInt8], _ v: I) { NPY.appendLE(&out, v) }

    /// Bounds-checked little-endian reads.
    struct Reader {
        let bytes: [UInt8]
        func check(_ at: Int, _ n: Int) throws {
            guard at >= 0, n >= 0, at <= bytes.count - n else { throw NPZError("truncated ZIP archive") }
        }
        func u16(_ at: Int) throws -> UInt16 {
            try check(at, 2)
            return UInt16(bytes[at]) | UInt16(bytes[at + 1]) << 8
        }
        func u32(_ at: Int) throws -> UInt32 {
            try check(at, 4)
            return (0..<4).reduce(0) { $0 | UInt32(bytes[at + $1]) << (8 * UInt32($1)) }
        }
        func u64(_ at: Int) throws -> UInt64 {
            try check(at, 8)
            return (0..<8).reduce(0) { $0 | UInt64(bytes[at + $1]) << (8 * UInt64($1)) }
        }
        func slice(_ at: Int, _ n: Int) throws -> [UInt8] {
            try check(at, n)
            return Array(bytes[at..<(at + n)])
        }
    }
}
