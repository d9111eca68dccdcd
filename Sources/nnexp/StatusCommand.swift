import ArgumentParser
import Foundation
import NNExperiments

struct Status: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Count each experiment's runs by state, and list the Slurm submissions, from a results folder.",
        discussion: """
            Reads only the folder (no spec, no Slurm), so it works from any machine, during or after a \
            sweep: per experiment, runs completed, diverged, failed, running (a live claim), checkpointed \
            (interrupted with a checkpoint to resume from), incomplete (a folder without metrics.csv) and \
            not yet run; then every failed run with its error, every running run with its host, pid or \
            Slurm ids, heartbeat age and checkpoint epoch, every checkpointed run with its epoch, and each \
            `nnexp slurm` submission with its job ids, the task starts recorded and whether the merge job \
            has finished. See docs/cluster.md.

            Exit status: 0, or 2 when an EXPERIMENT is not in the folder, 3 when the folder cannot be read.

            Example:
              nnexp status results
              nnexp status /shared/results mnist-l2-sweep
            """)

    @Argument(help: "The results folder.")
    var results: String

    @Argument(help: "Experiments to show (default: all in the folder).")
    var experiments: [String] = []

    func run() throws {
        let read: (status: FolderStatus, missing: [String])
        do { read = try FolderStatus.read(results: results, only: experiments) } catch {
            SpecCommandSupport.printError("error: \(error)")
            throw ExitCode(ExitStatus.ioError)
        }
        print(Self.render(read.status, results: results, now: Date()), terminator: "")
        if !read.missing.isEmpty {
            SpecCommandSupport.printError("error: no experiment \(read.missing.joined(separator: ", ")) in \(results)")
            throw ExitCode(ExitStatus.badSpec)
        }
    }

    static func render(_ s: FolderStatus, results: String, now: Date) -> String {
        var rows = [
            [
                "experiment", "completed", "diverged", "failed", "running", "checkpointed", "incomplete", "not-run",
                "total"
            ]
        ]
        for e in s.experiments {
            rows.append(
                [e.name]
                    + [
                        e.completed.count, e.diverged.count, e.failed.count, e.running.count, e.checkpointed.count,
                        e.incomplete.count, e.notRun.count, e.total
                    ].map(String.init))
        }
        let widths = rows[0].indices.map { c in rows.map { $0[c].count }.max()! }
        var out =
            rows.map { row in
                zip(row, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined(separator: "  ")
            }
            .map { String($0.reversed().drop { $0 == " " }.reversed()) }.joined(separator: "\n") + "\n"
        let failed = s.experiments.flatMap { e in e.failed.map { "  \(e.name)/\($0.run): \($0.error)" } }
        if !failed.isEmpty { out += "\nfailed runs:\n" + failed.joined(separator: "\n") + "\n" }
        let running = s.experiments.flatMap { e in
            e.running.map { r in
                "  \(e.name)/\(r.run): \(Self.describe(r.claim, now: now))"
                    + (r.checkpointEpoch.map { ", checkpoint after epoch \($0)" } ?? "")
            }
        }
        if !running.isEmpty { out += "\nrunning runs:\n" + running.joined(separator: "\n") + "\n" }
        let checkpointed = s.experiments.flatMap { e in
            e.checkpointed.map { "  \(e.name)/\($0.run): checkpoint after epoch \($0.epoch)" }
        }
        if !checkpointed.isEmpty {
            out +=
                "\ncheckpointed runs (the next nnexp run of the spec resumes them):\n"
                + checkpointed.joined(separator: "\n") + "\n"
        }
        let damaged = s.experiments.flatMap { e in e.damagedCheckpoints.map { "  \($0)" } }
        if !damaged.isEmpty {
            out += "\ndamaged checkpoints (ignored; their runs start over):\n" + damaged.joined(separator: "\n") + "\n"
        }
        if !s.submissions.isEmpty {
            out += "\nSlurm submissions (\((results as NSString).appendingPathComponent(".slurm"))):\n"
            for sub in s.submissions {
                let array =
                    sub.arrayJob.map {
                        "array job \($0)" + (sub.tasks.map { " (\($0) task\($0 == 1 ? "" : "s"))" } ?? "")
                    } ?? "not submitted (script only)"
                let merge =
                    (sub.rungJobs.isEmpty
                        ? ""
                        : ", halving rung array\(sub.rungJobs.count == 1 ? "" : "s") \(sub.rungJobs.joined(separator: ", "))")
                    + (sub.mergeJob.map { ", merge job \($0)" } ?? "")
                let state =
                    sub.mergeStatus.map { ": merged, exit status \($0)" }
                    ?? (sub.arrayJob == nil ? "" : ": not merged yet")
                out += "  \(sub.id): \(array)\(merge)\(state)\n"
                if !sub.taskStarts.isEmpty { out += "    task starts: \(sub.taskStarts.joined(separator: ", "))\n" }
            }
        }
        return out
    }

    /// "host, pid 123 (Slurm job 45_2), since …, heartbeat 12 s ago": the claim's owner and how fresh
    /// its heartbeat is (a claim of another host goes stale after 300 s without one).
    static func describe(_ c: RunClaim, now: Date) -> String {
        let age = max(0, Int(now.timeIntervalSince(c.heartbeat).rounded(.down)))
        var slurm = ""
        if let j = c.slurmArrayJobID, let t = c.slurmArrayTaskID {
            slurm = " (Slurm job \(j)_\(t)" + (c.slurmJobID.map { $0 != j ? ", job id \($0)" : "" } ?? "") + ")"
        } else if let j = c.slurmJobID {
            slurm = " (Slurm job \(j))"
        }
        return "\(c.host), pid \(c.pid)\(slurm), heartbeat \(age) s ago"
    }
}
