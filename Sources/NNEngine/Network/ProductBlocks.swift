import Dispatch

/// The fixed block layout of one matrix product, so that a run can use several cores with the same bits.
///
/// Cutting one BLAS product into pieces changes its last bits in general (the pieces land on other code
/// paths of the library: small-matrix kernels, edge tiles, alignment), so the cut cannot depend on how
/// many threads happen to be free. The layout is therefore part of the algorithm: it follows from the
/// product's shape alone, and one thread computes exactly the same blocks, in turn, as several threads
/// side by side. Threads only decide who computes which block; every block is written by one thread and
/// never summed across threads.
///
/// Rule: a product of F = 2·m·n·k flops is cut along one dimension of length D (the rows of Z = A·Wᵀ and
/// of δ·W, the output columns of dW = δᵀ·A) into B = min(8, ⌊F / 2²²⌋, ⌊D / 16⌋) blocks (at least 1) of
/// ⌈D / B⌉ rounded up to a multiple of 16, the last taking the remainder. 2²² flops (~4 MFLOP, tens of
/// microseconds on one core) keeps each block far above a call's fixed cost, so blocking costs a single
/// thread little; 8 blocks let up to 8 threads share a product.
public struct ProductBlocks: Equatable, Sendable {
    /// Most blocks per product (and so the most threads one product can use).
    public static let maxBlocks = 8
    /// Least work per block, in flops.
    public static let minFlops = Double(1 << 22)
    /// Block lengths are multiples of this (whole SIMD tiles for every kernel).
    public static let alignment = 16

    /// Length of the cut dimension.
    public let length: Int
    /// Length of every block but the last.
    public let blockLength: Int
    /// Number of blocks (≥ 1).
    public let count: Int

    /// The layout for a dimension of `length` in a product of m·n·k multiply-adds (`flops` = 2·m·n·k).
    public init(length: Int, flops: Double) {
        self.length = length
        let wanted = min(Double(Self.maxBlocks), (flops / Self.minFlops).rounded(.down), Double(length / Self.alignment))
        let b = max(1, Int(wanted))
        if b == 1 {
            blockLength = length; count = 1
        } else {
            let per = (length + b - 1) / b
            blockLength = (per + Self.alignment - 1) / Self.alignment * Self.alignment
            count = (length + blockLength - 1) / blockLength
        }
    }

    /// The layout of a product C (m×n) = op(A)·op(B) with inner dimension k, cut along `m` or `n`.
    public init(m: Int, n: Int, k: Int, cut: Dimension) {
        self.init(length: cut == .rows ? m : n, flops: 2 * Double(m) * Double(n) * Double(k))
    }

    /// Which dimension of the result a layout cuts.
    public enum Dimension: Sendable { case rows, columns }

    /// The indices of block `i` along the cut dimension.
    @inline(__always) public func range(_ i: Int) -> Range<Int> {
        let lo = i * blockLength
        return lo..<min(lo + blockLength, length)
    }

    /// Runs `body` for every block, on up to `threads` threads (the calling thread among them): thread
    /// t computes blocks t, t + T, t + 2T, … Blocks write disjoint memory, so the results are the same
    /// bits for every `threads`, and one thread runs them in order without dispatching anything.
    @inline(__always) public func forEach(threads: Int, _ body: (Range<Int>) -> Void) {
        let t = min(threads, count)
        if t <= 1 {
            for i in 0..<count { body(range(i)) }
            return
        }
        withoutActuallyEscaping(body) { body in
            DispatchQueue.concurrentPerform(iterations: t) { w in
                var i = w
                while i < count { body(range(i)); i += t }
            }
        }
    }
}

/// How many threads a run's products may use, asked at the start of every epoch (first-order
/// optimizers) or every cost evaluation (full-batch ones). The answer may change while a run trains
/// (the scheduler hands cores that the sweep leaves idle to the runs still training); results never
/// depend on it (`ProductBlocks`). Compared by identity.
public final class ThreadBudget: @unchecked Sendable, Hashable {
    private let provider: @Sendable () -> Int

    /// A budget that asks `provider` each time (values below 1 count as 1).
    public init(_ provider: @escaping @Sendable () -> Int) { self.provider = provider }
    /// A fixed number of threads.
    public convenience init(fixed: Int) { self.init { fixed } }

    /// Threads available now (≥ 1).
    public var current: Int { max(1, provider()) }

    public static func == (a: ThreadBudget, b: ThreadBudget) -> Bool { a === b }
    public func hash(into h: inout Hasher) { h.combine(ObjectIdentifier(self)) }
}
