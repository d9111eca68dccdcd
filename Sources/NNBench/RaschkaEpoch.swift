import NNEngine

/// Case 1: one epoch of Raschka's NeuralNetMLP on MNIST — 784-50-10, sigmoid hidden and output,
/// summed logistic cost, L2 0.1, 50 minibatches, previous-step momentum 0.001, compounding decay
/// 0.00001, shuffled every epoch. One warm-up epoch, then `--epochs` timed ones; reports the median.
enum RaschkaEpoch {
    static let architecture = Architecture(sizes: [784, 50, 10], hidden: .sigmoid, output: .sigmoid)
    static let batching = Batching.count(50)

    static func config(epochs: Int) -> TrainingConfig {
        TrainingConfig(loss: .logistic, reduction: .sum, regularization: Regularization(l2: 0.1),
                       optimizer: .sgd(SGDConfig(learningRate: 0.001, momentum: 0.001, momentumRule: .previousStep,
                                                 decay: .compounding(0.00001))),
                       epochs: epochs, batching: batching, shuffle: true, seed: 1)
    }

    static func run(_ o: BenchOptions) throws -> [String: Any] {
        o.precision == "float32" ? try run(Float.self, o) : try run(Double.self, o)
    }

    static func run<T: Real>(_: T.Type, _ o: BenchOptions) throws -> [String: Any] {
        let data = try MNISTSamples.load(T.self, options: o, count: o.samples)
        var net = Network<T>(architecture: architecture, initialization: .uniform(-1, 1), biasesToo: true, seed: 1)
        let clock = EpochClock()
        var c = config(epochs: o.epochs + 1)
        c.threads = ThreadBudget(fixed: o.threads)
        let result = Trainer.train(&net, on: data, config: c) { _, _ in clock.mark(); return true }
        let timed = Array(clock.epochSeconds.dropFirst())
        return ["case": "raschka", "precision": T.precisionName, "samples": data.count, "threads": o.threads, "byte_features": data.bytes != nil,
                "seconds_per_epoch": median(timed), "epochs": timed, "thread_cpu_epochs": Array(clock.epochCPUSeconds.dropFirst()),
                "final_cost": result.epochCosts.last ?? .nan]
    }
}
