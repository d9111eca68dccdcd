import NNEngine
import NNExperiments

/// Case 1: one epoch of Raschka's NeuralNetMLP on MNIST exactly as `experiments/raschka-mnist.yaml` has it
/// (784-50-10 sigmoid, summed logistic cost, L2 0.1, 50 minibatches, previous-step momentum 0.001,
/// compounding decay 0.00001, shuffled every epoch), read through nnexp's own spec decoder and
/// `RunExecutor.trainingConfig`: the spec is the one source of these settings, for `nnexp run`, this case,
/// `gemm` and the Python baselines (bench/raschka_settings.py). The data are the first `--samples` MNIST
/// training images (`MNISTSamples`), not the spec's dataset section. One warm-up epoch, then `--epochs`
/// timed ones; reports the median.
enum RaschkaEpoch {
    /// The spec's one run, its network and its batching.
    static func load(_ o: BenchOptions) throws -> (run: RunConfig, architecture: Architecture, batching: Batching) {
        let e = try Experiment.load(path: o.spec)
        guard e.runs.count == 1, let run = e.runs.first else {
            throw BenchError("\(o.spec): expected one run, the spec makes \(e.runs.count)")
        }
        guard case .explicit(let sizes) = run.model.layers, let first = sizes.first, let last = sizes.last else {
            throw BenchError("\(o.spec): the bench needs `model.layers` written out (inputs to outputs)")
        }
        return (run, run.model.architecture(inputs: first, outputs: last), run.training.batching)
    }

    static func run(_ o: BenchOptions) throws -> [String: Any] {
        o.precision == "float32" ? try run(Float.self, o) : try run(Double.self, o)
    }

    static func run<T: Real>(_: T.Type, _ o: BenchOptions) throws -> [String: Any] {
        let (spec, architecture, _) = try load(o)
        let data = try MNISTSamples.load(T.self, options: o, count: o.samples)
        guard data.inputs == architecture.inputs, data.outputs == architecture.outputs else {
            throw BenchError(
                "\(o.spec): a \(architecture.inputs)-…-\(architecture.outputs) network cannot train on MNIST's \(data.inputs) pixels and \(data.outputs) classes"
            )
        }
        var net = try RunExecutor.initialNetwork(T.self, spec, architecture)
        let clock = EpochClock()
        var c = RunExecutor.trainingConfig(spec, architecture: architecture)
        c.epochs = o.epochs + 1
        c.threads = ThreadBudget(fixed: o.threads)
        // Timed as the training loop alone, as before the settings came from the spec (whose
        // `outputs.cost: minibatch` would also record each minibatch's cost).
        c.recordBatchCosts = false
        let result = Trainer.train(&net, on: data, config: c) { _, _ in
            clock.mark()
            return true
        }
        let timed = Array(clock.epochSeconds.dropFirst())
        return [
            "case": "raschka", "precision": T.precisionName, "samples": data.count, "threads": o.threads,
            "byte_features": data.bytes != nil,
            "seconds_per_epoch": median(timed), "epochs": timed,
            "thread_cpu_epochs": Array(clock.epochCPUSeconds.dropFirst()),
            "final_cost": result.epochCosts.last ?? .nan
        ]
    }
}
