/// Activation functions. Each is applied in place to a layer's pre-activations `z`, and its derivative
/// is computed from the *output* `a = f(z)` (so backprop never recomputes `f`): σ' = a(1−a),
/// tanh' = 1−a², relu' = [a>0], leaky' = a>0 ? 1 : slope, elu' = a>0 ? 1 : a+α, linear' = 1.
/// Softmax is row-wise and only valid as an output activation.
///
/// Each loop below is a plain pass over unsafe pointers with the enum switch hoisted outside it, so
/// the compiler can vectorise it.
public enum Activation: Hashable, Sendable, CustomStringConvertible {
    case sigmoid, tanh, relu, linear, softmax
    case leakyReLU(slope: Double)
    case elu(alpha: Double)

    /// The spelling in config.yaml: the spec's name; leaky_relu and elu followed by their parameter in
    /// parentheses when it is not the default (slope 0.01, α 1), as in `leaky_relu(0.1)`.
    public var description: String {
        switch self {
        case .sigmoid: "sigmoid"
        case .tanh: "tanh"
        case .relu: "relu"
        case .linear: "linear"
        case .softmax: "softmax"
        case .leakyReLU(let s): s == 0.01 ? "leaky_relu" : "leaky_relu(\(s))"
        case .elu(let a): a == 1 ? "elu" : "elu(\(a))"
        }
    }

    /// a = f(z) over `rows` rows of `cols` values, in place.
    @inline(__always)
    func apply<T: Real>(_ z: UnsafeMutablePointer<T>, rows: Int, cols: Int) {
        let n = rows * cols
        switch self {
        case .sigmoid:
            // Stable and branch-free: with e = exp(−|z|) ≤ 1, σ(z) = 1/(1+e) for z ≥ 0 and e/(1+e)
            // for z < 0, so exp never overflows and never returns a subnormal (CKernels nn_fast_exp.h). A C
            // kernel, because baseline Swift vectorises it only 4 floats wide (Real.sigmoidInPlace).
            T.sigmoidInPlace(z, count: n)
        case .tanh:
            // A C kernel over nn_fast_tanh.h: libm's tanhf was 13 % of `make reproduce` (scalar calls).
            T.tanhInPlace(z, count: n)
        case .relu:
            // z > 0 ? z : +0 in a C kernel: Swift compiled it to a branch per element, mispredicted
            // half the time (~10 % of a 784-800-10 epoch).
            T.reluInPlace(z, count: n)
        case .leakyReLU(let s):
            let slope = T(s)
            for i in 0..<n { z[i] = z[i] > 0 ? z[i] : slope * z[i] }
        case .elu(let a):
            let alpha = T(a)
            for i in 0..<n { z[i] = z[i] > 0 ? z[i] : alpha * T.expm1(z[i]) }
        case .linear:
            break
        case .softmax:
            Self.softmax(z, rows: rows, cols: cols, maxima: nil, sums: nil)
        }
    }

    /// Softmax of each of `rows` rows of `cols` values, in place: m = the row's maximum, eⱼ = exp(zⱼ − m),
    /// s = Σⱼ eⱼ (in order), aⱼ = eⱼ·(1/s). With `maxima` and `sums`, m and s of row r are stored at
    /// index r: the cross-entropy's log-sum-exp, log Σ exp(zⱼ − m) + m over the same logits, is then
    /// m + log s without a second exp per output (`Loss.total`: the very values it would compute).
    /// `T.softmaxRows`: Float in a C kernel with the C library's expf bits at vector width (softmax.c),
    /// Double by `softmaxByLibraryExp`.
    @inline(__always)
    static func softmax<T: Real>(
        _ z: UnsafeMutablePointer<T>, rows: Int, cols: Int, maxima: UnsafeMutablePointer<T>?,
        sums: UnsafeMutablePointer<T>?
    ) {
        T.softmaxRows(z, rows: rows, cols: cols, maxima: maxima, sums: sums)
    }

    /// `softmax` with `T.exp` (the C library's) per value: Double's softmax, and the formula the Float
    /// kernel must reproduce bit for bit (KernelTests).
    static func softmaxByLibraryExp<T: Real>(
        _ z: UnsafeMutablePointer<T>, rows: Int, cols: Int, maxima: UnsafeMutablePointer<T>?,
        sums: UnsafeMutablePointer<T>?
    ) {
        for r in 0..<rows {
            let row = z + r * cols
            var m = row[0]
            for j in 1..<max(cols, 1) where row[j] > m { m = row[j] }
            var s: T = 0
            for j in 0..<cols {
                row[j] = T.exp(row[j] - m)
                s += row[j]
            }
            maxima?[r] = m
            sums?[r] = s
            let inv = 1 / s
            for j in 0..<cols { row[j] *= inv }
        }
    }

    /// g ← g ⊙ f'(a), elementwise, for every activation but softmax.
    @inline(__always)
    func multiplyDerivative<T: Real>(_ g: UnsafeMutablePointer<T>, output a: UnsafePointer<T>, count n: Int) {
        switch self {
        case .sigmoid:
            T.sigmoidDerivative(g, output: a, count: n)  // g·(a·(1 − a)) (sigmoid.c)
        case .tanh:
            T.tanhDerivative(g, output: a, count: n)  // g·(1 − a·a) (tanh.c)
        case .relu:
            T.reluDerivative(g, output: a, count: n)  // a > 0 ? g : +0, branch-free (relu.c)
        case .leakyReLU(let s):
            let slope = T(s)
            for i in 0..<n { g[i] *= a[i] > 0 ? 1 : slope }
        case .elu(let al):
            let alpha = T(al)
            for i in 0..<n { g[i] *= a[i] > 0 ? 1 : a[i] + alpha }
        case .linear:
            break
        case .softmax:
            preconditionFailure("softmax derivative is applied row-wise by the loss")
        }
    }
}
