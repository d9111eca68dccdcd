import Foundation
import NNDatasets
import NNEngine

/// What one run needs in memory, estimated before anything is allocated so that `nnexp check`
/// refuses a run that could not fit (or whose sizes would overflow an integer) instead of letting it
/// abort later. The estimate counts, in bytes (computed in floating point, so it cannot overflow):
///
/// - data: samples × (features + targets) × 8 (the loaded set) plus the same in the run's precision
///   (the sample matrices the trainer reads);
/// - parameters: P = Σ (nᵢ + bias)·nᵢ₊₁ over the resolved layer sizes, kept 4 times (weights,
///   gradient, two scratch copies) in the run's precision;
/// - optimizer state: sgd with momentum 1·P, adam 2·P, cg 4·P, bfgs 8·P² (the dense inverse Hessian)
///   plus 6·P, lbfgs 2·m·P plus 6·P (m = `memory`), in float64 for the full-batch methods;
/// - workspace: rows × Σ nᵢ × 3 in the run's precision (activations, pre-activations, deltas), rows
///   being the minibatch size (the whole training set for full-batch optimizers);
/// - cost history: one float64 per epoch or iteration (per minibatch with `outputs.cost: minibatch`);
///   with `training.early_stopping.restore_best`, the best epoch's parameters (P float64).
///
/// It is a lower bound of the real use, which is what a refusal needs: a run above the machine's
/// physical memory can never complete.
public struct RunFootprint: Sendable {
    /// Parameters of the run's network.
    public var parameters: Double
    /// The estimated bytes (the sum above).
    public var bytes: Double
    /// The spec section whose request weighs most (`dataset`, `model`, `optimizer` or `training`),
    /// where a refusal is reported.
    public var largestPart: String

    /// The data's shape, known before loading for generated sets and after loading for files.
    public struct DataShape: Sendable {
        /// Samples of the whole pool.
        public var samples: Double
        /// Samples of the training part.
        public var trainSamples: Double
        /// Features per sample.
        public var features: Double
        /// Targets (network outputs) per sample.
        public var targets: Double
    }

    /// The estimate for run `c` on data of this shape.
    public init(_ c: RunConfig, data: DataShape) {
        let sizes: [Double]
        switch c.model.layers {
        case .explicit(let s): sizes = s.map(Double.init)
        case .hidden(let h): sizes = [data.features] + h.map(Double.init) + [data.targets]
        }
        let bias = c.model.bias ? 1.0 : 0.0
        var p = 0.0
        if sizes.count >= 2 { for i in 0..<(sizes.count - 1) { p += (sizes[i] + bias) * sizes[i + 1] } }
        parameters = p
        let width = c.training.precision == .float32 ? 4.0 : 8.0
        var parts: [(String, Double)] = []
        parts.append(("dataset", data.samples * (data.features + data.targets) * (8 + width)))
        var model = 4 * p * width
        let state = c.optimizer.settings.stateBytes(parameters: p, valueBytes: width)
        parts.append(("optimizer", state))
        let rows: Double
        switch c.optimizer.isFullBatch ? .full : c.training.batching {
        case .full: rows = data.trainSamples
        case .size(let s): rows = min(Double(s), data.trainSamples)
        case .count(let k): rows = (data.trainSamples / Double(k)).rounded(.up)
        }
        model += rows * sizes.reduce(0, +) * 3 * width
        parts.append(("model", model))
        var steps = Double(RunExecutor.plannedSteps(c))
        if c.outputs.cost == .minibatch, !c.optimizer.isFullBatch {
            switch c.training.batching {
            case .full: break
            case .size(let s): steps *= (data.trainSamples / Double(max(s, 1))).rounded(.up)
            case .count(let k): steps *= Double(k)
            }
        }
        // `restore_best` keeps the best epoch's parameters in float64.
        let best = c.training.earlyStopping?.restoreBest == true ? 8 * p : 0
        parts.append((c.optimizer.isFullBatch ? "optimizer" : "training", steps * 8 + best))
        bytes = parts.reduce(0) { $0 + $1.1 }
        largestPart = p > Double(Int.max / 8) ? "model" : parts.max(by: { $0.1 < $1.1 })!.0
    }

    /// The memory this process may use: the machine's physical memory.
    public static var available: Double { Double(ProcessInfo.processInfo.physicalMemory) }

    /// Why the run cannot be trained on this machine, or nil when it fits.
    public func problem(available: Double = RunFootprint.available) -> String? {
        if parameters > Double(Int.max / 8) {
            return
                "this network would have about \(Self.count(parameters)) parameters, more than a 64-bit size can count; make the layers smaller"
        }
        if bytes > available {
            return
                "this run would need at least \(Self.bytes(bytes)) of memory (\(Self.count(parameters)) parameters, data, optimizer state and workspace), but this machine has \(Self.bytes(available)); make the network, the data or the optimizer's state smaller"
        }
        return nil
    }

    /// "12.3 GB", "4.0 TB": decimal units, three significant figures.
    static func bytes(_ b: Double) -> String {
        let units = ["bytes", "kB", "MB", "GB", "TB", "PB", "EB"]
        var v = b
        var i = 0
        while v >= 1000, i < units.count - 1 {
            v /= 1000
            i += 1
        }
        return i == 0
            ? "\(Int(v)) bytes"
            : String(format: v < 10 ? "%.2f %@" : v < 100 ? "%.1f %@" : "%.0f %@", v, units[i])
                .replacingOccurrences(of: "%@", with: units[i])
    }

    static func count(_ n: Double) -> String {
        n < 1e6 ? String(Int(n)) : String(format: "%.3g", n)
    }
}

extension DatasetConfig {
    /// The shape the data will have, when it can be told without reading any file (generated sets
    /// and iris); nil for files and inline data, whose shape is known only once loaded.
    var expectedShape: RunFootprint.DataShape? {
        let shape = source.unit.nominalShape(dataRoot: dataRoot)
        guard shape.exact else { return nil }
        let (n, f, t) = (Double(shape.samples), Double(shape.features), Double(shape.outputs))
        return RunFootprint.DataShape(samples: n, trainSamples: n, features: f, targets: t)
    }
}

extension Dataset {
    /// Shape of a loaded split for `RunFootprint`.
    static func shape(_ d: SplitDataset) -> RunFootprint.DataShape {
        let all = [d.train, d.validation, d.test].compactMap { $0 }
        return RunFootprint.DataShape(
            samples: Double(all.reduce(0) { $0 + $1.count }), trainSamples: Double(d.train.count),
            features: Double(d.train.dimension), targets: Double(d.train.targetDimension))
    }
}
