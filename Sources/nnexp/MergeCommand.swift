import ArgumentParser
import Foundation
import NNExperiments

struct Merge: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Rebuild the experiment files (summary, spec, report) from the runs in a results folder.",
        discussion: """
            For shards of a sweep that wrote one results folder (`nnexp run --shard`, `nnexp slurm`): \
            validates the specs like check, then rebuilds each experiment's summary.csv (runs held by a \
            live claim as running, runs not present as not-run), cells.csv, spec.yaml, report.html and \
            charts/ from the run folders present, under the experiment lock, and prints the leaderboard. \
            Trains nothing. `nnexp slurm` runs it as the job after the array.

            Exit status: 0 every run of the specs completed, 1 some run diverged, failed or is missing, \
            2 a spec is wrong, 3 a file could not be read or written.

            Example:
              nnexp merge experiments/mnist-l2-sweep.yaml --results /shared/results
              nnexp merge experiments/xor.yaml --sweep seed=1,2,3 --results /shared/results
            """)

    @Argument(help: "Spec files (YAML).")
    var specs: [String]

    @Option(help: "The results folder the runs were written to.")
    var results: String = "results"

    @OptionGroup var overrideOptions: OverrideOptions

    @Flag(name: .shortAndLong, help: "Print nothing but problems.")
    var quiet = false

    func run() throws {
        // No data check: merging reads result files only, and a data file gone since the runs (the
        // reason some failed, say) must not stop the merge. The input hashes still enter each run's
        // identity (from the results folder's cache, which the runs filled), so a stored run is matched
        // against the same config.yaml the shard wrote.
        let hashes = InputHashes(resultsRoot: results)
        let experiments = hashes.attach(
            try SpecCommandSupport.loadAll(specs, overrides: overrideOptions.overrides, checkData: false))
        hashes.save()
        let store = ResultStore(root: results)
        var ok = true
        for e in experiments where !e.runs.isEmpty {
            // Under the experiment lock, like every writer of these files: a shard still finishing (a
            // resubmitted task) and this merge leave the same files in either order.
            do { try ExperimentFiles.rebuild(e, store: store, report: true) } catch {
                SpecCommandSupport.printError(
                    "error: cannot write the experiment files of \(e.name): \(ErrorText.describe(error))")
                ok = false
            }
        }
        if !quiet {
            print(
                SummaryTable.render(
                    experiments.filter { !$0.runs.isEmpty }, store: store, format: .table,
                    width: TerminalWidth.of(STDOUT_FILENO), reports: true), terminator: "")
        }
        if !ok { throw ExitCode(ExitStatus.ioError) }
        // With sweep.halving, each run as it stands at the last rung it reached (a run stopped at an
        // early rung is complete with that rung's epochs); a rung not yet decided leaves runs missing.
        let finalRuns = experiments.flatMap { e in
            e.halving == nil ? e.runs : HalvingRunner(store: store, experiment: e).replay().finalRuns
        }
        let completed = finalRuns.allSatisfy {
            if case .finished("completed", _) = store.stored($0) { return true } else { return false }
        }
        if !completed { throw ExitCode(ExitStatus.runsFailed) }
    }
}
