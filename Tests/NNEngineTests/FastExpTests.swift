import Foundation
import XCTest

@testable import NNEngine

/// `fastExp` replaces libm's exp in the sigmoid loop; it must agree with it to the type's rounding.
final class FastExpTests: XCTestCase {
    /// Distance in units in the last place of `expected` (Float results checked against Double exp).
    func ulps(_ got: Float, _ expected: Double) -> Double {
        abs(Double(got) - expected) / Double(Float(expected).ulp)
    }

    func testFloatWithinTwoULPOverTheNormalRange() {
        var worst = 0.0
        var at: Float = 0
        var x: Float = -87.3
        while x < 88.7 {
            let e = ulps(Float.fastExp(x), Foundation.exp(Double(x)))
            if e > worst {
                worst = e
                at = x
            }
            x += 0.000_37
        }
        XCTAssertLessThanOrEqual(worst, 2, "worst error \(worst) ulp at x = \(at)")
    }

    func testDoubleWithinTwoULPOfLibm() {
        var worst = 0.0
        var at = 0.0
        var x = -708.0
        while x < 709.7 {
            let expected = Foundation.exp(x)
            let e = abs(Double.fastExp(x) - expected) / expected.ulp
            if e > worst {
                worst = e
                at = x
            }
            x += 0.000_731
        }
        XCTAssertLessThanOrEqual(worst, 2, "worst error \(worst) ulp at x = \(at)")
    }

    func testSpecialValues() {
        XCTAssertEqual(Float.fastExp(0), 1)
        XCTAssertEqual(Double.fastExp(0), 1)
        XCTAssertEqual(Float.fastExp(1), Float(M_E), accuracy: Float(M_E).ulp * 2)
        // Below the smallest normal result: exactly zero, never a subnormal.
        for x: Float in [-87.4, -100, -104, -1e30, -.infinity] { XCTAssertEqual(Float.fastExp(x), 0, "x = \(x)") }
        for x: Double in [-708.4, -745, -1e300, -.infinity] { XCTAssertEqual(Double.fastExp(x), 0, "x = \(x)") }
        XCTAssertTrue(Float.fastExp(-87.33).isNormal)
        XCTAssertTrue(Double.fastExp(-708.39).isNormal)
        // Top of the range stays finite; past it, infinity.
        XCTAssertTrue(Float.fastExp(88.72).isFinite)
        XCTAssertEqual(Float.fastExp(88.8), .infinity)
        XCTAssertTrue(Double.fastExp(709.78).isFinite)
        XCTAssertEqual(Double.fastExp(710), .infinity)
        XCTAssertEqual(Float.fastExp(.infinity), .infinity)
        XCTAssertTrue(Float.fastExp(.nan).isNaN)
        XCTAssertTrue(Double.fastExp(.nan).isNaN)
    }

    /// The sigmoid built on it stays within a few ulp of the exact value (e·1/(1+e) rounds twice), saturates to exact 0
    /// and 1, and keeps NaN (so divergence is still detected).
    func testSigmoidMatchesLibm() {
        let z: [Float] = stride(from: -120, through: 120, by: 0.0173).map { Float($0) } + [.nan]
        var a = z
        a.withUnsafeMutableBufferPointer { Activation.sigmoid.apply($0.baseAddress!, rows: 1, cols: z.count) }
        for (zi, ai) in zip(z, a) where !zi.isNaN {
            let expected = 1 / (1 + Foundation.exp(-Double(zi)))
            XCTAssertLessThanOrEqual(
                abs(Double(ai) - expected), 3 * Double(Float(expected).ulp) + Double(Float.leastNormalMagnitude),
                "z = \(zi)")
        }
        XCTAssertTrue(a.last!.isNaN)
    }
}
