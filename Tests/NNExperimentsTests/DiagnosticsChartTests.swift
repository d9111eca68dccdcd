import Foundation
import XCTest

@testable import NNExperiments

/// The training-diagnostics charts (DiagnosticsChart.swift): gradient norms per layer on a log axis and
/// dead/saturated shares, for the runs that wrote diagnostics.csv; a malformed file is named.
final class DiagnosticsChartTests: XCTestCase {
    func dir() throws -> URL {
        let d = FileManager.default.temporaryDirectory.appendingPathComponent("nnexp-diag-\(UUID().uuidString)")
            .appendingPathComponent("housing")
        try FileManager.default.createDirectory(at: d, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: d.deletingLastPathComponent()) }
        return d
    }

    /// Three layers whose gradients differ by decades (layer 1 vanishing), a relu layer with dead
    /// units and a sigmoid layer with saturated ones.
    func diagnostics(epochs: Int) -> String {
        var rows: [[String]] = []
        for e in 1...epochs {
            let f = Double(e)
            rows.append(["\(e)", "1", "3", NumberFormatTest.s(1e-6 / f), "0.001", NumberFormatTest.s(0.1 * f), ""])
            rows.append(["\(e)", "2", "2", NumberFormatTest.s(1e-3 / f), "0.002", "", "0.5"])
            rows.append(["\(e)", "3", "1", NumberFormatTest.s(0.1 / f), "0.003", "", ""])
        }
        return ReportFixtures.csv("epoch,layer,weight_norm,gradient_norm,update_ratio,dead_share,saturated_share", rows)
    }

    func testGradientNormAndUnitActivityCharts() throws {
        let d = try dir()
        try ReportFixtures.regression(d)
        try ReportFixtures.write(["l2=0.01/diagnostics.csv": diagnostics(epochs: 5)], under: d)
        let r = try ReportWriter.write(experimentDirectory: d.path)
        let names = r.chartPaths.map { ($0 as NSString).lastPathComponent }
        XCTAssertTrue(names.contains("gradient-norm-l2-0.01.svg"), "\(names)")
        XCTAssertTrue(names.contains("unit-activity-l2-0.01.svg"), "\(names)")
        XCTAssertFalse(names.contains { $0.hasPrefix("gradient-norm-l2-0.1") }, "runs without diagnostics get no chart")
        let grad = try String(
            contentsOfFile: r.chartPaths.first { $0.hasSuffix("gradient-norm-l2-0.01.svg") }!, encoding: .utf8)
        for label in ["layer 1", "layer 2", "layer 3", "gradient norm", "Gradient norm per layer — l2=0.01"] {
            XCTAssertTrue(grad.contains(label), "gradient chart lacks \(label)")
        }
        // Log axis: ticks at powers of ten across the six decades the norms span.
        XCTAssertTrue(grad.contains("1e-6") || grad.contains("10⁻⁶") || grad.contains("0.000001"), "no tick near 1e-6")
        let units = try String(
            contentsOfFile: r.chartPaths.first { $0.hasSuffix("unit-activity-l2-0.01.svg") }!, encoding: .utf8)
        XCTAssertTrue(units.contains("layer 1 dead"))
        XCTAssertTrue(units.contains("layer 2 saturated"))
        XCTAssertFalse(units.contains("layer 3"))
    }

    func testAMalformedDiagnosticsFileIsNamed() throws {
        let d = try dir()
        try ReportFixtures.regression(d)
        try ReportFixtures.write(["l2=0.1/diagnostics.csv": "epoch,layer,gradient_norm\n1,1,0.5\n"], under: d)
        XCTAssertThrowsError(try ReportWriter.write(experimentDirectory: d.path)) { e in
            XCTAssertTrue("\(e)".contains("diagnostics.csv"), "\(e)")
            XCTAssertTrue("\(e)".contains("dead_share"), "\(e)")
        }
    }
}
