/// What one weight layer looked like during one epoch of first-order training (`outputs.diagnostics`).
public struct LayerDiagnostics: Equatable, Sendable {
    /// ‖W‖₂ of the layer's weights (biases excluded) after the epoch's last update.
    public var weightNorm: Double
    /// Mean over the epoch's steps of ‖∂cost/∂W‖₂, the layer's weight gradient as the optimizer got it
    /// (penalty included, before clipping).
    public var gradientNorm: Double
    /// Mean over the epoch's steps of ‖ΔW‖₂ / ‖W‖₂, the step's update of the layer's weights relative
    /// to the weights before it (0 when those are all 0).
    public var updateRatio: Double
    /// Share of the layer's units (hidden layers with relu, leaky_relu or elu) whose output was never
    /// positive on any of the epoch's training samples; nil for other layers.
    public var deadShare: Double?
    /// Share of the layer's units (hidden layers with sigmoid or tanh) beyond 0.99 of their range
    /// (sigmoid: a < 0.01 or a > 0.99; tanh: |a| > 0.99) on more than half of the epoch's training
    /// samples; nil for other layers.
    public var saturatedShare: Double?

    /// A row with the given values (the shares nil for layers they do not apply to).
    public init(
        weightNorm: Double, gradientNorm: Double, updateRatio: Double, deadShare: Double? = nil,
        saturatedShare: Double? = nil
    ) {
        self.weightNorm = weightNorm
        self.gradientNorm = gradientNorm
        self.updateRatio = updateRatio
        self.deadShare = deadShare
        self.saturatedShare = saturatedShare
    }
}

/// Gathers `LayerDiagnostics` during an epoch. Built only when asked for (`TrainingConfig.diagnostics`),
/// with every buffer allocated up front, so the loop allocates nothing and runs without it pay nothing.
/// Unit activity is read from the training forward passes themselves (before any dropout mask).
struct DiagnosticsRecorder<T: Real> {
    let arch: Architecture
    let weightOffsets: [Int]
    /// Weights before the current step, for the update ratio.
    var before: [T]
    var gradientSums: [Double]
    var ratioSums: [Double]
    var steps = 0
    /// Per hidden unit (hidden layers one after another): samples with a positive output, samples saturated.
    var active: [Int]
    var saturated: [Int]
    let unitOffsets: [Int]
    var samples = 0

    init(architecture: Architecture) {
        arch = architecture
        weightOffsets = architecture.layout.map(\.weights)
        before = [T](repeating: 0, count: architecture.parameterCount)
        gradientSums = [Double](repeating: 0, count: architecture.layerCount)
        ratioSums = gradientSums
        var offs: [Int] = []
        var n = 0
        for l in 1..<architecture.layerCount {
            offs.append(n)
            n += architecture.sizes[l]
        }
        unitOffsets = offs
        active = [Int](repeating: 0, count: n)
        saturated = active
    }

    func weightCount(_ l: Int) -> Int { arch.sizes[l] * arch.sizes[l + 1] }

    static func norm(_ p: UnsafePointer<T>, _ n: Int) -> Double {
        var s = 0.0
        for i in 0..<n {
            let v = Double(p[i])
            s += v * v
        }
        return s.squareRoot()
    }

    mutating func beginEpoch() {
        for l in gradientSums.indices {
            gradientSums[l] = 0
            ratioSums[l] = 0
        }
        for i in active.indices {
            active[i] = 0
            saturated[i] = 0
        }
        steps = 0
        samples = 0
    }

    /// After the step's gradient, before its update: gradient norms, unit activity, the weights.
    mutating func observe(
        gradient g: UnsafePointer<T>, parameters p: UnsafePointer<T>, workspace ws: Workspace<T>, rows: Int
    ) {
        for l in 0..<arch.layerCount { gradientSums[l] += Self.norm(g + weightOffsets[l], weightCount(l)) }
        before.withUnsafeMutableBufferPointer { $0.baseAddress!.update(from: p, count: $0.count) }
        for h in 1..<arch.layerCount {
            let n = arch.sizes[h]
            let a = UnsafePointer(ws.kept[h] ?? ws.acts[h])
            let o = unitOffsets[h - 1]
            switch arch.activations[h - 1] {
            case .relu, .leakyReLU, .elu:
                for r in 0..<rows { for j in 0..<n where a[r * n + j] > 0 { active[o + j] += 1 } }
            case .sigmoid:
                for r in 0..<rows {
                    for j in 0..<n {
                        let v = a[r * n + j]
                        if v < 0.01 || v > 0.99 { saturated[o + j] += 1 }
                    }
                }
            case .tanh:
                for r in 0..<rows { for j in 0..<n where abs(a[r * n + j]) > 0.99 { saturated[o + j] += 1 } }
            default: break
            }
        }
        samples += rows
    }

    /// After the step's update: ‖ΔW‖/‖W_before‖ per layer.
    mutating func observeUpdate(parameters p: UnsafePointer<T>) {
        before.withUnsafeBufferPointer { b in
            for l in 0..<arch.layerCount {
                let off = weightOffsets[l]
                let n = weightCount(l)
                var d = 0.0
                var w = 0.0
                for i in off..<(off + n) {
                    let x = Double(b[i])
                    let dx = Double(p[i]) - x
                    d += dx * dx
                    w += x * x
                }
                ratioSums[l] += w > 0 ? (d / w).squareRoot() : 0
            }
        }
        steps += 1
    }

    /// The epoch's rows, one per weight layer.
    func epochEnd(parameters p: UnsafePointer<T>) -> [LayerDiagnostics] {
        let k = Double(max(steps, 1))
        return (0..<arch.layerCount).map { l in
            var d = LayerDiagnostics(
                weightNorm: Self.norm(p + weightOffsets[l], weightCount(l)),
                gradientNorm: gradientSums[l] / k, updateRatio: ratioSums[l] / k)
            if l + 1 < arch.layerCount {
                let o = unitOffsets[l]
                let n = arch.sizes[l + 1]
                switch arch.activations[l] {
                case .relu, .leakyReLU, .elu:
                    d.deadShare = Double((0..<n).filter { active[o + $0] == 0 }.count) / Double(n)
                case .sigmoid, .tanh:
                    d.saturatedShare = Double((0..<n).filter { 2 * saturated[o + $0] > samples }.count) / Double(n)
                default: break
                }
            }
            return d
        }
    }
}
