import Foundation
import XCTest

@testable import NNDatasets

/// Data files that once crashed or hung the reader (issue 13): only regular files are read, and every
/// size is checked against the file and its header before anything is allocated or inflated.
final class FileSafetyTests: XCTestCase {
    func testFolderIsRefusedByName() throws {
        let t = try TempFolder()
        assertDatasetError([t.path, "is a folder, not a file"]) { _ = try IDX.readImages(t.path) }
    }

    func testDeviceIsRefusedWithoutReading() {
        assertDatasetError(["/dev/zero", "is not a regular file"]) { _ = try IDX.readLabels("/dev/zero") }
    }

    /// A FIFO with no writer blocked `fopen` forever; now the open does not wait and the path is refused.
    func testFIFOIsRefusedWithoutBlocking() throws {
        let t = try TempFolder()
        let fifo = t.file("pipe")
        XCTAssertEqual(mkfifo(fifo, 0o600), 0)
        assertDatasetError([fifo, "is not a regular file"]) { _ = try IDX.readImages(fifo) }
    }

    /// Header sizes of 0xFFFFFFFF multiply past Int.max: an error naming the file, not a trap.
    func testHeaderWhoseSizesOverflowIsRefused() throws {
        let t = try TempFolder()
        let head = idxBytes(magic: 2051, dims: [0xFFFF_FFFF, 0xFFFF_FFFF, 0xFFFF_FFFF], payload: [1, 2, 3])
        for (name, bytes) in [("plain", head), ("zipped.gz", gzipped(head))] {
            let path = try t.write(name, bytes)
            assertDatasetError([path, "more than any file can hold"]) { _ = try IDX.readImages(path) }
        }
        let big = idxBytes(magic: 2051, dims: [0xFFFF_FFFF, 0xFFFF, 0xFF], payload: [1])
        let path = try t.write("big.gz", gzipped(big))
        assertDatasetError([path, "its header declares"]) { _ = try IDX.readImages(path) }
    }

    /// A gzip that inflates far past what its IDX header declares is stopped at the declared size,
    /// after at most one output chunk, rather than inflated whole (a 3 MB file once became 3.2 GB).
    func testGzipInflationStopsAtTheDeclaredSize() throws {
        let t = try TempFolder()
        let labels = idxBytes(magic: 2049, dims: [4], payload: [1, 2, 3, 4] + [UInt8](repeating: 0, count: 64 << 20))
        let path = try t.write("bomb.gz", gzipped(labels, level: 9))
        XCTAssertLessThan(try FileManager.default.attributesOfItem(atPath: path)[.size] as! Int, 1 << 20)
        assertDatasetError([path, "holds more data than the 12 bytes its header declares"]) {
            _ = try IDX.readLabels(path)
        }
    }
}
