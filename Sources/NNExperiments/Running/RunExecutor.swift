import Foundation
import NNDatasets
import NNEngine

/// Trains one run and produces its result files. Pure with respect to the file system: the scheduler
/// decides where and when the files land.
public enum RunExecutor {
    public static func execute(_ config: RunConfig, shouldStop: @escaping @Sendable () -> Bool = { false },
                               progress: (@Sendable (Int, Double) -> Void)? = nil) -> RunOutcome {
        do {
            let data = try DataProvider.load(config)
            switch config.training.precision {
            case .float32: return try train(Float.self, config, data, shouldStop, progress)
            case .float64: return try train(Double.self, config, data, shouldStop, progress)
            }
        } catch {
            var o = RunOutcome(config: config, status: .failed("\(error)"))
            o.files = ResultFiles.failure(config: config, message: "\(error)")
            return o
        }
    }

    static func train<T: Real>(_: T.Type, _ config: RunConfig, _ data: SplitDataset,
                               _ shouldStop: @escaping @Sendable () -> Bool,
                               _ progress: (@Sendable (Int, Double) -> Void)?) throws -> RunOutcome {
        let train = data.train
        var outputs = outputCount(train)
        if case .explicit(let sizes) = config.model.layers, let last = sizes.last { outputs = last }
        let arch = config.model.architecture(inputs: train.dimension, outputs: outputs)
        try checkShape(arch, data: train, config: config)
        var net = Network<T>(architecture: arch, initialization: config.model.initialization,
                             biasesToo: config.model.initBiases, seed: config.seed)
        let samples = SampleCache.samples(T.self, train, outputs: outputs)
        let tc = TrainingConfig(loss: config.model.loss, reduction: config.model.reduction,
                                regularization: config.regularization, optimizer: config.optimizer,
                                epochs: config.training.epochs, batching: config.training.batching,
                                shuffle: config.training.shuffle, recordBatchCosts: config.outputs.minibatchCost,
                                seed: config.seed)
        let started = Date()
        let result = Trainer.train(&net, on: samples, config: tc) { epoch, cost in
            progress?(epoch, cost)
            return !shouldStop()
        }
        let seconds = Date().timeIntervalSince(started)

        var outcome = RunOutcome(config: config, status: .completed)
        switch result.status {
        case .completed: outcome.status = .completed
        case .diverged(let e): outcome.status = .diverged(epoch: e)
        case .cancelled: outcome.status = .cancelled
        }
        outcome.finalCost = result.epochCosts.last
        outcome.epochsRun = result.epochCosts.count
        outcome.iterations = result.iterations
        var evaluations: [(String, Dataset, [Int])] = []
        let ws = Workspace<T>(architecture: arch, capacity: 1024)
        for (split, ds) in [("train", Optional(data.train)), ("validation", data.validation), ("test", data.test)] {
            guard let ds, let labels = ds.labels else { continue }
            let x = SampleCache.samples(T.self, ds, outputs: outputs).x
            let predicted = net.predict(x, count: ds.count, workspace: ws).classes
            let correct = zip(predicted, labels).filter { $0 == $1 }.count
            outcome.accuracy[split] = ds.count > 0 ? Double(correct) / Double(ds.count) : 0
            evaluations.append((split, ds, predicted))
        }
        outcome.files = ResultFiles.make(outcome: outcome, result: result, evaluations: evaluations)
        outcome.log.append("trained \(result.iterations) iterations in \(String(format: "%.3f", seconds)) s (\(T.precisionName))")
        return outcome
    }

    /// Outputs the network needs: one per class, except a single sigmoid unit for two classes when
    /// the spec's layers say 1; one per target column for regression.
    static func outputCount(_ d: Dataset) -> Int { d.targetDimension }

    static func checkShape(_ arch: Architecture, data: Dataset, config: RunConfig) throws {
        if arch.inputs != data.dimension {
            throw RunError("model.layers starts with \(arch.inputs) inputs but dataset '\(data.name)' has \(data.dimension) features")
        }
        let classes = data.classCount
        if let classes, arch.outputs != classes, !(classes == 2 && arch.outputs == 1) {
            throw RunError("model.layers ends with \(arch.outputs) outputs but dataset '\(data.name)' has \(classes) classes")
        }
    }
}

public struct RunError: Error, CustomStringConvertible, Sendable {
    public let message: String
    public init(_ m: String) { message = m }
    public var description: String { message }
}
