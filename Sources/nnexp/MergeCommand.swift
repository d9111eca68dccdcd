import ArgumentParser
import Foundation
import NNExperiments

struct Merge: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Rebuild the experiment files (summary, spec, report) from the runs in a results folder.",
        discussion: """
        For shards of a sweep that wrote one results folder (`nnexp run --shard`, `nnexp slurm`): \
        validates the specs like check, then writes each experiment's summary.csv (runs not present \
        as not-run), spec.yaml, report.html and charts/ from the run folders present, and prints the \
        table of every run. Trains nothing. `nnexp slurm` runs it as the job after the array.

        Exit status: 0 every run of the specs completed, 1 some run diverged, failed or is missing, \
        2 a spec is wrong, 3 a file could not be read or written.

        Example:
          nnexp merge experiments/mnist-l2-sweep.yaml --results /shared/results
        """)

    @Argument(help: "Spec files (YAML).")
    var specs: [String]

    @Option(help: "The results folder the runs were written to.")
    var results: String = "results"

    @Flag(name: .shortAndLong, help: "Print nothing but problems.")
    var quiet = false

    func run() throws {
        // No data check: merging reads result files only, and a data file gone since the runs (the
        // reason some failed, say) must not stop the merge.
        let experiments = try SpecCommandSupport.loadAll(specs, checkData: false)
        let store = ResultStore(root: results)
        let ok = ExperimentFiles.write(experiments, store: store, report: true)
        if !quiet { print(SummaryTable.render(experiments, store: store), terminator: "") }
        if !ok { throw ExitCode(ExitStatus.ioError) }
        let completed = experiments.flatMap(\.runs).allSatisfy { if case .finished("completed", _) = store.stored($0) { return true } else { return false } }
        if !completed { throw ExitCode(ExitStatus.runsFailed) }
    }
}
