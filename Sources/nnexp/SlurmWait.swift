import Foundation
import NNExperiments

/// `nnexp slurm --wait`: watches the results folder until the merge job has written `merge.status`
/// (checked every half second), printing progress when it changed (the run folders are read every
/// 10 s: on a shared filesystem with thousands of runs that is the expensive part), and returns that status (the exit status `nnexp run` would give
/// for the whole sweep). It never calls sacct, which many clusters disable or rate-limit; only every
/// 30 s, and only to notice a merge job that will never write its status (cancelled, failed to
/// start), it asks `squeue` about that one job.
struct SlurmWait {
    let folder: String
    let results: String
    let experiments: [String]
    let mergeJob: String
    var poll: TimeInterval = 0.5
    var progressInterval: TimeInterval = 10

    func run() -> Int32 {
        let statusPath = (folder as NSString).appendingPathComponent(SlurmScripts.mergeStatusFile)
        var lastLine = ""
        var lastQueueCheck = Date()
        var lastProgress = Date.distantPast
        var goneSince: Date? = nil
        while true {
            if let text = try? String(contentsOfFile: statusPath, encoding: .utf8),
                let status = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines))
            {
                report(last: &lastLine)
                let logs = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter {
                    $0.hasPrefix("merge-")
                }.sorted()
                SpecCommandSupport.printError(
                    "merge job \(mergeJob) finished with status \(status)"
                        + (logs.last.map { "; its output: \((folder as NSString).appendingPathComponent($0))" } ?? ""))
                return status
            }
            if Date().timeIntervalSince(lastProgress) >= progressInterval {
                lastProgress = Date()
                report(last: &lastLine)
            }
            if Date().timeIntervalSince(lastQueueCheck) >= 30 {
                lastQueueCheck = Date()
                if mergeJobGone() { goneSince = goneSince ?? Date() } else { goneSince = nil }
                // Gone twice in a row, 30 s apart: the status file would have arrived by now.
                if let g = goneSince, Date().timeIntervalSince(g) >= 29 {
                    SpecCommandSupport.printError(
                        "error: merge job \(mergeJob) has left the queue without writing \(statusPath) (cancelled?); see `nnexp status \(results)`"
                    )
                    return ExitStatus.runsFailed
                }
            }
            Thread.sleep(forTimeInterval: poll)
        }
    }

    /// One progress line on stderr whenever the counts change.
    private func report(last: inout String) {
        guard let s = try? FolderStatus.read(results: results, only: experiments).status else { return }
        let total = s.experiments.reduce(0) { $0 + $1.total }
        let done = s.experiments.reduce(0) { $0 + $1.completed.count + $1.diverged.count + $1.failed.count }
        let bad = s.experiments.reduce(0) { $0 + $1.diverged.count + $1.failed.count }
        let line = "\(done)/\(total) runs done" + (bad > 0 ? ", \(bad) diverged or failed" : "")
        if line != last {
            SpecCommandSupport.printError(line)
            last = line
        }
    }

    /// True when squeue knows the merge job no more, or knows it ended; false while it is queued or
    /// running, and when squeue cannot answer (keep waiting).
    private func mergeJobGone() -> Bool {
        guard let r = Subprocess.run("squeue", ["-h", "-j", mergeJob, "-t", "all", "-o", "%T"]) else { return false }
        if r.status != 0 { return r.err.contains("Invalid job id") }
        let state = r.out.trimmingCharacters(in: .whitespacesAndNewlines)
        return state.isEmpty
            || [
                "CANCELLED", "FAILED", "TIMEOUT", "NODE_FAIL", "BOOT_FAIL", "DEADLINE", "OUT_OF_MEMORY", "COMPLETED",
                "PREEMPTED"
            ].contains(state)
    }
}
