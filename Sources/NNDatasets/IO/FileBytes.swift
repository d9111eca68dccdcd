import CZlib
import Foundation

/// Reading whole data files into memory, transparently gunzipping `.gz` content.
///
/// Gzip is recognised by its magic bytes (1f 8b), not by the file name, so a renamed or unpacked file
/// reads the same. Decompression streams through zlib (`inflateInit2` with 16 + MAX_WBITS, which makes
/// zlib parse the gzip header and check the CRC-32 and length trailer) in fixed-size chunks; no shell
/// tool is involved. Concatenated gzip members, which `gzip` itself accepts, are read one after another.
enum FileBytes {
    /// Input is read in chunks of this size; output grows in chunks of the same size.
    static let chunkSize = 1 << 20

    /// The file's bytes, decompressed when they are gzip.
    static func read(_ path: String) throws -> [UInt8] {
        guard let file = fopen(path, "rb") else {
            throw DatasetError("\(path): cannot open (\(String(cString: strerror(errno))))")
        }
        defer { fclose(file) }
        var head = [UInt8](repeating: 0, count: 2)
        let n = fread(&head, 1, 2, file)
        if n == 2 && head[0] == 0x1f && head[1] == 0x8b {
            rewind(file)
            return try gunzip(file, path: path)
        }
        rewind(file)
        return try readAll(file, path: path)
    }

    private static func readAll(_ file: UnsafeMutablePointer<FILE>, path: String) throws -> [UInt8] {
        var out = [UInt8]()
        if fseeko(file, 0, SEEK_END) == 0 {
            let size = ftello(file)
            if size > 0 { out.reserveCapacity(Int(size)) }
            rewind(file)
        }
        var chunk = [UInt8](repeating: 0, count: chunkSize)
        while true {
            let got = fread(&chunk, 1, chunkSize, file)
            if got > 0 { out.append(contentsOf: chunk[0..<got]) }
            if got < chunkSize {
                if ferror(file) != 0 { throw DatasetError("\(path): read error") }
                break
            }
        }
        return out
    }

    /// The gzip trailer's ISIZE (uncompressed length mod 2^32), used only as a capacity hint.
    private static func sizeHint(_ file: UnsafeMutablePointer<FILE>) -> Int {
        guard fseeko(file, -4, SEEK_END) == 0 else { rewind(file); return 0 }
        var t = [UInt8](repeating: 0, count: 4)
        let got = fread(&t, 1, 4, file)
        rewind(file)
        guard got == 4 else { return 0 }
        let v = Int(t[0]) | Int(t[1]) << 8 | Int(t[2]) << 16 | Int(t[3]) << 24
        return min(v, 1 << 30)
    }

    private static func gunzip(_ file: UnsafeMutablePointer<FILE>, path: String) throws -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(sizeHint(file))
        var stream = z_stream()
        // 16 + MAX_WBITS: expect a gzip wrapper (header + CRC-32/ISIZE trailer checked by zlib).
        var rc = inflateInit2_(&stream, 16 + MAX_WBITS, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        guard rc == Z_OK else { throw DatasetError("\(path): zlib could not start (code \(rc))") }
        defer { inflateEnd(&stream) }

        var input = [UInt8](repeating: 0, count: chunkSize)
        var output = [UInt8](repeating: 0, count: chunkSize)
        var finishedMember = false
        var sawInput = false
        readLoop: while true {
            let got = fread(&input, 1, chunkSize, file)
            if got == 0 {
                if ferror(file) != 0 { throw DatasetError("\(path): read error") }
                break
            }
            sawInput = true
            var offset = 0
            while offset < got {
                if finishedMember {
                    // Another gzip member follows (or trailing garbage, which zlib rejects below).
                    rc = inflateReset(&stream)
                    guard rc == Z_OK else { throw DatasetError("\(path): zlib reset failed (code \(rc))") }
                    finishedMember = false
                }
                let consumed: Int = try input.withUnsafeMutableBufferPointer { inBuf in
                    try output.withUnsafeMutableBufferPointer { outBuf in
                        stream.next_in = inBuf.baseAddress! + offset
                        stream.avail_in = UInt32(got - offset)
                        var used = 0
                        repeat {
                            stream.next_out = outBuf.baseAddress!
                            stream.avail_out = UInt32(chunkSize)
                            rc = inflate(&stream, Z_NO_FLUSH)
                            let produced = chunkSize - Int(stream.avail_out)
                            if produced > 0 { out.append(contentsOf: outBuf[0..<produced]) }
                            switch rc {
                            case Z_OK, Z_BUF_ERROR: break
                            case Z_STREAM_END: finishedMember = true
                            default:
                                let why = stream.msg.map { String(cString: $0) } ?? "code \(rc)"
                                throw DatasetError("\(path): corrupt gzip data (\(why)) after \(out.count) decompressed bytes")
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
        if !sawInput { throw DatasetError("\(path): empty file") }
        if !finishedMember {
            throw DatasetError("\(path): truncated gzip file (stream ends early after \(out.count) decompressed bytes)")
        }
        return out
    }
}
