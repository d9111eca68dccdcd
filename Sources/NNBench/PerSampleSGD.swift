import NNEngine

/// Case 3: the "classic feedforward" seed — 784-32-10, ReLU hidden, softmax output, cross-entropy,
/// plain SGD one sample at a time (lr 0.05, N(0, 0.1) weights) on binarised MNIST. One warm-up epoch
/// over the samples, then the timed epochs; reports samples per second, fused (the engine's default at
/// batch size 1) and through the general gradient-then-step path.
enum PerSampleSGD {
    static func run(_ o: BenchOptions) throws -> [String: Any] {
        o.precision == "float32" ? try run(Float.self, o) : try run(Double.self, o)
    }

    static func run<T: Real>(_: T.Type, _ o: BenchOptions) throws -> [String: Any] {
        let data = try MNISTSamples.load(T.self, options: o, count: o.samples ?? 5000, binarize: true)
        let arch = Architecture(sizes: [784, 32, 10], hidden: .relu, output: .softmax)
        var net = Network<T>(architecture: arch, initialization: .normal(mean: 0, std: 0.1), seed: 1)
        let config = TrainingConfig(
            loss: .crossEntropy, reduction: .sum, optimizer: .sgd(SGDConfig(learningRate: 0.05)),
            epochs: 1 + o.epochs, batching: .size(1), shuffle: true, seed: 1)
        let (result, perEpoch) = time(&net, data, config)
        // The general path (gradient buffer, then the optimizer) in the same process, for the ratio.
        var unfusedConfig = config
        unfusedConfig.fusePerSampleSGD = false
        var net2 = Network<T>(architecture: arch, initialization: .normal(mean: 0, std: 0.1), seed: 1)
        let (_, unfusedPerEpoch) = time(&net2, data, unfusedConfig)
        return [
            "case": "per-sample", "precision": T.precisionName, "samples": data.count,
            "samples_per_second": Double(data.count) / perEpoch, "seconds_per_epoch": perEpoch,
            "unfused_samples_per_second": Double(data.count) / unfusedPerEpoch,
            "final_cost": result.epochCosts.last ?? .nan
        ]
    }

    static func time<T: Real>(_ net: inout Network<T>, _ data: Samples<T>, _ config: TrainingConfig) -> (
        TrainingResult, Double
    ) {
        let clock = EpochClock()
        let result = Trainer.train(&net, on: data, config: config) { _, _ in
            clock.mark()
            return true
        }
        return (result, median(Array(clock.epochSeconds.dropFirst())))
    }
}
