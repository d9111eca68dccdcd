import CZlib

/// zlib behind one small API: the one place nnexp inflates (and takes CRC-32s), for gzip data files
/// (NNDatasets' `FileBytes`) and deflated `.npz` members (NNEngine's `Zip`).
///
/// Input arrives in chunks from a `read` callback and output grows in chunks of at most `outputChunk`
/// bytes; after each output chunk `grew` sees everything produced so far and may throw, so a caller's
/// bound (the machine's limit, a header's declared size, a ZIP member's size) stops inflation one chunk
/// past it instead of after a decompression bomb has filled memory. zlib checks gzip's CRC-32 and length
/// trailer itself (window bits 16 + MAX_WBITS); raw deflate (window bits −MAX_WBITS) has neither.
public enum Zlib {
    /// What wraps the deflate data.
    public enum Format: Sendable {
        /// Raw deflate, as a ZIP member holds it: one stream; input after its end is not read.
        case rawDeflate
        /// gzip: header and CRC-32/ISIZE trailer, checked by zlib; concatenated members, which `gzip`
        /// itself accepts, are inflated one after another (trailing garbage is rejected as corrupt).
        case gzip
    }

    /// Why inflation failed (errors thrown by `read` or `grew` pass through unchanged).
    public enum InflateError: Error, Equatable, Sendable {
        /// `inflateInit2` failed with this zlib code.
        case cannotStart(code: Int32)
        /// `inflateReset` between gzip members failed with this zlib code.
        case cannotReset(code: Int32)
        /// zlib rejected the data: its message (or code), after this many decompressed bytes.
        case corrupt(String, after: Int)
        /// The input ended before the (last) stream did, after this many decompressed bytes.
        case truncated(after: Int)
        /// There was no input at all.
        case empty
    }

    /// Inflates what `read` supplies: `read` fills the buffer it is given (at most `inputChunk` bytes)
    /// and returns how many it wrote, 0 at the end. `reserve` is a capacity hint for the result, which
    /// the caller bounds. Returns every decompressed byte.
    public static func inflate(
        _ format: Format, inputChunk: Int, outputChunk: Int, reserve: Int = 0,
        read: (UnsafeMutableBufferPointer<UInt8>) throws -> Int,
        grew: ([UInt8]) throws -> Void
    ) throws -> [UInt8] {
        let inStep = max(1, inputChunk)
        let outStep = max(1, outputChunk)
        var out = [UInt8]()
        out.reserveCapacity(max(0, reserve))
        var stream = z_stream()
        let windowBits = format == .gzip ? 16 + MAX_WBITS : -MAX_WBITS
        var rc = inflateInit2_(&stream, windowBits, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        guard rc == Z_OK else { throw InflateError.cannotStart(code: rc) }
        defer { inflateEnd(&stream) }

        var input = [UInt8](repeating: 0, count: inStep)
        var output = [UInt8](repeating: 0, count: outStep)
        var finishedMember = false
        var sawInput = false
        readLoop: while !(finishedMember && format == .rawDeflate) {
            let got = try input.withUnsafeMutableBufferPointer { try read($0) }
            if got == 0 { break }
            sawInput = true
            var offset = 0
            while offset < got {
                if finishedMember {
                    if format == .rawDeflate { break readLoop }
                    // Another gzip member follows (or trailing garbage, which zlib rejects below).
                    rc = inflateReset(&stream)
                    guard rc == Z_OK else { throw InflateError.cannotReset(code: rc) }
                    finishedMember = false
                }
                let consumed: Int = try input.withUnsafeMutableBufferPointer { inBuf in
                    try output.withUnsafeMutableBufferPointer { outBuf in
                        stream.next_in = inBuf.baseAddress! + offset
                        stream.avail_in = UInt32(got - offset)
                        var used = 0
                        repeat {
                            stream.next_out = outBuf.baseAddress!
                            stream.avail_out = UInt32(outStep)
                            rc = CZlib.inflate(&stream, Z_NO_FLUSH)
                            let produced = outStep - Int(stream.avail_out)
                            if produced > 0 {
                                out.append(contentsOf: outBuf[0..<produced])
                                try grew(out)
                            }
                            switch rc {
                            case Z_OK, Z_BUF_ERROR: break
                            case Z_STREAM_END: finishedMember = true
                            default:
                                let why = stream.msg.map { String(cString: $0) } ?? "code \(rc)"
                                throw InflateError.corrupt(why, after: out.count)
                            }
                            used = (got - offset) - Int(stream.avail_in)
                            // Keep going while input remains or the output chunk came back full (more may be pending).
                        } while !finishedMember && rc != Z_BUF_ERROR && (stream.avail_in > 0 || stream.avail_out == 0)
                        return used
                    }
                }
                offset += consumed
                if consumed == 0 && !finishedMember { continue readLoop }
            }
        }
        if !sawInput { throw InflateError.empty }
        if !finishedMember { throw InflateError.truncated(after: out.count) }
        return out
    }

    /// Inflates bytes already in memory (one `read` of all of them); the other arguments as above.
    public static func inflate(
        _ format: Format, _ bytes: [UInt8], outputChunk: Int, reserve: Int = 0,
        grew: ([UInt8]) throws -> Void
    ) throws -> [UInt8] {
        var done = false
        return try inflate(
            format, inputChunk: bytes.count, outputChunk: outputChunk, reserve: reserve,
            read: { buf in
                if done { return 0 }
                done = true
                _ = buf.initialize(from: bytes)
                return bytes.count
            }, grew: grew)
    }

    /// The CRC-32 of `data` (zlib's `crc32`, fed in pieces because it takes a 32-bit length), as ZIP
    /// and gzip store it.
    public static func crc32(_ data: [UInt8]) -> UInt32 {
        data.withUnsafeBufferPointer { b in
            var crc = CZlib.crc32(0, nil, 0)
            var offset = 0
            while offset < b.count {
                let chunk = min(b.count - offset, 1 << 30)
                crc = CZlib.crc32(crc, b.baseAddress! + offset, uInt(chunk))
                offset += chunk
            }
            return UInt32(crc)
        }
    }

    /// The Adler-32 checksum of `data` (zlib's `adler32`, fed in pieces like `crc32`), as a zlib
    /// stream's trailer stores it.
    public static func adler32(_ data: [UInt8]) -> UInt32 {
        data.withUnsafeBufferPointer { b in
            var sum = CZlib.adler32(0, nil, 0)
            var offset = 0
            while offset < b.count {
                let chunk = min(b.count - offset, 1 << 30)
                sum = CZlib.adler32(sum, b.baseAddress! + offset, uInt(chunk))
                offset += chunk
            }
            return UInt32(sum)
        }
    }
}
