import XCTest

@testable import NNEngine

final class RegularizationTests: XCTestCase {
    /// Penalty and gradient worked by hand on a 1-input, 2-output linear layer whose data term is zero
    /// (outputs equal targets), so only the penalty remains: l1·Σ|w| + l2/2·Σw², gradient
    /// l1·sign(w) + l2·w — sign(0) = 0 — and nothing on the biases.
    func testPenaltyByHand() {
        let arch = Architecture(sizes: [1, 2], activations: [.linear])
        let p: [Double] = [2, 0, 5, -7]  // W = (2, 0), b = (5, −7)
        let ws = Workspace<Double>(architecture: arch, capacity: 2)
        ws.input.update(from: [1, 1], count: 2)
        ws.targets.update(from: [7, -7, 7, -7], count: 4)
        var g = [Double](repeating: 0, count: 4)
        let reg = Regularization(l1: 0.5, l2: 0.25)
        let c = arch.costAndGradient(
            ws, rows: 2, loss: .sse, reduction: .sum, regularization: reg, parameters: p, gradient: &g)
        XCTAssertEqual(c, 0.5 * 2 + 0.125 * 4)
        XCTAssertEqual(g, [0.5 + 0.5, 0, 0, 0])
        // Mean reduction divides the penalty by the batch size (Coursera's λ/(2m)).
        let cm = arch.costAndGradient(
            ws, rows: 2, loss: .sse, reduction: .mean, regularization: reg, parameters: p, gradient: &g)
        XCTAssertEqual(cm, (0.5 * 2 + 0.125 * 4) / 2)
        XCTAssertEqual(g, [0.5, 0, 0, 0])
    }

    /// L1 alone drives a weight with no data gradient towards zero from either side.
    func testL1SubgradientSign() {
        let arch = Architecture(sizes: [1, 1], activations: [.linear], bias: false)
        let ws = Workspace<Double>(architecture: arch, capacity: 1)
        ws.input[0] = 0
        ws.targets[0] = 0
        var g = [0.0]
        for (w, sign) in [(-3.0, -1.0), (0.0, 0.0), (4.0, 1.0)] {
            _ = arch.costAndGradient(
                ws, rows: 1, loss: .sse, reduction: .sum, regularization: Regularization(l1: 0.1),
                parameters: [w], gradient: &g)
            XCTAssertEqual(g[0], 0.1 * sign)
        }
    }
}
