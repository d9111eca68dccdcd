import Foundation

/// How much of a sweep's estimated work is done, for the ETA of the live progress: runs differ by
/// orders of magnitude (a 1000-epoch MNIST run beside a grid of small ones), so counting runs says
/// little about the time left. Work is `RunConfig.estimatedFlops` (∝ epochs × samples × weights),
/// spread evenly over a run's epochs (iterations).
///
/// Only work done in this session counts towards the throughput: epochs a run did before its
/// checkpoint, runs left to another process, and the epochs a run will not do (stopped early,
/// failed, diverged, cancelled) leave the total instead.
struct WorkProgress: Sendable {
    private struct Run: Sendable {
        var work: Double
        var steps: Int
        /// Steps done before this session (resumed from a checkpoint).
        var base: Int?
        var done = 0
        var perStep: Double { work / Double(max(steps, 1)) }
    }

    /// Estimated work of everything still to be trained in this session plus what it has done.
    private(set) var total: Double
    /// Work done in this session.
    private(set) var done = 0.0
    private var active: [String: Run] = [:]

    /// A tally of `total` work units (the sum of the runs' `estimatedFlops`, halving rungs included).
    init(total: Double) { self.total = max(total, 0) }

    /// A run of `work` units over `steps` epochs (iterations) starts.
    mutating func start(_ key: String, work: Double, steps: Int) {
        active[key] = Run(work: max(work, 0), steps: max(steps, 1))
    }

    /// The run has done `stepsDone` of its steps. The first report after a resume is where it went
    /// on from: the steps before it were done in an earlier session.
    mutating func progress(_ key: String, stepsDone: Int) {
        guard var r = active[key] else { return }
        let s = min(max(stepsDone, 0), r.steps)
        if r.base == nil {
            r.base = max(s - 1, 0)
            total -= Double(r.base!) * r.perStep
        }
        let now = max(s - r.base!, 0)
        done += Double(now - r.done) * r.perStep
        r.done = now
        active[key] = r
    }

    /// The run ended: the steps it did not do leave the total.
    mutating func finish(_ key: String, completed: Bool) {
        guard let r = active.removeValue(forKey: key) else { return }
        let base = r.base ?? 0
        let left = Double(max(r.steps - base - r.done, 0)) * r.perStep
        if completed, r.base == nil {
            // A run that reported no step (a full-batch run that converged at once): all of it done.
            done += r.work
        } else {
            total -= left
        }
        total = max(total, done)
    }

    /// A run of `work` units was left to another process (or kept): not trained here.
    mutating func skip(work: Double) { total = max(total - max(work, 0), done) }

    /// Share of the work done, 0…1.
    var fraction: Double { total > 0 ? min(done / total, 1) : 0 }

    /// Seconds left at this session's throughput so far (`elapsed` × remaining ÷ done); nil before
    /// any work is done or once none remains.
    func eta(elapsed: TimeInterval) -> TimeInterval? {
        guard done > 0, total > done else { return nil }
        return elapsed * (total - done) / done
    }
}
