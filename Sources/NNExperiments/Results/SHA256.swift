import CNettle
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// SHA-256 (FIPS 180-4) through Nettle, Debian's small, well-kept hash library: run manifests and
/// the hashes of input files in a run's identity. Nettle rather than a hand-written hash (a library
/// is reviewed and tested far beyond what this project could do) or OpenSSL's libcrypto (a much
/// larger library for one function).
public enum SHA256 {
    /// The digest of `bytes` as 64 lowercase hex digits.
    public static func hex(_ bytes: [UInt8]) -> String {
        var ctx = sha256_ctx()
        nettle_sha256_init(&ctx)
        bytes.withUnsafeBufferPointer { nettle_sha256_update(&ctx, $0.count, $0.baseAddress) }
        return finish(&ctx)
    }

    /// The digest of a file's contents, read in 1 MiB pieces (never whole). Only regular files.
    public static func hex(file path: String) throws -> String {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw IOFailure(path: path, operation: "cannot read", code: errno) }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw IOFailure(path: path, operation: "cannot read", code: errno) }
        guard (st.st_mode & S_IFMT) == S_IFREG else {
            throw IOFailure(path: path, operation: "cannot hash", reason: "not a regular file")
        }
        var ctx = sha256_ctx()
        nettle_sha256_init(&ctx)
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw IOFailure(path: path, operation: "cannot read", code: errno)
            }
            if n == 0 { break }
            buffer.withUnsafeBufferPointer { nettle_sha256_update(&ctx, n, $0.baseAddress) }
        }
        return finish(&ctx)
    }

    private static func finish(_ ctx: inout sha256_ctx) -> String {
        var digest = [UInt8](repeating: 0, count: 32)
        digest.withUnsafeMutableBufferPointer { nettle_sha256_digest(&ctx, 32, $0.baseAddress) }
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(64)
        for b in digest {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 15)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
