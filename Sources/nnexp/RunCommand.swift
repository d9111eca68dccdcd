import ArgumentParser
import Foundation
import NNExperiments

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Train every run of one or more experiment specs and write their results.",
        discussion: """
        Each run writes results/<experiment>/<run>/ (config.yaml, cost.csv, confusion-<split>.csv, \
        metrics.csv) and the experiment gets a summary.csv.

        Example:
          nnexp run experiments/mnist-l2-sweep.yaml --jobs 2
        """)

    @Argument(help: "Spec files (YAML).")
    var specs: [String]

    @Option(name: .shortAndLong, help: "Runs trained at once (default: number of cores).")
    var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

    @Option(help: "Folder that receives results/<experiment>/…")
    var results: String = "results"

    func run() throws {
        let experiments = try SpecCommandSupport.loadAll(specs)
        var allOK = true
        for e in experiments {
            let scheduler = Scheduler(jobs: jobs, store: ResultStore(root: results)) { line in
                FileHandle.standardError.write(Data((line + "\n").utf8))
            }
            let outcomes = scheduler.run(e)
            allOK = allOK && outcomes.allSatisfy { $0.status == .completed }
        }
        if !allOK { throw ExitCode(ExitStatus.runsFailed) }
    }
}

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Validate specs and print the runs they would train, without training.",
        discussion: """
        Example:
          nnexp check experiments/*.yaml
        """)

    @Argument(help: "Spec files (YAML).")
    var specs: [String]

    func run() throws {
        for e in try SpecCommandSupport.loadAll(specs) {
            print("\(e.specPath): \(e.runs.count) run\(e.runs.count == 1 ? "" : "s") of experiment \(e.name)")
            for r in e.runs { print("  \(r.runName)") }
        }
    }
}

enum SpecCommandSupport {
    /// Loads every spec, printing all mistakes of all specs before failing with status 2.
    static func loadAll(_ paths: [String]) throws -> [Experiment] {
        var experiments: [Experiment] = []
        var failed = false
        for p in paths {
            do { experiments.append(try Experiment.load(path: p)) } catch {
                FileHandle.standardError.write(Data(("\(error)\n").utf8))
                failed = true
            }
        }
        if failed { throw ExitCode(ExitStatus.badSpec) }
        return experiments
    }
}
