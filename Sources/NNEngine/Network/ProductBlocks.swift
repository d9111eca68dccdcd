import Dispatch

/// The fixed block layout of one matrix product, so that a run can use several cores with the same bits.
///
/// Cutting one BLAS product into pieces changes its last bits in general (the pieces land on other code
/// paths of the library: small-matrix kernels, edge tiles, alignment), so the cut cannot depend on how
/// many threads happen to be free. The layout is therefore part of the algorithm: it follows from the
/// product's shape alone, and one thread computes exactly the same blocks, in turn, as several threads
/// side by side. Threads only decide who computes which block; every block of C is written by one
/// thread and never summed across threads.
///
/// Rule, for C (m×n) = op(A)·op(B) with inner dimension k and F = 2·m·n·k flops:
/// - cut C's rows when n ≤ m, else its columns: every block repacks the operand that is not cut
///   (op(B), k×n, for row blocks; op(A), m×k, for column blocks), so the smaller one is repacked;
/// - into B = 4 blocks when F ≥ 2²⁷, 2 when F ≥ 2²⁴, else 1, and fewer while the cut dimension is
///   shorter than 128·B: each block stays far above a call's fixed cost, so a single thread pays little
///   for the cut, and 2 or 4 threads split the work evenly. Why 128: each extra block repacks the whole
///   uncut operand, which costs about as much as 22 flops per element on these machines — a share of
///   the product of about 11/length of the cut dimension per extra block (a 200-row minibatch cut in
///   two row blocks cost 5.5 % of its products on one thread; docs/performance.md round 8);
/// - blocks of ⌈D / B⌉ rounded up to a multiple of 16 (whole SIMD tiles), the last taking the remainder;
/// - except a narrow product (C at most 16 wide) just above the BLAS's small-matrix size
///   (`smallProductMACs`), cut into the fewest blocks (2…4) that each fit it, so that OpenBLAS computes
///   them without packing the operands.
public struct ProductBlocks: Equatable, Sendable {
    /// Most blocks per product (and so the most threads one product can use).
    public static let maxBlocks = 4
    /// Work from which a product is cut in two, and in four.
    public static let twoBlockFlops = Double(1 << 24), fourBlockFlops = Double(1 << 27)
    /// Block lengths are multiples of this.
    public static let alignment = 16
    /// Shortest block of a cut product (before alignment): shorter blocks repack the uncut operand
    /// too often for what they save.
    public static let minimumBlock = 128

    /// Which dimension of C the blocks cut.
    public enum Dimension: Sendable { case rows, columns }

    /// The dimension cut.
    public let cut: Dimension
    /// Length of the cut dimension.
    public let length: Int
    /// Length of every block but the last.
    public let blockLength: Int
    /// Number of blocks (≥ 1).
    public let count: Int
    /// Flops of the whole product (2·m·n·k; for `forEach`'s choice of threads, never for the layout).
    public let flops: Double
    /// Least work per block for `forEach` to hand blocks to other threads: below it, handing a block to
    /// a helper costs more than it saves. Only who computes changes, so the bits cannot.
    public static let parallelFlopsPerBlock = Double(1 << 21)

    /// Multiply-adds up to which OpenBLAS (0.3.17 on, kernels that have one: SkylakeX) computes a
    /// product through its small-matrix path, which reads the operands in place instead of packing them.
    public static let smallProductMACs = 1_000_000
    /// For row-major C = A·Bᵀ (the forward Z = A·Wᵀ; column-major "TN" inside OpenBLAS) that path also
    /// needs C's block to hold at most this many values and k ≥ `smallProductDepth`.
    public static let smallProductValues = 1200, smallProductDepth = 32
    /// Widest narrow side of C (outputs of a layer, or its units in a weight gradient) cut for that path:
    /// there packing a whole batch for a few outputs dominates (measured at 10).
    public static let smallProductWidth = 16

    /// The layout for C (m×n) = op(A)·op(B) with inner dimension k, op(A) = Aᵀ when `transA`, op(B) = Bᵀ
    /// when `transB`.
    public init(m: Int, n: Int, k: Int, transA: Bool = false, transB: Bool = false) {
        cut = n <= m ? .rows : .columns
        length = cut == .rows ? m : n
        let flops = 2 * Double(m) * Double(n) * Double(k)
        self.flops = flops
        if let small = Self.smallPathBlock(m: m, n: n, k: k, length: length, transA: transA, transB: transB) {
            blockLength = small
            count = (length + small - 1) / small
            return
        }
        var b = flops >= Self.fourBlockFlops ? 4 : flops >= Self.twoBlockFlops ? 2 : 1
        while b > 1 && length < b * Self.minimumBlock { b /= 2 }
        if b == 1 {
            blockLength = max(length, 1)
            count = 1
        } else {
            let per = (length + b - 1) / b
            blockLength = (per + Self.alignment - 1) / Self.alignment * Self.alignment
            count = (length + blockLength - 1) / blockLength
        }
    }

    /// The block length that brings a narrow product (C at most `smallProductWidth` wide) just above
    /// `smallProductMACs` under it in 2 to `maxBlocks` blocks (the fewest that fit), or nil. Why: the
    /// first layer of a 784-10 network at a batch of 200 is 1.6 M multiply-adds, so OpenBLAS packs the
    /// whole 200×784 batch for 10 outputs, twice per step (forward and weight gradient); two blocks of at
    /// most 1 M each skip the packing and took half the time (93 → 46 µs per step on Zen 5, SkylakeX). On a kernel without the path the
    /// cut costs a repack of the narrow operand only (10×784 weights, 10×200 δ). The rule reads the
    /// shape and the transposes alone, never the machine, so the bits stay independent of threads.
    private static func smallPathBlock(m: Int, n: Int, k: Int, length: Int, transA: Bool, transB: Bool) -> Int? {
        let macs = Double(m) * Double(n) * Double(k)
        guard macs > Double(smallProductMACs), !(transA && transB) else { return nil }
        let narrow = min(m, n)  // C's dimension that is not cut (the longer one is)
        guard narrow <= smallProductWidth else { return nil }
        let forward = transB && !transA
        if forward && k < smallProductDepth { return nil }
        for b in 2...maxBlocks {
            let per = (length + b - 1) / b
            let block = (per + alignment - 1) / alignment * alignment
            guard (length + block - 1) / block <= maxBlocks else { continue }
            let fits = Double(block) * Double(narrow) * Double(k) <= Double(smallProductMACs)
            if fits && (!forward || block * narrow <= smallProductValues) { return block }
        }
        return nil
    }

    /// The indices of block `i` along the cut dimension.
    @inline(__always) public func range(_ i: Int) -> Range<Int> {
        let lo = i * blockLength
        return lo..<min(lo + blockLength, length)
    }

    /// Runs `body` for every block on `team`'s threads (the calling thread among them), each block once.
    /// Blocks write disjoint memory, so the results are the same bits for any number of threads, and
    /// one thread runs them in order without dispatching anything.
    @inline(__always) public func forEach(team: ThreadTeam?, _ body: (Range<Int>) -> Void) {
        guard let team, count > 1, flops / Double(count) >= Self.parallelFlopsPerBlock else {
            for i in 0..<count { body(range(i)) }
            return
        }
        team.run(count) { body(range($0)) }
    }

    /// Block `i` of C ← alpha·op(A)·op(B) + beta·C under this layout (built for m, n, k), on the calling
    /// thread: exactly the call `gemm` makes for that block, so a caller may mix the blocks of several
    /// independent products in one parallel region.
    @inline(__always)
    public func computeBlock<T: Real>(
        _ i: Int, transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: T,
        a: UnsafePointer<T>, lda: Int, b: UnsafePointer<T>, ldb: Int, beta: T,
        c: UnsafeMutablePointer<T>, ldc: Int
    ) {
        if count == 1 {
            T.gemm(
                transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, b: b, ldb: ldb,
                beta: beta, c: c, ldc: ldc)
            return
        }
        let r = range(i)
        switch cut {
        case .rows:
            T.gemm(
                transA: transA, transB: transB, m: r.count, n: n, k: k, alpha: alpha,
                a: a + (transA ? r.lowerBound : r.lowerBound * lda), lda: lda, b: b, ldb: ldb,
                beta: beta, c: c + r.lowerBound * ldc, ldc: ldc)
        case .columns:
            T.gemm(
                transA: transA, transB: transB, m: m, n: r.count, k: k, alpha: alpha, a: a, lda: lda,
                b: b + (transB ? r.lowerBound * ldb : r.lowerBound), ldb: ldb,
                beta: beta, c: c + r.lowerBound, ldc: ldc)
        }
    }

    /// C ← alpha·op(A)·op(B) + beta·C (row-major, as `Real.gemm`), cut by this rule and computed on
    /// `team`'s threads (nil: the calling thread): the same bits for any number of threads.
    /// `prepare` runs on each block's part of C (rows, columns) just before its product (the bias
    /// broadcast of a forward pass, written where the block will read it). `rowBlock` runs after each
    /// row block with its rows (an elementwise or row-wise step on them while they are in cache); with
    /// column blocks it runs after the product on consecutive row ranges (`ThreadTeam.rowGrain`), in
    /// parallel. (Non-escaping closures, so calling this allocates nothing.)
    @inline(__always)
    public static func gemm<T: Real>(
        transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: T,
        a: UnsafePointer<T>, lda: Int, b: UnsafePointer<T>, ldb: Int, beta: T,
        c: UnsafeMutablePointer<T>, ldc: Int, team: ThreadTeam?,
        prepare: (_ rows: Range<Int>, _ columns: Range<Int>) -> Void,
        rowBlock: (Range<Int>) -> Void
    ) {
        blocked(
            transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, b: b, ldb: ldb, beta: beta,
            c: c, ldc: ldc, team: team, hasRowWork: true, prepare: prepare, rowBlock: rowBlock)
    }

    /// C ← alpha·op(A)·op(B) + beta·C cut by this rule on `team`'s threads, nothing else.
    @inline(__always)
    public static func gemm<T: Real>(
        transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: T,
        a: UnsafePointer<T>, lda: Int, b: UnsafePointer<T>, ldb: Int, beta: T,
        c: UnsafeMutablePointer<T>, ldc: Int, team: ThreadTeam?
    ) {
        blocked(
            transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, b: b, ldb: ldb, beta: beta,
            c: c, ldc: ldc, team: team, hasRowWork: false, prepare: { _, _ in }, rowBlock: { _ in })
    }

    @inline(__always)
    static func blocked<T: Real>(
        transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: T,
        a: UnsafePointer<T>, lda: Int, b: UnsafePointer<T>, ldb: Int, beta: T,
        c: UnsafeMutablePointer<T>, ldc: Int, team: ThreadTeam?, hasRowWork: Bool,
        prepare: (_ rows: Range<Int>, _ columns: Range<Int>) -> Void,
        rowBlock: (Range<Int>) -> Void
    ) {
        let layout = ProductBlocks(m: m, n: n, k: k, transA: transA, transB: transB)
        if layout.count == 1 {
            prepare(0..<m, 0..<n)
            T.gemm(
                transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, b: b, ldb: ldb,
                beta: beta, c: c, ldc: ldc)
            if !hasRowWork { return }
            if let team, team.threads > 1, m > 1 {
                team.forEachRange(m, grain: ThreadTeam.rowGrain(cols: n), rowBlock)
            } else {
                rowBlock(0..<m)
            }
            return
        }
        switch layout.cut {
        case .rows:
            // Rows of C are rows of op(A): row r of A, or column r of A stored transposed.
            layout.forEach(team: team) { r in
                prepare(r, 0..<n)
                T.gemm(
                    transA: transA, transB: transB, m: r.count, n: n, k: k, alpha: alpha,
                    a: a + (transA ? r.lowerBound : r.lowerBound * lda), lda: lda, b: b, ldb: ldb,
                    beta: beta, c: c + r.lowerBound * ldc, ldc: ldc)
                rowBlock(r)
            }
        case .columns:
            // Columns of C are columns of op(B): column j of B, or row j of B stored transposed.
            layout.forEach(team: team) { r in
                prepare(0..<m, r)
                T.gemm(
                    transA: transA, transB: transB, m: m, n: r.count, k: k, alpha: alpha, a: a, lda: lda,
                    b: b + (transB ? r.lowerBound * ldb : r.lowerBound), ldb: ldb,
                    beta: beta, c: c + r.lowerBound, ldc: ldc)
            }
            if !hasRowWork { return }
            if let team, team.threads > 1, m > 1 {
                team.forEachRange(m, grain: ThreadTeam.rowGrain(cols: n), rowBlock)
            } else {
                rowBlock(0..<m)
            }
        }
    }
}

/// How many threads a run may use (products, elementwise work, the update), asked at the start of every epoch (first-order
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

    /// Identity: two budgets are equal only when they are the same object (the provider cannot be compared).
    public static func == (a: ThreadBudget, b: ThreadBudget) -> Bool { a === b }
    /// Hashes the object's identity, consistently with `==`.
    public func hash(into h: inout Hasher) { h.combine(ObjectIdentifier(self)) }
}
