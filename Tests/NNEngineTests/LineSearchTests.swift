import XCTest

@testable import NNEngine

final class LineSearchTests: XCTestCase {
    /// The accepted step must satisfy both strong Wolfe conditions, checked here independently.
    func testStrongWolfeOnRosenbrockSteepestDescent() {
        for c2 in [0.1, 0.4, 0.9] {
            for start in [[-1.2, 1.0], [0.0, 0.0], [2.0, -1.0], [-0.5, 3.0]] {
                var g = [0.0, 0.0]
                let f0 = rosenbrock(start, &g)
                let d = g.map { -$0 }
                let slope = g[0] * d[0] + g[1] * d[1]
                var xNew = [0.0, 0.0]
                var gNew = [0.0, 0.0]
                let ls = StrongWolfeLineSearch(c1: 1e-4, c2: c2)
                for initial in [1.0, 1e-4, 10] {
                    let out = ls.search(
                        rosenbrock, count: 2, x: start, cost: f0, slope: slope, direction: d,
                        initialStep: initial, xNew: &xNew, gNew: &gNew)
                    XCTAssertTrue(out.accepted && out.strongWolfe, "start \(start) c2 \(c2) α0 \(initial)")
                    let a = out.step
                    XCTAssertEqual(xNew[0], start[0] + a * d[0])
                    XCTAssertEqual(xNew[1], start[1] + a * d[1])
                    var gCheck = [0.0, 0.0]
                    let fa = rosenbrock(xNew, &gCheck)
                    XCTAssertEqual(fa, out.cost)
                    XCTAssertEqual(gCheck, gNew)
                    XCTAssertLessThanOrEqual(fa, f0 + 1e-4 * a * slope)
                    XCTAssertLessThanOrEqual(abs(gCheck[0] * d[0] + gCheck[1] * d[1]), c2 * abs(slope))
                }
            }
        }
    }

    func testExactStepOnQuadratic() {
        // φ(α) = (1 − α)²·... : f(x) = x², from x = 1 along d = −1: exact minimiser α = 1... with a
        // tight c2 the cubic interpolation must find it from a far guess.
        let f: Objective = { x, g in
            g[0] = 2 * x[0]
            return x[0] * x[0]
        }
        var xNew = [0.0]
        var gNew = [0.0]
        let out = StrongWolfeLineSearch(c1: 1e-4, c2: 1e-3).search(
            f, count: 1, x: [1], cost: 1, slope: -2, direction: [-1],
            initialStep: 7.3, xNew: &xNew, gNew: &gNew)
        XCTAssertTrue(out.strongWolfe)
        XCTAssertEqual(out.step, 1, accuracy: 1e-3)
    }

    func testRejectsAscentDirection() {
        var xNew = [0.0]
        var gNew = [0.0]
        let f: Objective = { x, g in
            g[0] = 2 * x[0]
            return x[0] * x[0]
        }
        let out = StrongWolfeLineSearch().search(
            f, count: 1, x: [1], cost: 1, slope: 2, direction: [1],
            initialStep: 1, xNew: &xNew, gNew: &gNew)
        XCTAssertFalse(out.accepted)
        XCTAssertEqual(out.evaluations, 0)
    }
}
