import XCTest

@testable import NNEngine

/// The batch gather copies whole rows in groups of four, 64 bytes at a time, then a byte tail: check
/// it against a plain row copy for row widths around the 64-byte line and batch sizes around 4.
final class GatherTests: XCTestCase {
    func check<T: Real>(_: T.Type, cols: Int, rows: Int) {
        let total = 23
        let src = (0..<(total * cols)).map { T($0) + T(0.5) }
        var rng = SystemRandomNumberGenerator()
        let indices = (0..<rows).map { _ in Int.random(in: 0..<total, using: &rng) }
        var dst = [T](repeating: -1, count: rows * cols + 3)
        src.withUnsafeBufferPointer { s in
            indices.withUnsafeBufferPointer { idx in
                dst.withUnsafeMutableBufferPointer {
                    Workspace<T>.gather(s.baseAddress!, cols: cols, indices: idx, into: $0.baseAddress!)
                }
            }
        }
        var expected = [T]()
        for i in indices { expected += src[(i * cols)..<((i + 1) * cols)] }
        XCTAssertEqual(Array(dst[..<(rows * cols)]), expected, "\(T.self) cols \(cols) rows \(rows)")
        XCTAssertEqual(Array(dst[(rows * cols)...]), [-1, -1, -1], "wrote past the batch")
    }

    func testMatchesRowByRowCopy() {
        for cols in [1, 2, 10, 15, 16, 17, 31, 33, 784] {
            for rows in [0, 1, 3, 4, 5, 8, 11] {
                check(Float.self, cols: cols, rows: rows)
                check(Double.self, cols: cols, rows: rows)
            }
        }
    }
}
