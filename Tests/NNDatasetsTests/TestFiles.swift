import CZlib
import Foundation
import XCTest

@testable import NNDatasets

/// Scratch files for tests: a fresh folder per test case, removed afterwards.
final class TempFolder {
    let path: String
    init() throws {
        path = NSTemporaryDirectory() + "nndatasets-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(atPath: path) }

    func file(_ name: String) -> String { (path as NSString).appendingPathComponent(name) }

    @discardableResult
    func write(_ name: String, _ bytes: [UInt8]) throws -> String {
        let p = file(name)
        try Data(bytes).write(to: URL(fileURLWithPath: p))
        return p
    }

    @discardableResult
    func write(_ name: String, text: String) throws -> String { try write(name, Array(text.utf8)) }
}

/// gzip through zlib's deflate (windowBits 16 + 15 = gzip wrapper), independent of the reader's code.
func gzipped(_ data: [UInt8], level: Int32 = 6) -> [UInt8] {
    var s = z_stream()
    precondition(
        deflateInit2_(
            &s, level, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY,
            zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK)
    defer { deflateEnd(&s) }
    var input = data
    var out = [UInt8](repeating: 0, count: Int(deflateBound(&s, UInt(data.count))) + 64)
    let produced: Int = input.withUnsafeMutableBufferPointer { inBuf in
        out.withUnsafeMutableBufferPointer { outBuf in
            s.next_in = inBuf.baseAddress
            s.avail_in = UInt32(inBuf.count)
            s.next_out = outBuf.baseAddress
            s.avail_out = UInt32(outBuf.count)
            precondition(deflate(&s, Z_FINISH) == Z_STREAM_END)
            return outBuf.count - Int(s.avail_out)
        }
    }
    return Array(out[0..<produced])
}

/// IDX bytes written by hand from the format description (big-endian header).
func idxBytes(magic: UInt32, dims: [Int], payload: [UInt8]) -> [UInt8] {
    func be(_ v: UInt32) -> [UInt8] { [UInt8(v >> 24), UInt8((v >> 16) & 255), UInt8((v >> 8) & 255), UInt8(v & 255)] }
    return be(magic) + dims.flatMap { be(UInt32($0)) } + payload
}

func idxImages(count: Int, rows: Int, cols: Int, seed: Int = 0) -> (bytes: [UInt8], pixels: [UInt8]) {
    let pixels = (0..<(count * rows * cols)).map { UInt8(truncatingIfNeeded: $0 * 37 + seed * 11 + ($0 >> 3)) }
    return (idxBytes(magic: 2051, dims: [count, rows, cols], payload: pixels), pixels)
}

func idxLabels(_ labels: [UInt8]) -> [UInt8] { idxBytes(magic: 2049, dims: [labels.count], payload: labels) }

/// Writes a complete small IDX folder (train: `trainCount`, t10k: `testCount`, 4×3 images).
func writeIDXFolder(_ t: TempFolder, trainCount: Int = 12, testCount: Int = 5, gzip: Bool = false) throws {
    func put(_ name: String, _ b: [UInt8]) throws { try t.write(gzip ? name + ".gz" : name, gzip ? gzipped(b) : b) }
    try put("train-images-idx3-ubyte", idxImages(count: trainCount, rows: 4, cols: 3, seed: 1).bytes)
    try put("train-labels-idx1-ubyte", idxLabels((0..<trainCount).map { UInt8($0 % 10) }))
    try put("t10k-images-idx3-ubyte", idxImages(count: testCount, rows: 4, cols: 3, seed: 2).bytes)
    try put("t10k-labels-idx1-ubyte", idxLabels((0..<testCount).map { UInt8(($0 * 3) % 10) }))
}

/// Asserts that `body` throws a DatasetError whose message contains every fragment.
func assertDatasetError(
    _ fragments: [String], file: StaticString = #filePath, line: UInt = #line, _ body: () throws -> Void
) {
    do {
        try body()
        XCTFail("expected a DatasetError containing \(fragments)", file: file, line: line)
    } catch let e as DatasetError {
        for f in fragments where !e.message.contains(f) {
            XCTFail("error \"\(e.message)\" lacks \"\(f)\"", file: file, line: line)
        }
    } catch {
        XCTFail("expected DatasetError, got \(error)", file: file, line: line)
    }
}
