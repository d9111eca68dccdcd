import NNDatasets

/// A rough size of a run's training, used only to choose which run starts first.
///
/// Why: runs go to the workers longest first (LPT scheduling). In plan order, a long run near the
/// end of a sweep (raschka-mnist's 1000 epochs after a grid, say) starts last and runs alone while the
/// other cores idle. The estimate never touches a result (runs are independent and bit-identical in any
/// order) and needs no data: epochs × training samples × weights, with the sizes a spec leaves to the
/// data filled in from the source (784 pixel inputs for MNIST, …) or a modest guess for files.
extension RunConfig {
    /// Flops of the run's matrix products, estimated without data: 6 × `estimatedWork` (per sample and
    /// weight, the forward product, the weight gradient and the backpropagated delta, 2 flops each;
    /// full-batch optimizers counted at `max_iterations`). Rough on purpose (it orders runs): it also
    /// counts a δ·W for the first layer, which training never computes, and the pool's rows rather than
    /// the training split's. `make bench`'s bound for `make reproduce` counts exactly (`RunProducts`).
    public var estimatedFlops: Double { 6 * estimatedWork }

    /// `estimatedFlops` for a run that trained `epochs` epochs (or iterations) rather than all it was allowed.
    public func estimatedFlops(epochs: Int) -> Double {
        estimatedFlops / Double(max(training.epochs, 1)) * Double(max(epochs, 0))
    }

    var estimatedWork: Double {
        Double(max(training.epochs, 1)) * Double(estimatedSamples) * Double(max(estimatedWeights, 1))
    }

    private var estimatedSamples: Int {
        if let n = dataset.trainCount ?? dataset.sample { return n }
        return dataset.source.unit.nominalShape(dataRoot: dataset.dataRoot).samples
    }

    private var estimatedWeights: Int {
        let sizes: [Int]
        switch model.layers {
        case .explicit(let s): sizes = s
        case .hidden(let h):
            let shape = dataset.source.unit.nominalShape(dataRoot: dataset.dataRoot)
            let (inputs, outputs) = (shape.features, shape.outputs)
            sizes = [inputs] + h + [outputs]
        }
        return zip(sizes, sizes.dropFirst()).reduce(0) { $0 + $1.0 * $1.1 }
    }
}
