import Foundation

/// `training.checkpoint`: when a training run saves its state (docs/results.md "Checkpoints"). It
/// decides only *when* a checkpoint is written, never what training computes, so it is not part of
/// the run's canonical config or fingerprint: changing it never retrains a run or changes a byte of
/// its results.
public struct CheckpointSchedule: Hashable, Sendable {
    /// Save after every `every` epochs (first-order optimizers) or iterations (bfgs, cg); nil: not by count.
    public var every: Int?
    /// Save when at least this many seconds passed since the run started or last saved; nil: not by time.
    public var seconds: Double?
    /// A schedule by count, by time, both, or (both nil) never.
    public init(every: Int? = nil, seconds: Double? = nil) {
        self.every = every
        self.seconds = seconds
    }

    /// Spec keys of `training.checkpoint`.
    public static let keys = ["every", "seconds"]

    /// Decides, step after step, whether a checkpoint is due. Not thread-safe: one per run.
    public final class Clock: @unchecked Sendable {
        let schedule: CheckpointSchedule?
        private var last: Date
        private let now: () -> Date
        /// Starts the `seconds` clock (at the run's start, or at its resume).
        public init(_ schedule: CheckpointSchedule?, now: @escaping () -> Date = Date.init) {
            self.schedule = schedule
            self.now = now
            last = now()
        }
        /// True when a checkpoint is due after `done` epochs or iterations; restarts the clock then.
        public func due(_ done: Int) -> Bool {
            guard let schedule else { return false }
            var due = false
            if let e = schedule.every, e > 0, done % e == 0 { due = true }
            if let s = schedule.seconds, now().timeIntervalSince(last) >= s { due = true }
            if due { saved() }
            return due
        }
        /// A checkpoint was written (also when an interrupt forced it).
        public func saved() { last = now() }
    }
}
