import ArgumentParser
import Foundation
import NNExperiments

struct Prune: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List (and with --yes delete) stale and orphaned runs of experiment results folders.",
        discussion: """
            A run is stale when its config.yaml was made by another version of the spec, orphaned when \
            the spec no longer makes it (summary.csv, rebuilt by every `nnexp run`, says which). Both are \
            left out of cells, charts and selection. Without --yes nothing is deleted. After deleting, \
            summary.csv, cells.csv and the report are brought up to date.

            Exit status: 0 done (also when there is nothing to prune), 3 a results folder could not be \
            read or written.

            Example:
              nnexp prune results/mnist-l2-sweep
              nnexp prune results/mnist-l2-sweep --yes
            """)

    @Argument(help: "Experiment results folders (results/<experiment>).")
    var folders: [String]

    @Flag(name: .shortAndLong, help: "Delete the runs listed.")
    var yes = false

    func run() throws {
        var failed = false
        for f in folders {
            do {
                let found =
                    yes
                    ? try NNExperiments.Prune.delete(experimentDirectory: f)
                    : try NNExperiments.Prune.candidates(experimentDirectory: f)
                for c in found {
                    let why =
                        c.reason == "stale" ? "made by another version of the spec" : "the spec no longer makes it"
                    print(
                        "\(yes ? "deleted " : "")\(c.reason.padding(toLength: 8, withPad: " ", startingAt: 0))  \((f as NSString).appendingPathComponent(c.run))  (\(why))"
                    )
                }
                if yes, !found.isEmpty {
                    try Overview.write(
                        resultsRoot: (((f as NSString).standardizingPath) as NSString).deletingLastPathComponent)
                }
                if found.isEmpty {
                    print("\(f): no stale or orphaned runs")
                } else if !yes {
                    print(
                        "\(found.count) run\(found.count == 1 ? "" : "s") to prune in \(f); pass --yes to delete \(found.count == 1 ? "it" : "them")"
                    )
                }
            } catch {
                SpecCommandSupport.printError("error: \(ErrorText.describe(error))")
                failed = true
            }
        }
        if failed { throw ExitCode(ExitStatus.ioError) }
    }
}
