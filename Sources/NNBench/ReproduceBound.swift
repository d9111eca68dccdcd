import Foundation
import NNEngine
import NNExperiments

/// Case 7: lower bounds of `make reproduce FORCE=1`, from the products every run of the given specs
/// computes (`RunProducts`: training and evaluation, each run's data loaded for its real sizes), on
/// every core of this machine, each core running one run's products at a time:
///
/// - `seconds`: those products at the large-square GEMM rate (`GEMMCeiling.square`, one core per
///   precision, times the cores) — what the BLAS reaches on the shapes it likes best;
/// - `own_shape_seconds`: the training products timed at their own shapes (`GEMMProbe`: the calls
///   training makes, single-threaded BLAS, each product one call or cut as training cuts it
///   (`ProductBlocks`), whichever is faster; the yardstick of the Raschka row's "÷ own GEMM
///   time"), every core running a copy at once as `make reproduce` keeps them busy, evaluation still
///   at the large-square rate, divided by the cores — what any caller of CBLAS pays for exactly these
///   products, packing, edge tiles and shared caches included;
/// - `estimate_seconds`: `RunConfig.estimatedFlops` (6 flops per sample and weight, the scheduler's
///   rough size, used for this bound before round 8) at the large-square rate, for comparison.
///
/// No run's elementwise work, data loading or report counts, and a probe's input stays in cache where
/// training gathers a new minibatch every step, so the real time can only be longer. (Two
/// large-square GEMMs side by side ran at one's rate each here, so the first bound needs no such care.) With `--results
/// DIR`, runs count the epochs (or iterations) they recorded there (early stopping, convergence)
/// instead of all they were allowed.
enum ReproduceBound {
    /// A probe's identity: runs with the same network, batching, rows and precision share one timing.
    private struct Shape: Hashable {
        let sizes: [Int]
        let batching: Batching
        let rows: Int
        let float32: Bool
    }

    /// Rows a probe times at most for fixed-size minibatches (whole batches; the time is scaled up by
    /// flops): enough batches to average over, few enough that ~60 networks take seconds.
    static let probeRows = 12_000

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
        var sized = o
        sized.size = 1024
        let g32 = (GEMMCeiling.square(Float.self, sized)["gflops"] as? Double ?? 0) * 1e9
        let g64 = (GEMMCeiling.square(Double.self, sized)["gflops"] as? Double ?? 0) * 1e9
        var probes: [Shape: Double] = [:]  // seconds per epoch at the shape's own GEMM rate
        func ownSeconds(_ p: RunProducts) -> Double {
            let shape = Shape(
                sizes: p.architecture.sizes, batching: p.batching, rows: p.trainRows, float32: p.precision == .float32)
            if let s = probes[shape] { return s }
            var rows = p.trainRows
            if case .size(let s) = p.batching, rows > Self.probeRows { rows = max(1, Self.probeRows / max(s, 1)) * s }
            /// Thread CPU seconds of the products with every core running them at once (each its own
            /// copy): the cores' throughput at this shape, shared caches and memory included, as two runs
            /// side by side meet it. The mean over the cores of each one's best of three.
            func time<T: Real>(_: T.Type) -> Double {
                let cores = max(1, o.cores)
                let seconds = UnsafeMutableBufferPointer<Double>.allocate(capacity: cores)
                defer { seconds.deallocate() }
                DispatchQueue.concurrentPerform(iterations: cores) { i in
                    // The calls as one each, and cut as training cuts them: the faster way through CBLAS.
                    func probe(_ blocked: Bool) -> Double {
                        GEMMProbe.timeEpoch(
                            T.self, architecture: p.architecture, samples: rows, batching: p.batching, repetitions: 3,
                            blocked: blocked
                        ).cpuSeconds
                    }
                    seconds[i] = min(probe(false), probe(true))
                }
                return seconds.reduce(0, +) / Double(cores)
            }
            let probed = shape.float32 ? time(Float.self) : time(Double.self)
            let whole = Throughput.flopsPerEpoch(
                architecture: p.architecture, samples: p.trainRows, batching: p.batching)
            let part = Throughput.flopsPerEpoch(architecture: p.architecture, samples: rows, batching: p.batching)
            let s = part > 0 ? probed * whole / part : 0
            probes[shape] = s
            return s
        }
        var flops32 = 0.0
        var flops64 = 0.0
        var estimate = 0.0
        var own = 0.0
        var runs = 0
        var recorded = 0
        var perExperiment: [String: [String: Double]] = [:]  // core-seconds, for docs/performance.md's table
        for e in experiments {
            for r in e.runs {
                runs += 1
                let stored = recordedEpochs(r)
                if stored != nil { recorded += 1 }
                let epochs = stored ?? RunExecutor.plannedSteps(r)
                let p = try RunProducts(r)
                let rate = p.precision == .float32 ? g32 : g64
                let training = p.trainingFlops(epochs: epochs)
                let evaluation = p.evaluationFlops(epochs: epochs)
                if p.precision == .float32 {
                    flops32 += training + evaluation
                } else {
                    flops64 += training + evaluation
                }
                estimate += r.estimatedFlops(epochs: epochs) / rate
                let mine = ownSeconds(p) * Double(epochs) + evaluation / rate
                own += mine
                perExperiment[r.experiment, default: [:]]["own_shape_core_seconds", default: 0] += mine
                perExperiment[r.experiment, default: [:]]["square_core_seconds", default: 0] +=
                    (training + evaluation) / rate
            }
        }
        let cores = Double(o.cores)
        return [
            "case": "reproduce-bound", "runs": runs, "runs_with_recorded_epochs": recorded, "flops_float32": flops32,
            "flops_float64": flops64, "cores": o.cores, "probed_shapes": probes.count,
            "seconds": flops32 / (g32 * cores) + flops64 / (g64 * cores),
            "own_shape_seconds": own / cores, "estimate_seconds": estimate / cores,
            "experiments": perExperiment
        ]
    }
}
