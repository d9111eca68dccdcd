/// Loss functions, per sample, then reduced over the batch by `sum` or `mean`.
///
/// - `logistic`: Σₖ −[yₖ log aₖ + (1−yₖ) log(1−aₖ)] over sigmoid outputs (Raschka's cost; with one
///   output it is binary cross-entropy). Computed from the logits z for stability: softplus(z) − y·z.
/// - `crossEntropy`: −Σₖ yₖ log softmax(z)ₖ, computed as logsumexp(z) − Σ yₖ zₖ. With a sigmoid output
///   it means the binary form, identical to `logistic`.
/// - `sse`: ½ Σₖ (yₖ − aₖ)² (Welch). `mse`: Σₖ (yₖ − aₖ)² / K, the mean over outputs.
public enum Loss: String, Hashable, Sendable, CaseIterable {
    case logistic
    case crossEntropy = "cross_entropy"
    case sse, mse
}

/// How per-sample losses of a batch are combined: `sum` (Raschka) or `mean` (divided by the batch's rows).
public enum Reduction: String, Hashable, Sendable, CaseIterable {
    case sum, mean
}

extension Loss {
    /// Whether this loss can be paired with an output activation (checked before training).
    public func accepts(output: Activation) -> Bool {
        switch self {
        case .logistic: return output == .sigmoid
        case .crossEntropy: return output == .softmax || output == .sigmoid
        case .sse, .mse: return true
        }
    }

    /// Loss summed over `rows` samples (not yet reduced), from logits `z`, outputs `a`, targets `y`.
    /// `scratch` (rows × cols, overwritten), when given, holds the logistic cost's per-element terms so
    /// that their loop has no reduction in it and vectorises; the sum follows in a separate pass.
    /// `softmaxRows`, when given with a softmax output, holds each row's maximum and sum of exponentials
    /// as the forward pass's softmax left them for these logits (`Activation.softmax`): the
    /// cross-entropy's log-sum-exp is then m + log s, the same bits without recomputing the exps.
    func total<T: Real>(
        z: UnsafePointer<T>, a: UnsafePointer<T>, y: UnsafePointer<T>,
        rows: Int, cols: Int, output: Activation, scratch: UnsafeMutablePointer<T>? = nil,
        softmaxRows: (maxima: UnsafePointer<T>, sums: UnsafePointer<T>)? = nil
    ) -> T {
        let n = rows * cols
        var s: T = 0
        switch (self, output) {
        case (.logistic, _), (.crossEntropy, .sigmoid):
            // softplus(z) = max(z,0) + log1p(exp(−|z|)), with the vectorisable exp and log1p
            // (CKernels nn_fast_exp.h, nn_fast_log1p.h): libm calls kept this loop scalar.
            @inline(__always) func term(_ i: Int) -> T {
                let zi = z[i]
                return (zi > 0 ? zi : 0) + T.fastLog1pUnit(T.fastExp(-abs(zi))) - y[i] * zi
            }
            if let scratch {
                // The same terms by a C kernel at the CPU's full vector width (Swift: 4 floats wide;
                // KernelTests checks the bits), then summed here in order.
                T.logisticTerms(z, targets: y, count: n, into: scratch)
                for i in 0..<n { s += scratch[i] }
            } else {
                for i in 0..<n { s += term(i) }
            }
        case (.crossEntropy, _):
            let stored = output == .softmax ? softmaxRows : nil
            for r in 0..<rows {
                let zr = z + r * cols
                let yr = y + r * cols
                let lse: T
                if let stored {
                    lse = stored.maxima[r] + T.log(stored.sums[r])
                } else {
                    var m = zr[0]
                    for j in 1..<max(cols, 1) where zr[j] > m { m = zr[j] }
                    var e: T = 0
                    for j in 0..<cols { e += T.exp(zr[j] - m) }
                    lse = m + T.log(e)
                }
                var ysum: T = 0
                var yz: T = 0
                for j in 0..<cols {
                    ysum += yr[j]
                    yz += yr[j] * zr[j]
                }
                s += ysum * lse - yz
            }
        case (.sse, _):
            for i in 0..<n {
                let d = y[i] - a[i]
                s += d * d
            }
            s /= 2
        case (.mse, _):
            for i in 0..<n {
                let d = y[i] - a[i]
                s += d * d
            }
            s /= T(cols)
        }
        return s
    }

    /// δ = ∂loss/∂z for the output layer, written into `delta` (unscaled by the reduction).
    func outputDelta<T: Real>(
        a: UnsafePointer<T>, y: UnsafePointer<T>, delta: UnsafeMutablePointer<T>,
        rows: Int, cols: Int, output: Activation
    ) {
        let n = rows * cols
        switch (self, output) {
        case (.logistic, .sigmoid), (.crossEntropy, .sigmoid):
            for i in 0..<n { delta[i] = a[i] - y[i] }
        case (.crossEntropy, .softmax):
            // With targets that sum to s per row: δ = s·a − y (s = 1 for one-hot).
            for r in 0..<rows {
                var ys: T = 0
                for j in 0..<cols { ys += y[r * cols + j] }
                for j in 0..<cols { delta[r * cols + j] = ys * a[r * cols + j] - y[r * cols + j] }
            }
        default:
            // ∂loss/∂a, then through the activation.
            let scale: T = self == .mse ? 2 / T(cols) : 1
            for i in 0..<n { delta[i] = scale * (a[i] - y[i]) }
            if output == .softmax {
                // δ = a ⊙ (g − Σⱼ gⱼaⱼ), row-wise Jacobian-vector product.
                for r in 0..<rows {
                    let g = delta + r * cols
                    let ar = a + r * cols
                    var dot: T = 0
                    for j in 0..<cols { dot += g[j] * ar[j] }
                    for j in 0..<cols { g[j] = ar[j] * (g[j] - dot) }
                }
            } else {
                output.multiplyDerivative(delta, output: a, count: n)
            }
        }
    }
}
