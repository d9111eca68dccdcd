import XCTest

@testable import NNDatasets

final class IDXTests: XCTestCase {
    func testImagesRoundTripPlainAndGzip() throws {
        let t = try TempFolder()
        let (bytes, pixels) = idxImages(count: 7, rows: 5, cols: 4)
        for (name, content) in [
            ("plain-idx3-ubyte", bytes), ("zipped-idx3-ubyte.gz", gzipped(bytes)),
            ("zipped-but-no-suffix", gzipped(bytes))
        ] {
            let im = try IDX.readImages(try t.write(name, content))
            XCTAssertEqual(im.count, 7)
            XCTAssertEqual(im.rows, 5)
            XCTAssertEqual(im.columns, 4)
            XCTAssertEqual(im.pixels, pixels, name)
        }
    }

    func testLabelsRoundTrip() throws {
        let t = try TempFolder()
        let labels: [UInt8] = [5, 0, 4, 1, 9, 2, 1, 3, 1, 4]
        XCTAssertEqual(try IDX.readLabels(try t.write("l", idxLabels(labels))), labels)
        XCTAssertEqual(try IDX.readLabels(try t.write("l.gz", gzipped(idxLabels(labels)))), labels)
    }

    /// Larger than the reader's 1 MiB chunks, so input and output cross chunk boundaries, and
    /// written in two gzip members (which gzip itself concatenates).
    func testLargeGzipAcrossChunksAndMembers() throws {
        let t = try TempFolder()
        let (bytes, pixels) = idxImages(count: 3000, rows: 28, cols: 28)
        let half = bytes.count / 2
        let twoMembers = gzipped(Array(bytes[..<half]), level: 1) + gzipped(Array(bytes[half...]), level: 9)
        let im = try IDX.readImages(try t.write("big.gz", twoMembers))
        XCTAssertEqual(im.pixels, pixels)
    }

    func testBadMagicNamesFileAndNumbers() throws {
        let t = try TempFolder()
        let labelsAsImages = try t.write("wrong", idxLabels([1, 2, 3]))
        assertDatasetError([labelsAsImages, "bad magic number 2049", "expected 2051", "1-dimensional"]) {
            _ = try IDX.readImages(labelsAsImages)
        }
        let text = try t.write("text.csv", text: "a,b,c\n1,2,3\n")
        assertDatasetError([text, "not an IDX file"]) { _ = try IDX.readLabels(text) }
        let floats = try t.write("floats", idxBytes(magic: 0x0D01, dims: [1], payload: [0, 0, 0, 0]))
        assertDatasetError([floats, "0xd", "not unsigned bytes"]) { _ = try IDX.readLabels(floats) }
    }

    func testTruncatedAndOverlongData() throws {
        let t = try TempFolder()
        let full = idxImages(count: 4, rows: 3, cols: 3).bytes  // 16 + 36 bytes
        let short = try t.write("short", Array(full.dropLast(5)))
        assertDatasetError([short, "truncated", "expected 52", "found 47"]) { _ = try IDX.readImages(short) }
        let headerOnly = try t.write("hdr", Array(full[0..<10]))
        assertDatasetError([headerOnly, "truncated IDX header", "expected 16"]) { _ = try IDX.readImages(headerOnly) }
        let long = try t.write("long", full + [1, 2])
        assertDatasetError([long, "expected 52", "found 54"]) { _ = try IDX.readImages(long) }
        let empty = try t.write("empty", [])
        assertDatasetError([empty, "truncated"]) { _ = try IDX.readLabels(empty) }
    }

    func testTruncatedGzip() throws {
        let t = try TempFolder()
        let z = gzipped(idxImages(count: 50, rows: 10, cols: 10).bytes)
        let cut = try t.write("cut.gz", Array(z[0..<(z.count / 2)]))
        assertDatasetError([cut, "truncated gzip"]) { _ = try IDX.readImages(cut) }
        // Missing only the 8-byte CRC/length trailer is truncation too.
        let noTrailer = try t.write("notrailer.gz", Array(z.dropLast(8)))
        assertDatasetError([noTrailer, "truncated gzip"]) { _ = try IDX.readImages(noTrailer) }
    }

    func testCorruptGzip() throws {
        let t = try TempFolder()
        var z = gzipped(idxImages(count: 50, rows: 10, cols: 10).bytes)
        z[z.count - 6] ^= 0xFF  // inside the CRC-32 trailer
        let badCRC = try t.write("crc.gz", z)
        assertDatasetError([badCRC, "corrupt gzip", "incorrect data check"]) { _ = try IDX.readImages(badCRC) }
        let garbage = try t.write("garbage.gz", [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 0xff, 0xff, 0xff, 0xff, 0xff])
        assertDatasetError([garbage, "corrupt gzip"]) { _ = try IDX.readImages(garbage) }
    }

    func testMissingFile() {
        assertDatasetError(["/nonexistent/x-idx3-ubyte", "cannot open"]) {
            _ = try IDX.readImages("/nonexistent/x-idx3-ubyte")
        }
    }
}
