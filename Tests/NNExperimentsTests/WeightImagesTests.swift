import CZlib
import Foundation
import NNEngine
import XCTest

@testable import NNExperiments

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// The first-layer weights chart of image datasets: one picture per hidden unit, checked
/// structurally and down to the colour of each pixel (decoded with zlib's own inflate).
final class WeightImagesTests: XCTestCase {
    func folder() throws -> URL {
        let d = FileManager.default.temporaryDirectory.appendingPathComponent("nnexp-weights-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: d, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: d) }
        try ReportFixtures.images(d)
        return d
    }

    /// Unit 1: +1 on the left half of the 8×8 picture, −1 on the right; unit 2: a ramp; unit 3: one
    /// pixel of 4 (the largest |w|, so the colour scale is ±2) and zeros.
    var w1: [Double] {
        (0..<64).map { q in q % 8 < 4 ? 1 : -1 } + (0..<64).map { 0.25 * Double($0) / 63 }
            + (0..<64).map { $0 == 9 ? 4 : 0 }
    }

    func writeWeights(_ dir: URL, run: String) throws {
        let npz = NPZ.encode([
            ("W1", NPYArray(shape: [3, 64], values: w1)), ("b1", NPYArray(shape: [3], values: [0, 0, 0])),
            ("W2", NPYArray(shape: [10, 3], values: Array(repeating: 0.5, count: 30))),
            ("b2", NPYArray(shape: [10], values: Array(repeating: 0, count: 10)))
        ])
        try Data(npz).write(to: dir.appendingPathComponent(run).appendingPathComponent("weights.npz"))
    }

    /// The palette indices of a PNG written by `PNG.indexed`, read back independently: chunks,
    /// CRCs, IHDR, then zlib's `uncompress` of IDAT and the filter byte of every row.
    func decode(_ png: [UInt8]) throws -> (width: Int, height: Int, palette: [[UInt8]], pixels: [UInt8]) {
        XCTAssertEqual(Array(png.prefix(8)), [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        func u32(_ i: Int) -> Int { Int(png[i]) << 24 | Int(png[i + 1]) << 16 | Int(png[i + 2]) << 8 | Int(png[i + 3]) }
        var at = 8
        var chunks: [String: [UInt8]] = [:]
        var order: [String] = []
        while at < png.count {
            let n = u32(at)
            let type = String(decoding: png[(at + 4)..<(at + 8)], as: UTF8.self)
            let body = Array(png[(at + 4)..<(at + 8 + n)])
            let crc = body.withUnsafeBufferPointer { Int(crc32(crc32(0, nil, 0), $0.baseAddress, uInt($0.count))) }
            XCTAssertEqual(crc, u32(at + 8 + n), "CRC of \(type)")
            chunks[type] = Array(body.dropFirst(4))
            order.append(type)
            at += 12 + n
        }
        XCTAssertEqual(order, ["IHDR", "PLTE", "IDAT", "IEND"])
        let h = try XCTUnwrap(chunks["IHDR"])
        let width = Int(h[0]) << 24 | Int(h[1]) << 16 | Int(h[2]) << 8 | Int(h[3])
        let height = Int(h[4]) << 24 | Int(h[5]) << 16 | Int(h[6]) << 8 | Int(h[7])
        XCTAssertEqual(Array(h[8...]), [8, 3, 0, 0, 0], "8-bit palette, no interlace")
        let idat = try XCTUnwrap(chunks["IDAT"])
        var raw = [UInt8](repeating: 0, count: height * (width + 1))
        var len = uLongf(raw.count)
        let status = raw.withUnsafeMutableBufferPointer { r in
            idat.withUnsafeBufferPointer { uncompress(r.baseAddress, &len, $0.baseAddress, uLong($0.count)) }
        }
        XCTAssertEqual(status, Z_OK)
        XCTAssertEqual(Int(len), raw.count)
        var pixels: [UInt8] = []
        for y in 0..<height {
            XCTAssertEqual(raw[y * (width + 1)], 0, "filter type none")
            pixels += raw[(y * (width + 1) + 1)..<((y + 1) * (width + 1))]
        }
        let p = try XCTUnwrap(chunks["PLTE"])
        return (width, height, stride(from: 0, to: p.count, by: 3).map { Array(p[$0..<($0 + 3)]) }, pixels)
    }

    func testTheBestRunsFirstLayerIsDrawnUnitByUnit() throws {
        let dir = try folder()
        try writeWeights(dir, run: "learning_rate=1")
        let results = try ResultsReader.read(experimentDirectory: dir.path)
        XCTAssertEqual(results.runs[results.bestRunIndex!].name, "learning_rate=1")
        let made = Charts.make(results)
        let chart = try XCTUnwrap(made.charts.first { $0.file == "first-layer-weights.svg" })
        XCTAssertEqual(chart.section, "First-layer weights")
        let doc = try XMLDocument(data: Data(chart.svg.utf8), options: [])
        let images = try doc.nodes(forXPath: "//*[local-name()='image']") as! [XMLElement]
        XCTAssertEqual(images.count, 3)
        let titles = try doc.nodes(forXPath: "//*[local-name()='g']/*[local-name()='title']").compactMap(\.stringValue)
        XCTAssertEqual(titles, ["unit 1: weights -1 … 1", "unit 2: weights 0 … 0.25", "unit 3: weights 0 … 4"])
        XCTAssertTrue(chart.svg.contains("colour clipped at ±2"), "half the largest |w|")
        let pictures = try images.map { e -> [UInt8] in
            let href = try XCTUnwrap(
                e.attributes?.first { $0.localName == "href" || $0.name == "href" }?.stringValue, "\(e)")
            XCTAssertTrue(href.hasPrefix("data:image/png;base64,"))
            return [UInt8](try XCTUnwrap(Data(base64Encoded: String(href.dropFirst(22)))))
        }
        let first = try decode(pictures[0])
        XCTAssertEqual(first.width, 8)
        XCTAssertEqual(first.height, 8)
        XCTAssertEqual(first.palette.count, 31)
        XCTAssertEqual(first.palette[15], [255, 255, 255], "0 is white")
        XCTAssertEqual(first.palette[0], [33, 102, 172])
        XCTAssertEqual(first.palette[30], [178, 24, 43])
        // w = ±1 on a ±2 scale: 15 × (1 ± 0.5) = 22.5 → 23 and 7.5 → 8.
        XCTAssertEqual(first.pixels, (0..<64).map { $0 % 8 < 4 ? 23 : 8 })
        let third = try decode(pictures[2])
        XCTAssertEqual(third.pixels, (0..<64).map { $0 == 9 ? 30 : 15 }, "clipped at +2; zeros white")
        // The same bytes every time (the report is committed).
        XCTAssertEqual(Charts.make(results).charts.first { $0.file == "first-layer-weights.svg" }?.svg, chart.svg)
    }

    func testNoChartWithoutWeightsAndANoteForADamagedFile() throws {
        let dir = try folder()
        XCTAssertNil(
            Charts.make(try ResultsReader.read(experimentDirectory: dir.path)).charts.first {
                $0.file == "first-layer-weights.svg"
            })
        try Data("not a zip".utf8).write(to: dir.appendingPathComponent("learning_rate=1/weights.npz"))
        let made = Charts.make(try ResultsReader.read(experimentDirectory: dir.path))
        XCTAssertNil(made.charts.first { $0.file == "first-layer-weights.svg" })
        XCTAssertTrue(
            made.notes.contains {
                $0.hasPrefix("The first-layer weights of learning_rate=1 are not drawn: ") && $0.contains("weights.npz")
            }, "\(made.notes)")
    }

    func testBase64MatchesFoundation() {
        for n in 0..<8 {
            let bytes = (0..<n).map { UInt8(($0 * 97 + 13) & 0xFF) }
            XCTAssertEqual(PNG.base64(bytes), Data(bytes).base64EncodedString())
        }
    }
}
