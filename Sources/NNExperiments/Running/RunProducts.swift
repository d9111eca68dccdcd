import NNDatasets
import NNEngine

/// The matrix products one run computes, for `make bench`'s lower bound of `make reproduce`.
///
/// Why not `RunConfig.estimatedFlops`: that rough size (6 flops per sample and weight) only orders
/// runs for scheduling; it counts a δ·W product for the first layer, which backpropagation never
/// computes (nothing lies below the inputs), and leaves out evaluation. For a 784-h-10 network the
/// first layer holds almost every weight, so it overstates the training products by about half.
///
/// Here, with the run's data loaded (its split sizes and its network's real widths):
/// - first-order training, per epoch: `Throughput.flopsPerEpoch` (Z = A·Wᵀ and dW = δᵀ·A for every
///   layer, δ·W for every layer but the first; 2·rows·in·out each) over the training rows;
/// - full-batch minimisers (BFGS, L-BFGS, CG): one cost and gradient per iteration (their line
///   searches evaluate more often, so this stays a lower bound);
/// - evaluation: a forward pass (2·rows·Σ in·out) over every split evaluated after each epoch
///   (`outputs.epoch_accuracy`, `outputs.epoch_metrics`, a validation monitor) and over every split
///   once at the end.
public struct RunProducts: Sendable {
    /// The network the run trains.
    public let architecture: Architecture
    /// How each epoch is cut into minibatches.
    public let batching: Batching
    /// Rows of the training split.
    public let trainRows: Int
    /// The precision the products run in.
    public let precision: Precision
    /// Rows evaluated (forward only) after every epoch.
    public let evaluatedRowsPerEpoch: Int
    /// Rows evaluated (forward only) once, after training.
    public let evaluatedRowsAtEnd: Int

    /// The products of run `c`, with its data loaded as a run loads it (once per process).
    public init(_ c: RunConfig) throws {
        let data = try RunData.load(c)
        let arch = RunExecutor.architecture(c, data: data.train)
        architecture = arch
        batching = c.optimizer.isFullBatch ? .full : c.training.batching
        trainRows = data.train.count
        precision = c.training.precision
        let splits: [(name: String, set: Dataset?)] = [
            ("train", data.train), ("validation", data.validation), ("test", data.test)
        ]
        evaluatedRowsAtEnd = splits.reduce(0) { $0 + ($1.set?.count ?? 0) }
        var perEpoch = 0
        let monitorsValidation = c.training.earlyStopping.map { $0.monitor != .trainCost } ?? false
        for s in splits {
            guard let set = s.set else { continue }
            let evaluated =
                c.outputs.epochMetrics || (c.outputs.epochAccuracy && set.labels != nil)
                || (monitorsValidation && s.name == "validation")
            if evaluated { perEpoch += set.count }
        }
        evaluatedRowsPerEpoch = c.optimizer.isFullBatch ? 0 : perEpoch
    }

    /// Flops of the training products over `epochs` epochs (or full-batch iterations).
    public func trainingFlops(epochs: Int) -> Double {
        Throughput.flopsPerEpoch(architecture: architecture, samples: trainRows, batching: batching)
            * Double(max(epochs, 0))
    }

    /// Flops of the evaluation forward passes of a run that trained `epochs` epochs.
    public func evaluationFlops(epochs: Int) -> Double {
        let rows = evaluatedRowsPerEpoch * max(epochs, 0) + evaluatedRowsAtEnd
        return Throughput.forwardFlops(architecture: architecture, samples: rows)
    }
}
