import Foundation
import NNEngine
import NNExperiments

/// Case 7: the lower bound of `make reproduce FORCE=1`: the products of every run of the given specs
/// (`RunConfig.estimatedFlops`) at this machine's GEMM throughput on every core (one large-square
/// GEMM per core and precision, `GEMMCeiling.square`, times the cores). No run's elementwise work, data
/// loading or report counts, so the real time can only be longer. With `--results DIR`, runs count the
/// epochs (or iterations) they recorded there (early stopping, convergence) instead of all they were allowed.
enum ReproduceBound {
    static func run(_ o: BenchOptions) throws -> [String: Any] {
        let experiments = try Experiment.loadAll(paths: o.specs)
        /// The `epochs` row of a stored run's metrics.csv (the run's identity is not checked: a bound).
        func recordedEpochs(_ r: RunConfig) -> Int? {
            guard let root = o.results,
                let text = try? String(
                    contentsOfFile: "\(root)/\(r.experiment)/\(r.runName)/metrics.csv", encoding: .utf8)
            else { return nil }
            for line in text.split(separator: "\n") where line.hasPrefix("epochs,") { return Int(line.dropFirst(7)) }
            return nil
        }
        var flops32 = 0.0
        var flops64 = 0.0
        var runs = 0
        var recorded = 0
        for e in experiments {
            for r in e.runs {
                runs += 1
                var flops = r.estimatedFlops
                if let epochs = recordedEpochs(r) {
                    flops = r.estimatedFlops(epochs: epochs)
                    recorded += 1
                }
                if r.training.precision == .float32 { flops32 += flops } else { flops64 += flops }
            }
        }
        var sized = o
        sized.size = 1024
        let g32 = (GEMMCeiling.square(Float.self, sized)["gflops"] as? Double ?? 0) * 1e9
        let g64 = (GEMMCeiling.square(Double.self, sized)["gflops"] as? Double ?? 0) * 1e9
        let cores = Double(o.cores)
        let bound = flops32 / (g32 * cores) + flops64 / (g64 * cores)
        return [
            "case": "reproduce-bound", "runs": runs, "runs_with_recorded_epochs": recorded, "flops_float32": flops32,
            "flops_float64": flops64,
            "cores": o.cores, "seconds": bound
        ]
    }
}
