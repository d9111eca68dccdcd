import Foundation
import XCTest

@testable import NNExperiments

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// The random-search and halving charts, checked structurally on a results folder with known values.
extension XMLElement {
    /// An attribute's value (XPath: attributes of elements in the SVG namespace).
    func attr(_ name: String) -> String? { (try? nodes(forXPath: "@\(name)"))?.first?.stringValue }
}

final class TrialChartsTests: XCTestCase {
    /// Six trials of a random search (log learning rate, choice of hidden sizes, uniform momentum)
    /// with halving by validation accuracy; trial 4 is best, trial 2 diverged (no accuracy).
    func fixture() throws -> URL {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("nnexp-trials-\(UUID().uuidString)")
        addTeardownBlock { try? FileManager.default.removeItem(at: root) }
        let dir = root.appendingPathComponent("search")
        let lr = ["0.001", "0.0031", "0.01", "0.031", "0.05", "0.1"]
        let hidden = ["[4]", "[8]", "[4, 4]", "[8]", "[4]", "[4, 4]"]
        let momentum = ["0.5", "0.6", "0.7", "0.8", "0.85", "0.9"]
        let acc: [Double?] = [0.7, 0.8, nil, 0.85, 0.95, 0.75]
        let epochs = [2, 6, 2, 6, 18, 2]
        var files: [String: String] = [:]
        files["spec.yaml"] = """
            experiment: search
            sweep:
              random:
                trials: 6
                seed: 7
                params:
                  optimizer.learning_rate: {loguniform: [1.0e-3, 1.0e-1]}
                  model.hidden: {choice: [[4], [8], [4, 4]]}
                  optimizer.momentum: {uniform: [0.5, 0.9]}
              halving: {metric: validation_accuracy, min_epochs: 2, factor: 3}

            """
        var summary =
            "run,trial,optimizer.learning_rate,model.hidden,optimizer.momentum,status,epochs,final_cost,train_accuracy,validation_accuracy,test_accuracy\n"
        for t in 0..<6 {
            let status = acc[t] == nil ? "diverged" : "completed"
            summary +=
                "trial=\(t),\(t),\(lr[t]),\"\(hidden[t])\",\(momentum[t]),\(status),\(epochs[t]),1.5,,\(acc[t].map { "\($0)" } ?? ""),\n"
            files["trial=\(t)/metrics.csv"] = ReportFixtures.csv(
                "metric,value",
                [["status", status], ["epochs", "\(epochs[t])"], ["final_cost", "1.5"]]
                    + (acc[t].map { [["validation_accuracy", "\($0)"]] } ?? []))
            files["trial=\(t)/config.yaml"] = "experiment: search\n"
        }
        files["summary.csv"] = summary
        files["rungs.csv"] = """
            trial,rung,epochs,metric,promoted
            trial=0,0,2,0.6,false
            trial=1,0,2,0.7,true
            trial=2,0,2,,false
            trial=3,0,2,0.72,true
            trial=4,0,2,0.8,true
            trial=5,0,2,0.5,false
            trial=1,1,6,0.8,false
            trial=3,1,6,0.85,false
            trial=4,1,6,0.9,true
            trial=4,2,18,0.95,false

            """
        try ReportFixtures.write(files, under: dir)
        return dir
    }

    func svg(_ dir: URL, _ name: String) throws -> XMLDocument {
        try XMLDocument(data: Data(contentsOf: dir.appendingPathComponent("charts/\(name)")), options: [])
    }

    func nodes(_ d: XMLDocument, _ xpath: String) throws -> [XMLElement] {
        try d.nodes(forXPath: xpath).compactMap { $0 as? XMLElement }
    }

    func testParallelCoordinatesScattersAndRungs() throws {
        let dir = try fixture()
        let out = try ReportWriter.write(experimentDirectory: dir.path)
        let names = Set(out.chartPaths.map { ($0 as NSString).lastPathComponent })
        XCTAssertTrue(
            names.isSuperset(of: [
                "trials-parallel.svg", "rungs.svg",
                "trials-validation-accuracy-vs-optimizer.learning_rate.svg",
                "trials-validation-accuracy-vs-model.hidden.svg",
                "trials-validation-accuracy-vs-optimizer.momentum.svg"
            ]), "\(names)")
        // The per-axis sweep charts (a line per trial) give way to these.
        XCTAssertFalse(
            names.contains { $0.contains("-vs-trial") || $0.hasPrefix("validation-accuracy-vs") }, "\(names)")

        // Parallel coordinates: an axis per parameter and the metric, a line per trial with a
        // metric (the diverged one has none), the best trial's line drawn last in the top colour.
        let p = try svg(dir, "trials-parallel.svg")
        let axes = try nodes(p, "//*[local-name()='g'][@class='axis']")
        XCTAssertEqual(axes.count, 4)
        let axisTitles = axes.compactMap { $0.elements(forName: "text").last?.stringValue }
        XCTAssertEqual(
            axisTitles, ["optimizer.learning_rate (log)", "model.hidden", "optimizer.momentum", "validation accuracy"])
        let lines = try nodes(p, "//*[local-name()='g'][@class='trials']/*[local-name()='path']")
        XCTAssertEqual(lines.count, 5)
        XCTAssertEqual(lines.last?.elements(forName: "title").first?.stringValue, "trial=4: 0.95")
        XCTAssertEqual(lines.last?.attr("stroke"), TrialCharts.colour(1))
        XCTAssertEqual(lines.first?.elements(forName: "title").first?.stringValue, "trial=0: 0.7")
        XCTAssertEqual(lines.first?.attr("stroke"), TrialCharts.colour(0))
        // Each line visits the four axes, left to right; the log axis puts 0.01 halfway up 0.001…0.1.
        for l in lines { XCTAssertEqual(l.attr("d")?.filter { $0 == "L" }.count, 3) }
        let trial3Line = try XCTUnwrap(
            lines.first { $0.elements(forName: "title").first?.stringValue?.hasPrefix("trial=3") == true })
        let firstY = try XCTUnwrap(
            trial3Line.attr("d")?.dropFirst().split(separator: "L").first?.split(separator: " ").last.flatMap {
                Double($0)
            })
        // 0.031 on a 1e-3…1e-1 axis from y = 370 (bottom) to 70 (top): 370 − 300·(log10(31)/2).
        XCTAssertEqual(firstY, 370 - 300 * log10(31) / 2, accuracy: 0.01)
        XCTAssertFalse(try nodes(p, "//*[local-name()='g'][@class='colour-bar']").isEmpty)

        // Metric against a parameter: one dot per trial with a metric, log x axis for loguniform.
        let s = try svg(dir, "trials-validation-accuracy-vs-optimizer.learning_rate.svg")
        XCTAssertEqual(try nodes(s, "//*[local-name()='circle']").count, 5)
        XCTAssertTrue(
            try nodes(s, "//*[local-name()='text']").contains {
                $0.stringValue == "optimizer.learning_rate (log scale)"
            })
        let h = try svg(dir, "trials-validation-accuracy-vs-model.hidden.svg")
        let ticks = try nodes(h, "//*[local-name()='text']").compactMap(\.stringValue)
        XCTAssertTrue(ticks.contains("[4]") && ticks.contains("[8]") && ticks.contains("[4, 4]"), "\(ticks)")
        let m = try svg(dir, "trials-validation-accuracy-vs-optimizer.momentum.svg")
        XCTAssertTrue(try nodes(m, "//*[local-name()='text']").contains { $0.stringValue == "optimizer.momentum" })

        // Rungs: a line per trial, a dot per row with a metric; filled dots are the promoted ones
        // (and the last rung's), hollow ones stopped.
        let r = try svg(dir, "rungs.svg")
        XCTAssertEqual(try nodes(r, "//*[local-name()='g'][@class='rung-lines']/*[local-name()='path']").count, 5)
        let dots = try nodes(r, "//*[local-name()='g'][@class='rung-points']/*[local-name()='circle']")
        XCTAssertEqual(dots.count, 9)
        let hollow = dots.filter { $0.attr("fill") == "#ffffff" }
        XCTAssertEqual(
            hollow.compactMap { $0.elements(forName: "title").first?.stringValue }.sorted(),
            ["trial=0 rung 0: 0.6", "trial=1 rung 1: 0.8", "trial=3 rung 1: 0.85", "trial=5 rung 0: 0.5"])
        let ticksR = try nodes(r, "//*[local-name()='text']").compactMap(\.stringValue)
        XCTAssertTrue(ticksR.contains("rung 0: 2 ep, 6 runs") && ticksR.contains("rung 2: 18 ep, 1 run"), "\(ticksR)")
        // The page holds them in a Trials section.
        let html = try String(contentsOf: dir.appendingPathComponent("report.html"), encoding: .utf8)
        XCTAssertTrue(html.contains("<section id=\"trials\">"), html)
    }

    func testColourScaleEnds() {
        XCTAssertEqual(TrialCharts.colour(0), "#440154")
        XCTAssertEqual(TrialCharts.colour(1), "#FDE725")
        XCTAssertEqual(TrialCharts.colour(0.5), "#21918C")
        XCTAssertEqual(TrialCharts.shade(0.5, [0.5, 1.0], higherIsBetter: true), 0)
        XCTAssertEqual(TrialCharts.shade(0.5, [0.5, 1.0], higherIsBetter: false), 1)
    }
}
