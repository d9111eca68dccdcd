import ArgumentParser
import Foundation
import NNExperiments

struct Show: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print each run's fully resolved config: a spec that trains exactly that run.",
        discussion: """
            For every run of every spec (after --set, --sweep and --only), prints the config.yaml that \
            `nnexp run` writes for it, as YAML documents separated by `---`. A config.yaml is itself a \
            spec of one run: saved (beside the original spec, so relative data paths still resolve) and \
            given to `nnexp run`, it trains that run under the same experiment and run name and writes \
            the same files.

            Exit status: 0, or 2 when a spec or the command line is wrong.

            Example:
              nnexp show experiments/mnist-l2-sweep.yaml --only l2=0.1 > l2-0.1.yaml
            """)

    @Argument(help: "Spec files (YAML).")
    var specs: [String]

    @OptionGroup var overrideOptions: OverrideOptions

    @Option(
        name: .customLong("only"), parsing: .upToNextOption,
        help: ArgumentHelp(
            "Show only the runs with these sweep values (KEY is a swept path or its last part).",
            valueName: "KEY=VALUE"))
    var only: [String] = []

    @Option(help: "Results folder whose cache of input-file hashes to use (it is not written).")
    var results: String = "results"

    func run() throws {
        // Input hashes are part of a run's config (its `inputs:` block); an unreadable data file is
        // left out, as `nnexp run` would, and reported.
        let loaded = InputHashes(resultsRoot: results).attach(
            try SpecCommandSupport.loadAll(specs, overrides: overrideOptions.overrides, unreadableDataIsFatal: false))
        let experiments = try SpecCommandSupport.select(loaded, only: only)
        var first = true
        for e in experiments {
            for r in e.runs {
                if !first { print("---") }
                first = false
                print("# \(e.name)/\(r.runName) (from \(e.specPath))")
                print(r.canonicalYAML, terminator: "")
            }
        }
    }
}
