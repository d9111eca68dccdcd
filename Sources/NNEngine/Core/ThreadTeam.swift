import CKernels

/// The threads one run may use: the calling thread plus persistent helpers (CKernels' team.c) that
/// spin briefly between parallel regions, so a training step can hand out a dozen small regions
/// (products, activations, bias sums, the optimizer update, the gather) without paying a thread
/// wake-up for each. One team per run; its helpers park when the run is idle and stop with it.
///
/// Which thread computes a task never changes the bits: every user hands out tasks that write
/// disjoint memory and computes each element or each reduction in the same order whoever runs it
/// (product blocks fixed by shape, `ProductBlocks`; elementwise chunks; column sums split by column).
/// Tasks are claimed dynamically, so a late helper only means the caller does more of them.
public final class ThreadTeam: @unchecked Sendable {
    /// Most threads a team uses (caller included): a product has at most `ProductBlocks.maxBlocks`
    /// blocks, and the memory-bound elementwise work gains nothing from more.
    public static let maxThreads = ProductBlocks.maxBlocks

    /// Elements per task of elementwise work (the optimizer update, activations): 16 Ki values, tens of
    /// microseconds of memory traffic, far above the cost of handing a task to a spinning helper.
    public static let elementGrain = 1 << 14

    private var handle: OpaquePointer?
    private var helpers = 0

    /// A team that runs everything on the calling thread until `threads` is raised.
    public init() {}

    deinit { nn_team_destroy(handle) }

    /// Threads to use (caller included), at least 1, at most `maxThreads`; raising it starts helpers
    /// (once: lowering it leaves them parked). Results do not depend on it.
    public var threads: Int = 1 {
        didSet {
            threads = min(max(threads, 1), Self.maxThreads)
            if threads - 1 > helpers {
                // Rare (a run handed more cores): replace the team by a larger one.
                nn_team_destroy(handle)
                handle = nn_team_create(Int32(threads - 1))
                helpers = Int(nn_team_helpers(handle))
            }
        }
    }

    /// Runs `body(i)` for i in 0..<tasks, each once, on up to `threads` threads (the caller among
    /// them); returns when all are done. Tasks must write disjoint memory. Allocates nothing.
    @inline(__always)
    public func run(_ tasks: Int, _ body: (Int) -> Void) {
        if threads <= 1 || tasks <= 1 || helpers == 0 {
            for i in 0..<tasks { body(i) }
            return
        }
        withoutActuallyEscaping(body) { body in
            var b = body
            withUnsafeMutablePointer(to: &b) { p in
                nn_team_run(
                    handle, Int32(threads), tasks,
                    { ctx, i in
                        ctx!.assumingMemoryBound(to: ((Int) -> Void).self).pointee(i)
                    }, p)
            }
        }
    }

    /// Fewest ranges worth handing to other threads: with grains of ~16 Ki elements, less work than
    /// this (a 784-64-10 network's update, batch 50) ran slower on two threads than on one.
    public static let parallelRanges = 4

    /// Runs `body` over 0..<n cut into consecutive ranges of `grain` (the last shorter): a fixed
    /// partition of n alone, for work whose every index (an element, a row, a column) is computed the
    /// same way whichever range holds it. Ranges run on up to `threads` threads when there are at least
    /// `parallelRanges` of them, else in turn on the calling thread.
    @inline(__always)
    public func forEachRange(_ n: Int, grain: Int = ThreadTeam.elementGrain, _ body: (Range<Int>) -> Void) {
        guard n > 0 else { return }
        let g = max(grain, 1)
        let count = (n + g - 1) / g
        if count < Self.parallelRanges {
            for i in 0..<count {
                let lo = i * g
                body(lo..<min(lo + g, n))
            }
            return
        }
        run(count) { i in
            let lo = i * g
            body(lo..<min(lo + g, n))
        }
    }

    /// Rows per task for row-wise work over rows of `cols` values: about `elementGrain` values each.
    @inline(__always)
    public static func rowGrain(cols: Int) -> Int { max(1, elementGrain / max(cols, 1)) }
}
