import XCTest

@testable import NNEngine

/// Rosenbrock's banana: minimum 0 at (1, 1), a curved narrow valley that defeats naive methods.
func rosenbrock(_ x: UnsafePointer<Double>, _ g: UnsafeMutablePointer<Double>) -> Double {
    let a = x[0]
    let b = x[1]
    g[0] = -2 * (1 - a) - 400 * a * (b - a * a)
    g[1] = 200 * (b - a * a)
    return (1 - a) * (1 - a) + 100 * (b - a * a) * (b - a * a)
}

final class MinimizerTests: XCTestCase {
    func testRosenbrockAllMethods() {
        for method in FullBatchMethod.allCases {
            let r = Minimizer.minimize(
                method, rosenbrock, from: [-1.2, 1],
                options: MinimizerOptions(maxIterations: 2000, gradientTolerance: 1e-9))
            XCTAssertEqual(r.stop, .converged, "\(method)")
            XCTAssertEqual(r.x[0], 1, accuracy: 1e-6, "\(method)")
            XCTAssertEqual(r.x[1], 1, accuracy: 1e-6, "\(method)")
            XCTAssertLessThan(r.cost, 1e-12, "\(method)")
            XCTAssertEqual(r.costs.first!, 24.2, accuracy: 1e-12, "\(method): initial cost first")
            XCTAssertEqual(r.costs.count, r.iterations + 1, "\(method)")
            XCTAssertEqual(r.costs.last, r.cost, "\(method)")
            // Every iteration must decrease the cost (sufficient decrease).
            for k in 1..<r.costs.count { XCTAssertLessThan(r.costs[k], r.costs[k - 1], "\(method) iteration \(k)") }
        }
    }

    func testQuadraticConvergesQuicklyWithBFGS() {
        // f = ½xᵀAx − bᵀx with A = [[3,1],[1,2]], b = (1, 1): minimum at A⁻¹b = (0.2, 0.4).
        let f: Objective = { x, g in
            g[0] = 3 * x[0] + x[1] - 1
            g[1] = x[0] + 2 * x[1] - 1
            return 0.5 * (3 * x[0] * x[0] + 2 * x[0] * x[1] + 2 * x[1] * x[1]) - x[0] - x[1]
        }
        for method in FullBatchMethod.allCases {
            let r = Minimizer.minimize(
                method, f, from: [5, -7], options: MinimizerOptions(maxIterations: 50, gradientTolerance: 1e-10))
            XCTAssertEqual(r.stop, .converged, "\(method)")
            XCTAssertEqual(r.x[0], 0.2, accuracy: 1e-9, "\(method)")
            XCTAssertEqual(r.x[1], 0.4, accuracy: 1e-9, "\(method)")
            XCTAssertLessThan(r.iterations, 20, "\(method)")
        }
    }

    func testStopsAtMaxIterationsAndCancels() {
        for method in FullBatchMethod.allCases {
            let r = Minimizer.minimize(
                method, rosenbrock, from: [-1.2, 1], options: MinimizerOptions(maxIterations: 3, gradientTolerance: 0))
            XCTAssertEqual(r.stop, .maxIterations, "\(method)")
            XCTAssertEqual(r.iterations, 3, "\(method)")
            XCTAssertEqual(r.costs.count, 4, "\(method)")
            var seen: [Int] = []
            let c = Minimizer.minimize(
                method, rosenbrock, from: [-1.2, 1], options: MinimizerOptions(maxIterations: 100)
            ) { k, _ in
                seen.append(k)
                return k < 2
            }
            XCTAssertEqual(c.stop, .cancelled, "\(method)")
            XCTAssertEqual(seen, [1, 2], "\(method)")
        }
    }

    func testAlreadyAtMinimum() {
        for method in FullBatchMethod.allCases {
            let r = Minimizer.minimize(method, rosenbrock, from: [1, 1])
            XCTAssertEqual(r.stop, .converged, "\(method)")
            XCTAssertEqual(r.iterations, 0)
            XCTAssertEqual(r.costs, [0])
        }
    }

    func testNonFiniteStartDiverges() {
        let f: Objective = { _, g in
            g[0] = .nan
            return .nan
        }
        for method in FullBatchMethod.allCases {
            XCTAssertEqual(Minimizer.minimize(method, f, from: [0]).stop, .diverged, "\(method)")
        }
    }

    func testLineSearchBacksOffFromOverflow() {
        // f = exp(x) − 2x has its minimum at log 2 but overflows for x ≳ 710; a first step that
        // lands in overflow must be pulled back rather than reported as divergence.
        let f: Objective = { x, g in
            let e = Foundation.exp(x[0])
            g[0] = e - 2
            return e - 2 * x[0]
        }
        for method in [FullBatchMethod.bfgs, .cg] {
            let r = Minimizer.minimize(
                method, f, from: [-800], options: MinimizerOptions(maxIterations: 200, gradientTolerance: 1e-10))
            XCTAssertEqual(r.stop, .converged, "\(method)")
            XCTAssertEqual(r.x[0], Foundation.log(2), accuracy: 1e-8, "\(method)")
        }
        // liblbfgs's More–Thuente search cannot interpolate through an infinite trial value; it must
        // still stop cleanly at its last finite iterate, not report divergence or return garbage.
        let r = Minimizer.minimize(
            .lbfgs, f, from: [-800], options: MinimizerOptions(maxIterations: 200, gradientTolerance: 1e-10))
        XCTAssertTrue(r.stop == .lineSearchFailed || r.stop == .converged, "\(r.stop)")
        XCTAssertTrue(r.cost.isFinite && r.cost < r.costs[0])
        var g = [0.0]
        XCTAssertEqual(f(r.x, &g), r.cost)
    }
}
