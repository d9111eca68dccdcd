import XCTest
@testable import NNExperiments

/// The verdict thresholds of `nnexp gradcheck`.
final class GradientCheckRunTests: XCTestCase {
    func testVerdictThresholds() {
        XCTAssertEqual(GradientCheckRun.Verdict(1e-7), .ok)
        XCTAssertEqual(GradientCheckRun.Verdict(2e-7), .warning)
        XCTAssertEqual(GradientCheckRun.Verdict(1e-4), .warning)
        XCTAssertEqual(GradientCheckRun.Verdict(1.1e-4), .problem)
        XCTAssertEqual(GradientCheckRun.Verdict(.nan), .problem)
    }
}
