import Foundation

/// Seeded, platform-independent random numbers: xoshiro256** seeded through SplitMix64.
///
/// Written here rather than taken from a library because results must be bit-identical on every
/// machine and Swift version: the standard library's generators make no such promise, and the
/// algorithm is ten lines (Blackman & Vigna, 2018). Doubles use the top 53 bits; bounded integers use
/// Lemire's unbiased method; normals use Box–Muller on libm's log/sin/cos (correctly rounded enough on
/// glibc that results agree across x86-64 and aarch64 in practice).
public struct RNG: RandomNumberGenerator, Sendable {
    private var s0, s1, s2, s3: UInt64

    /// The generator whose state is the first four SplitMix64 outputs from `seed` (Vigna's recommended
    /// seeding: it never yields the all-zero state for any seed in practice).
    public init(seed: UInt64) {
        var sm = seed
        s0 = RNG.splitMix64(&sm)
        s1 = RNG.splitMix64(&sm)
        s2 = RNG.splitMix64(&sm)
        s3 = RNG.splitMix64(&sm)
    }

    /// An independent stream derived from this seed and a label (e.g. "init", "shuffle", "data"), so
    /// that adding a use of randomness in one place does not shift the numbers drawn in another:
    /// `RNG(seed: seed ^ FNV-1a-64(label's UTF-8 bytes))`.
    public init(seed: UInt64, stream: String) {
        self.init(seed: seed ^ RNG.fnv1a64(stream))
    }

    /// A counter-based generator: the stream for draw number `counter` of the quantity `stream` under
    /// `seed`, independent of every other counter and label, so that draw i never depends on how many
    /// draws came before it (random-search trials: trial 17 is trial 17 whatever else is drawn).
    /// Exactly: `k1 = SplitMix64(seed ^ FNV-1a-64(stream))`, `k2 = SplitMix64(k1 ^ counter)`, then
    /// `RNG(seed: k2)`, where SplitMix64(x) is the output of one `splitMix64` step from state x.
    public init(seed: UInt64, counter: UInt64, stream: String) {
        var x = seed ^ RNG.fnv1a64(stream)
        var y = RNG.splitMix64(&x) ^ counter
        self.init(seed: RNG.splitMix64(&y))
    }

    /// A generator resumed from `state` (as read from `state`), for checkpoints and reference tests;
    /// nil unless it has exactly four words, not all zero (xoshiro's one forbidden state).
    public init?(state: [UInt64]) {
        guard state.count == 4, state.contains(where: { $0 != 0 }) else { return nil }
        s0 = state[0]
        s1 = state[1]
        s2 = state[2]
        s3 = state[3]
    }

    /// The generator's whole state (s0, s1, s2, s3): `RNG(state:)` continues the same stream.
    public var state: [UInt64] { [s0, s1, s2, s3] }

    /// One SplitMix64 step (Steele, Lea & Flood 2014): x ← x + 0x9E3779B97F4A7C15, then the output is
    /// x mixed by two xor-shift-multiply rounds and a final xor-shift.
    public static func splitMix64(_ x: inout UInt64) -> UInt64 {
        x &+= 0x9E37_79B9_7F4A_7C15
        var z = x
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// 64-bit FNV-1a over a label's UTF-8 bytes (offset basis 0xcbf29ce484222325, prime 0x100000001b3).
    public static func fnv1a64(_ label: String) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in label.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        return h
    }

    @inline(__always) private static func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

    /// The next 64 bits of xoshiro256** (Blackman & Vigna 2018): output rotl(s1·5, 7)·9, then the
    /// linear state update.
    @inline(__always)
    public mutating func next() -> UInt64 {
        let result = RNG.rotl(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = RNG.rotl(s3, 45)
        return result
    }

    /// Uniform in [0, 1).
    @inline(__always) public mutating func uniform() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    /// Uniform in [a, b).
    @inline(__always) public mutating func uniform(_ a: Double, _ b: Double) -> Double { a + (b - a) * uniform() }

    /// Uniform integer in 0..<n, unbiased (Lemire 2019).
    public mutating func below(_ n: Int) -> Int {
        precondition(n > 0)
        let bound = UInt64(n)
        var m = next().multipliedFullWidth(by: bound)
        if m.low < bound {
            let threshold = (0 &- bound) % bound
            while m.low < threshold { m = next().multipliedFullWidth(by: bound) }
        }
        return Int(m.high)
    }

    /// Standard normal via Box–Muller (one value per call; simple and reproducible).
    public mutating func normal() -> Double {
        var u = uniform()
        while u == 0 { u = uniform() }
        let v = uniform()
        return (-2 * _log(u)).squareRoot() * _cos(2 * Double.pi * v)
    }

    /// Normal with the given mean and standard deviation: mean + std · normal().
    public mutating func normal(mean: Double, std: Double) -> Double { mean + std * normal() }

    /// Fisher–Yates shuffle, in place, drawing from this generator.
    public mutating func shuffle<C: MutableCollection & RandomAccessCollection>(_ c: inout C) where C.Index == Int {
        var i = c.count - 1
        while i > 0 {
            let j = below(i + 1)
            c.swapAt(c.startIndex + i, c.startIndex + j)
            i -= 1
        }
    }

    /// The same Fisher–Yates shuffle for an array of indices (the trainer's minibatch order, every
    /// epoch): identical draws and swaps, but concrete, so callers in other modules do not run the
    /// generic version above unspecialised (a witness-table call per swap: ~3 % of a Raschka epoch).
    public mutating func shuffle(_ c: inout [Int]) {
        c.withUnsafeMutableBufferPointer { b in
            var i = b.count - 1
            while i > 0 {
                let j = below(i + 1)
                b.swapAt(i, j)
                i -= 1
            }
        }
    }
}

@inline(__always) private func _log(_ x: Double) -> Double { Foundation.log(x) }
@inline(__always) private func _cos(_ x: Double) -> Double { Foundation.cos(x) }
