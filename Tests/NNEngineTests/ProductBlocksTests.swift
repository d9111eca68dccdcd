import Dispatch
import XCTest

@testable import NNEngine

/// One run on several cores with the same bits: the block layout follows from shapes alone, and
/// training with 1, 2 or 3 product threads gives identical parameters and costs for every layer-shape
/// class (blocks with remainders, layers too small to block, batch of one), in both precisions, for
/// first-order and full-batch optimizers.
final class ProductBlocksTests: XCTestCase {
    func testLayoutFollowsTheRule() {
        // Raschka's first layer, forward: 2·1200·50·784 = 94 M flops ≥ 2²⁴ → 2 blocks; n ≤ m → rows;
        // ⌈1200/2⌉ = 600 (a multiple of 16 already? no: 608), so 608 + 592.
        let fwd = ProductBlocks(m: 1200, n: 50, k: 784)
        XCTAssertEqual(fwd.cut, .rows)
        XCTAssertEqual(fwd.count, 2)
        XCTAssertEqual(fwd.range(0), 0..<608)
        XCTAssertEqual(fwd.range(1), 608..<1200)
        // Its weight gradient dW (50×784) = δᵀ·A: n > m → output columns.
        let dw = ProductBlocks(m: 50, n: 784, k: 1200)
        XCTAssertEqual(dw.cut, .columns)
        XCTAssertEqual(dw.count, 2)
        XCTAssertEqual(dw.range(1), 400..<784)
        // ≥ 2²⁷ flops: four blocks, ⌈1000/4⌉ = 250 → 256: 256·3 + 232.
        let big = ProductBlocks(m: 1000, n: 300, k: 300)
        XCTAssertEqual(big.count, 4)
        XCTAssertEqual(big.range(3), 768..<1000)
        // Too little work, or a cut dimension too short for 128-long blocks: fewer blocks.
        XCTAssertEqual(ProductBlocks(m: 1200, n: 10, k: 50).count, 1)
        XCTAssertEqual(ProductBlocks(m: 511, n: 20, k: 100_000).count, 2)  // 2²⁷ flops, but 511 < 4·128
        XCTAssertEqual(ProductBlocks(m: 512, n: 20, k: 100_000).count, 4)
        XCTAssertEqual(ProductBlocks(m: 256, n: 20, k: 100_000).count, 2)
        XCTAssertEqual(ProductBlocks(m: 255, n: 20, k: 100_000).count, 1)
        // The grids' first layer forward (a 200-row minibatch, 784-100): 31 M flops, but 200 < 2·128.
        XCTAssertEqual(ProductBlocks(m: 200, n: 100, k: 784).count, 1)
        XCTAssertEqual(ProductBlocks(m: 1, n: 1, k: 100_000_000).count, 1)
        // Narrow products just above 10⁶ multiply-adds: the fewest blocks that each fit OpenBLAS's
        // small-matrix path. The 784-10 forward at a batch of 200 (1.57 M; A·Wᵀ, so also ≤ 1200 values
        // per block): ⌈200/2⌉ = 100 → 112 rows, 112·10·784 = 878 080 and 1 120 values.
        let narrowForward = ProductBlocks(m: 200, n: 10, k: 784, transB: true)
        XCTAssertEqual(narrowForward.cut, .rows)
        XCTAssertEqual(narrowForward.count, 2)
        XCTAssertEqual(narrowForward.range(0), 0..<112)
        // Its weight gradient δᵀ·A (10×784 over 200 rows): 400 + 384 columns, 800 000 each at most.
        let narrowGradient = ProductBlocks(m: 10, n: 784, k: 200, transA: true)
        XCTAssertEqual(narrowGradient.cut, .columns)
        XCTAssertEqual(narrowGradient.count, 2)
        XCTAssertEqual(narrowGradient.range(1), 400..<784)
        // 16 outputs: 2 blocks of 112 rows (1.4 M) and 3 of 80 (1.0035 M) are too big; 4 of 64 fit.
        XCTAssertEqual(ProductBlocks(m: 200, n: 16, k: 784, transB: true).count, 4)
        // The forward needs k ≥ 32 for that path: not cut (2.4 M flops is below the general rule's 2²⁴);
        // without the transpose the same shape is cut in two (3 008·10·20 = 601 600).
        XCTAssertEqual(ProductBlocks(m: 6000, n: 10, k: 20, transB: true).count, 1)
        XCTAssertEqual(ProductBlocks(m: 6000, n: 10, k: 20).count, 2)
        // Both operands transposed: OpenBLAS has no such small kernel.
        XCTAssertEqual(ProductBlocks(m: 200, n: 10, k: 784, transA: true, transB: true).count, 1)
        // Every layout covers its dimension exactly once, in order, with aligned block starts.
        for m in [1, 15, 16, 17, 33, 100, 257, 1200, 60000] {
            for (n, k) in [(1, 1), (10, 50), (50, 784), (800, 784), (3000, 3000)] {
                let b = ProductBlocks(m: m, n: n, k: k)
                XCTAssertEqual(b.length, b.cut == .rows ? m : n)
                XCTAssertTrue(b.count >= 1 && b.count <= ProductBlocks.maxBlocks)
                var next = 0
                for i in 0..<b.count {
                    let r = b.range(i)
                    XCTAssertEqual(r.lowerBound, next)
                    XCTAssertFalse(r.isEmpty, "empty block \(i) of \(b)")
                    XCTAssertEqual(r.lowerBound % ProductBlocks.alignment, 0)
                    next = r.upperBound
                }
                XCTAssertEqual(next, b.length)
            }
        }
    }

    /// The blocked product is the product, for every transpose combination and both cuts.
    func testBlockedGEMMMatchesOneCall() {
        for (m, n, k) in [(300, 120, 700), (120, 300, 700)] {
            for tA in [false, true] {
                for tB in [false, true] {
                    var rng = RNG(seed: 1)
                    let a = (0..<(m * k)).map { _ in rng.uniform(-1, 1) }
                    let b = (0..<(k * n)).map { _ in rng.uniform(-1, 1) }
                    var c1 = [Double](repeating: 0.5, count: m * n)
                    var c2 = c1
                    let lda = tA ? m : k
                    let ldb = tB ? k : n
                    Double.gemm(
                        transA: tA, transB: tB, m: m, n: n, k: k, alpha: 1.5, a: a, lda: lda, b: b, ldb: ldb,
                        beta: 0.25, c: &c1, ldc: n)
                    XCTAssertGreaterThan(ProductBlocks(m: m, n: n, k: k).count, 1)
                    let team = ThreadTeam()
                    team.threads = 2
                    ProductBlocks.gemm(
                        transA: tA, transB: tB, m: m, n: n, k: k, alpha: 1.5, a: a, lda: lda, b: b, ldb: ldb,
                        beta: 0.25, c: &c2, ldc: n, team: team)
                    for i in 0..<(m * n) { XCTAssertEqual(c1[i], c2[i], accuracy: 1e-12, "tA \(tA) tB \(tB) at \(i)") }
                }
            }
        }
    }

    /// Threads only decide who computes a block: every block is computed exactly once.
    func testForEachVisitsEveryBlockOnce() {
        let b = ProductBlocks(m: 1000, n: 300, k: 300)
        let team = ThreadTeam()
        for threads in 1...5 {
            team.threads = threads
            let seen = UnsafeMutablePointer<Int>.allocate(capacity: b.count)
            seen.initialize(repeating: 0, count: b.count)
            b.forEach(team: team) { r in seen[r.lowerBound / b.blockLength] += 1 }
            XCTAssertEqual(Array(UnsafeBufferPointer(start: seen, count: b.count)), [Int](repeating: 1, count: b.count))
            seen.deallocate()
        }
    }

    /// A blocked gradient is the gradient: against a plain triple-loop backpropagation in Float64.
    func testBlockedGradientMatchesNaiveBackprop() {
        let arch = Architecture(sizes: [300, 70, 10], hidden: .tanh, output: .softmax)
        let data = Fixture.samples(arch, loss: .crossEntropy, count: 500, seed: 3)
        let p = Fixture.parameters(arch, seed: 4).map { $0 * 0.1 }
        let ws = Workspace<Double>(architecture: arch, capacity: 500)
        ws.threads = 3
        data.x.withUnsafeBufferPointer { ws.input.update(from: $0.baseAddress!, count: $0.count) }
        data.y.withUnsafeBufferPointer { ws.targets.update(from: $0.baseAddress!, count: $0.count) }
        var g = [Double](repeating: 0, count: p.count)
        let cost = p.withUnsafeBufferPointer { pb in
            g.withUnsafeMutableBufferPointer {
                arch.costAndGradient(
                    ws, rows: 500, loss: .crossEntropy, reduction: .sum,
                    regularization: .none, parameters: pb.baseAddress!,
                    gradient: $0.baseAddress!)
            }
        }
        // Naive: per sample, z1 = W1 x + b1, a1 = tanh, z2 = W2 a1 + b2, softmax; δ2 = p − y; δ1 = (W2ᵀ δ2)(1 − a1²).
        let (n0, n1, n2) = (300, 70, 10)
        let w1 = 0
        let b1 = n0 * n1
        let w2 = b1 + n1
        let b2 = w2 + n1 * n2
        var ng = [Double](repeating: 0, count: p.count)
        var ncost = 0.0
        for s in 0..<500 {
            let x = Array(data.x[(s * n0)..<((s + 1) * n0)])
            let y = Array(data.y[(s * n2)..<((s + 1) * n2)])
            var a1 = [Double](repeating: 0, count: n1)
            for j in 0..<n1 {
                var z = p[b1 + j]
                for i in 0..<n0 { z += p[w1 + j * n0 + i] * x[i] }
                a1[j] = Foundation.tanh(z)
            }
            var z2 = [Double](repeating: 0, count: n2)
            for k in 0..<n2 {
                var z = p[b2 + k]
                for j in 0..<n1 { z += p[w2 + k * n1 + j] * a1[j] }
                z2[k] = z
            }
            let m = z2.max()!
            let lse = m + Foundation.log(z2.reduce(0) { $0 + Foundation.exp($1 - m) })
            ncost += lse - zip(y, z2).reduce(0) { $0 + $1.0 * $1.1 }
            let d2 = (0..<n2).map { Foundation.exp(z2[$0] - lse) - y[$0] }
            var d1 = [Double](repeating: 0, count: n1)
            for j in 0..<n1 {
                var t = 0.0
                for k in 0..<n2 { t += p[w2 + k * n1 + j] * d2[k] }
                d1[j] = t * (1 - a1[j] * a1[j])
            }
            for k in 0..<n2 {
                ng[b2 + k] += d2[k]
                for j in 0..<n1 { ng[w2 + k * n1 + j] += d2[k] * a1[j] }
            }
            for j in 0..<n1 {
                ng[b1 + j] += d1[j]
                for i in 0..<n0 { ng[w1 + j * n0 + i] += d1[j] * x[i] }
            }
        }
        XCTAssertEqual(cost, ncost, accuracy: 1e-10 * abs(ncost))
        let scale = ng.map(abs).max()!
        for i in 0..<p.count { XCTAssertEqual(g[i], ng[i], accuracy: 1e-11 * scale, "parameter \(i)") }
    }

    /// Trains with `threads` product threads and returns parameters and every cost.
    func train<T: Real>(
        _: T.Type, sizes: [Int], batch: Batching, optimizer: OptimizerConfig, threads: Int,
        epochs: Int = 1
    ) -> (parameters: [T], costs: [Double]) {
        let arch = Architecture(sizes: sizes, hidden: .relu, output: .softmax)
        let d = Fixture.samples(arch, loss: .crossEntropy, count: 300, seed: 9)
        let data = Samples<T>(
            x: d.x.map { T($0) }, y: d.y.map { T($0) }, count: d.count, inputs: d.inputs, outputs: d.outputs)
        var net = Network<T>(architecture: arch, initialization: .he, seed: 2)
        var config = TrainingConfig(
            loss: .crossEntropy, reduction: .mean, regularization: Regularization(l2: 1e-3),
            optimizer: optimizer, epochs: epochs, batching: batch, shuffle: true,
            recordBatchCosts: true, seed: 7)
        config.threads = ThreadBudget(fixed: threads)
        let r = Trainer.train(&net, on: data, config: config)
        return (net.parameters, r.epochCosts + r.batchCosts)
    }

    func checkThreadCountsAgree<T: Real>(
        _ t: T.Type, sizes: [Int], batch: Batching, optimizer: OptimizerConfig,
        file: StaticString = #filePath, line: UInt = #line
    ) {
        let one = train(T.self, sizes: sizes, batch: batch, optimizer: optimizer, threads: 1)
        XCTAssertFalse(one.costs.isEmpty, file: file, line: line)
        for threads in [2, 3] {
            let many = train(T.self, sizes: sizes, batch: batch, optimizer: optimizer, threads: threads)
            XCTAssertEqual(
                many.parameters.map { Double($0).bitPattern }, one.parameters.map { Double($0).bitPattern },
                "\(T.self) \(sizes) \(batch) with \(threads) threads", file: file, line: line)
            XCTAssertEqual(many.costs.map(\.bitPattern), one.costs.map(\.bitPattern), file: file, line: line)
        }
    }

    func testThreadCountsGiveIdenticalBits() {
        // The shapes below do cut into several blocks (else the comparison would prove nothing).
        XCTAssertEqual(ProductBlocks(m: 300, n: 100, k: 400).cut, .rows)  // Z, two row blocks
        XCTAssertEqual(ProductBlocks(m: 300, n: 100, k: 400).count, 2)
        XCTAssertEqual(ProductBlocks(m: 128, n: 256, k: 400).cut, .columns)  // Z, two column blocks
        XCTAssertEqual(ProductBlocks(m: 128, n: 256, k: 400).count, 2)
        XCTAssertEqual(ProductBlocks(m: 256, n: 400, k: 128).count, 2)  // dW
        XCTAssertEqual(ProductBlocks(m: 128, n: 256, k: 90).count, 1)  // δ·W, too small
        let sgd = OptimizerConfig.sgd(SGDConfig(learningRate: 0.05, momentum: 0.9, momentumRule: .nesterov))
        // Several blocks with a remainder in the first layer, one block in the small ones.
        checkThreadCountsAgree(Float.self, sizes: [400, 100, 10], batch: .size(300), optimizer: sgd)
        checkThreadCountsAgree(Double.self, sizes: [400, 100, 10], batch: .size(300), optimizer: sgd)
        // Deeper, with minibatches whose last is shorter (a different layout per batch length).
        checkThreadCountsAgree(Float.self, sizes: [400, 256, 90, 10], batch: .size(128), optimizer: .adam(AdamConfig()))
        checkThreadCountsAgree(
            Double.self, sizes: [400, 256, 90, 10], batch: .size(128), optimizer: .adam(AdamConfig()))
        // A narrow first layer cut for the small-matrix path (784-10-10 at a batch of 200, as the MLP
        // grids), its 100-row last batch not cut.
        XCTAssertEqual(ProductBlocks(m: 200, n: 10, k: 784, transB: true).count, 2)
        checkThreadCountsAgree(Float.self, sizes: [784, 10, 10], batch: .size(200), optimizer: .adam(AdamConfig()))
        // Too small to block anywhere, and a batch of one (GEMV/GER, never blocked).
        checkThreadCountsAgree(Float.self, sizes: [20, 8, 3], batch: .size(32), optimizer: sgd)
        checkThreadCountsAgree(Double.self, sizes: [30, 20, 10], batch: .size(1), optimizer: sgd)
        // Full batch (cost and gradient over chunks of the whole set).
        checkThreadCountsAgree(
            Double.self, sizes: [400, 100, 10], batch: .full, optimizer: .cg(FullBatchConfig(maxIterations: 2)))
        checkThreadCountsAgree(
            Float.self, sizes: [400, 100, 10], batch: .full, optimizer: .lbfgs(FullBatchConfig(maxIterations: 2)))
    }
}
