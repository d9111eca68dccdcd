import CBLAS
import CKernels
import Foundation

/// The floating-point types the engine trains in. Every matrix product goes to CBLAS
/// (`cblas_sgemm` for `Float`, `cblas_dgemm` for `Double`), so one generic code path serves both.
public protocol Real: BinaryFloatingPoint, Sendable, LosslessStringConvertible
where RawSignificand: FixedWidthInteger {
    /// C ← alpha·op(A)·op(B) + beta·C, row-major.
    static func gemm(
        transA: Bool, transB: Bool, m: Int, n: Int, k: Int,
        alpha: Self, a: UnsafePointer<Self>, lda: Int,
        b: UnsafePointer<Self>, ldb: Int,
        beta: Self, c: UnsafeMutablePointer<Self>, ldc: Int)
    /// y ← alpha·op(A)·x + beta·y, row-major A (m×n).
    static func gemv(
        trans: Bool, m: Int, n: Int, alpha: Self, a: UnsafePointer<Self>, lda: Int,
        x: UnsafePointer<Self>, beta: Self, y: UnsafeMutablePointer<Self>)
    /// A ← alpha·x·yᵀ + A, row-major A (m×n).
    static func ger(
        m: Int, n: Int, alpha: Self, x: UnsafePointer<Self>, y: UnsafePointer<Self>,
        a: UnsafeMutablePointer<Self>, lda: Int)
    /// xᵀy over `n` values (unit strides).
    static func dot(_ n: Int, _ x: UnsafePointer<Self>, _ y: UnsafePointer<Self>) -> Self
    /// y ← alpha·x + y over `n` values (unit strides).
    static func axpy(_ n: Int, _ alpha: Self, _ x: UnsafePointer<Self>, _ y: UnsafeMutablePointer<Self>)

    /// eˣ by the C library (exact to its accuracy; `fastExp` is the hot-loop approximation).
    static func exp(_ x: Self) -> Self
    /// exp for elementwise hot loops: vectorisable, within 2 ulp, subnormal results flushed to 0.
    static func fastExp(_ x: Self) -> Self
    /// ln x.
    static func log(_ x: Self) -> Self
    /// ln(1 + x), accurate near 0.
    static func log1p(_ x: Self) -> Self
    /// log1p for x ∈ [0, 1] in elementwise hot loops (softplus): vectorisable, within 2 ulp.
    static func fastLog1pUnit(_ x: Self) -> Self
    /// tanh x: CKernels' `nn_fast_tanh` (nn_fast_tanh.h, method there; float within 1 ulp, double
    /// within 4 ulp), the same operations on every machine.
    static func tanh(_ x: Self) -> Self
    /// z[i] ← tanh(z[i]) in place: `tanh`'s operations in a C kernel built for the CPU's widest vectors
    /// (CKernels' tanh.c), bit-identical to `tanh` element by element.
    static func tanhInPlace(_ z: UnsafeMutablePointer<Self>, count: Int)
    /// Softmax of `rows` rows of `cols` values in place, each row's maximum and exp sum stored when
    /// `maxima`/`sums` are given (`Activation.softmax` states the formula); exp is the C library's.
    static func softmaxRows(
        _ z: UnsafeMutablePointer<Self>, rows: Int, cols: Int, maxima: UnsafeMutablePointer<Self>?,
        sums: UnsafeMutablePointer<Self>?)
    /// eˣ − 1, accurate near 0.
    static func expm1(_ x: Self) -> Self
    /// z[i] ← σ(z[i]) in place: `fastExp`'s arithmetic in a C kernel built for the CPU's widest
    /// vectors (CKernels), bit-identical to `1/(1+fastExp(−|z|))` (or `e/(1+e)` for z < 0).
    static func sigmoidInPlace(_ z: UnsafeMutablePointer<Self>, count: Int)
    /// z[i] ← z[i] > 0 ? z[i] : +0 in place, branch-free in a C kernel (CKernels' relu.c).
    static func reluInPlace(_ z: UnsafeMutablePointer<Self>, count: Int)
    /// Adam's update of `count` parameters in a C kernel (CKernels' adam.c), bit-identical to
    /// m ← b1·m + (1−b1)·g; v ← b2·v + (1−b2)·g·g; p ← p − step·m/(√v + epsHat) in Swift.
    static func adamUpdate(
        _ p: UnsafeMutablePointer<Self>, gradient g: UnsafePointer<Self>, m: UnsafeMutablePointer<Self>,
        v: UnsafeMutablePointer<Self>, count: Int, beta1: Self, beta2: Self, step: Self, epsHat: Self)
    /// g[i] ← g[i] + lambda·w[i] for `count` values in a C kernel (CKernels' penalty.c): the L2 penalty's
    /// gradient, bit-identical to `g[i] += lambda * w[i]` in Swift.
    static func addL2Gradient(_ g: UnsafeMutablePointer<Self>, weights w: UnsafePointer<Self>, count: Int, lambda: Self)
    /// SGD's update of `count` parameters in a C kernel (CKernels' sgd.c), bit-identical to the Swift
    /// formulas on `SGD`: `rule` 0 plain, 1 previous-step, 2 heavy-ball, 3 Nesterov momentum (`s`, the
    /// velocity, may be nil for 0).
    static func sgdUpdate(
        _ p: UnsafeMutablePointer<Self>, gradient g: UnsafePointer<Self>, velocity s: UnsafeMutablePointer<Self>?,
        count: Int, eta: Self, momentum mu: Self, rule: Int32)
    /// Adagrad's update of `count` parameters in a C kernel (CKernels' adagrad.c), bit-identical to
    /// s ← s + g·g; p ← p − eta·(g/(√s + eps)) in Swift.
    static func adagradUpdate(
        _ p: UnsafeMutablePointer<Self>, gradient g: UnsafePointer<Self>, sum s: UnsafeMutablePointer<Self>,
        count: Int, eta: Self, epsilon: Self)
    /// RMSprop's update of `count` parameters in a C kernel (CKernels' rmsprop.c), bit-identical to the
    /// Swift formula on `RMSpropConfig`: `mean` given for the centred form, `buffer` for momentum (nil: off).
    static func rmspropUpdate(
        _ p: UnsafeMutablePointer<Self>, gradient g: UnsafePointer<Self>, square v: UnsafeMutablePointer<Self>,
        mean: UnsafeMutablePointer<Self>?, buffer: UnsafeMutablePointer<Self>?, count: Int,
        alpha: Self, epsilon: Self, momentum: Self, eta: Self)
    /// out[i] ← max(z[i], +0) + fastLog1pUnit(fastExp(−|z[i]|)) − y[i]·z[i], the logistic cost's terms, in a
    /// C kernel (CKernels' softplus.c) bit-identical to that Swift formula.
    static func logisticTerms(
        _ z: UnsafePointer<Self>, targets y: UnsafePointer<Self>, count: Int, into out: UnsafeMutablePointer<Self>)
    /// out[j] ← Σ over `rows` rows of d[r·stride + j], j < cols, each column summed in row order, in a C
    /// kernel (CKernels' colsum.c) bit-identical to the Swift loop (the bias gradient).
    static func columnSums(
        _ d: UnsafePointer<Self>, rows: Int, stride: Int, cols: Int, into out: UnsafeMutablePointer<Self>)
    /// g[i] ← a[i] > 0 ? g[i] : +0 in place (the rectifier's derivative from its output; relu.c).
    static func reluDerivative(_ g: UnsafeMutablePointer<Self>, output a: UnsafePointer<Self>, count: Int)
    /// g[i] ← g[i]·(a[i]·(1 − a[i])) in place (the sigmoid's derivative from its output; sigmoid.c).
    static func sigmoidDerivative(_ g: UnsafeMutablePointer<Self>, output a: UnsafePointer<Self>, count: Int)
    /// g[i] ← g[i]·(1 − a[i]·a[i]) in place (tanh's derivative from its output; tanh.c).
    static func tanhDerivative(_ g: UnsafeMutablePointer<Self>, output a: UnsafePointer<Self>, count: Int)
    /// `x` as bytes if every value is exactly an integer in 0…255 (not −0), else nil (`Samples.bytes`).
    static func byteCodes(_ x: UnsafeBufferPointer<Self>) -> [UInt8]?
    /// Converts rows `indices` of a row-major byte matrix with `cols` columns into `dst` (the minibatch
    /// gather when every feature is an integer in 0…255; `Samples.bytes`). With `targets`, also writes
    /// each row's one-hot target there: `classCount` values, 1 at `classes[indices[r]]`, else +0.
    static func gatherRows(
        _ src: UnsafePointer<UInt8>, cols: Int, indices: UnsafePointer<Int>, count: Int,
        into dst: UnsafeMutablePointer<Self>, classes: UnsafePointer<Int32>?, classCount: Int,
        targets: UnsafeMutablePointer<Self>?)
    /// Rows `indices` of a row-major byte matrix read through a per-column affine step into `dst`:
    /// dst[r][c] = Self((Double(b) − decoding.shift[c]) / decoding.divisor[c]), the preprocessing's own
    /// Float64 operations and one rounding (the gather of standardised or scaled pixels;
    /// `Samples.decoding`), through whichever kernel gives those bits fastest (Float: the multiplying one
    /// when `decoding.float32ByScale`); `targets` as in the plain byte gather.
    static func gatherRows(
        _ src: UnsafePointer<UInt8>, cols: Int, indices: UnsafePointer<Int>, count: Int,
        decoding: ByteDecoding, into dst: UnsafeMutablePointer<Self>,
        classes: UnsafePointer<Int32>?, classCount: Int, targets: UnsafeMutablePointer<Self>?)
    /// Name used in result files and messages: "float32" or "float64".
    static var precisionName: String { get }
}

extension Real {
    /// The byte gather without targets.
    @inline(__always) public static func gatherRows(
        _ src: UnsafePointer<UInt8>, cols: Int, indices: UnsafePointer<Int>, count: Int,
        into dst: UnsafeMutablePointer<Self>
    ) {
        gatherRows(
            src, cols: cols, indices: indices, count: count, into: dst, classes: nil, classCount: 0, targets: nil)
    }
}

@inline(__always) private func cblasTrans(_ t: Bool) -> CBLAS_TRANSPOSE { t ? CblasTrans : CblasNoTrans }

extension Float: Real {
    /// C ← alpha·op(A)·op(B) + beta·C, row-major, by `cblas_sgemm`.
    @inline(__always)
    public static func gemm(
        transA: Bool, transB: Bool, m: Int, n: Int, k: Int,
        alpha: Float, a: UnsafePointer<Float>, lda: Int,
        b: UnsafePointer<Float>, ldb: Int,
        beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        cblas_sgemm(
            CblasRowMajor, cblasTrans(transA), cblasTrans(transB), Int32(m), Int32(n), Int32(k),
            alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }
    /// y ← alpha·op(A)·x + beta·y, row-major A (m×n), by `cblas_sgemv` (unit strides).
    @inline(__always)
    public static func gemv(
        trans: Bool, m: Int, n: Int, alpha: Float, a: UnsafePointer<Float>, lda: Int,
        x: UnsafePointer<Float>, beta: Float, y: UnsafeMutablePointer<Float>
    ) {
        cblas_sgemv(CblasRowMajor, cblasTrans(trans), Int32(m), Int32(n), alpha, a, Int32(lda), x, 1, beta, y, 1)
    }
    /// A ← alpha·x·yᵀ + A, row-major A (m×n), by `cblas_sger` (unit strides).
    @inline(__always)
    public static func ger(
        m: Int, n: Int, alpha: Float, x: UnsafePointer<Float>, y: UnsafePointer<Float>,
        a: UnsafeMutablePointer<Float>, lda: Int
    ) {
        cblas_sger(CblasRowMajor, Int32(m), Int32(n), alpha, x, 1, y, 1, a, Int32(lda))
    }
    /// xᵀy over `n` values, by `cblas_sdot` (unit strides).
    @inline(__always) public static func dot(_ n: Int, _ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>) -> Float {
        cblas_sdot(Int32(n), x, 1, y, 1)
    }
    /// y ← alpha·x + y over `n` values, by `cblas_saxpy` (unit strides).
    @inline(__always) public static func axpy(
        _ n: Int, _ alpha: Float, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>
    ) {
        cblas_saxpy(Int32(n), alpha, x, 1, y, 1)
    }
    /// eˣ, by the C library's `expf`.
    @inline(__always) public static func exp(_ x: Float) -> Float { Foundation.expf(x) }
    /// eˣ in hot loops: CKernels' `nn_fast_exp_f32` (nn_fast_exp.h, method there), within 2 ulp,
    /// subnormal results flushed to 0.
    @inline(__always) public static func fastExp(_ x: Float) -> Float { nn_fast_exp_f32(x) }
    /// ln x, by the C library's `logf`.
    @inline(__always) public static func log(_ x: Float) -> Float { Foundation.logf(x) }
    /// ln(1 + x), by the C library's `log1pf`.
    @inline(__always) public static func log1p(_ x: Float) -> Float { Foundation.log1pf(x) }
    /// ln(1 + x) for x ∈ [0, 1] in hot loops: CKernels' `nn_fast_log1p_unit_f32` (nn_fast_log1p.h), within 2 ulp.
    @inline(__always) public static func fastLog1pUnit(_ x: Float) -> Float { nn_fast_log1p_unit_f32(x) }
    /// The logistic cost's per-element terms by the CKernels `nn_logistic_terms_f32` kernel (see the requirement).
    @inline(__always) public static func logisticTerms(
        _ z: UnsafePointer<Float>, targets y: UnsafePointer<Float>, count: Int,
        into out: UnsafeMutablePointer<Float>
    ) {
        nn_logistic_terms_f32(z, y, count, out)
    }
    /// tanh x by CKernels' `nn_fast_tanh_f32` (see the requirement).
    @inline(__always) public static func tanh(_ x: Float) -> Float { nn_fast_tanh_f32(x) }
    /// z[i] ← tanh(z[i]) in place by the CKernels `nn_tanh_f32` kernel (see the requirement).
    @inline(__always) public static func tanhInPlace(_ z: UnsafeMutablePointer<Float>, count: Int) {
        nn_tanh_f32(z, count)
    }
    /// Softmax rows by the CKernels `nn_softmax_f32` kernel: glibc's expf algorithm at vector width,
    /// the library's bits (softmax.c).
    @inline(__always) public static func softmaxRows(
        _ z: UnsafeMutablePointer<Float>, rows: Int, cols: Int, maxima: UnsafeMutablePointer<Float>?,
        sums: UnsafeMutablePointer<Float>?
    ) {
        nn_softmax_f32(z, rows, cols, maxima, sums)
    }
    /// eˣ − 1, by the C library's `expm1f`.
    @inline(__always) public static func expm1(_ x: Float) -> Float { Foundation.expm1f(x) }
    /// z[i] ← σ(z[i]) in place by the CKernels `nn_sigmoid_f32` kernel (see the requirement).
    @inline(__always) public static func sigmoidInPlace(_ z: UnsafeMutablePointer<Float>, count: Int) {
        nn_sigmoid_f32(z, count)
    }
    /// z[i] ← max-with-+0 in place by the CKernels `nn_relu_f32` kernel (see the requirement).
    @inline(__always) public static func reluInPlace(_ z: UnsafeMutablePointer<Float>, count: Int) {
        nn_relu_f32(z, count)
    }
    /// The L2 penalty's gradient by the CKernels `nn_l2_grad_f32` kernel (see the requirement).
    @inline(__always)
    public static func addL2Gradient(
        _ g: UnsafeMutablePointer<Float>, weights w: UnsafePointer<Float>, count: Int, lambda: Float
    ) {
        nn_l2_grad_f32(g, w, count, lambda)
    }
    /// SGD's update by the CKernels `nn_sgd_f32` kernel (see the requirement).
    @inline(__always)
    public static func sgdUpdate(
        _ p: UnsafeMutablePointer<Float>, gradient g: UnsafePointer<Float>, velocity s: UnsafeMutablePointer<Float>?,
        count: Int, eta: Float, momentum mu: Float, rule: Int32
    ) {
        nn_sgd_f32(p, g, s, count, eta, mu, rule)
    }
    /// Adam's update by the CKernels `nn_adam_f32` kernel (see the requirement).
    @inline(__always)
    public static func adamUpdate(
        _ p: UnsafeMutablePointer<Float>, gradient g: UnsafePointer<Float>, m: UnsafeMutablePointer<Float>,
        v: UnsafeMutablePointer<Float>, count: Int, beta1: Float, beta2: Float, step: Float, epsHat: Float
    ) {
        nn_adam_f32(p, g, m, v, count, beta1, beta2, step, epsHat)
    }
    /// Adagrad's update by the CKernels `nn_adagrad_f32` kernel (see the requirement).
    @inline(__always)
    public static func adagradUpdate(
        _ p: UnsafeMutablePointer<Float>, gradient g: UnsafePointer<Float>, sum s: UnsafeMutablePointer<Float>,
        count: Int, eta: Float, epsilon: Float
    ) {
        nn_adagrad_f32(p, g, s, count, eta, epsilon)
    }
    /// RMSprop's update by the CKernels `nn_rmsprop_f32` kernel (see the requirement).
    @inline(__always)
    public static func rmspropUpdate(
        _ p: UnsafeMutablePointer<Float>, gradient g: UnsafePointer<Float>, square v: UnsafeMutablePointer<Float>,
        mean: UnsafeMutablePointer<Float>?, buffer: UnsafeMutablePointer<Float>?, count: Int,
        alpha: Float, epsilon: Float, momentum: Float, eta: Float
    ) {
        nn_rmsprop_f32(p, g, v, mean, buffer, count, alpha, epsilon, momentum, eta)
    }
    /// Column sums by the CKernels `nn_column_sums_f32` kernel (see the requirement).
    @inline(__always)
    public static func columnSums(
        _ d: UnsafePointer<Float>, rows: Int, stride: Int, cols: Int, into out: UnsafeMutablePointer<Float>
    ) {
        nn_column_sums_f32(d, rows, stride, cols, out)
    }
    /// g[i] ← a[i] > 0 ? g[i] : +0 by the CKernels `nn_relu_grad_f32` kernel (see the requirement).
    @inline(__always) public static func reluDerivative(
        _ g: UnsafeMutablePointer<Float>, output a: UnsafePointer<Float>, count: Int
    ) {
        nn_relu_grad_f32(g, a, count)
    }
    /// g[i] ← g[i]·(a[i]·(1 − a[i])) by the CKernels `nn_sigmoid_grad_f32` kernel (see the requirement).
    @inline(__always) public static func sigmoidDerivative(
        _ g: UnsafeMutablePointer<Float>, output a: UnsafePointer<Float>, count: Int
    ) {
        nn_sigmoid_grad_f32(g, a, count)
    }
    /// g[i] ← g[i]·(1 − a[i]·a[i]) by the CKernels `nn_tanh_grad_f32` kernel (see the requirement).
    @inline(__always) public static func tanhDerivative(
        _ g: UnsafeMutablePointer<Float>, output a: UnsafePointer<Float>, count: Int
    ) {
        nn_tanh_grad_f32(g, a, count)
    }
    /// The values as bytes when each is exactly an integer in 0…255 (not −0), by `nn_to_bytes_f32`; else nil.
    public static func byteCodes(_ x: UnsafeBufferPointer<Float>) -> [UInt8]? {
        var exact: Int32 = 0
        let bytes = HugePages.bytes(count: x.count) { b in
            nn_to_bytes_f32(x.baseAddress, x.count, b.baseAddress, &exact)
        }
        return exact != 0 ? bytes : nil
    }
    /// Rows `indices` of a byte matrix converted into `dst`, by the CKernels `nn_gather_u8_f32` kernel.
    @inline(__always) public static func gatherRows(
        _ src: UnsafePointer<UInt8>, cols: Int, indices: UnsafePointer<Int>, count: Int,
        into dst: UnsafeMutablePointer<Float>, classes: UnsafePointer<Int32>?, classCount: Int,
        targets: UnsafeMutablePointer<Float>?
    ) {
        nn_gather_u8_f32(src, cols, indices, count, dst, classes, classCount, targets)
    }
    /// The affine gather of a decoding: `nn_gather_u8_scaled_f32` when `decoding.float32ByScale`, else
    /// `nn_gather_u8_affine_f32`.
    @inline(__always) public static func gatherRows(
        _ src: UnsafePointer<UInt8>, cols: Int, indices: UnsafePointer<Int>, count: Int,
        decoding: ByteDecoding, into dst: UnsafeMutablePointer<Float>,
        classes: UnsafePointer<Int32>?, classCount: Int, targets: UnsafeMutablePointer<Float>?
    ) {
        if decoding.float32ByScale {
            nn_gather_u8_scaled_f32(
                src, cols, indices, count, decoding.shift, decoding.scale, dst, classes, classCount, targets)
        } else {
            nn_gather_u8_affine_f32(
                src, cols, indices, count, decoding.shift, decoding.divisor, dst, classes, classCount, targets)
        }
    }
    /// "float32".
    public static var precisionName: String { "float32" }
}

extension Double: Real {
    /// C ← alpha·op(A)·op(B) + beta·C, row-major, by `cblas_dgemm`.
    @inline(__always)
    public static func gemm(
        transA: Bool, transB: Bool, m: Int, n: Int, k: Int,
        alpha: Double, a: UnsafePointer<Double>, lda: Int,
        b: UnsafePointer<Double>, ldb: Int,
        beta: Double, c: UnsafeMutablePointer<Double>, ldc: Int
    ) {
        cblas_dgemm(
            CblasRowMajor, cblasTrans(transA), cblasTrans(transB), Int32(m), Int32(n), Int32(k),
            alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }
    /// y ← alpha·op(A)·x + beta·y, row-major A (m×n), by `cblas_dgemv` (unit strides).
    @inline(__always)
    public static func gemv(
        trans: Bool, m: Int, n: Int, alpha: Double, a: UnsafePointer<Double>, lda: Int,
        x: UnsafePointer<Double>, beta: Double, y: UnsafeMutablePointer<Double>
    ) {
        cblas_dgemv(CblasRowMajor, cblasTrans(trans), Int32(m), Int32(n), alpha, a, Int32(lda), x, 1, beta, y, 1)
    }
    /// A ← alpha·x·yᵀ + A, row-major A (m×n), by `cblas_dger` (unit strides).
    @inline(__always)
    public static func ger(
        m: Int, n: Int, alpha: Double, x: UnsafePointer<Double>, y: UnsafePointer<Double>,
        a: UnsafeMutablePointer<Double>, lda: Int
    ) {
        cblas_dger(CblasRowMajor, Int32(m), Int32(n), alpha, x, 1, y, 1, a, Int32(lda))
    }
    /// xᵀy over `n` values, by `cblas_ddot` (unit strides).
    @inline(__always) public static func dot(_ n: Int, _ x: UnsafePointer<Double>, _ y: UnsafePointer<Double>) -> Double
    {
        cblas_ddot(Int32(n), x, 1, y, 1)
    }
    /// y ← alpha·x + y over `n` values, by `cblas_daxpy` (unit strides).
    @inline(__always) public static func axpy(
        _ n: Int, _ alpha: Double, _ x: UnsafePointer<Double>, _ y: UnsafeMutablePointer<Double>
    ) {
        cblas_daxpy(Int32(n), alpha, x, 1, y, 1)
    }
    /// eˣ, by the C library's `exp`.
    @inline(__always) public static func exp(_ x: Double) -> Double { Foundation.exp(x) }
    /// eˣ in hot loops: CKernels' `nn_fast_exp_f64` (nn_fast_exp.h, method there), within 2 ulp,
    /// subnormal results flushed to 0.
    @inline(__always) public static func fastExp(_ x: Double) -> Double { nn_fast_exp_f64(x) }
    /// ln x, by the C library's `log`.
    @inline(__always) public static func log(_ x: Double) -> Double { Foundation.log(x) }
    /// ln(1 + x), by the C library's `log1p`.
    @inline(__always) public static func log1p(_ x: Double) -> Double { Foundation.log1p(x) }
    /// ln(1 + x) for x ∈ [0, 1] in hot loops: CKernels' `nn_fast_log1p_unit_f64` (nn_fast_log1p.h), within 2 ulp.
    @inline(__always) public static func fastLog1pUnit(_ x: Double) -> Double { nn_fast_log1p_unit_f64(x) }
    /// The logistic cost's per-element terms by the CKernels `nn_logistic_terms_f64` kernel (see the requirement).
    @inline(__always) public static func logisticTerms(
        _ z: UnsafePointer<Double>, targets y: UnsafePointer<Double>, count: Int,
        into out: UnsafeMutablePointer<Double>
    ) {
        nn_logistic_terms_f64(z, y, count, out)
    }
    /// tanh x by CKernels' `nn_fast_tanh_f64` (see the requirement).
    @inline(__always) public static func tanh(_ x: Double) -> Double { nn_fast_tanh_f64(x) }
    /// z[i] ← tanh(z[i]) in place by the CKernels `nn_tanh_f64` kernel (see the requirement).
    @inline(__always) public static func tanhInPlace(_ z: UnsafeMutablePointer<Double>, count: Int) {
        nn_tanh_f64(z, count)
    }
    /// Softmax rows by `Activation.softmaxByLibraryExp` (libm's `exp` per value).
    @inline(__always) public static func softmaxRows(
        _ z: UnsafeMutablePointer<Double>, rows: Int, cols: Int, maxima: UnsafeMutablePointer<Double>?,
        sums: UnsafeMutablePointer<Double>?
    ) {
        Activation.softmaxByLibraryExp(z, rows: rows, cols: cols, maxima: maxima, sums: sums)
    }
    /// eˣ − 1, by the C library's `expm1`.
    @inline(__always) public static func expm1(_ x: Double) -> Double { Foundation.expm1(x) }
    /// z[i] ← σ(z[i]) in place by the CKernels `nn_sigmoid_f64` kernel (see the requirement).
    @inline(__always) public static func sigmoidInPlace(_ z: UnsafeMutablePointer<Double>, count: Int) {
        nn_sigmoid_f64(z, count)
    }
    /// z[i] ← max-with-+0 in place by the CKernels `nn_relu_f64` kernel (see the requirement).
    @inline(__always) public static func reluInPlace(_ z: UnsafeMutablePointer<Double>, count: Int) {
        nn_relu_f64(z, count)
    }
    /// The L2 penalty's gradient by the CKernels `nn_l2_grad_f64` kernel (see the requirement).
    @inline(__always)
    public static func addL2Gradient(
        _ g: UnsafeMutablePointer<Double>, weights w: UnsafePointer<Double>, count: Int, lambda: Double
    ) {
        nn_l2_grad_f64(g, w, count, lambda)
    }
    /// SGD's update by the CKernels `nn_sgd_f64` kernel (see the requirement).
    @inline(__always)
    public static func sgdUpdate(
        _ p: UnsafeMutablePointer<Double>, gradient g: UnsafePointer<Double>, velocity s: UnsafeMutablePointer<Double>?,
        count: Int, eta: Double, momentum mu: Double, rule: Int32
    ) {
        nn_sgd_f64(p, g, s, count, eta, mu, rule)
    }
    /// Adam's update by the CKernels `nn_adam_f64` kernel (see the requirement).
    @inline(__always)
    public static func adamUpdate(
        _ p: UnsafeMutablePointer<Double>, gradient g: UnsafePointer<Double>, m: UnsafeMutablePointer<Double>,
        v: UnsafeMutablePointer<Double>, count: Int, beta1: Double, beta2: Double, step: Double, epsHat: Double
    ) {
        nn_adam_f64(p, g, m, v, count, beta1, beta2, step, epsHat)
    }
    /// Adagrad's update by the CKernels `nn_adagrad_f64` kernel (see the requirement).
    @inline(__always)
    public static func adagradUpdate(
        _ p: UnsafeMutablePointer<Double>, gradient g: UnsafePointer<Double>, sum s: UnsafeMutablePointer<Double>,
        count: Int, eta: Double, epsilon: Double
    ) {
        nn_adagrad_f64(p, g, s, count, eta, epsilon)
    }
    /// RMSprop's update by the CKernels `nn_rmsprop_f64` kernel (see the requirement).
    @inline(__always)
    public static func rmspropUpdate(
        _ p: UnsafeMutablePointer<Double>, gradient g: UnsafePointer<Double>, square v: UnsafeMutablePointer<Double>,
        mean: UnsafeMutablePointer<Double>?, buffer: UnsafeMutablePointer<Double>?, count: Int,
        alpha: Double, epsilon: Double, momentum: Double, eta: Double
    ) {
        nn_rmsprop_f64(p, g, v, mean, buffer, count, alpha, epsilon, momentum, eta)
    }
    /// Column sums by the CKernels `nn_column_sums_f64` kernel (see the requirement).
    @inline(__always)
    public static func columnSums(
        _ d: UnsafePointer<Double>, rows: Int, stride: Int, cols: Int, into out: UnsafeMutablePointer<Double>
    ) {
        nn_column_sums_f64(d, rows, stride, cols, out)
    }
    /// g[i] ← a[i] > 0 ? g[i] : +0 by the CKernels `nn_relu_grad_f64` kernel (see the requirement).
    @inline(__always) public static func reluDerivative(
        _ g: UnsafeMutablePointer<Double>, output a: UnsafePointer<Double>, count: Int
    ) {
        nn_relu_grad_f64(g, a, count)
    }
    /// g[i] ← g[i]·(a[i]·(1 − a[i])) by the CKernels `nn_sigmoid_grad_f64` kernel (see the requirement).
    @inline(__always) public static func sigmoidDerivative(
        _ g: UnsafeMutablePointer<Double>, output a: UnsafePointer<Double>, count: Int
    ) {
        nn_sigmoid_grad_f64(g, a, count)
    }
    /// g[i] ← g[i]·(1 − a[i]·a[i]) by the CKernels `nn_tanh_grad_f64` kernel (see the requirement).
    @inline(__always) public static func tanhDerivative(
        _ g: UnsafeMutablePointer<Double>, output a: UnsafePointer<Double>, count: Int
    ) {
        nn_tanh_grad_f64(g, a, count)
    }
    /// The values as bytes when each is exactly an integer in 0…255 (not −0), by `nn_to_bytes_f64`; else nil.
    public static func byteCodes(_ x: UnsafeBufferPointer<Double>) -> [UInt8]? {
        var exact: Int32 = 0
        let bytes = HugePages.bytes(count: x.count) { b in
            nn_to_bytes_f64(x.baseAddress, x.count, b.baseAddress, &exact)
        }
        return exact != 0 ? bytes : nil
    }
    /// Rows `indices` of a byte matrix converted into `dst`, by the CKernels `nn_gather_u8_f64` kernel.
    @inline(__always) public static func gatherRows(
        _ src: UnsafePointer<UInt8>, cols: Int, indices: UnsafePointer<Int>, count: Int,
        into dst: UnsafeMutablePointer<Double>, classes: UnsafePointer<Int32>?, classCount: Int,
        targets: UnsafeMutablePointer<Double>?
    ) {
        nn_gather_u8_f64(src, cols, indices, count, dst, classes, classCount, targets)
    }
    /// The affine gather of a decoding: always `nn_gather_u8_affine_f64` (a multiply by the reciprocal
    /// differs from the division in the last place of a Double).
    @inline(__always) public static func gatherRows(
        _ src: UnsafePointer<UInt8>, cols: Int, indices: UnsafePointer<Int>, count: Int,
        decoding: ByteDecoding, into dst: UnsafeMutablePointer<Double>,
        classes: UnsafePointer<Int32>?, classCount: Int, targets: UnsafeMutablePointer<Double>?
    ) {
        nn_gather_u8_affine_f64(
            src, cols, indices, count, decoding.shift, decoding.divisor, dst, classes, classCount, targets)
    }
    /// "float64".
    public static var precisionName: String { "float64" }
}

/// BLAS threading policy: every run uses one BLAS thread, parallelism comes from running runs side by
/// side (OpenBLAS results differ in the last bits between thread counts; single-threaded calls from
/// several threads at once are safe and bit-identical to serial calls).
public enum BLASThreads {
    /// Sets OpenBLAS to one thread for the whole process (`openblas_set_num_threads(1)`).
    public static func pinToOne() { openblas_set_num_threads(1) }
}
