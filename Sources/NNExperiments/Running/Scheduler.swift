import Foundation
import NNEngine

/// Runs an experiment's runs side by side on `jobs` threads inside one process (datasets shared),
/// each run with one BLAS thread, and writes each run's files as it finishes.
public final class Scheduler: @unchecked Sendable {
    public let jobs: Int
    public let store: ResultStore
    private let lock = NSLock()
    private let log: @Sendable (String) -> Void

    public init(jobs: Int, store: ResultStore, log: @escaping @Sendable (String) -> Void) {
        self.jobs = max(1, jobs); self.store = store; self.log = log
    }

    /// Runs every run and returns the outcomes in the experiment's run order.
    public func run(_ experiment: Experiment) -> [RunOutcome] {
        BLASThreads.pinToOne()
        let runs = experiment.runs
        let state = SharedState(count: runs.count)
        let group = DispatchGroup()
        for _ in 0..<min(jobs, runs.count) {
            group.enter()
            let t = Thread { [self] in
                while true {
                    lock.lock()
                    let i = state.next; state.next += 1
                    lock.unlock()
                    guard i < runs.count else { break }
                    let outcome = RunExecutor.execute(runs[i])
                    do { try store.write(outcome) } catch { log("error: cannot write results of \(runs[i].runName): \(error)") }
                    lock.lock(); state.outcomes[i] = outcome; lock.unlock()
                    log("\(experiment.name)/\(runs[i].runName): \(outcome.status.label)" +
                        (outcome.finalCost.map { ", final cost \(NumberFormat.shortest($0))" } ?? ""))
                }
                group.leave()
            }
            t.stackSize = 8 << 20
            t.start()
        }
        group.wait()
        let done = state.outcomes.map { $0! }
        try? store.writeExperimentFile(experiment.name, name: "summary.csv", contents: Array(Summary.table(experiment, done).text.utf8))
        return done
    }
}

/// Work shared by the scheduler's threads, guarded by the scheduler's lock.
private final class SharedState: @unchecked Sendable {
    var next = 0
    var outcomes: [RunOutcome?]
    init(count: Int) { outcomes = Array(repeating: nil, count: count) }
}

/// `summary.csv`: one row per run in the experiment's order.
enum Summary {
    static func table(_ e: Experiment, _ outcomes: [RunOutcome]) -> CSVTable {
        var t = CSVTable(header: ["run"] + e.axes + ["status", "epochs", "final_cost", "train_accuracy", "validation_accuracy", "test_accuracy"])
        for o in outcomes {
            let axisValues = e.axes.map { axis in o.config.axisValues.first(where: { $0.key == axis })?.value ?? "" }
            t.append([o.config.runName] + axisValues + [o.status.label, "\(o.epochsRun)",
                      o.finalCost.map(NumberFormat.shortest) ?? "",
                      o.accuracy["train"].map(NumberFormat.shortest) ?? "",
                      o.accuracy["validation"].map(NumberFormat.shortest) ?? "",
                      o.accuracy["test"].map(NumberFormat.shortest) ?? ""])
        }
        return t
    }
}
