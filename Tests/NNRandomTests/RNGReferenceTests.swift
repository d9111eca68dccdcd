import NNRandom
import XCTest

/// NNRandom against published reference outputs, not against itself: xoshiro256** and SplitMix64 as
/// their authors' reference implementations print them, FNV-1a's published test vectors, and the
/// closed forms of the derived draws.
final class RNGReferenceTests: XCTestCase {
    /// xoshiro256** from the state {1, 2, 3, 4}: the first ten outputs of the reference C code
    /// (xoshiro256starstar.c), as rand_xoshiro's reference test lists them.
    func testXoshiro256StarStarReferenceOutputs() throws {
        var r = try XCTUnwrap(RNG(state: [1, 2, 3, 4]))
        let expected: [UInt64] = [
            11520, 0, 1509978240, 1215971899390074240, 1216172134540287360,
            607988272756665600, 16172922978634559625, 8476171486693032832,
            10595114339597558777, 2904607092377533576
        ]
        XCTAssertEqual((0..<10).map { _ in r.next() }, expected)
    }

    /// SplitMix64's reference outputs: from 0 (splitmix64.c) and from 1234567.
    func testSplitMix64ReferenceOutputs() {
        var x: UInt64 = 0
        XCTAssertEqual(
            (0..<4).map { _ in RNG.splitMix64(&x) },
            [0xE220_A839_7B1D_CDAF, 0x6E78_9E6A_A1B9_65F4, 0x06C4_5D18_8009_454F, 0xF88B_B8A8_724C_81EC])
        var y: UInt64 = 1234567
        XCTAssertEqual(
            (0..<5).map { _ in RNG.splitMix64(&y) },
            [
                6457827717110365317, 3203168211198807973, 9817491932198370423,
                4593380528125082431, 16408922859458223821
            ])
    }

    /// Seeding fills the state with the first four SplitMix64 outputs of the seed.
    func testSeedingIsFourSplitMixOutputs() {
        var x: UInt64 = 1234567
        XCTAssertEqual(RNG(seed: 1234567).state, (0..<4).map { _ in RNG.splitMix64(&x) })
        XCTAssertEqual(
            RNG(seed: 0).state,
            [0xE220_A839_7B1D_CDAF, 0x6E78_9E6A_A1B9_65F4, 0x06C4_5D18_8009_454F, 0xF88B_B8A8_724C_81EC])
    }

    /// FNV-1a 64's published vectors (Fowler/Noll/Vo test suite) and the stream derivation built on it.
    func testStreamDerivation() {
        XCTAssertEqual(RNG.fnv1a64(""), 0xCBF2_9CE4_8422_2325)
        XCTAssertEqual(RNG.fnv1a64("a"), 0xAF63_DC4C_8601_EC8C)
        XCTAssertEqual(RNG.fnv1a64("foobar"), 0x8594_4171_F739_67E8)
        XCTAssertEqual(RNG(seed: 42, stream: "init").state, RNG(seed: 42 ^ RNG.fnv1a64("init")).state)
        XCTAssertNotEqual(RNG(seed: 42, stream: "init").state, RNG(seed: 42, stream: "shuffle").state)
    }

    /// The counter-based generator of random-search trials: k1 = SplitMix64(seed ^ FNV-1a(stream)),
    /// k2 = SplitMix64(k1 ^ counter), RNG(seed: k2). The expected state was computed by an
    /// independent Python implementation of SplitMix64 and FNV-1a.
    func testCounterDerivation() {
        XCTAssertEqual(
            RNG(seed: 7, counter: 17, stream: "optimizer.learning_rate").state,
            [0x4578_BBCE_E830_FA69, 0x7341_A587_BA5F_F4BB, 0x5494_523A_B78F_BBAF, 0x607C_B788_ED95_002F])
        XCTAssertNotEqual(RNG(seed: 7, counter: 17, stream: "a").state, RNG(seed: 7, counter: 18, stream: "a").state)
        XCTAssertNotEqual(RNG(seed: 7, counter: 17, stream: "a").state, RNG(seed: 7, counter: 17, stream: "b").state)
    }

    /// A resumed state continues the same stream; invalid states are refused.
    func testStateRoundTrip() throws {
        var a = RNG(seed: 7)
        for _ in 0..<5 { _ = a.next() }
        var b = try XCTUnwrap(RNG(state: a.state))
        XCTAssertEqual((0..<8).map { _ in a.next() }, (0..<8).map { _ in b.next() })
        XCTAssertNil(RNG(state: [0, 0, 0, 0]))
        XCTAssertNil(RNG(state: [1, 2, 3]))
    }

    /// uniform() is the top 53 bits scaled by 2^-53, so it lies in [0, 1).
    func testUniformIsTop53Bits() {
        var a = RNG(seed: 3)
        var b = RNG(seed: 3)
        for _ in 0..<1000 {
            let u = a.uniform()
            let bits = b.next()
            XCTAssertEqual(u, Double(bits >> 11) / 9007199254740992)
            XCTAssertTrue(u >= 0 && u < 1)
        }
        // The largest value the mapping can give.
        XCTAssertEqual(Double(UInt64.max >> 11) * 0x1.0p-53, 1 - 0x1.0p-53)
    }

    /// Lemire's bounded draw: for n = 2^k it never rejects and is exactly the top k bits; n = 1 is
    /// always 0; draws stay below n at the edges of Int; small n are uniform (chi-square, fixed seed).
    func testBoundedDrawEdges() {
        for k in [1, 7, 32, 62] {
            var a = RNG(seed: UInt64(k))
            var b = RNG(seed: UInt64(k))
            for _ in 0..<200 { XCTAssertEqual(a.below(1 << k), Int(b.next() >> UInt64(64 - k))) }
        }
        var r = RNG(seed: 11)
        for _ in 0..<100 { XCTAssertEqual(r.below(1), 0) }
        for n in [Int.max, Int.max - 1, (1 << 62) + 1] {
            for _ in 0..<200 {
                let v = r.below(n)
                XCTAssertTrue(v >= 0 && v < n)
            }
        }
        // 6 bins, 60 000 draws: chi-square with 5 degrees of freedom stays under 20.5 (p = 0.001).
        var counts = [Int](repeating: 0, count: 6)
        for _ in 0..<60_000 { counts[r.below(6)] += 1 }
        let chi2 = counts.reduce(0.0) { $0 + pow(Double($1) - 10_000, 2) / 10_000 }
        XCTAssertLessThan(chi2, 20.5, "\(counts)")
    }

    /// Fisher–Yates draws below(i + 1) from the top: the permutation follows from those draws.
    func testShuffleFollowsItsDraws() {
        var a = RNG(seed: 5)
        var b = RNG(seed: 5)
        var xs = Array(0..<10)
        a.shuffle(&xs)
        var ys = Array(0..<10)
        for i in stride(from: 9, to: 0, by: -1) { ys.swapAt(i, b.below(i + 1)) }
        XCTAssertEqual(xs, ys)
        XCTAssertEqual(xs.sorted(), Array(0..<10))
    }

    /// The concrete `[Int]` shuffle (the trainer's) gives the generic one's permutation, at lengths 0,
    /// 1, 2 and larger, and leaves the generator in the same state.
    func testIndexShuffleMatchesTheGenericShuffle() {
        for n in [0, 1, 2, 3, 17, 1000] {
            var a = RNG(seed: 9)
            var b = RNG(seed: 9)
            var xs = Array(0..<n)
            a.shuffle(&xs)
            var ys = ContiguousArray(0..<n)
            b.shuffle(&ys)  // generic: ContiguousArray is not [Int]
            XCTAssertEqual(xs, Array(ys), "n \(n)")
            XCTAssertEqual(a.state, b.state, "n \(n)")
        }
    }
}
