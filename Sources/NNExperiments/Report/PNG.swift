import NNZlib

/// A minimal PNG writer for small palette images embedded in the report's SVGs (first-layer weight
/// pictures). The image data goes in *stored* (uncompressed) deflate blocks: the bytes then depend on
/// nothing but the pixels (a compressor's output may change between zlib versions, and reports are
/// committed and diffed); zlib supplies the CRC-32 and Adler-32 checksums the format requires.
/// Hand-written because Debian's libpng needs file or callback I/O for what is here 60 lines.
enum PNG {
    /// An 8-bit palette image: `pixels` (width × height, row-major) index into `palette` (≤ 256 RGB entries).
    static func indexed(width: Int, height: Int, pixels: [UInt8], palette: [(UInt8, UInt8, UInt8)]) -> [UInt8] {
        precondition(
            width > 0 && height > 0 && pixels.count == width * height && !palette.isEmpty && palette.count <= 256,
            "PNG: bad image")
        var out: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        var header: [UInt8] = []
        put(&header, UInt32(width))
        put(&header, UInt32(height))
        header += [8, 3, 0, 0, 0]  // bit depth 8, colour type 3 (palette), deflate, adaptive filter, no interlace
        chunk(&out, "IHDR", header)
        chunk(&out, "PLTE", palette.flatMap { [$0.0, $0.1, $0.2] })
        // Each row starts with its filter type (0: none).
        var raw: [UInt8] = []
        raw.reserveCapacity(height * (width + 1))
        for y in 0..<height {
            raw.append(0)
            raw += pixels[(y * width)..<((y + 1) * width)]
        }
        chunk(&out, "IDAT", storedZlib(raw))
        chunk(&out, "IEND", [])
        return out
    }

    /// A zlib stream of stored blocks (at most 65 535 bytes each) with its Adler-32 trailer.
    static func storedZlib(_ data: [UInt8]) -> [UInt8] {
        var z: [UInt8] = [0x78, 0x01]  // deflate, 32 KiB window, no dictionary; (0x78·256 + 0x01) % 31 == 0
        var offset = 0
        repeat {
            let n = min(65_535, data.count - offset)
            let last: UInt8 = offset + n == data.count ? 1 : 0
            z.append(last)
            z += [UInt8(n & 0xFF), UInt8(n >> 8), UInt8(~n & 0xFF), UInt8((~n >> 8) & 0xFF)]
            z += data[offset..<(offset + n)]
            offset += n
        } while offset < data.count
        let a = Zlib.adler32(data)
        put(&z, a)
        return z
    }

    static func chunk(_ out: inout [UInt8], _ type: String, _ data: [UInt8]) {
        put(&out, UInt32(data.count))
        let body = Array(type.utf8) + data
        out += body
        let crc = Zlib.crc32(body)
        put(&out, crc)
    }

    static func put(_ out: inout [UInt8], _ v: UInt32) {
        out += [UInt8(v >> 24), UInt8((v >> 16) & 0xFF), UInt8((v >> 8) & 0xFF), UInt8(v & 0xFF)]
    }

    /// Standard base64 (RFC 4648) for a `data:` URI.
    static func base64(_ bytes: [UInt8]) -> String {
        let table = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var i = 0
        while i < bytes.count {
            let b0 = UInt32(bytes[i])
            let b1 = i + 1 < bytes.count ? UInt32(bytes[i + 1]) : 0
            let b2 = i + 2 < bytes.count ? UInt32(bytes[i + 2]) : 0
            let v = b0 << 16 | b1 << 8 | b2
            out.append(table[Int(v >> 18)])
            out.append(table[Int((v >> 12) & 63)])
            out.append(i + 1 < bytes.count ? table[Int((v >> 6) & 63)] : UInt8(ascii: "="))
            out.append(i + 2 < bytes.count ? table[Int(v & 63)] : UInt8(ascii: "="))
            i += 3
        }
        return String(decoding: out, as: UTF8.self)
    }
}
