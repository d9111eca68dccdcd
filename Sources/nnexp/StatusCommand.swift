import ArgumentParser
import Foundation
import NNExperiments

struct Status: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Count each experiment's runs by state, and list the Slurm submissions, from a results folder.",
        discussion: """
        Reads only the folder (no spec, no Slurm), so it works from any machine, during or after a \
        sweep: per experiment, runs completed, diverged, failed, incomplete (a folder without \
        metrics.csv) and not yet run (listed in summary.csv, no folder yet); then every failed run \
        with its error, and each `nnexp slurm` submission with its job ids, the task starts recorded \
        and whether the merge job has finished. See docs/cluster.md.

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
        print(Self.render(read.status, results: results), terminator: "")
        if !read.missing.isEmpty {
            SpecCommandSupport.printError("error: no experiment \(read.missing.joined(separator: ", ")) in \(results)")
            throw ExitCode(ExitStatus.badSpec)
        }
    }

    static func render(_ s: FolderStatus, results: String) -> String {
        var rows = [["experiment", "completed", "diverged", "failed", "incomplete", "not-run", "total"]]
        for e in s.experiments {
            rows.append([e.name] + [e.completed.count, e.diverged.count, e.failed.count, e.incomplete.count, e.notRun.count, e.total].map(String.init))
        }
        let widths = rows[0].indices.map { c in rows.map { $0[c].count }.max()! }
        var out = rows.map { row in zip(row, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined(separator: "  ") }
            .map { String($0.reversed().drop { $0 == " " }.reversed()) }.joined(separator: "\n") + "\n"
        let failed = s.experiments.flatMap { e in e.failed.map { "  \(e.name)/\($0.run): \($0.error)" } }
        if !failed.isEmpty { out += "\nfailed runs:\n" + failed.joined(separator: "\n") + "\n" }
        if !s.submissions.isEmpty {
            out += "\nSlurm submissions (\((results as NSString).appendingPathComponent(".slurm"))):\n"
            for sub in s.submissions {
                let array = sub.arrayJob.map { "array job \($0)" + (sub.tasks.map { " (\($0) task\($0 == 1 ? "" : "s"))" } ?? "") } ?? "not submitted (script only)"
                let merge = sub.mergeJob.map { ", merge job \($0)" } ?? ""
                let state = sub.mergeStatus.map { ": merged, exit status \($0)" } ?? (sub.arrayJob == nil ? "" : ": not merged yet")
                out += "  \(sub.id): \(array)\(merge)\(state)\n"
                if !sub.taskStarts.isEmpty { out += "    task starts: \(sub.taskStarts.joined(separator: ", "))\n" }
            }
        }
        return out
    }
}
