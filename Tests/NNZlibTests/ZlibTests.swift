import XCTest

@testable import NNZlib

/// The one zlib wrapper: gzip (one or several members, any input chunking), raw deflate, the bound a
/// caller's `grew` sets, and each failure. Expected bytes come from Python's gzip/zlib modules (the
/// literals below), not from this code.
final class ZlibTests: XCTestCase {
    /// gzip.compress(b"hello, ", mtime=0) and gzip.compress(b"world\n", mtime=0).
    let hello: [UInt8] = [
        0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x03, 0xcb, 0x48, 0xcd, 0xc9, 0xc9,
        0xd7, 0x51, 0x00, 0x00, 0x99, 0x56, 0xea, 0x11, 0x07, 0x00, 0x00, 0x00
    ]
    let world: [UInt8] = [
        0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x03, 0x2b, 0xcf, 0x2f, 0xca, 0x49,
        0xe1, 0x02, 0x00, 0xa8, 0x61, 0x38, 0xdd, 0x06, 0x00, 0x00, 0x00
    ]
    /// Raw deflate (wbits −15) of b"nnexp " * 100.
    let nnexp: [UInt8] = [0xcb, 0xcb, 0x4b, 0xad, 0x28, 0x50, 0xc8, 0x1b, 0x25, 0x47, 0x49, 0xaa, 0x92, 0x00]

    /// Inflates `bytes` handed over `chunk` bytes at a time.
    func inflate(
        _ format: Zlib.Format, _ bytes: [UInt8], chunk: Int, outputChunk: Int = 5,
        grew: ([UInt8]) throws -> Void = { _ in }
    ) throws -> [UInt8] {
        var at = 0
        return try Zlib.inflate(
            format, inputChunk: chunk, outputChunk: outputChunk,
            read: { buf in
                let n = min(buf.count, bytes.count - at)
                for i in 0..<n { buf[i] = bytes[at + i] }
                at += n
                return n
            }, grew: grew)
    }

    func testGzipMembersInAnyChunking() throws {
        for chunk in [1, 3, 7, 64] {
            XCTAssertEqual(
                String(decoding: try inflate(.gzip, hello, chunk: chunk), as: UTF8.self), "hello, ", "chunk \(chunk)")
            XCTAssertEqual(
                String(decoding: try inflate(.gzip, hello + world, chunk: chunk), as: UTF8.self), "hello, world\n",
                "concatenated members, chunk \(chunk)")
        }
    }

    func testRawDeflateInMemoryAndInChunks() throws {
        let expected = String(repeating: "nnexp ", count: 100)
        XCTAssertEqual(
            String(decoding: try Zlib.inflate(.rawDeflate, nnexp, outputChunk: 600) { _ in }, as: UTF8.self), expected)
        XCTAssertEqual(
            String(decoding: try inflate(.rawDeflate, nnexp, chunk: 2, outputChunk: 7), as: UTF8.self), expected)
        // A ZIP member is one stream: what follows its end is not inflated (nor an error).
        XCTAssertEqual(try Zlib.inflate(.rawDeflate, nnexp + [0xde, 0xad], outputChunk: 600) { _ in }.count, 600)
    }

    /// `grew` sees every output chunk, so a caller's bound stops inflation at most one chunk past it.
    func testBoundStopsInflationOneChunkPastIt() throws {
        // One stored deflate block (BFINAL = 1, BTYPE = 00) of 60 000 bytes: LEN, ~LEN, then the bytes.
        let n = 60_000
        let stored: [UInt8] =
            [0x01, UInt8(n & 0xff), UInt8(n >> 8), UInt8(~n & 0xff), UInt8((~n >> 8) & 0xff)]
            + [UInt8](repeating: 7, count: n)
        XCTAssertEqual(
            try Zlib.inflate(.rawDeflate, stored, outputChunk: 4096) { _ in }, [UInt8](repeating: 7, count: n))
        struct Stop: Error {}
        var largest = 0
        XCTAssertThrowsError(
            try Zlib.inflate(.rawDeflate, stored, outputChunk: 4096) { out in
                largest = out.count
                if out.count > 10_000 { throw Stop() }
            }
        ) { XCTAssertTrue($0 is Stop, "the caller's own error passes through: \($0)") }
        XCTAssertEqual(largest, 12_288, "three 4 KiB chunks, then stopped")
    }

    func testFailures() {
        func failure(_ f: Zlib.Format, _ b: [UInt8]) -> Zlib.InflateError? {
            do {
                _ = try inflate(f, b, chunk: 4)
                return nil
            } catch { return error as? Zlib.InflateError }
        }
        XCTAssertEqual(failure(.gzip, []), .empty)
        XCTAssertEqual(failure(.gzip, Array(hello.dropLast(4))), .truncated(after: 7), "ISIZE missing")
        XCTAssertEqual(
            failure(.rawDeflate, Array(nnexp.prefix(6))).map {
                if case .truncated = $0 { return true } else { return false }
            }, true)
        var badCRC = hello
        badCRC[badCRC.count - 8] ^= 1
        guard case .corrupt(let why, after: 7)? = failure(.gzip, badCRC) else {
            return XCTFail("a CRC mismatch is corrupt data")
        }
        XCTAssertTrue(why.contains("incorrect data check"), why)
        guard case .corrupt? = failure(.gzip, hello + [0x00, 0x01, 0x02]) else {
            return XCTFail("trailing garbage is corrupt data")
        }
    }

    /// The CRC-32 check value of the standard ("123456789" → CBF43926), and of nothing.
    /// Adler-32 of "Wikipedia" is 0x11E60398 (the worked example of RFC 1950's algorithm); of nothing, 1.
    func testAdler32KnownValues() {
        XCTAssertEqual(Zlib.adler32(Array("Wikipedia".utf8)), 0x11E6_0398)
        XCTAssertEqual(Zlib.adler32([]), 1)
    }

    func testCRC32CheckValue() {
        XCTAssertEqual(Zlib.crc32(Array("123456789".utf8)), 0xCBF4_3926)
        XCTAssertEqual(Zlib.crc32([]), 0)
    }
}
