import NNEngine

/// Case 6: the large MNIST networks of the literature, as a PyTorch user would train them —
/// 784-800-10 (Simard et al. 2003) or 784-500-300-10 (Hinton et al. 2006), ReLU hidden, softmax
/// output, cross-entropy averaged over the batch, minibatches of 100, plain SGD (lr 0.01), pixels ÷ 255,
/// Float32, shuffled each epoch. One warm-up epoch, then `--epochs` timed ones; reports the median.
enum LargeNetwork {
    static func run(_ o: BenchOptions) throws -> [String: Any] {
        var scaled = o
        scaled.scaled = true
        let data = try MNISTSamples.load(Float.self, options: scaled, count: o.samples)
        let arch = Architecture(sizes: o.layers, hidden: .relu, output: .softmax)
        var net = Network<Float>(architecture: arch, initialization: .he, seed: 1)
        var config = TrainingConfig(
            loss: .crossEntropy, reduction: .mean, optimizer: .sgd(SGDConfig(learningRate: 0.01)),
            epochs: o.epochs + 1, batching: .size(100), shuffle: true, seed: 1)
        config.threads = ThreadBudget(fixed: o.threads)
        let clock = EpochClock()
        let result = Trainer.train(&net, on: data, config: config) { _, _ in
            clock.mark()
            return true
        }
        let timed = Array(clock.epochSeconds.dropFirst())
        return [
            "case": "large", "layers": o.layers.map(String.init).joined(separator: ","), "samples": data.count,
            "threads": o.threads,
            "seconds_per_epoch": median(timed), "epochs": timed,
            "thread_cpu_epochs": Array(clock.epochCPUSeconds.dropFirst()), "final_cost": result.epochCosts.last ?? .nan
        ]
    }
}
