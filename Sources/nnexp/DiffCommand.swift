import ArgumentParser
import Foundation
import NNExperiments

extension DiffFormat: ExpressibleByArgument {}

struct Diff: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Compare two sets of results: folders or git revisions.",
        discussion: """
            Each side is a results folder or a git revision (HEAD~1, a tag, a commit) meaning that \
            revision's committed results folder, read with git without touching the working tree. With \
            one revision, compares it with the working tree's results. Prints, per experiment and run, \
            runs added and removed, config keys that differ, metric deltas (numbers as in the run \
            table: accuracies in %, changes in percentage points, costs to 4 significant digits; --format \
            csv keeps full values), where CSV series diverge (class labels compared as labels) and a \
            summary of each changed confusion matrix (--verbose: every cell), then a summary line. \
            --summary prints one line per run instead. See docs/diff.md.

            Exit status: 0 equal within the tolerance, 1 different, 2 error.

            Examples:
              nnexp diff HEAD~1
              nnexp diff v1.0 HEAD --tolerance 1e-9 --format markdown
              nnexp diff /tmp/old-results results
            """)

    @Argument(help: "OLD NEW (folders or git revisions), or one revision to compare with the working tree.")
    var sides: [String]

    @Option(help: "Treat numbers whose relative difference is at most REL as equal.")
    var tolerance: Double = 0

    @Option(help: "Output format: text, csv or markdown.")
    var format: DiffFormat = .text

    @Flag(help: "One line per run: its metric changes and what else changed.")
    var summary = false

    @Flag(name: .shortAndLong, help: "List every changed confusion-matrix cell (default: one line per matrix).")
    var verbose = false

    @Option(help: "The results folder read from the working tree and from git revisions.")
    var results: String = "results"

    func validate() throws {
        if results.isEmpty { throw ValidationError("--results needs a folder name, found an empty string") }
    }

    func run() throws {
        var o = ResultsDiff.Options()
        o.tolerance = tolerance
        o.format = format
        o.resultsPath = results
        o.summary = summary
        o.verbose = verbose
        // Colour only on a terminal, and never when NO_COLOR is set.
        o.colour =
            format == .text && isatty(STDOUT_FILENO) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
        let outcome = ResultsDiff.run(sides, options: o)
        FileHandle.standardOutput.write(Data(outcome.output.utf8))
        FileHandle.standardError.write(Data(outcome.error.utf8))
        if outcome.status != 0 { throw ExitCode(outcome.status) }
    }
}
