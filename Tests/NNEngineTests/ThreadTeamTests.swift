import Foundation
import XCTest

@testable import NNEngine

/// The run's thread team (team.c behind `ThreadTeam`): every task runs exactly once whatever the
/// thread count, job after job (the helpers spin, yield and park between jobs), and the parallel parts
/// of a training step built on it — the optimizer updates, activations, bias sums, the gather — give
/// the same bits at 1, 2 and 3 threads, including sizes that leave remainders in every partition.
final class ThreadTeamTests: XCTestCase {
    /// Counts how often each task ran, over many jobs of varying size and thread count, including
    /// pauses long enough for the helpers to park and be woken.
    func testEveryTaskRunsExactlyOnce() {
        let team = ThreadTeam()
        let counts = UnsafeMutablePointer<Int>.allocate(capacity: 512)
        defer { counts.deallocate() }
        var rng = RNG(seed: 5)
        for job in 0..<3000 {
            team.threads = [1, 2, 3, 4, 2][job % 5]
            let tasks = Int(rng.next() % 300)
            counts.initialize(repeating: 0, count: max(tasks, 1))
            team.run(tasks) { i in counts[i] += 1 }
            for i in 0..<tasks where counts[i] != 1 {
                XCTFail("job \(job): task \(i) of \(tasks) ran \(counts[i]) times at \(team.threads) threads")
                return
            }
            if job % 500 == 499 { usleep(2000) }  // helpers park (after ~0.3 ms idle) and must wake
        }
    }

    /// Helpers really take part (else the thread-count tests below would compare one thread with itself).
    func testHelpersRunTasks() {
        let team = ThreadTeam()
        team.threads = 2
        let lock = NSLock()
        var threads = Set<String>()
        for _ in 0..<200 {
            team.run(64) { _ in
                let me = "\(pthread_self())"
                lock.lock()
                threads.insert(me)
                lock.unlock()
                usleep(50)
            }
            if threads.count > 1 { break }
        }
        XCTAssertGreaterThan(threads.count, 1, "no helper thread ran a task")
    }

    /// `forEachRange` cuts 0..<n into the same consecutive ranges of `grain` for any thread count.
    func testRangesFollowFromTheSizeAlone() {
        let team = ThreadTeam()
        for threads in 1...4 {
            team.threads = threads
            for (n, grain) in [
                (0, 4), (1, 4), (4, 4), (5, 4), (1000, 7), (ThreadTeam.elementGrain * 3 + 77, ThreadTeam.elementGrain)
            ] {
                let lock = NSLock()
                var seen: [Range<Int>] = []
                team.forEachRange(n, grain: grain) { r in
                    lock.lock()
                    seen.append(r)
                    lock.unlock()
                }
                let expected = stride(from: 0, to: n, by: grain).map { $0..<min($0 + grain, n) }
                XCTAssertEqual(
                    seen.sorted { $0.lowerBound < $1.lowerBound }, expected, "n \(n) grain \(grain) threads \(threads)")
            }
        }
    }

    // MARK: - Optimizer updates

    /// A parameter count that leaves a remainder in the update's partition (3 full ranges and 77).
    static let oddCount = ThreadTeam.elementGrain * 3 + 77

    /// `steps` steps of a fresh `make(count)` on `threads` threads over seeded gradients; the parameters.
    func updates<T: Real, O: FirstOrderOptimizer>(
        _: T.Type, threads: Int, count n: Int, steps: Int = 4,
        _ make: (Int) -> O
    ) -> [T] where O.T == T {
        var opt = make(n)
        let team = ThreadTeam()
        team.threads = threads
        var rng = RNG(seed: 11)
        var p = (0..<n).map { _ in T(rng.uniform(-1, 1)) }
        var g = [T](repeating: 0, count: n)
        for _ in 0..<steps {
            for i in 0..<n { g[i] = T(rng.uniform(-1, 1)) * (i % 97 == 0 ? 0 : 1) }  // some exact zeros (rprop's sign rule)
            p.withUnsafeMutableBufferPointer {
                opt.step(parameters: $0.baseAddress!, gradient: g, count: n, team: team)
            }
        }
        return p
    }

    /// Same bits at 1, 2 and 3 threads, every parameter moved, and each parameter equal to what a
    /// one-parameter optimizer fed that parameter's gradients computes (no partition at all).
    func checkUpdate<T: Real, O: FirstOrderOptimizer>(
        _ name: String, _: T.Type, perElement: Bool = true,
        _ make: (Int) -> O
    ) where O.T == T {
        let n = Self.oddCount
        let one = updates(T.self, threads: 1, count: n, make)
        for threads in [2, 3] {
            let many = updates(T.self, threads: threads, count: n, make)
            XCTAssertEqual(
                many.map { Double($0).bitPattern }, one.map { Double($0).bitPattern },
                "\(name) \(T.self) at \(threads) threads")
        }
        var rng = RNG(seed: 11)
        let start = (0..<n).map { _ in T(rng.uniform(-1, 1)) }
        let unmoved = (0..<n).filter { one[$0] == start[$0] }.count
        XCTAssertLessThan(unmoved, n / 50, "\(name): \(unmoved) of \(n) parameters never moved")
        guard perElement else { return }
        // Element i alone: replay its start value and gradients through a one-parameter optimizer.
        for i in [0, 1, ThreadTeam.elementGrain - 1, ThreadTeam.elementGrain, 2 * ThreadTeam.elementGrain + 5, n - 1] {
            var rng = RNG(seed: 11)
            var all = (0..<n).map { _ in T(rng.uniform(-1, 1)) }
            var opt = make(1)
            let team = ThreadTeam()
            var p = [all[i]]
            for _ in 0..<4 {
                for j in 0..<n { all[j] = T(rng.uniform(-1, 1)) * (j % 97 == 0 ? 0 : 1) }
                p.withUnsafeMutableBufferPointer {
                    opt.step(parameters: $0.baseAddress!, gradient: [all[i]], count: 1, team: team)
                }
            }
            XCTAssertEqual(Double(p[0]).bitPattern, Double(one[i]).bitPattern, "\(name) \(T.self) parameter \(i)")
        }
    }

    func checkEveryOptimizer<T: Real>(_: T.Type) {
        checkUpdate("sgd", T.self) { SGD<T>(SGDConfig(learningRate: 0.1), count: $0) }
        for rule in MomentumRule.allCases {
            checkUpdate("sgd \(rule)", T.self) {
                SGD<T>(SGDConfig(learningRate: 0.1, momentum: 0.9, momentumRule: rule), count: $0)
            }
        }
        checkUpdate("adam", T.self) { Adam<T>(AdamConfig(learningRate: 0.01), count: $0) }
        checkUpdate("adamw", T.self) { AdamW<T>(AdamWConfig(learningRate: 0.01, weightDecay: 0.1), count: $0) }
        // Biases spared: decayed ranges that do not start at 0 and end inside a partition range.
        checkUpdate("adamw, biases spared", T.self, perElement: false) {
            AdamW<T>(
                AdamWConfig(learningRate: 0.01, weightDecay: 0.1), count: $0,
                decayed: [5..<(ThreadTeam.elementGrain + 9), (ThreadTeam.elementGrain + 20)..<($0 - 3)])
        }
        checkUpdate("adagrad", T.self) { Adagrad<T>(AdagradConfig(learningRate: 0.1), count: $0) }
        checkUpdate("rmsprop", T.self) { RMSprop<T>(RMSpropConfig(learningRate: 0.01), count: $0) }
        checkUpdate("rmsprop centered, momentum", T.self) {
            RMSprop<T>(RMSpropConfig(learningRate: 0.01, momentum: 0.5, centered: true), count: $0)
        }
        checkUpdate("rprop", T.self) { Rprop<T>(RpropConfig(), count: $0) }
    }

    func testOptimizerUpdatesGiveIdenticalBitsAtAnyThreadCount() {
        checkEveryOptimizer(Float.self)
        checkEveryOptimizer(Double.self)
    }

    // MARK: - A whole step

    /// Trains with `threads` threads; parameters and every batch cost.
    func train<T: Real>(
        _: T.Type, arch: Architecture, loss: Loss, batch: Batching, optimizer: OptimizerConfig,
        dropout: Double? = nil, threads: Int
    ) -> (parameters: [T], costs: [Double]) {
        let d = Fixture.samples(arch, loss: loss, count: 333, seed: 4)
        let data = Samples<T>(
            x: d.x.map { T($0) }, y: d.y.map { T($0) }, count: d.count, inputs: d.inputs, outputs: d.outputs)
        var net = Network<T>(architecture: arch, initialization: .he, seed: 3)
        var config = TrainingConfig(
            loss: loss, reduction: .mean, regularization: Regularization(l2: 1e-3),
            optimizer: optimizer, epochs: 2, batching: batch, shuffle: true,
            recordBatchCosts: true, seed: 5)
        if let dropout { config.dropout = Dropout(rates: [dropout]) }
        config.threads = ThreadBudget(fixed: threads)
        let r = Trainer.train(&net, on: data, config: config)
        return (net.parameters, r.epochCosts + r.batchCosts)
    }

    func checkThreads<T: Real>(
        _: T.Type, _ arch: Architecture, loss: Loss = .crossEntropy, batch: Batching,
        optimizer: OptimizerConfig, dropout: Double? = nil, line: UInt = #line
    ) {
        let one = train(
            T.self, arch: arch, loss: loss, batch: batch, optimizer: optimizer, dropout: dropout, threads: 1)
        XCTAssertTrue(one.costs.allSatisfy(\.isFinite), line: line)
        for threads in [2, 3] {
            let many = train(
                T.self, arch: arch, loss: loss, batch: batch, optimizer: optimizer, dropout: dropout, threads: threads)
            XCTAssertEqual(
                many.parameters.map { Double($0).bitPattern }, one.parameters.map { Double($0).bitPattern },
                "\(T.self) \(arch.sizes) \(arch.activations) at \(threads) threads", line: line)
            XCTAssertEqual(many.costs.map(\.bitPattern), one.costs.map(\.bitPattern), line: line)
        }
    }

    /// Every hidden activation (elementwise, on row ranges of column-cut products and on row blocks),
    /// softmax and sigmoid outputs, dropout masks, bias sums split into several column ranges (130
    /// outputs: one range on one thread, 2 of 80 and 50 on two, 3 of 48 with a remainder on three), a gradient big enough for several update
    /// ranges (400·130 > 3 × 16 Ki), and a last minibatch shorter than the others.
    func testTrainingStepsGiveIdenticalBitsAtAnyThreadCount() {
        XCTAssertEqual(Architecture.columnGrain(columns: 130, threads: 1), 144)
        XCTAssertEqual(Architecture.columnGrain(columns: 130, threads: 2), 80)
        XCTAssertEqual(Architecture.columnGrain(columns: 130, threads: 3), 48)
        let adam = OptimizerConfig.adam(AdamConfig(learningRate: 0.01))
        let sgd = OptimizerConfig.sgd(SGDConfig(learningRate: 0.05, momentum: 0.9))
        for hidden in [Activation.relu, .sigmoid, .tanh, .leakyReLU(slope: 0.1), .elu(alpha: 1)] {
            checkThreads(
                Float.self, Architecture(sizes: [400, 130, 10], hidden: hidden, output: .softmax), batch: .size(333),
                optimizer: adam)
        }
        checkThreads(
            Double.self, Architecture(sizes: [400, 130, 10], hidden: .relu, output: .softmax), batch: .size(333),
            optimizer: sgd)
        checkThreads(
            Float.self, Architecture(sizes: [400, 130, 10], hidden: .relu, output: .softmax), batch: .size(333),
            optimizer: sgd,
            dropout: 0.3)
        checkThreads(
            Float.self, Architecture(sizes: [400, 130, 70, 10], hidden: .sigmoid, output: .sigmoid), loss: .logistic,
            batch: .size(150), optimizer: .rmsprop(RMSpropConfig(learningRate: 0.01)))
        checkThreads(
            Double.self, Architecture(sizes: [300, 90, 3], hidden: .relu, output: .linear), loss: .mse,
            batch: .size(100), optimizer: .adagrad(AdagradConfig(learningRate: 0.05)))
    }
}
