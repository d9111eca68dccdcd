import Foundation
import XCTest

@testable import NNEngine

/// `fastLog1pUnit` replaces libm's log1p in the softplus of the logistic cost, on [0, 1].
final class FastLog1pTests: XCTestCase {
    func testFloatWithinTwoULPOnUnitInterval() {
        var worst = 0.0
        var at: Float = 0
        var x: Float = 0
        while x <= 1 {
            let expected = Foundation.log1p(Double(x))
            let e = abs(Double(Float.fastLog1pUnit(x)) - expected) / Double(Float(expected).ulp)
            if e > worst {
                worst = e
                at = x
            }
            x += x < 1e-3 ? 1.3e-7 : 1.7e-6
        }
        // Tiny arguments, where log1p(x) ≈ x must keep full relative accuracy.
        for x: Float in [1e-30, 1.2e-38, 3e-20, 1e-10, 1e-5] {
            let expected = Foundation.log1p(Double(x))
            worst = max(worst, abs(Double(Float.fastLog1pUnit(x)) - expected) / Double(Float(expected).ulp))
        }
        XCTAssertLessThanOrEqual(worst, 2, "worst error \(worst) ulp at x = \(at)")
    }

    func testDoubleWithinTwoULPOfLibm() {
        var worst = 0.0
        var at = 0.0
        var x = 0.0
        while x <= 1 {
            let expected = Foundation.log1p(x)
            let e =
                expected == 0 ? abs(Double.fastLog1pUnit(x)) : abs(Double.fastLog1pUnit(x) - expected) / expected.ulp
            if e > worst {
                worst = e
                at = x
            }
            x += x < 1e-3 ? 1.1e-8 : 3.7e-7
        }
        for x in [1e-300, 2.3e-308, 1e-100, 1e-10, 1e-5] {
            worst = max(worst, abs(Double.fastLog1pUnit(x) - Foundation.log1p(x)) / Foundation.log1p(x).ulp)
        }
        XCTAssertLessThanOrEqual(worst, 2, "worst error \(worst) ulp at x = \(at)")
    }

    func testEndpoints() {
        XCTAssertEqual(Float.fastLog1pUnit(0), 0)
        XCTAssertEqual(Double.fastLog1pUnit(0), 0)
        XCTAssertEqual(Double.fastLog1pUnit(1), M_LN2, accuracy: M_LN2.ulp * 2)
        XCTAssertEqual(Float.fastLog1pUnit(1), Float(M_LN2), accuracy: Float(M_LN2).ulp * 2)
    }
}
