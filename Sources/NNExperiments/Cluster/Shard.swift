/// Shard K of N of a sweep: one of N disjoint parts of all runs of the specs, for N processes (Slurm
/// array tasks, machines) sharing one results folder.
///
/// The partition depends only on the runs (the specs) and N, never on what the results folder
/// holds, so resubmitting one task redoes exactly its runs. It balances estimated work
/// (`RunConfig.estimatedWork`: epochs × training samples × weights) by greedy longest-processing-time
/// assignment: runs in `Scheduler.startOrder` (largest estimate first, ties in plan order) each go to
/// the shard with the least estimated work so far (ties to the lowest shard index). LPT's makespan is
/// at most 4/3 of the optimum; with equal runs the shards' run counts differ by at most one.
public struct Shard: Sendable, Equatable, CustomStringConvertible {
    /// 0-based, below `count`.
    public let index: Int
    /// Shards in all, at least 1.
    public let count: Int

    /// Nil unless 0 ≤ index < count.
    public init?(index: Int, count: Int) {
        guard count >= 1, index >= 0, index < count else { return nil }
        self.index = index
        self.count = count
    }

    /// Parses `K/N` (0 ≤ K < N); nil for anything else.
    public init?(parsing text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let k = Int(parts[0]), let n = Int(parts[1]) else { return nil }
        self.init(index: k, count: n)
    }

    /// `K/N`, as on the command line.
    public var description: String { "\(index)/\(count)" }

    /// The shard (0..<count) of each run, by greedy LPT on estimated work (see the type's comment).
    public static func assignment(_ runs: [RunConfig], count: Int) -> [Int] {
        precondition(count >= 1, "a partition needs at least one shard")
        var load = Array(repeating: 0.0, count: count)
        var shardOf = Array(repeating: 0, count: runs.count)
        for i in Scheduler.startOrder(runs) {
            var best = 0
            for s in 1..<count where load[s] < load[best] { best = s }
            shardOf[i] = best
            load[best] += runs[i].estimatedWork
        }
        return shardOf
    }

    /// The experiments with only this shard's runs, partitioned over all runs of all of them (in the
    /// order given, which is the command line's spec order).
    public func select(_ experiments: [Experiment]) -> [Experiment] {
        let shardOf = Self.assignment(experiments.flatMap(\.runs), count: count)
        var k = 0
        return experiments.map { e in
            var e = e
            let mine = e.runs.indices.filter { shardOf[k + $0] == index }
            k += e.runs.count
            e.runs = mine.map { e.runs[$0] }
            return e
        }
    }
}
