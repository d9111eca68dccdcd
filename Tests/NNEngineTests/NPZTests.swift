import Foundation
import XCTest

@testable import NNEngine

final class NPZTests: XCTestCase {
    let arch = Architecture(sizes: [3, 4, 2], hidden: .tanh, output: .softmax)

    func testRoundTripIsBitIdentical() throws {
        let net64 = Network<Double>(architecture: arch, initialization: .xavierNormal, seed: 11)
        let back64 = try NPZ.parameters(from: NPZ.encode(network: net64), architecture: arch)
        XCTAssertEqual(back64.map(\.bitPattern), net64.parameters.map(\.bitPattern))

        let net32 = Network<Float>(architecture: arch, initialization: .he, seed: 12)
        let bytes32 = NPZ.encode(network: net32)
        let arrays = try NPZ.decode(bytes32)
        XCTAssertEqual(arrays.map(\.name), ["W1", "b1", "W2", "b2"])
        XCTAssertEqual(arrays.map(\.array.dtype), [.float32, .float32, .float32, .float32])
        XCTAssertEqual(arrays[0].array.shape, [4, 3])
        XCTAssertEqual(arrays[1].array.shape, [4])
        let back32 = try NPZ.parameters(from: bytes32, architecture: arch).map { Float($0) }
        XCTAssertEqual(back32.map(\.bitPattern), net32.parameters.map(\.bitPattern))
        // Deterministic bytes: the same network encodes to the same archive.
        XCTAssertEqual(NPZ.encode(network: net32), bytes32)
    }

    func testNoBiasArchitecture() throws {
        let a = Architecture(sizes: [2, 3, 1], hidden: .sigmoid, output: .sigmoid, bias: false)
        let net = Network<Double>(architecture: a, initialization: .uniform(-1, 1), seed: 1)
        let bytes = NPZ.encode(network: net)
        XCTAssertEqual(try NPZ.decode(bytes).map(\.name), ["W1", "W2"])
        XCTAssertEqual(try NPZ.parameters(from: bytes, architecture: a), net.parameters)
        // A file with biases does not fit a bias-free architecture, and vice versa.
        let withBias = Architecture(sizes: [2, 3, 1], hidden: .sigmoid, output: .sigmoid)
        XCTAssertThrowsError(try NPZ.parameters(from: bytes, architecture: withBias)) { e in
            XCTAssertTrue("\(e)".contains("missing array b1"), "\(e)")
        }
        let biased = NPZ.encode(network: Network<Double>(architecture: withBias, initialization: .he, seed: 2))
        XCTAssertThrowsError(try NPZ.parameters(from: biased, architecture: a)) { e in
            XCTAssertTrue("\(e)".contains("b1 is present but the architecture has no biases"), "\(e)")
        }
    }

    func testShapeValidationMessages() {
        let other = Architecture(sizes: [4, 3, 2], hidden: .tanh, output: .softmax)
        let bytes = NPZ.encode(network: Network<Double>(architecture: other, initialization: .he, seed: 3))
        XCTAssertThrowsError(try NPZ.parameters(from: bytes, architecture: arch)) { e in
            XCTAssertEqual(
                "\(e)",
                "array W1 has shape (3, 4) but the architecture [3, 4, 2] needs (4, 3) (it looks transposed: weights are stored out × in)"
            )
        }
        let deeper = Architecture(sizes: [3, 4, 2, 2], hidden: .tanh, output: .softmax)
        XCTAssertThrowsError(
            try NPZ.parameters(
                from: NPZ.encode(network: Network<Double>(architecture: arch, initialization: .he, seed: 1)),
                architecture: deeper)
        ) { e in
            XCTAssertTrue("\(e)".contains("missing array W3"), "\(e)")
        }
        XCTAssertThrowsError(
            try NPZ.parameters(
                from: NPZ.encode(network: Network<Double>(architecture: deeper, initialization: .he, seed: 1)),
                architecture: arch)
        ) { e in
            XCTAssertTrue("\(e)".contains("unexpected arrays W3, b3"), "\(e)")
        }
    }

    func testCorruptInputIsAnErrorNotACrash() {
        let good = NPZ.encode(network: Network<Double>(architecture: arch, initialization: .he, seed: 5))
        XCTAssertThrowsError(try NPZ.decode([]))
        XCTAssertThrowsError(try NPZ.decode(Array("hello, not a zip".utf8)))
        for cut in [10, good.count / 2, good.count - 5] {
            XCTAssertThrowsError(try NPZ.decode(Array(good.prefix(cut))), "cut at \(cut)")
        }
        var flipped = good
        flipped[200] ^= 0xFF  // inside the first member's data: the CRC must catch it
        XCTAssertThrowsError(try NPZ.decode(flipped)) { e in XCTAssertTrue("\(e)".contains("CRC"), "\(e)") }
        let complexArray = NPY.encode(NPYArray(shape: [1], values: [1])).enumerated().map { i, b in
            // Rewrite the dtype "<f8" to "<c8" (complex) in the header.
            i == 22 ? UInt8(ascii: "c") : b
        }
        XCTAssertThrowsError(try NPY.decode(complexArray)) { e in
            XCTAssertTrue("\(e)".contains("'<c8' is not supported"), "\(e)")
        }
        // The bits of 1.0 read as an int64 are 0x3FF0… = 4607182418800017408, beyond 2^53: refused, not rounded.
        let intArray = NPY.encode(NPYArray(shape: [1], values: [1])).enumerated().map { i, b in
            i == 22 ? UInt8(ascii: "i") : b
        }
        XCTAssertThrowsError(try NPY.decode(intArray)) { e in
            XCTAssertTrue("\(e)".contains("cannot be held exactly"), "\(e)")
        }
    }

    /// Integer and boolean arrays (labels and pixels as NumPy saves them) are widened to Double: bytes
    /// laid out by hand from the NPY specification, little- and big-endian, signed and unsigned.
    func testIntegerAndBooleanArraysAreWidened() throws {
        func npy(_ descr: String, shape: String, _ data: [UInt8]) -> [UInt8] {
            var header = Array("{'descr': '\(descr)', 'fortran_order': False, 'shape': \(shape), }".utf8)
            while (10 + header.count + 1) % 64 != 0 { header.append(0x20) }
            header.append(0x0A)
            return [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(header.count & 0xFF), UInt8(header.count >> 8)] + header
                + data
        }
        // int64 -3 and 2^53 (little-endian).
        let i8 = try NPY.decode(
            npy("<i8", shape: "(2,)", [0xFD, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0, 0, 0, 0x20, 0]))
        XCTAssertEqual(i8.values, [-3, 9_007_199_254_740_992])
        XCTAssertEqual(i8.dtype, .float64)
        // Big-endian int16 -2 and 258; uint8 255; bool.
        XCTAssertEqual(try NPY.decode(npy(">i2", shape: "(2,)", [0xFF, 0xFE, 0x01, 0x02])).values, [-2, 258])
        XCTAssertEqual(try NPY.decode(npy("|u1", shape: "(1, 2)", [255, 7])).values, [255, 7])
        XCTAssertEqual(try NPY.decode(npy("|b1", shape: "(3,)", [1, 0, 1])).values, [1, 0, 1])
        // uint32 4294967295 (little-endian).
        XCTAssertEqual(try NPY.decode(npy("<u4", shape: "(1,)", [0xFF, 0xFF, 0xFF, 0xFF])).values, [4_294_967_295])
    }

    /// A deflated member (numpy.savez_compressed, the trajectory fixture) reads; one whose central
    /// directory declares fewer bytes than it inflates to stops at that size with an error naming the
    /// member, and one declaring an impossible size is refused before anything is allocated.
    func testDeflatedMemberStopsAtItsDeclaredSize() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
            "Fixtures/raschka-trajectory.npz")
        let good = [UInt8](try Data(contentsOf: url))
        XCTAssertFalse(try NPZ.decode(good).isEmpty)
        // The first central-directory entry (PK\1\2): its uncompressed size is the u32 at +24.
        guard
            let cd = (0..<(good.count - 4)).first(where: {
                good[$0] == 0x50 && good[$0 + 1] == 0x4B && good[$0 + 2] == 1 && good[$0 + 3] == 2
            })
        else { return XCTFail("no central directory in the fixture") }
        func withSize(_ size: UInt32) -> [UInt8] {
            var b = good
            for k in 0..<4 { b[cd + 24 + k] = UInt8(truncatingIfNeeded: size >> (8 * UInt32(k))) }
            return b
        }
        let declared =
            Int(good[cd + 24]) | Int(good[cd + 25]) << 8 | Int(good[cd + 26]) << 16 | Int(good[cd + 27]) << 24
        XCTAssertThrowsError(try NPZ.decode(withSize(UInt32(declared / 2)))) { e in
            XCTAssertTrue("\(e)".contains("inflates to more than its declared \(declared / 2) bytes"), "\(e)")
        }
        XCTAssertThrowsError(try NPZ.decode(withSize(0xFFFF_FFF0))) { e in
            XCTAssertTrue("\(e)".contains("implausible size"), "\(e)")
        }
    }

    /// An archive whose every byte is laid out here from the NPY and ZIP specifications (independent
    /// CRC-32, no engine helpers), including a big-endian and a Fortran-order array.
    func testHandBuiltArchive() throws {
        let a = Architecture(sizes: [2, 2, 1], hidden: .relu, output: .linear)
        func npy(descr: String, fortran: Bool, shape: String, data: [UInt8]) -> [UInt8] {
            var header = "{'descr': '\(descr)', 'fortran_order': \(fortran ? "True" : "False"), 'shape': \(shape), }"
            while (10 + header.count + 1) % 64 != 0 { header += " " }
            header += "\n"
            return [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(header.count & 0xFF), UInt8(header.count >> 8)]
                + Array(header.utf8) + data
        }
        func le64(_ v: Double) -> [UInt8] {
            (0..<8).map { UInt8(truncatingIfNeeded: v.bitPattern >> (8 * UInt64($0))) }
        }
        func be64(_ v: Double) -> [UInt8] { le64(v).reversed() }
        func le32(_ v: Float) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: v.bitPattern >> (8 * UInt32($0))) } }
        // W1 = [[1, 2], [3, 4]] stored in Fortran (column) order: 1, 3, 2, 4.
        let w1 = npy(descr: "<f8", fortran: true, shape: "(2, 2)", data: [1.0, 3, 2, 4].flatMap(le64))
        let b1 = npy(descr: ">f8", fortran: false, shape: "(2,)", data: [0.5, -0.5].flatMap(be64))
        let w2 = npy(descr: "<f4", fortran: false, shape: "(1, 2)", data: [Float(0.25), -2].flatMap(le32))
        let b2 = npy(descr: "<f8", fortran: false, shape: "(1,)", data: le64(1e-3))
        let zip = handZip([("W1.npy", w1), ("b1.npy", b1), ("W2.npy", w2), ("b2.npy", b2)])
        let p = try NPZ.parameters(from: zip, architecture: a)
        XCTAssertEqual(p, [1, 2, 3, 4, 0.5, -0.5, 0.25, -2, 1e-3])
    }

    // MARK: numpy interoperability (skipped when python3 with numpy is not installed)

    func testNumpyReadsOurArchive() throws {
        try requireNumpy()
        let net = Network<Float>(architecture: arch, initialization: .xavierUniform, seed: 9)
        let url = temporary("ours.npz")
        try Data(NPZ.encode(network: net)).write(to: url)
        let out = try python(
            """
            import numpy as np
            d = np.load('\(url.path)')
            print(','.join(d.files))
            for k in d.files: print(k, d[k].dtype, d[k].shape, ' '.join(repr(float(v)) for v in d[k].ravel()))
            """)
        let lines = out.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines[0], "W1,b1,W2,b2")
        var fromNumpy: [Float] = []
        for line in lines.dropFirst() {
            let parts = line.split(separator: " ")
            XCTAssertEqual(parts[1], "float32")
            fromNumpy += parts.dropFirst(parts[0].hasPrefix("W") ? 4 : 3).map { Float(Double($0)!) }
        }
        XCTAssertTrue(lines[1].hasPrefix("W1 float32 (4, 3)"), lines[1])
        XCTAssertTrue(lines[2].hasPrefix("b1 float32 (4,)"), lines[2])
        XCTAssertEqual(fromNumpy.map(\.bitPattern), net.parameters.map(\.bitPattern))
    }

    func testWeReadNumpyArchives() throws {
        try requireNumpy()
        for (function, suffix) in [("savez", "plain"), ("savez_compressed", "deflated")] {
            let url = temporary("numpy-\(suffix).npz")
            _ = try python(
                """
                import numpy as np
                W1 = np.arange(12, dtype=np.float64).reshape(4, 3) / 7
                b1 = np.array([0.1, 0.2, 0.3, 0.4])
                W2 = np.asfortranarray(np.arange(8, dtype=np.float32).reshape(2, 4) - 3.5)
                b2 = np.array([-1, 1], dtype='>f8')
                np.\(function)('\(url.path)', W1=W1, b1=b1, W2=W2, b2=b2)
                """)
            let p = try NPZ.parameters(from: Array(try Data(contentsOf: url)), architecture: arch)
            let expected =
                (0..<12).map { Double($0) / 7 } + [0.1, 0.2, 0.3, 0.4] + (0..<8).map { Double($0) - 3.5 } + [-1, 1]
            XCTAssertEqual(p, expected, function)
        }
    }

    // MARK: helpers

    func requireNumpy() throws {
        guard (try? python("import numpy")) != nil else {
            throw XCTSkip("python3 with numpy is not available: numpy interoperability not tested")
        }
    }

    func temporary(_ name: String) -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("nnengine-npz-\(getpid())")
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir.appendingPathComponent(name)
    }

    @discardableResult
    func python(_ script: String) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", "-c", script]
        let out = Pipe()
        let err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else {
            throw NPZError("python3 failed: " + String(decoding: errData, as: UTF8.self))
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// A stored-only ZIP laid out from the APPNOTE specification, with a bitwise CRC-32.
    func handZip(_ members: [(String, [UInt8])]) -> [UInt8] {
        func crc(_ d: [UInt8]) -> UInt32 {
            var c: UInt32 = 0xFFFF_FFFF
            for b in d {
                c ^= UInt32(b)
                for _ in 0..<8 { c = c & 1 != 0 ? (c >> 1) ^ 0xEDB8_8320 : c >> 1 }
            }
            return ~c
        }
        func u16(_ v: Int) -> [UInt8] { [UInt8(v & 0xFF), UInt8((v >> 8) & 0xFF)] }
        func u32(_ v: UInt32) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: v >> (8 * UInt32($0))) } }
        var out: [UInt8] = []
        var cd: [UInt8] = []
        for (name, data) in members {
            let n = Array(name.utf8)
            let c = crc(data)
            let off = UInt32(out.count)
            out +=
                u32(0x0403_4b50) + u16(20) + u16(0) + u16(0) + u16(0) + u16(0x21) + u32(c)
                + u32(UInt32(data.count)) + u32(UInt32(data.count)) + u16(n.count) + u16(0) + n + data
            cd +=
                u32(0x0201_4b50) + u16(20) + u16(20) + u16(0) + u16(0) + u16(0) + u16(0x21) + u32(c)
                + u32(UInt32(data.count)) + u32(UInt32(data.count)) + u16(n.count) + u16(0) + u16(0) + u16(0) + u16(0)
                + u32(0) + u32(off) + n
        }
        let cdOff = UInt32(out.count)
        out += cd
        out +=
            u32(0x0605_4b50) + u16(0) + u16(0) + u16(members.count) + u16(members.count) + u32(UInt32(cd.count))
            + u32(cdOff) + u16(0)
        return out
    }
}
