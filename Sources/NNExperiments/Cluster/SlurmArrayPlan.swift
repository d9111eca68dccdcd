import Foundation

/// How many array tasks a sweep of `runs` runs becomes under `nnexp slurm`.
///
/// `--tasks N` asks for N tasks, `--runs-per-task K` for ⌈runs / K⌉, neither for one run per task.
/// Never more tasks than runs (an empty task would only cost a scheduling round), and never more
/// than the cluster's `MaxArraySize`: it caps the array *index*, so `--array=0-(N−1)` needs
/// N ≤ MaxArraySize; beyond it runs are packed several per task.
public struct SlurmArrayPlan: Sendable, Equatable {
    /// Array tasks: `--array=0-(tasks−1)`.
    public var tasks: Int
    /// Why `tasks` is fewer than asked, for the user; nil when it is what was asked.
    public var note: String?

    /// The task count for `runs` runs and the options given (see the type's comment).
    public static func make(runs: Int, tasks: Int?, runsPerTask: Int?, maxArraySize: Int) -> SlurmArrayPlan {
        let wanted: Int
        if let tasks {
            wanted = tasks
        } else if let k = runsPerTask {
            wanted = (runs + k - 1) / max(k, 1)
        } else {
            wanted = runs
        }
        var n = max(1, wanted)
        var note: String? = nil
        if n > runs && runs > 0 {
            n = runs
            note =
                "\(wanted) tasks asked, but the sweep has only \(runs) run\(runs == 1 ? "" : "s"): \(n) task\(n == 1 ? "" : "s")"
        }
        if n > maxArraySize {
            note =
                "\(n) tasks would exceed the cluster's MaxArraySize of \(maxArraySize): \(maxArraySize) tasks of about \((runs + maxArraySize - 1) / maxArraySize) runs each"
            n = maxArraySize
        }
        return SlurmArrayPlan(tasks: n, note: note)
    }

    /// MaxArraySize from the output of `scontrol show config` (`MaxArraySize            = 1001`).
    public static func maxArraySize(fromConfig text: String) -> Int? {
        for line in text.split(separator: "\n") where line.hasPrefix("MaxArraySize") {
            let parts = line.split(separator: "=", maxSplits: 1)
            if parts.count == 2, let n = Int(parts[1].trimmingCharacters(in: .whitespaces)), n >= 1 { return n }
        }
        return nil
    }
}
