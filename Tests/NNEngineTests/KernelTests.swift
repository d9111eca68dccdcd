import CKernels
import Foundation
import XCTest

@testable import NNEngine

/// The C kernels (CKernels) replace Swift loops in the hot path. They must give the same bits as the
/// Swift formulas they replace, whichever instruction-set clone the CPU selects, and the sigmoid must
/// match the closed form 1/(1+e^−z) computed independently in higher precision.
final class KernelTests: XCTestCase {
    /// Inputs across the whole range, the saturation edges and special values; odd counts exercise the
    /// vector loops' tails.
    func inputs<T: Real>(_: T.Type) -> [T] {
        var z: [T] = [
            0, -0.0, 1, -1, .infinity, -.infinity, .nan, .leastNormalMagnitude, -.leastNormalMagnitude,
            .leastNonzeroMagnitude, .greatestFiniteMagnitude, -.greatestFiniteMagnitude,
            87.3, -87.3, 88.8, -88.8, 103.9, -103.9, 708.3, -708.3, 709.9, -709.9, 745.2, -745.2
        ]
        var v: T = -120
        while v < 120 {
            z.append(v)
            v += T(0.0173)
        }
        return z
    }

    /// The exact bits of a value, for any `Real` (BinaryFloatingPoint has no generic `bitPattern`).
    func bits<T: Real>(_ v: T) -> String { "\(v.sign) \(v.exponentBitPattern) \(v.significandBitPattern)" }

    func swiftSigmoid<T: Real>(_ z: T) -> T {
        let e = T.fastExp(-abs(z))
        let s = 1 / (1 + e)
        return z >= 0 ? s : e * s
    }

    /// Every instruction-set variant this CPU can run, narrowest first (the engine uses the last).
    var isas: [nn_isa] {
        [NN_ISA_BASELINE, NN_ISA_AVX2, NN_ISA_AVX512].filter { $0.rawValue <= nn_best_isa().rawValue }
    }

    /// An in-place elementwise kernel over `z`: the engine's entry point `engine` when `isa` is nil,
    /// else the C variant for `isa` in `T`'s precision.
    func inPlace<T: Real>(
        _ isa: nn_isa?, _ z: UnsafeMutablePointer<T>, _ n: Int, engine: (UnsafeMutablePointer<T>, Int) -> Void,
        f32: (nn_isa, UnsafeMutablePointer<Float>, Int) -> Void,
        f64: (nn_isa, UnsafeMutablePointer<Double>, Int) -> Void
    ) {
        guard let isa else { return engine(z, n) }
        if T.self == Float.self {
            z.withMemoryRebound(to: Float.self, capacity: n) { f32(isa, $0, n) }
        } else {
            z.withMemoryRebound(to: Double.self, capacity: n) { f64(isa, $0, n) }
        }
    }

    func sigmoid<T: Real>(_ isa: nn_isa?, _ z: UnsafeMutablePointer<T>, _ n: Int) {
        inPlace(
            isa, z, n, engine: { T.sigmoidInPlace($0, count: $1) }, f32: { nn_sigmoid_f32_isa($0, $1, $2) },
            f64: { nn_sigmoid_f64_isa($0, $1, $2) })
    }

    func checkSigmoidBits<T: Real>(_: T.Type, isa: nn_isa?) {
        let all = inputs(T.self)
        for n in [0, 1, 2, 3, 5, 7, 8, 15, 16, 17, 31, 33, all.count] {
            var z = Array(all.prefix(n)) + [42]  // a sentinel past the end must stay untouched
            z.withUnsafeMutableBufferPointer { sigmoid(isa, $0.baseAddress!, n) }
            for i in 0..<n {
                let expected = swiftSigmoid(all[i])
                if expected.isNaN {
                    XCTAssertTrue(z[i].isNaN, "\(T.self) σ(\(all[i]))")
                    continue
                }
                XCTAssertEqual(
                    bits(z[i]), bits(expected),
                    "\(T.self) \(String(describing: isa)) σ(\(all[i])) = \(z[i]), Swift \(expected)")
            }
            XCTAssertEqual(z[n], 42, "wrote past the end (n = \(n))")
        }
    }

    func testSigmoidKernelIsBitIdenticalToTheSwiftFormula() {
        XCTAssertFalse(isas.isEmpty)
        for isa in isas + [nil] {  // nil: the engine's own entry point
            checkSigmoidBits(Float.self, isa: isa)
            checkSigmoidBits(Double.self, isa: isa)
        }
    }

    func relu<T: Real>(_ isa: nn_isa?, _ z: UnsafeMutablePointer<T>, _ n: Int) {
        inPlace(
            isa, z, n, engine: { T.reluInPlace($0, count: $1) }, f32: { nn_relu_f32_isa($0, $1, $2) },
            f64: { nn_relu_f64_isa($0, $1, $2) })
    }

    func reluGrad<T: Real>(_ isa: nn_isa?, _ g: UnsafeMutablePointer<T>, _ a: UnsafePointer<T>, _ n: Int) {
        guard let isa else { return T.reluDerivative(g, output: a, count: n) }
        if T.self == Float.self {
            g.withMemoryRebound(to: Float.self, capacity: n) { g in
                a.withMemoryRebound(to: Float.self, capacity: n) { nn_relu_grad_f32_isa(isa, g, $0, n) }
            }
        } else {
            g.withMemoryRebound(to: Double.self, capacity: n) { g in
                a.withMemoryRebound(to: Double.self, capacity: n) { nn_relu_grad_f64_isa(isa, g, $0, n) }
            }
        }
    }

    /// The rectifier and its derivative: z > 0 ? z : +0 and a > 0 ? g : +0 exactly, −0 and NaN giving
    /// +0 (the sign bit matters: a −0 would change later products' bits), every variant, every tail.
    func checkReLUBits<T: Real>(_: T.Type, isa: nn_isa?) {
        let all = inputs(T.self) + [-.leastNonzeroMagnitude, -.nan]
        let grads = all.indices.map { T(Double($0 % 13) - 6.5) * T(0.37) }
        for n in [0, 1, 2, 3, 5, 7, 8, 15, 16, 17, 31, 33, all.count] {
            var z = Array(all.prefix(n)) + [42]
            z.withUnsafeMutableBufferPointer { relu(isa, $0.baseAddress!, n) }
            var g = Array(grads.prefix(n)) + [42]
            g.withUnsafeMutableBufferPointer { gb in
                all.withUnsafeBufferPointer { reluGrad(isa, gb.baseAddress!, $0.baseAddress!, n) }
            }
            for i in 0..<n {
                let x = all[i]
                let expected: T = x > 0 ? x : +0.0
                XCTAssertEqual(bits(z[i]), bits(expected), "\(T.self) \(String(describing: isa)) relu(\(x)) = \(z[i])")
                let expectedGrad: T = x > 0 ? grads[i] : +0.0
                XCTAssertEqual(
                    bits(g[i]), bits(expectedGrad),
                    "\(T.self) \(String(describing: isa)) relu'(\(x))·\(grads[i]) = \(g[i])")
            }
            XCTAssertEqual(z[n], 42, "relu wrote past the end (n = \(n))")
            XCTAssertEqual(g[n], 42, "relu' wrote past the end (n = \(n))")
        }
        // The sign of zero, spelled out.
        var z: [T] = [-0.0, 0]
        z.withUnsafeMutableBufferPointer { relu(isa, $0.baseAddress!, 2) }
        XCTAssertEqual(z.map { $0.sign }, [.plus, .plus])
    }

    /// The sigmoid's and tanh's derivative kernels against the Swift formulas they replaced,
    /// g·(a·(1 − a)) and g·(1 − a·a), over outputs in and out of their ranges, ±0, ±∞ and NaN, every
    /// variant, every tail.
    func testSaturatingDerivativeKernelsAreBitIdenticalToTheSwiftFormulas() {
        func check<T: Real>(_: T.Type, isa: nn_isa?) {
            let outputs = inputs(T.self).map { T(0.5) + $0 / 240 } + [0, 1, -0.0, 0.25, -1, 1e-30]
            let grads = outputs.indices.map { T(Double($0 % 17) - 8.5) * T(0.013) }
            for n in [0, 1, 2, 3, 7, 15, 16, 17, 33, outputs.count] {
                for kind in ["sigmoid", "tanh"] {
                    var g = Array(grads.prefix(n)) + [42]
                    g.withUnsafeMutableBufferPointer { gb in
                        outputs.withUnsafeBufferPointer { ab in
                            let (gp, ap) = (gb.baseAddress!, ab.baseAddress!)
                            switch (isa, T.self == Float.self, kind) {
                            case (nil, _, "sigmoid"): T.sigmoidDerivative(gp, output: ap, count: n)
                            case (nil, _, _): T.tanhDerivative(gp, output: ap, count: n)
                            case (let isa?, true, let kind):
                                gp.withMemoryRebound(to: Float.self, capacity: n) { g in
                                    ap.withMemoryRebound(to: Float.self, capacity: n) {
                                        kind == "sigmoid"
                                            ? nn_sigmoid_grad_f32_isa(isa, g, $0, n)
                                            : nn_tanh_grad_f32_isa(isa, g, $0, n)
                                    }
                                }
                            case (let isa?, false, let kind):
                                gp.withMemoryRebound(to: Double.self, capacity: n) { g in
                                    ap.withMemoryRebound(to: Double.self, capacity: n) {
                                        kind == "sigmoid"
                                            ? nn_sigmoid_grad_f64_isa(isa, g, $0, n)
                                            : nn_tanh_grad_f64_isa(isa, g, $0, n)
                                    }
                                }
                            }
                        }
                    }
                    for i in 0..<n {
                        let a = outputs[i]
                        var expected = grads[i]
                        if kind == "sigmoid" { expected *= a * (1 - a) } else { expected *= 1 - a * a }
                        XCTAssertEqual(
                            bits(g[i]), bits(expected),
                            "\(T.self) \(String(describing: isa)) \(kind)'(\(a))·\(grads[i])")
                    }
                    XCTAssertEqual(g[n], 42, "\(kind)' wrote past the end (n = \(n))")
                }
            }
        }
        for isa in isas.map(Optional.some) + [nil] {
            check(Float.self, isa: isa)
            check(Double.self, isa: isa)
        }
    }

    func testReLUKernelsAreBitIdenticalToTheSwiftFormula() {
        for isa in isas + [nil] {
            checkReLUBits(Float.self, isa: isa)
            checkReLUBits(Double.self, isa: isa)
        }
    }

    func adam<T: Real>(
        _ isa: nn_isa?, _ p: UnsafeMutablePointer<T>, _ g: UnsafePointer<T>, _ m: UnsafeMutablePointer<T>,
        _ v: UnsafeMutablePointer<T>, _ n: Int, _ b1: T, _ b2: T, _ step: T, _ eps: T
    ) {
        guard let isa else {
            return T.adamUpdate(p, gradient: g, m: m, v: v, count: n, beta1: b1, beta2: b2, step: step, epsHat: eps)
        }
        if let p = p as? UnsafeMutablePointer<Float> {
            nn_adam_f32_isa(
                isa, p, (g as! UnsafePointer<Float>), (m as! UnsafeMutablePointer<Float>),
                (v as! UnsafeMutablePointer<Float>),
                n, b1 as! Float, b2 as! Float, step as! Float, eps as! Float)
        } else {
            nn_adam_f64_isa(
                isa, (p as! UnsafeMutablePointer<Double>), (g as! UnsafePointer<Double>),
                (m as! UnsafeMutablePointer<Double>),
                (v as! UnsafeMutablePointer<Double>), n, b1 as! Double, b2 as! Double, step as! Double, eps as! Double)
        }
    }

    /// Adam's update kernel against the Swift formula it replaced, step after step (so m and v carry
    /// over), with zero, tiny, huge and negative gradients, every variant and every tail length.
    func checkAdamBits<T: Real>(_: T.Type, isa: nn_isa?) {
        var rng = RNG(seed: 21)
        let b1 = T(0.9)
        let b2 = T(0.999)
        let eps = T(1e-8)
        for n in [0, 1, 2, 3, 7, 15, 16, 17, 33, 1001] {
            var p = (0..<n).map { _ in T(rng.uniform(-1, 1)) }
            var m = [T](repeating: 0, count: n)
            var v = m
            var (rp, rm, rv) = (p, m, v)
            p.append(42)
            for t in 1...5 {
                let g: [T] = (0..<n).map { i in
                    switch i % 5 {
                    case 0: return 0
                    case 1: return T(rng.uniform(-1e-20, 1e-20))
                    case 2: return T(rng.uniform(-1e3, 1e3))
                    default: return T(rng.uniform(-1, 1))
                    }
                }
                let c1 = 1 - Foundation.pow(0.9, Double(t))
                let c2 = 1 - Foundation.pow(0.999, Double(t))
                let step = T(0.001 * c2.squareRoot() / c1)
                let epsHat = eps * T(c2.squareRoot())
                for i in 0..<n {
                    rm[i] = b1 * rm[i] + (1 - b1) * g[i]
                    rv[i] = b2 * rv[i] + (1 - b2) * g[i] * g[i]
                    rp[i] -= step * rm[i] / (rv[i].squareRoot() + epsHat)
                }
                p.withUnsafeMutableBufferPointer { pb in
                    m.withUnsafeMutableBufferPointer { mb in
                        v.withUnsafeMutableBufferPointer { vb in
                            adam(isa, pb.baseAddress!, g, mb.baseAddress!, vb.baseAddress!, n, b1, b2, step, epsHat)
                        }
                    }
                }
                for i in 0..<n {
                    XCTAssertEqual(
                        bits(p[i]), bits(rp[i]), "\(T.self) \(String(describing: isa)) n \(n) step \(t) p[\(i)]")
                    XCTAssertEqual(bits(m[i]), bits(rm[i]), "m[\(i)]")
                    XCTAssertEqual(bits(v[i]), bits(rv[i]), "v[\(i)]")
                }
                XCTAssertEqual(p[n], 42, "wrote past the end")
            }
        }
    }

    func testAdamKernelIsBitIdenticalToTheSwiftFormula() {
        for isa in isas + [nil] {
            checkAdamBits(Float.self, isa: isa)
            checkAdamBits(Double.self, isa: isa)
        }
    }

    /// Gradients for the optimizer kernels' checks: zero, tiny, huge, ordinary, −0 and (at one place) NaN,
    /// so every vector lane and tail sees each kind.
    func optimizerGradients<T: Real>(_ n: Int, _ rng: inout RNG, nanAt: Int?) -> [T] {
        (0..<n).map { i in
            if i == nanAt { return .nan }
            switch i % 6 {
            case 0: return 0
            case 1: return T(rng.uniform(-1e-20, 1e-20))
            case 2: return T(rng.uniform(-1e3, 1e3))
            case 3: return -0.0
            default: return T(rng.uniform(-1, 1))
            }
        }
    }

    func adagrad<T: Real>(
        _ isa: nn_isa?, _ p: UnsafeMutablePointer<T>, _ g: UnsafePointer<T>, _ s: UnsafeMutablePointer<T>,
        _ n: Int, _ eta: T, _ eps: T
    ) {
        guard let isa else { return T.adagradUpdate(p, gradient: g, sum: s, count: n, eta: eta, epsilon: eps) }
        if let p = p as? UnsafeMutablePointer<Float> {
            nn_adagrad_f32_isa(
                isa, p, (g as! UnsafePointer<Float>), (s as! UnsafeMutablePointer<Float>), n, eta as! Float,
                eps as! Float)
        } else {
            nn_adagrad_f64_isa(
                isa, (p as! UnsafeMutablePointer<Double>), (g as! UnsafePointer<Double>),
                (s as! UnsafeMutablePointer<Double>),
                n, eta as! Double, eps as! Double)
        }
    }

    /// Adagrad's update kernel against the Swift formula it replaced (Adagrad.swift before the kernel),
    /// five steps so the sums carry over, every variant and tail length, a NaN gradient in one lane.
    func checkAdagradBits<T: Real>(_: T.Type, isa: nn_isa?) {
        var rng = RNG(seed: 22)
        let eta = T(0.01)
        let eps = T(1e-10)
        for n in [0, 1, 2, 3, 7, 15, 16, 17, 33, 1001] {
            var p = (0..<n).map { _ in T(rng.uniform(-1, 1)) }
            var s = [T](repeating: T(0.1), count: n)
            var (rp, rs) = (p, s)
            p.append(42)
            for t in 1...5 {
                let g: [T] = optimizerGradients(n, &rng, nanAt: t == 3 && n > 5 ? n - 2 : nil)
                for i in 0..<n {
                    rs[i] += g[i] * g[i]
                    rp[i] -= eta * (g[i] / (rs[i].squareRoot() + eps))
                }
                p.withUnsafeMutableBufferPointer { pb in
                    s.withUnsafeMutableBufferPointer { sb in
                        adagrad(isa, pb.baseAddress!, g, sb.baseAddress!, n, eta, eps)
                    }
                }
                for i in 0..<n {
                    XCTAssertEqual(
                        bits(p[i]), bits(rp[i]), "\(T.self) \(String(describing: isa)) n \(n) step \(t) p[\(i)]")
                    XCTAssertEqual(bits(s[i]), bits(rs[i]), "s[\(i)]")
                }
                XCTAssertEqual(p[n], 42, "wrote past the end")
            }
        }
    }

    func sgd<T: Real>(
        _ isa: nn_isa?, _ p: UnsafeMutablePointer<T>, _ g: UnsafePointer<T>, _ s: UnsafeMutablePointer<T>,
        _ n: Int, _ eta: T, _ mu: T, _ rule: Int32
    ) {
        guard let isa else {
            return T.sgdUpdate(p, gradient: g, velocity: s, count: n, eta: eta, momentum: mu, rule: rule)
        }
        if let p = p as? UnsafeMutablePointer<Float> {
            nn_sgd_f32_isa(
                isa, p, (g as! UnsafePointer<Float>), (s as! UnsafeMutablePointer<Float>), n, eta as! Float,
                mu as! Float, rule)
        } else {
            nn_sgd_f64_isa(
                isa, (p as! UnsafeMutablePointer<Double>), (g as! UnsafePointer<Double>),
                (s as! UnsafeMutablePointer<Double>), n, eta as! Double, mu as! Double, rule)
        }
    }

    /// SGD's update kernel against the Swift formulas it replaced (SGD.swift before the kernel), all four
    /// rules, five steps so the velocity carries over, every variant and tail length, a NaN gradient in
    /// one lane; the plain rule leaves the velocity untouched.
    func checkSGDBits<T: Real>(_: T.Type, isa: nn_isa?) {
        var rng = RNG(seed: 23)
        let eta = T(0.01)
        let mu = T(0.9)
        for rule in Int32(0)...3 {
            for n in [0, 1, 2, 3, 7, 15, 16, 17, 33, 1001] {
                var p = (0..<n).map { _ in T(rng.uniform(-1, 1)) }
                var s = (0..<n).map { _ in T(rng.uniform(-0.1, 0.1)) }
                var (rp, rs) = (p, s)
                p.append(42)
                for t in 1...5 {
                    let g: [T] = optimizerGradients(n, &rng, nanAt: t == 3 && n > 5 ? n - 2 : nil)
                    for i in 0..<n {
                        switch rule {
                        case 1:
                            let delta = eta * g[i]
                            rp[i] -= delta + mu * rs[i]
                            rs[i] = delta
                        case 2:
                            rs[i] = mu * rs[i] - eta * g[i]
                            rp[i] += rs[i]
                        case 3:
                            rs[i] = mu * rs[i] + g[i]
                            rp[i] -= eta * (g[i] + mu * rs[i])
                        default:
                            rp[i] -= eta * g[i]
                        }
                    }
                    p.withUnsafeMutableBufferPointer { pb in
                        s.withUnsafeMutableBufferPointer { sb in
                            sgd(isa, pb.baseAddress!, g, sb.baseAddress!, n, eta, mu, rule)
                        }
                    }
                    for i in 0..<n {
                        let tag = "\(T.self) \(String(describing: isa)) rule \(rule) n \(n) step \(t)"
                        XCTAssertEqual(bits(p[i]), bits(rp[i]), "\(tag) p[\(i)]")
                        XCTAssertEqual(bits(s[i]), bits(rs[i]), "\(tag) s[\(i)]")
                    }
                    XCTAssertEqual(p[n], 42, "wrote past the end")
                }
            }
        }
    }

    func testSGDKernelIsBitIdenticalToTheSwiftFormulas() {
        for isa in isas + [nil] {
            checkSGDBits(Float.self, isa: isa)
            checkSGDBits(Double.self, isa: isa)
        }
    }

    /// The L2 penalty's gradient kernel (penalty.c) against the Swift formula it replaced
    /// (`g[i] += lambda * w[i]`, two roundings): every variant, tail lengths around the vector widths, a
    /// NaN and infinities in some lanes, nothing written past `count`.
    /// The softmax kernel's exp against the C library's `expf`, value by value: every 16 411th float
    /// bit pattern (262 000 values over the whole range: both signs, subnormals, the special path's
    /// |x| ≥ 88, ±∞, NaN) and every 13th float in [−1, −0.5] (645 000; the softmax's inputs z − max
    /// are ≤ 0). softmax.c's comment has the exhaustive check of all floats.
    func testSoftmaxExpIsTheLibrarysExpfBitForBit() {
        // In bit-pattern order, so chunks mix the main path's values (|x| < 88) with the rest: the rest
        // must take the library's expf lane by lane without disturbing their neighbours.
        var xs: [Float] = [.infinity, -.infinity, .nan, -88, 88.72283, -103.97208, -103.27892, -104, 0, -0, -87.49999]
        var u: UInt32 = 0
        while true {
            xs.append(Float(bitPattern: u))
            let (next, overflow) = u.addingReportingOverflow(16_411)
            if overflow { break }
            u = next
        }
        for b in stride(from: Float(-0.5).bitPattern, through: Float(-1).bitPattern, by: 13) {
            xs.append(Float(bitPattern: b))
        }
        let expected = xs.map { Foundation.expf($0) }
        for isa in isas + [nil] {
            var ys = [Float](repeating: 7, count: xs.count)
            // In chunks of several kernel blocks.
            let chunk = 4_096
            for start in stride(from: 0, to: xs.count, by: chunk) {
                let n = min(chunk, xs.count - start)
                xs.withUnsafeBufferPointer { xp in
                    ys.withUnsafeMutableBufferPointer { yp in
                        if let isa {
                            nn_expf_f32_isa(isa, xp.baseAddress! + start, yp.baseAddress! + start, n)
                        } else {
                            nn_expf_f32(xp.baseAddress! + start, yp.baseAddress! + start, n)
                        }
                    }
                }
            }
            let differing = zip(ys, expected).filter { $0.bitPattern != $1.bitPattern && !($0.isNaN && $1.isNaN) }
            XCTAssertTrue(
                differing.isEmpty,
                "\(String(describing: isa)): \(differing.count) values differ, first \(differing.prefix(3))")
        }
    }

    /// The Float softmax kernel against the Swift softmax with the library's expf
    /// (`Activation.softmaxByLibraryExp`), bit for bit, outputs, maxima and sums: row widths across the
    /// vector widths and their tails, rows wider than the kernel's 256-value block, logits far apart (the
    /// exp's special path), ties for the maximum, ±∞ and NaN, with and without the maxima/sums buffers.
    func testSoftmaxKernelIsBitIdenticalToTheSwiftFormula() {
        var rng = RNG(seed: 41, stream: "softmax")
        for cols in [1, 2, 3, 7, 8, 9, 10, 15, 16, 17, 33, 100, 256, 300, 513] {
            // 300 rows: the kernel works in blocks of 256 values; in the first, the special rows below take
            // the library's expf value by value beside the vector exp of the others.
            let rows = 300
            var z = (0..<(rows * cols)).map { _ in Float(rng.uniform(-30, 30)) }
            if cols > 3 {
                z[cols + 1] = -200  // row 1: 200 below its maximum (expf's underflow path)
                z[2 * cols] = z[2 * cols + 2]  // row 2: a tie
                z[3 * cols + 1] = .infinity
                z[4 * cols + 2] = .nan
                z[5 * cols] = -.infinity
                for j in 0..<cols { z[6 * cols + j] = 5 }  // row 6: all equal
            }
            var expected = z
            var em = [Float](repeating: 0, count: rows)
            var es = [Float](repeating: 0, count: rows)
            Activation.softmaxByLibraryExp(&expected, rows: rows, cols: cols, maxima: &em, sums: &es)
            for isa in isas + [nil] {
                for withStats in [true, false] {
                    var got = z
                    var gm = [Float](repeating: -1, count: rows)
                    var gs = [Float](repeating: -1, count: rows)
                    got.withUnsafeMutableBufferPointer { g in
                        gm.withUnsafeMutableBufferPointer { m in
                            gs.withUnsafeMutableBufferPointer { s in
                                let mp = withStats ? m.baseAddress : nil
                                let sp = withStats ? s.baseAddress : nil
                                if let isa {
                                    nn_softmax_f32_isa(isa, g.baseAddress!, rows, cols, mp, sp)
                                } else {
                                    Float.softmaxRows(g.baseAddress!, rows: rows, cols: cols, maxima: mp, sums: sp)
                                }
                            }
                        }
                    }
                    let what = "cols \(cols) \(String(describing: isa)) stats \(withStats)"
                    XCTAssertEqual(got.map(bits), expected.map(bits), what)
                    if withStats {
                        XCTAssertEqual(gm.map(bits), em.map(bits), what)
                        XCTAssertEqual(gs.map(bits), es.map(bits), what)
                    } else {
                        XCTAssertTrue(gm.allSatisfy { $0 == -1 } && gs.allSatisfy { $0 == -1 }, what)
                    }
                }
            }
        }
    }

    func testL2GradientKernelIsBitIdenticalToTheSwiftFormula() {
        func check<T: Real>(_: T.Type, isa: nn_isa?) {
            var rng = RNG(seed: 31, stream: "l2-grad")
            for n in [0, 1, 3, 7, 8, 9, 15, 16, 17, 31, 33, 64, 65, 1000] {
                let lambda = T(rng.uniform(1e-5, 0.5))
                var w = (0..<n).map { _ in T(rng.uniform(-3, 3)) }
                var g = (0..<n).map { _ in T(rng.uniform(-1, 1)) * T(0.001) } + [T(-7)]
                if n > 5 {
                    w[2] = .nan
                    w[4] = .infinity
                    g[5] = -.infinity
                }
                var expected = g
                for i in 0..<n { expected[i] += lambda * w[i] }
                w.withUnsafeBufferPointer { wp in
                    g.withUnsafeMutableBufferPointer { gp in
                        guard let isa else {
                            return T.addL2Gradient(gp.baseAddress!, weights: wp.baseAddress!, count: n, lambda: lambda)
                        }
                        if T.self == Float.self {
                            gp.baseAddress!.withMemoryRebound(to: Float.self, capacity: n + 1) { gf in
                                wp.baseAddress!.withMemoryRebound(to: Float.self, capacity: max(n, 1)) { wf in
                                    nn_l2_grad_f32_isa(isa, gf, wf, n, lambda as! Float)
                                }
                            }
                        } else {
                            gp.baseAddress!.withMemoryRebound(to: Double.self, capacity: n + 1) { gd in
                                wp.baseAddress!.withMemoryRebound(to: Double.self, capacity: max(n, 1)) { wd in
                                    nn_l2_grad_f64_isa(isa, gd, wd, n, lambda as! Double)
                                }
                            }
                        }
                    }
                }
                XCTAssertEqual(g.map(bits), expected.map(bits), "\(T.self) \(String(describing: isa)) n \(n)")
            }
        }
        for isa in isas + [nil] {
            check(Float.self, isa: isa)
            check(Double.self, isa: isa)
        }
    }

    func testAdagradKernelIsBitIdenticalToTheSwiftFormula() {
        for isa in isas + [nil] {
            checkAdagradBits(Float.self, isa: isa)
            checkAdagradBits(Double.self, isa: isa)
        }
    }

    func rmsprop<T: Real>(
        _ isa: nn_isa?, _ p: UnsafeMutablePointer<T>, _ g: UnsafePointer<T>, _ v: UnsafeMutablePointer<T>,
        _ m: UnsafeMutablePointer<T>?, _ b: UnsafeMutablePointer<T>?, _ n: Int, _ a: T, _ eps: T, _ mu: T, _ eta: T
    ) {
        guard let isa else {
            return T.rmspropUpdate(
                p, gradient: g, square: v, mean: m, buffer: b, count: n, alpha: a, epsilon: eps, momentum: mu, eta: eta)
        }
        if let p = p as? UnsafeMutablePointer<Float> {
            nn_rmsprop_f32_isa(
                isa, p, (g as! UnsafePointer<Float>), (v as! UnsafeMutablePointer<Float>),
                m.map { $0 as! UnsafeMutablePointer<Float> },
                b.map { $0 as! UnsafeMutablePointer<Float> }, n, a as! Float, eps as! Float, mu as! Float, eta as! Float
            )
        } else {
            nn_rmsprop_f64_isa(
                isa, (p as! UnsafeMutablePointer<Double>), (g as! UnsafePointer<Double>),
                (v as! UnsafeMutablePointer<Double>),
                m.map { $0 as! UnsafeMutablePointer<Double> }, b.map { $0 as! UnsafeMutablePointer<Double> },
                n, a as! Double, eps as! Double, mu as! Double, eta as! Double)
        }
    }

    /// RMSprop's update kernel against the Swift formula it replaced (RMSprop.swift before the kernel)
    /// in all four forms (plain, centred, momentum, both), five steps so the state carries over, every
    /// variant and tail length, a NaN gradient in one lane (it must stay in that lane).
    func checkRMSpropBits<T: Real>(_: T.Type, isa: nn_isa?, centered: Bool, momentum: Double) {
        var rng = RNG(seed: 23)
        let a = T(0.9)
        let eps = T(1e-8)
        let mu = T(momentum)
        let eta = T(0.01)
        for n in [0, 1, 2, 3, 7, 15, 16, 17, 33, 1001] {
            var p = (0..<n).map { _ in T(rng.uniform(-1, 1)) }
            var v = [T](repeating: 0, count: n)
            var m = v
            var b = v
            var (rp, rv, rm, rb) = (p, v, m, b)
            p.append(42)
            for t in 1...5 {
                let g: [T] = optimizerGradients(n, &rng, nanAt: t == 4 && n > 5 ? n - 3 : nil)
                for i in 0..<n {
                    let gi = g[i]
                    rv[i] = a * rv[i] + (1 - a) * (gi * gi)
                    var vt = rv[i]
                    if centered {
                        rm[i] = a * rm[i] + (1 - a) * gi
                        vt = rv[i] - rm[i] * rm[i]
                    }
                    let scaled = gi / (vt.squareRoot() + eps)
                    if momentum != 0 {
                        rb[i] = mu * rb[i] + scaled
                        rp[i] -= eta * rb[i]
                    } else {
                        rp[i] -= eta * scaled
                    }
                }
                p.withUnsafeMutableBufferPointer { pb in
                    v.withUnsafeMutableBufferPointer { vb in
                        m.withUnsafeMutableBufferPointer { mb in
                            b.withUnsafeMutableBufferPointer { bb in
                                rmsprop(
                                    isa, pb.baseAddress!, g, vb.baseAddress!, centered ? mb.baseAddress! : nil,
                                    momentum != 0 ? bb.baseAddress! : nil, n, a, eps, mu, eta)
                            }
                        }
                    }
                }
                let form = "\(T.self) \(String(describing: isa)) centred \(centered) μ \(momentum) n \(n) step \(t)"
                for i in 0..<n {
                    XCTAssertEqual(bits(p[i]), bits(rp[i]), "\(form) p[\(i)]")
                    XCTAssertEqual(bits(v[i]), bits(rv[i]), "\(form) v[\(i)]")
                    XCTAssertEqual(bits(m[i]), bits(rm[i]), "\(form) mean[\(i)]")
                    XCTAssertEqual(bits(b[i]), bits(rb[i]), "\(form) buffer[\(i)]")
                }
                XCTAssertEqual(p[n], 42, "wrote past the end")
            }
        }
    }

    func testRMSpropKernelIsBitIdenticalToTheSwiftFormula() {
        for isa in isas + [nil] {
            for centered in [false, true] {
                for momentum in [0, 0.9] {
                    checkRMSpropBits(Float.self, isa: isa, centered: centered, momentum: momentum)
                    checkRMSpropBits(Double.self, isa: isa, centered: centered, momentum: momentum)
                }
            }
        }
    }

    /// The Swift log1p polynomial the engine used before it moved to nn_fast_log1p.h (FastLog1p.swift),
    /// kept here as the reference the C definition must reproduce bit for bit.
    func swiftLog1pUnit(_ x: Float) -> Float {
        let s = x / (2 + x)
        let t = s * s
        var p: Float = 1.0 / 15
        for c: Float in [1.0 / 13, 1.0 / 11, 1.0 / 9, 1.0 / 7, 1.0 / 5, 1.0 / 3] { p = p * t + c }
        return 2 * s + 2 * s * (t * p)
    }
    func swiftLog1pUnit(_ x: Double) -> Double {
        let s = x / (2 + x)
        let t = s * s
        var p = 1.0 / 33
        for k in stride(from: 31, through: 3, by: -2) { p = p * t + 1.0 / Double(k) }
        return 2 * s + 2 * s * (t * p)
    }
    func swiftLog1pUnit<T: Real>(_ x: T) -> T {
        if let f = x as? Float { return swiftLog1pUnit(f) as! T }
        return swiftLog1pUnit(x as! Double) as! T
    }

    func testFastLog1pIsTheSwiftPolynomialBitForBit() {
        var x = 0.0
        while x <= 1 {
            XCTAssertEqual(bits(Float.fastLog1pUnit(Float(x))), bits(swiftLog1pUnit(Float(x))), "float \(x)")
            XCTAssertEqual(bits(Double.fastLog1pUnit(x)), bits(swiftLog1pUnit(x)), "double \(x)")
            x += 0.000377
        }
        for v: Double in [0, 1, 1e-30, .leastNonzeroMagnitude, Double("2.2e-308")!, 0.5, .nan] {
            XCTAssertEqual(bits(Float.fastLog1pUnit(Float(v))), bits(swiftLog1pUnit(Float(v))), "float \(v)")
            XCTAssertEqual(bits(Double.fastLog1pUnit(v)), bits(swiftLog1pUnit(v)), "double \(v)")
        }
    }

    func logisticTerms<T: Real>(
        _ isa: nn_isa?, _ z: UnsafePointer<T>, _ y: UnsafePointer<T>, _ n: Int, _ out: UnsafeMutablePointer<T>
    ) {
        guard let isa else { return T.logisticTerms(z, targets: y, count: n, into: out) }
        if let z = z as? UnsafePointer<Float> {
            nn_logistic_terms_f32_isa(isa, z, (y as! UnsafePointer<Float>), n, (out as! UnsafeMutablePointer<Float>))
        } else {
            nn_logistic_terms_f64_isa(
                isa, (z as! UnsafePointer<Double>), (y as! UnsafePointer<Double>), n,
                (out as! UnsafeMutablePointer<Double>))
        }
    }

    /// The logistic cost's terms kernel against the Swift formula it replaced, with the reference
    /// log1p above: the whole input range, ±0, ±∞, NaN, targets 0, 1 and in between, every variant,
    /// odd lengths (tails); the loss's total through the engine entry point equals the Swift sum.
    func checkLogisticTermsBits<T: Real>(_: T.Type, isa: nn_isa?) {
        let zs = inputs(T.self)
        for n in [zs.count, 1, 3, 17, 33] {
            let z = Array(zs.prefix(n))
            let y: [T] = (0..<n).map { i in [0, 1, T(0.3)][i % 3] }
            var out = [T](repeating: 7, count: n + 1)
            out.withUnsafeMutableBufferPointer { logisticTerms(isa, z, y, n, $0.baseAddress!) }
            for i in 0..<n {
                let zi = z[i]
                let expected = (zi > 0 ? zi : 0) + swiftLog1pUnit(T.fastExp(-abs(zi))) - y[i] * zi
                XCTAssertEqual(bits(out[i]), bits(expected), "\(T.self) \(String(describing: isa)) z \(zi) y \(y[i])")
            }
            XCTAssertEqual(out[n], 7, "wrote past the end")
        }
    }

    func testLogisticTermsKernelIsBitIdenticalToTheSwiftFormula() {
        for isa in isas + [nil] {
            checkLogisticTermsBits(Float.self, isa: isa)
            checkLogisticTermsBits(Double.self, isa: isa)
        }
        // The total with a scratch buffer (kernel) and without (Swift loop) sums the same terms in order.
        let z: [Float] = (0..<77).map { Float($0) * 0.37 - 14 }
        let y: [Float] = (0..<77).map { Float($0 % 2) }
        var scratch = [Float](repeating: 0, count: 77)
        let withKernel = scratch.withUnsafeMutableBufferPointer {
            Loss.logistic.total(z: z, a: z, y: y, rows: 7, cols: 11, output: .sigmoid, scratch: $0.baseAddress!)
        }
        XCTAssertEqual(
            withKernel.bitPattern, Loss.logistic.total(z: z, a: z, y: y, rows: 7, cols: 11, output: .sigmoid).bitPattern
        )
        // and the terms are the cost: −[y log σ(z) + (1−y) log(1−σ(z))] in Double.
        var expected = 0.0
        for i in 0..<77 {
            let p = 1 / (1 + Foundation.exp(-Double(z[i])))
            expected -= Double(y[i]) * Foundation.log(p) + (1 - Double(y[i])) * Foundation.log(1 - p)
        }
        XCTAssertEqual(Double(withKernel), expected, accuracy: expected * 1e-5)
    }

    /// Column sums against the Swift loop they replaced (first row copied, then each row added in
    /// order), every variant, odd widths and strides wider than the columns, with −0, ±∞, NaN and
    /// values whose sum depends on the order, +∞ and NaN; and against exact integer sums.
    func testColumnSumsKernelIsBitIdenticalToTheSwiftLoop() {
        func check<T: Real>(_: T.Type, isa: nn_isa?) {
            var rng = RNG(seed: 24)
            for (rows, cols, stride) in [
                (1, 1, 1), (2, 3, 5), (7, 17, 17), (333, 48, 50), (5, 33, 40), (1200, 10, 10), (40, 127, 130),
                (9, 255, 255),
                (11, 256, 260), (3, 301, 301)
            ] {
                // One NaN only (+∞ and −∞ in one column would make a second, negative NaN, and which of
                // two NaNs a sum keeps is the compiler's choice in Swift and C alike, since LLVM treats
                // addition as commutative; such a gradient never reaches a result: its cost is not
                // finite, so the step is skipped).
                let specials: [T] = [-0.0, .infinity, .nan, 1e30, -1e30, 1e-30]
                let d: [T] = (0..<(rows * stride)).map { i in
                    i % 29 == 0
                        ? specials[(i / 29) % specials.count]
                        : T(rng.uniform(-1, 1)) * T(Foundation.pow(10.0, Double(i % 7)))
                }
                var expected = [T](repeating: 0, count: cols)
                for j in 0..<cols { expected[j] = d[j] }
                for r in 1..<rows { for j in 0..<cols { expected[j] += d[r * stride + j] } }
                var out = [T](repeating: 9, count: cols + 1)
                out.withUnsafeMutableBufferPointer { ob in
                    if let isa {
                        if T.self == Float.self {
                            ob.baseAddress!.withMemoryRebound(to: Float.self, capacity: cols) { o in
                                (d as! [Float]).withUnsafeBufferPointer {
                                    nn_column_sums_f32_isa(isa, $0.baseAddress!, rows, stride, cols, o)
                                }
                            }
                        } else {
                            ob.baseAddress!.withMemoryRebound(to: Double.self, capacity: cols) { o in
                                (d as! [Double]).withUnsafeBufferPointer {
                                    nn_column_sums_f64_isa(isa, $0.baseAddress!, rows, stride, cols, o)
                                }
                            }
                        }
                    } else {
                        T.columnSums(d, rows: rows, stride: stride, cols: cols, into: ob.baseAddress!)
                    }
                }
                for j in 0..<cols {
                    XCTAssertEqual(
                        bits(out[j]), bits(expected[j]), "\(T.self) \(String(describing: isa)) \(rows)×\(cols) col \(j)"
                    )
                }
                XCTAssertEqual(out[cols], 9, "wrote past the end")
            }
            // Exact integer sums: column j holds rows of j, so its sum is rows·j.
            let rows = 101
            let cols = 19
            let d: [T] = (0..<(rows * cols)).map { T($0 % cols) }
            var out = [T](repeating: 0, count: cols)
            out.withUnsafeMutableBufferPointer {
                T.columnSums(d, rows: rows, stride: cols, cols: cols, into: $0.baseAddress!)
            }
            XCTAssertEqual(out, (0..<cols).map { T(rows * $0) })
        }
        for isa in isas.map(Optional.some) + [nil] {
            check(Float.self, isa: isa)
            check(Double.self, isa: isa)
        }
    }

    func testSigmoidKernelMatchesTheClosedForm() {
        // Float against 1/(1+exp(−z)) in Double; Double against the same in Float80 where available,
        // else a relative bound. Both within a few units of the result's last place.
        var worst32 = 0.0
        var worst64 = 0.0
        var z = -90.0
        while z < 90 {
            var f: [Float] = [Float(z)]
            var d: [Double] = [z]
            f.withUnsafeMutableBufferPointer { Float.sigmoidInPlace($0.baseAddress!, count: 1) }
            d.withUnsafeMutableBufferPointer { Double.sigmoidInPlace($0.baseAddress!, count: 1) }
            let exact32 = 1 / (1 + Foundation.exp(-Double(Float(z))))
            if exact32 >= Double(Float.leastNormalMagnitude) {
                worst32 = max(worst32, abs(Double(f[0]) - exact32) / Double(Float(exact32).ulp))
            }
            let exact64 = 1 / (1 + Foundation.exp(-z))
            if exact64 >= Double.leastNormalMagnitude * 4 {
                worst64 = max(worst64, abs(d[0] - exact64) / exact64.ulp)
            }
            z += 0.00731
        }
        XCTAssertLessThanOrEqual(worst32, 3, "Float sigmoid error in ulp")
        XCTAssertLessThanOrEqual(worst64, 4, "Double sigmoid error in ulp (reference itself within ~1 ulp)")
    }

    /// Byte features are kept only when the bytes give back `x` exactly.
    func testByteCopyOnlyForExactIntegersInByteRange() {
        XCTAssertEqual(Samples<Float>.byteCodes([0, 1, 254, 255, 7]), [0, 1, 254, 255, 7])
        XCTAssertEqual(Samples<Double>.byteCodes([]), [])
        for bad: Double in [0.5, 256, -1, -0.0, .nan, .infinity, 1e-30, 255.5] {
            XCTAssertNil(Samples<Double>.byteCodes([3, bad, 4]), "\(bad)")
            XCTAssertNil(Samples<Float>.byteCodes([3, Float(bad), 4]), "\(bad)")
        }
        // Every instruction-set variant, with the odd value at every position of a vector and its tail.
        for isa in isas {
            for n in [1, 7, 16, 33, 70] {
                for at in 0..<n {
                    for bad: Double in [0.5, 256, -0.0, .nan] {
                        var x = (0..<n).map { Double($0 % 256) }
                        var exact: Int32 = -1
                        var out = [UInt8](repeating: 0, count: n)
                        nn_to_bytes_f64_isa(isa, x, n, &out, &exact)
                        XCTAssertEqual(exact, 1)
                        XCTAssertEqual(out, x.map { UInt8($0) })
                        x[at] = bad
                        nn_to_bytes_f64_isa(isa, x, n, &out, &exact)
                        XCTAssertEqual(exact, 0, "\(isa) n \(n) at \(at) \(bad)")
                        let xf = x.map { Float($0) }
                        nn_to_bytes_f32_isa(isa, xf, n, &out, &exact)
                        XCTAssertEqual(exact, 0, "\(isa) float n \(n) at \(at) \(bad)")
                    }
                }
            }
        }
        XCTAssertNotNil(Samples<Float>(x: [0, 1, 2, 3], y: [1, 0], count: 2, inputs: 2, outputs: 1).bytes)
        XCTAssertNil(Samples<Float>(x: [0, 0.5, 2, 3], y: [1, 0], count: 2, inputs: 2, outputs: 1).bytes)
    }

    /// One-hot targets of `rows` gathered rows, written beside them by the byte gathers: `classes` of
    /// `k` for the source rows, and the expected targets (+0 everywhere but a 1 at the row's class).
    struct GatherTargets {
        let k: Int
        let classes: [Int32]
        init(sourceRows: Int, k: Int) {
            self.k = k
            var rng = SystemRandomNumberGenerator()
            classes = (0..<sourceRows).map { _ in Int32.random(in: 0..<Int32(k), using: &rng) }
        }
        func expected<T: Real>(_ indices: [Int]) -> [T] {
            indices.flatMap { i in (0..<k).map { c in c == Int(classes[i]) ? T(1) : T(0) } }
        }
    }

    func gather<T: Real>(
        _ isa: nn_isa?, _ s: UnsafePointer<UInt8>, _ cols: Int, _ idx: [Int], _ d: UnsafeMutablePointer<T>,
        _ classes: UnsafePointer<Int32>?, _ k: Int, _ t: UnsafeMutablePointer<T>?
    ) {
        guard let isa else {
            return T.gatherRows(
                s, cols: cols, indices: idx, count: idx.count, into: d, classes: classes, classCount: k, targets: t)
        }
        if T.self == Float.self {
            d.withMemoryRebound(to: Float.self, capacity: 1) { df in
                let tf = t.map { UnsafeMutableRawPointer($0).assumingMemoryBound(to: Float.self) }
                nn_gather_u8_f32_isa(isa, s, cols, idx, idx.count, df, classes, k, tf)
            }
        } else {
            d.withMemoryRebound(to: Double.self, capacity: 1) { dd in
                let td = t.map { UnsafeMutableRawPointer($0).assumingMemoryBound(to: Double.self) }
                nn_gather_u8_f64_isa(isa, s, cols, idx, idx.count, dd, classes, k, td)
            }
        }
    }

    /// The byte gather with and without one-hot targets: features converted row by row, targets with
    /// the bits of `Samples.oneHot` (+0 and 1), nothing written past either batch.
    func checkByteGather<T: Real>(_: T.Type, isa: nn_isa?, cols: Int, rows: Int) {
        let total = 37
        var rng = SystemRandomNumberGenerator()
        let bytes = (0..<(total * cols)).map { _ in UInt8.random(in: 0...255, using: &rng) }
        let indices = (0..<rows).map { _ in Int.random(in: 0..<total, using: &rng) }
        var expected = [T]()
        for i in indices { expected += bytes[(i * cols)..<((i + 1) * cols)].map { T($0) } }
        let oneHot = GatherTargets(sourceRows: total, k: 1 + cols % 11)
        for withTargets in [false, true] {
            var dst = [T](repeating: -1, count: rows * cols + 3)
            var targets = [T](repeating: -1, count: rows * oneHot.k + 3)
            bytes.withUnsafeBufferPointer { s in
                oneHot.classes.withUnsafeBufferPointer { c in
                    targets.withUnsafeMutableBufferPointer { t in
                        dst.withUnsafeMutableBufferPointer {
                            gather(
                                isa, s.baseAddress!, cols, indices, $0.baseAddress!, withTargets ? c.baseAddress : nil,
                                oneHot.k, withTargets ? t.baseAddress : nil)
                        }
                    }
                }
            }
            let tag = "\(T.self) \(String(describing: isa)) cols \(cols) rows \(rows) targets \(withTargets)"
            XCTAssertEqual(Array(dst[..<(rows * cols)]), expected, tag)
            XCTAssertEqual(Array(dst[(rows * cols)...]), [-1, -1, -1], "wrote past the batch")
            if withTargets {
                XCTAssertEqual(targets.map(bits), ((oneHot.expected(indices) as [T]) + [-1, -1, -1]).map(bits), tag)
            } else {
                XCTAssertEqual(targets, [T](repeating: -1, count: rows * oneHot.k + 3), "targets written: \(tag)")
            }
        }
    }

    func testByteGatherMatchesRowByRowConversion() {
        for isa in isas + [nil] {
            for cols in [1, 2, 15, 16, 17, 63, 64, 65, 784] {
                for rows in [0, 1, 3, 4, 5, 9, 40] {
                    checkByteGather(Float.self, isa: isa, cols: cols, rows: rows)
                    checkByteGather(Double.self, isa: isa, cols: cols, rows: rows)
                }
            }
        }
    }

    /// Shuffled minibatch SGD (and per-sample SGD) give the same bits whether batches are gathered from
    /// the byte copy or from the float features.
    func checkTrainingUnchanged<T: Real>(_: T.Type, batching: Batching, momentum: Double) {
        let n = 60
        let d = 20
        let k = 3
        var rng = RNG(seed: 5, stream: "kernel-test")
        let x = (0..<(n * d)).map { _ in T(Int(rng.next() % 256)) }
        let labels = (0..<n).map { _ in Int(rng.next() % UInt64(k)) }
        let y = Samples<T>.oneHot(labels: labels, classes: k)
        let withBytes = Samples<T>(x: x, y: y, count: n, inputs: d, outputs: k)
        let withoutBytes = Samples<T>(x: x, y: y, count: n, inputs: d, outputs: k, keepBytes: false)
        XCTAssertNotNil(withBytes.bytes)
        XCTAssertNil(withoutBytes.bytes)
        let arch = Architecture(sizes: [d, 8, k], hidden: .sigmoid, output: .softmax)
        let config = TrainingConfig(
            loss: .crossEntropy, regularization: Regularization(l2: 0.01),
            optimizer: .sgd(SGDConfig(learningRate: 0.001, momentum: momentum)),
            epochs: 5, batching: batching, shuffle: true, seed: 3)
        var a = Network<T>(architecture: arch, initialization: .xavierUniform, seed: 2)
        var b = a
        let ra = Trainer.train(&a, on: withBytes, config: config)
        let rb = Trainer.train(&b, on: withoutBytes, config: config)
        XCTAssertEqual(ra.epochCosts, rb.epochCosts)
        XCTAssertEqual(a.parameters.map(bits), b.parameters.map(bits), "\(T.self) \(batching)")
        XCTAssertNotEqual(
            a.parameters, Network<T>(architecture: arch, initialization: .xavierUniform, seed: 2).parameters)
        // The gather (features and one-hot targets) cut among 2 and 3 threads, each writing its rows.
        for threads in [2, 3] {
            var c = config
            c.threads = ThreadBudget(fixed: threads)
            var t = Network<T>(architecture: arch, initialization: .xavierUniform, seed: 2)
            let rt = Trainer.train(&t, on: withBytes, config: c)
            XCTAssertEqual(rt.epochCosts, ra.epochCosts, "\(T.self) \(batching) at \(threads) threads")
            XCTAssertEqual(
                t.parameters.map(bits), a.parameters.map(bits), "\(T.self) \(batching) at \(threads) threads")
        }
    }

    func testTrainingIsBitIdenticalWithTheByteGather() {
        for (batching, momentum) in [(Batching.count(7), 0.9), (.count(2), 0.9), (.size(1), 0.0), (.full, 0.5)] {
            checkTrainingUnchanged(Float.self, batching: batching, momentum: momentum)
            checkTrainingUnchanged(Double.self, batching: batching, momentum: momentum)
        }
    }

    func affineGather<T: Real>(
        _ isa: nn_isa?, _ s: UnsafePointer<UInt8>, _ cols: Int, _ idx: [Int], _ shift: [Double], _ divisor: [Double],
        _ d: UnsafeMutablePointer<T>, _ classes: UnsafePointer<Int32>?, _ k: Int, _ t: UnsafeMutablePointer<T>?
    ) {
        guard let isa else {
            return T.gatherRows(
                s, cols: cols, indices: idx, count: idx.count, decoding: ByteDecoding(shift: shift, divisor: divisor),
                into: d, classes: classes, classCount: k, targets: t)
        }
        if T.self == Float.self {
            d.withMemoryRebound(to: Float.self, capacity: 1) { df in
                let tf = t.map { UnsafeMutableRawPointer($0).assumingMemoryBound(to: Float.self) }
                nn_gather_u8_affine_f32_isa(isa, s, cols, idx, idx.count, shift, divisor, df, classes, k, tf)
            }
        } else {
            d.withMemoryRebound(to: Double.self, capacity: 1) { dd in
                let td = t.map { UnsafeMutableRawPointer($0).assumingMemoryBound(to: Double.self) }
                nn_gather_u8_affine_f64_isa(isa, s, cols, idx, idx.count, shift, divisor, dd, classes, k, td)
            }
        }
    }

    /// Each variant of the affine byte gather gives, bit for bit, the preprocessing's own Swift formula
    /// T((Double(b) − shift[c]) / divisor[c]) — standardising shifts and divisors, ÷255, a zero divisor
    /// (±∞ and NaN), a negative one — and writes nothing past the batch.
    func testAffineByteGatherIsThePreprocessingFormulaBitForBit() {
        var rng = SystemRandomNumberGenerator()
        func check<T: Real>(_: T.Type, isa: nn_isa?, cols: Int, rows: Int) {
            let total = 29
            var bytes = (0..<(total * cols)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            if !bytes.isEmpty { bytes[0] = 0 }
            let shift = (0..<cols).map { c in c % 5 == 0 ? 0 : Double.random(in: 0...200, using: &rng) }
            let divisor = (0..<cols).map { c -> Double in
                switch c % 7 {
                case 0: return 255
                case 1: return 0
                case 2: return -3.25
                case 3: return 1
                default: return Double.random(in: 0.01...130, using: &rng)
                }
            }
            let indices = (0..<rows).map { _ in Int.random(in: 0..<total, using: &rng) }
            var dst = [T](repeating: -1, count: rows * cols + 3)
            let oneHot = GatherTargets(sourceRows: total, k: 1 + rows % 12)
            var targets = [T](repeating: -1, count: rows * oneHot.k + 3)
            bytes.withUnsafeBufferPointer { s in
                oneHot.classes.withUnsafeBufferPointer { c in
                    targets.withUnsafeMutableBufferPointer { t in
                        dst.withUnsafeMutableBufferPointer {
                            affineGather(
                                isa, s.baseAddress!, cols, indices, shift, divisor, $0.baseAddress!, c.baseAddress,
                                oneHot.k, t.baseAddress)
                        }
                    }
                }
            }
            XCTAssertEqual(targets.map(bits), ((oneHot.expected(indices) as [T]) + [-1, -1, -1]).map(bits), "targets")
            var expected = [T]()
            for i in indices {
                for c in 0..<cols { expected.append(T((Double(bytes[i * cols + c]) - shift[c]) / divisor[c])) }
            }
            XCTAssertEqual(
                dst[..<(rows * cols)].map(bits), expected.map(bits),
                "\(T.self) \(String(describing: isa)) cols \(cols) rows \(rows)")
            XCTAssertEqual(Array(dst[(rows * cols)...]), [-1, -1, -1], "wrote past the batch")
        }
        for isa in isas + [nil] {
            for cols in [1, 2, 7, 8, 9, 15, 16, 17, 65, 784] {
                for rows in [0, 1, 4, 5, 9, 40] {
                    check(Float.self, isa: isa, cols: cols, rows: rows)
                    check(Double.self, isa: isa, cols: cols, rows: rows)
                }
            }
        }
    }

    /// The multiplying gather (`nn_gather_u8_scaled_f32`, every variant) gives the dividing one's bits
    /// for every byte value of every column of decodings that pass `float32ByScale`'s exhaustive check —
    /// MNIST-like standardisations, ÷255 — and the check refuses a column where the two round apart
    /// (found by a search over 5.1 billion random cases: byte 109, mean 132.866…, deviation 20.880…), so
    /// the decoding's gather then divides.
    func testScaledByteGatherIsTheDivisionWhereTheDecodingSaysSo() {
        var rng = RNG(seed: 4, stream: "scaled-gather")
        let cols = 300
        let bytes = (0..<(256 * cols)).map { i in UInt8(i / cols) }  // row b: every column holds b
        let everyRow = Array(0..<256)
        func gathered(_ isa: nn_isa?, _ shift: [Double], _ divisor: [Double], _ scale: [Double]) -> [Float] {
            var dst = [Float](repeating: -1, count: 256 * cols)
            bytes.withUnsafeBufferPointer { s in
                dst.withUnsafeMutableBufferPointer { d in
                    if let isa {
                        nn_gather_u8_scaled_f32_isa(
                            isa, s.baseAddress!, cols, everyRow, 256, shift, scale, d.baseAddress!, nil, 0, nil)
                    } else {
                        Float.gatherRows(
                            s.baseAddress!, cols: cols, indices: everyRow, count: 256,
                            decoding: ByteDecoding(shift: shift, divisor: divisor), into: d.baseAddress!, classes: nil,
                            classCount: 0, targets: nil)
                    }
                }
            }
            return dst
        }
        func divided(_ shift: [Double], _ divisor: [Double]) -> [Float] {
            (0..<256).flatMap { b in (0..<cols).map { c in Float((Double(b) - shift[c]) / divisor[c]) } }
        }
        for trial in 0..<4 {
            let shift = (0..<cols).map { c in trial == 0 ? 0 : Double(rng.uniform(0, 255)) + (c % 3 == 0 ? 0 : 0.5) }
            let divisor = (0..<cols).map { _ in trial == 0 ? 255 : rng.uniform(0.05, 150) }
            let decoding = ByteDecoding(shift: shift, divisor: divisor)
            guard decoding.float32ByScale else { continue }  // ~1 in 10 000 such decodings: the division path
            let expected = divided(shift, divisor).map(\.bitPattern)
            for isa in isas + [nil] {
                XCTAssertTrue(
                    gathered(isa, shift, divisor, decoding.scale).map(\.bitPattern) == expected,
                    "trial \(trial) \(String(describing: isa))")
            }
        }
        // The column where a multiply and a division round to different floats.
        let shift = [Double](repeating: 132.86609102944044, count: cols)
        let divisor = [Double](repeating: 20.880788986585703, count: cols)
        let decoding = ByteDecoding(shift: shift, divisor: divisor)
        XCTAssertFalse(decoding.float32ByScale)
        let multiplied = gathered(isas.last ?? NN_ISA_BASELINE, shift, divisor, decoding.scale)
        XCTAssertNotEqual(multiplied[109 * cols].bitPattern, divided(shift, divisor)[109 * cols].bitPattern)
        XCTAssertTrue(
            gathered(nil, shift, divisor, decoding.scale).map(\.bitPattern)
                == divided(shift, divisor).map(\.bitPattern),
            "the decoding's gather must divide where the multiply rounds elsewhere")
    }

    /// Standardised pixels: samples built with their bytes and decoding keep them (the gather reads
    /// bytes) and train to exactly the bits of samples without them; codes that do not decode to `x`
    /// are dropped (the gather then reads `x`), never trusted.
    func testTrainingIsBitIdenticalWithTheAffineByteGather() {
        func run<T: Real>(_: T.Type, batching: Batching) {
            let n = 60
            let d = 20
            let k = 3
            var rng = RNG(seed: 9, stream: "kernel-test")
            let codes = (0..<(n * d)).map { _ in UInt8(rng.next() % 256) }
            let mean = (0..<d).map { Double($0) * 6.3 + 0.1 }
            let std = (0..<d).map { $0 == 3 ? 1 : Double($0) * 2.7 + 40.01 }
            let decoding = ByteDecoding(shift: mean, divisor: std)
            let x = (0..<(n * d)).map { i in T((Double(codes[i]) - mean[i % d]) / std[i % d]) }
            let labels = (0..<n).map { _ in Int(rng.next() % UInt64(k)) }
            let y = Samples<T>.oneHot(labels: labels, classes: k)
            let coded = Samples<T>(x: x, y: y, count: n, inputs: d, outputs: k, codes: codes, decoding: decoding)
            let plain = Samples<T>(x: x, y: y, count: n, inputs: d, outputs: k, keepBytes: false)
            XCTAssertEqual(coded.bytes, codes)
            XCTAssertEqual(coded.decoding, decoding)
            var wrong = codes
            wrong[n * d - 1] ^= 1
            let refused = Samples<T>(x: x, y: y, count: n, inputs: d, outputs: k, codes: wrong, decoding: decoding)
            XCTAssertNil(refused.decoding)
            XCTAssertNil(refused.bytes, "standardised values are not bytes")
            let arch = Architecture(sizes: [d, 8, k], hidden: .relu, output: .softmax)
            let config = TrainingConfig(
                loss: .crossEntropy, regularization: Regularization(l2: 0.01),
                optimizer: .sgd(SGDConfig(learningRate: 0.01, momentum: 0.9)),
                epochs: 5, batching: batching, shuffle: true, seed: 3)
            var a = Network<T>(architecture: arch, initialization: .xavierUniform, seed: 2)
            var b = a
            let ra = Trainer.train(&a, on: coded, config: config)
            let rb = Trainer.train(&b, on: plain, config: config)
            XCTAssertEqual(ra.epochCosts, rb.epochCosts)
            XCTAssertEqual(a.parameters.map(bits), b.parameters.map(bits), "\(T.self) \(batching)")
        }
        for batching in [Batching.count(7), .size(1), .full] {
            run(Float.self, batching: batching)
            run(Double.self, batching: batching)
        }
    }

    func tanhKernel<T: Real>(_ isa: nn_isa?, _ z: UnsafeMutablePointer<T>, _ n: Int) {
        inPlace(
            isa, z, n, engine: { T.tanhInPlace($0, count: $1) }, f32: { nn_tanh_f32_isa($0, $1, $2) },
            f64: { nn_tanh_f64_isa($0, $1, $2) })
    }

    /// Every variant of the tanh kernel gives `Real.tanh`'s bits element by element (odd lengths, both
    /// branches and their boundary, ±0, ±∞, NaN, subnormals, saturation), so the activation's bits do
    /// not depend on the CPU's vector width.
    func testTanhKernelIsBitIdenticalToTheScalarFormula() {
        func check<T: Real>(_: T.Type) {
            var rng = RNG(seed: 12, stream: "tanh")
            var values: [T] = [
                0, -T.zero, .infinity, -.infinity, .nan, .leastNonzeroMagnitude, -.leastNormalMagnitude,
                T(0.4), T(0.4).nextDown, T(-0.4), 22, 23, 9.02, -30, 1e-20
            ]
            for _ in 0..<997 { values.append(T(Double(rng.next() % 2_000_001) / 100_000 - 10)) }
            for isa in isas + [nil] {
                for n in [0, 1, 7, 8, 9, 15, 16, 17, values.count] {
                    var z = Array(values[..<n]) + [42]
                    z.withUnsafeMutableBufferPointer { tanhKernel(isa, $0.baseAddress!, n) }
                    XCTAssertEqual(
                        z[..<n].map(bits), values[..<n].map { bits(T.tanh($0)) }, "\(T.self) \(isa as Any) n \(n)")
                    XCTAssertEqual(z[n], 42, "wrote past the end")
                }
            }
            XCTAssertEqual(T.tanh(-T.zero).sign, .minus)
            XCTAssertEqual(T.tanh(.infinity), 1)
            XCTAssertEqual(T.tanh(-.infinity), -1)
            XCTAssertTrue(T.tanh(.nan).isNaN)
        }
        check(Float.self)
        check(Double.self)
    }

    /// Against the C library's long double tanhl (64-bit significand): Double within 4 ulp (the header
    /// states 2.1 measured), Float correctly rounded — over magnitudes from 1e-12 to 12, densely around the
    /// branch boundary 0.4 — and odd: tanh(−x) = −tanh(x) exactly.
    func testTanhAgainstLongDoubleReference() {
        var rng = RNG(seed: 13, stream: "tanh-accuracy")
        var worstDouble = 0.0
        var worstFloat = 0.0
        for i in 0..<200_000 {
            let u = Double(rng.next() >> 11) / Double(1 << 53)
            let magnitude: Double
            switch i % 3 {
            case 0: magnitude = Foundation.pow(10, -12 + u * 13)
            case 1: magnitude = 0.35 + u * 0.1
            default: magnitude = u * 12
            }
            let x = i % 2 == 0 ? magnitude : -magnitude
            let ref = tanhl(Float80(x))
            let d = Double.tanh(x)
            worstDouble = max(worstDouble, Double(abs(Float80(d) - ref)) / Double(abs(Double(ref)).ulp))
            XCTAssertEqual(Double.tanh(-x), -d)
            let xf = Float(x)
            let f = Float.tanh(xf)
            let refF = tanhl(Float80(xf))
            worstFloat = max(worstFloat, Double(abs(Float80(f) - refF)) / Double(abs(Float(refF)).ulp))
        }
        XCTAssertLessThanOrEqual(worstDouble, 4, "double tanh error in ulp")
        XCTAssertLessThanOrEqual(worstFloat, 0.5, "float tanh error in ulp (correctly rounded)")
        XCTAssertGreaterThan(worstDouble, 0, "the reference is a different computation")
    }

    /// One-hot targets are written from each row's class instead of gathered: the same bits as the
    /// gather of `y` (+0, never −0, and 1), for random minibatches; targets that are not one-hot
    /// (a −0, a second 1, a 0.5, one output column, an all-zero row) keep the gather.
    func testOneHotTargetsAreWrittenWithTheGathersBits() {
        func check<T: Real>(_: T.Type) {
            var rng = RNG(seed: 21, stream: "one-hot")
            let n = 97
            let k = 10
            let labels = (0..<n).map { _ in Int(rng.next() % UInt64(k)) }
            let y = Samples<T>.oneHot(labels: labels, classes: k)
            let samples = Samples<T>(x: [T](repeating: 0, count: n), y: y, count: n, inputs: 1, outputs: k)
            XCTAssertEqual(samples.classes, labels.map { Int32($0) })
            let indices = (0..<40).map { _ in Int(rng.next() % UInt64(n)) }
            var written = [T](repeating: -7, count: indices.count * k + 2)
            var gathered = [T](repeating: -7, count: indices.count * k + 2)
            samples.classes!.withUnsafeBufferPointer { c in
                indices.withUnsafeBufferPointer { i in
                    written.withUnsafeMutableBufferPointer {
                        Workspace<T>.oneHotRows(c.baseAddress!, indices: i, cols: k, into: $0.baseAddress!)
                    }
                }
            }
            y.withUnsafeBufferPointer { src in
                indices.withUnsafeBufferPointer { i in
                    gathered.withUnsafeMutableBufferPointer {
                        Workspace<T>.gather(src.baseAddress!, cols: k, indices: i, into: $0.baseAddress!)
                    }
                }
            }
            XCTAssertEqual(written.map(bits), gathered.map(bits))
            XCTAssertEqual(Array(written.suffix(2)), [-7, -7], "wrote past the batch")
            for bad: [T] in [[0, 1, -T.zero, 0], [1, 1, 0, 0], [0.5, 0, 0, 1], [0, 0, 0, 0]] {
                XCTAssertNil(Samples<T>.oneHotClasses([0, 0, 1, 0] + bad, outputs: 4), "\(bad)")
            }
            XCTAssertEqual(Samples<T>.oneHotClasses([0, 0, 1, 0, 1, 0, 0, 0], outputs: 4), [2, 0])
            XCTAssertNil(Samples<T>.oneHotClasses([1, 0, 1], outputs: 1), "one output column: labels, not one-hot")
        }
        check(Float.self)
        check(Double.self)
    }
}
