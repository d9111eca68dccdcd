import Foundation
import XCTest

@testable import NNExperiments

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// The report, checked structurally: the page and every chart parse as XML, the expected charts are
/// there with their titles and legends, and the bytes are the same when written twice.
final class ReportTests: XCTestCase {
    func tempDir(_ name: String) throws -> URL {
        // NNEXP_REPORT_SAMPLES keeps the generated folders (make check-report renders them in Chromium).
        if let keep = ProcessInfo.processInfo.environment["NNEXP_REPORT_SAMPLES"] {
            let d = URL(fileURLWithPath: keep).appendingPathComponent(name)
            try? FileManager.default.removeItem(at: d)
            try FileManager.default.createDirectory(at: d, withIntermediateDirectories: true)
            return d
        }
        let d = FileManager.default.temporaryDirectory.appendingPathComponent("nnexp-report-\(UUID().uuidString)")
            .appendingPathComponent(name)
        try FileManager.default.createDirectory(at: d, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: d.deletingLastPathComponent()) }
        return d
    }

    /// Writes the report twice, checks the bytes match, parses everything and returns the page's
    /// XML document and its chart files.
    func render(_ dir: URL, expectedCharts: Int, file: StaticString = #filePath, line: UInt = #line) throws -> (
        XMLDocument, [String: String]
    ) {
        let first = try ReportWriter.write(experimentDirectory: dir.path)
        let html1 = try Data(contentsOf: URL(fileURLWithPath: first.htmlPath))
        let charts1 = try first.chartPaths.map { try Data(contentsOf: URL(fileURLWithPath: $0)) }
        let second = try ReportWriter.write(experimentDirectory: dir.path)
        XCTAssertEqual(
            try Data(contentsOf: URL(fileURLWithPath: second.htmlPath)), html1, "report.html differs between two runs",
            file: file, line: line)
        XCTAssertEqual(
            try second.chartPaths.map { try Data(contentsOf: URL(fileURLWithPath: $0)) }, charts1,
            "charts differ between two runs", file: file, line: line)

        let doc = try XMLDocument(data: html1, options: [])
        let svgs = try doc.nodes(forXPath: "//*[local-name()='svg']")
        XCTAssertEqual(svgs.count, expectedCharts, "inline SVG charts", file: file, line: line)
        XCTAssertEqual(first.chartPaths.count, expectedCharts, "chart files", file: file, line: line)
        let onDisk = try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("charts").path)
            .filter { $0.hasSuffix(".svg") }
        XCTAssertEqual(onDisk.count, expectedCharts, file: file, line: line)
        var chartText: [String: String] = [:]
        for p in first.chartPaths {
            let data = try Data(contentsOf: URL(fileURLWithPath: p))
            let svg = try XMLDocument(data: data, options: [])
            XCTAssertEqual(svg.rootElement()?.name, "svg", p, file: file, line: line)
            XCTAssertFalse(
                try svg.nodes(forXPath: "//*[local-name()='title']").isEmpty, "\(p) has a title", file: file, line: line
            )
            chartText[(p as NSString).lastPathComponent] = String(decoding: data, as: UTF8.self)
        }
        // Self-contained: nothing fetched from elsewhere.
        let text = String(decoding: html1, as: UTF8.self)
        for external in [
            "<script src", "http://www.w3.org/1999/xlink\" href", "src=\"http", "url(http", "@import", "<link"
        ] {
            XCTAssertFalse(text.contains(external), "report.html contains \(external)", file: file, line: line)
        }
        return (doc, chartText)
    }

    func texts(_ doc: XMLDocument) throws -> [String] {
        try doc.nodes(forXPath: "//*[local-name()='text']").compactMap(\.stringValue)
    }

    func testTwoDimensionalClassification() throws {
        let dir = try tempDir("moons")
        try ReportFixtures.twoD(dir)
        // cost + train/test accuracy + both splits of the best cell + 2 sweep axes + their pair heat map
        // + confusion + 6 decision boundaries.
        let (doc, charts) = try render(dir, expectedCharts: 14)
        XCTAssertEqual(
            Set(charts.keys),
            Set(
                [
                    "cost.svg", "accuracy-train.svg", "accuracy-test.svg", "accuracy-by-split.svg",
                    "train-accuracy-model.hidden-x-regularization.l2.svg",
                    "train-accuracy-vs-model.hidden.svg", "train-accuracy-vs-regularization.l2.svg",
                    "confusion-test.svg"
                ]
                    + ["4", "8"].flatMap { h in
                        ["0", "0.01", "0.1"].map { "decision-boundary-hidden-\(h)-l2-\($0).svg" }
                    }))
        let t = try texts(doc)
        for label in [
            "Cost per epoch", "Train accuracy per epoch", "Train accuracy against model.hidden",
            "Train accuracy against regularization.l2", "hidden=[4], l2=0.01", "epoch", "cost", "predicted class"
        ] {
            XCTAssertTrue(t.contains(label), "missing text \(label)")
        }
        // No validation split: selected on training accuracy (hidden=[8], l2=0.1), never on test
        // accuracy (which would pick l2=0), and the page says so.
        let best = try doc.nodes(forXPath: "//tr[@class='best']/td[2]").first?.stringValue
        XCTAssertEqual(best, "hidden=8,l2=0.1")
        XCTAssertTrue(t.contains("Confusion matrix (test) — best run: hidden=[8], l2=0.1"))
        XCTAssertTrue(
            try doc.nodes(forXPath: "//p[@class='meta']").first?.stringValue?.contains("selected on training data")
                == true)
        // l2 has a zero, so it stays on a linear scale; hidden sizes are categories.
        XCTAssertTrue(charts["train-accuracy-vs-model.hidden.svg"]!.contains(">[4]</text>"))
        // Every decision-boundary chart draws the 60 points over its regions.
        let db = try XMLDocument(data: Data(charts["decision-boundary-hidden-4-l2-0.svg"]!.utf8), options: [])
        let markers = try db.nodes(forXPath: "//*[local-name()='g'][@stroke='#000000']/*")
        XCTAssertEqual(markers.count, 60 + 2, "60 points and 2 legend markers")
        XCTAssertTrue(
            try doc.nodes(forXPath: "//pre").first?.stringValue?.contains("# two moons") == true,
            "spec shown as written")
    }

    func testImageClassification() throws {
        let dir = try tempDir("digits")
        try ReportFixtures.images(dir)
        // cost + 3 minibatch charts + test accuracy vs learning rate + confusion + misclassified.
        let (doc, charts) = try render(dir, expectedCharts: 7)
        let grid = try XMLDocument(data: Data(charts["misclassified.svg"]!.utf8), options: [])
        let labels = try grid.nodes(forXPath: "//*[local-name()='text']").compactMap(\.stringValue)
        XCTAssertEqual(labels.first, "First 25 misclassified test images — learning_rate=1")
        XCTAssertEqual(labels.filter { $0.hasPrefix("predicted ") }.count, 25)
        XCTAssertTrue(labels.contains("#0: true zero"), "class names come from the confusion matrix")
        XCTAssertTrue(labels.contains("predicted three"))
        let heat = try XMLDocument(data: Data(charts["confusion-test.svg"]!.utf8), options: [])
        let cells = try heat.nodes(forXPath: "//*[local-name()='text']").compactMap(\.stringValue)
        XCTAssertEqual(cells.filter { $0 == "96" }.count, 10, "diagonal counts of the best run")
        let mb = charts.keys.filter { $0.hasPrefix("minibatch-cost-") }.sorted()
        XCTAssertEqual(
            mb,
            [
                "minibatch-cost-learning_rate-0.01.svg", "minibatch-cost-learning_rate-0.1.svg",
                "minibatch-cost-learning_rate-1.svg"
            ])
        XCTAssertTrue(charts[mb[0]]!.contains("epoch (5 minibatches each)"))
        // The learning rates span two decades exactly: not more than two, so a linear x axis.
        XCTAssertTrue(try texts(doc).contains("optimizer.learning_rate"))
    }

    func testRegressionHasNoAccuracyCharts() throws {
        let dir = try tempDir("housing")
        try ReportFixtures.regression(dir)
        let (doc, charts) = try render(dir, expectedCharts: 2)
        XCTAssertEqual(Set(charts.keys), ["cost.svg", "final-cost-vs-regularization.l2.svg"])
        let t = try texts(doc)
        XCTAssertFalse(t.contains { $0.lowercased().contains("accuracy") })
        XCTAssertTrue(
            t.contains { $0 == "log scale: the values span 3.3 decades" },
            "costs span > 2 decades: log scale, said in the title")
        XCTAssertTrue(t.contains("regularization.l2 (log scale)"), "l2 spans three decades: log x axis")
        XCTAssertEqual(
            try doc.nodes(forXPath: "//tr[@class='best']/td[2]").first?.stringValue, "l2=0.001", "lowest final cost")
    }

    func testStaleChartsAreRemovedAndBadFilesNamed() throws {
        let dir = try tempDir("stale")
        try ReportFixtures.regression(dir)
        try FileManager.default.createDirectory(
            at: dir.appendingPathComponent("charts"), withIntermediateDirectories: true)
        try Data("<svg/>".utf8).write(to: dir.appendingPathComponent("charts/old.svg"))
        try Data("<sv".utf8).write(to: dir.appendingPathComponent("charts/.tmp-file-cost.svg-00000000000000aa"))  // a killed writer's
        try ReportWriter.write(experimentDirectory: dir.path)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("charts/old.svg").path))
        XCTAssertEqual(
            try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("charts").path).filter {
                $0.hasPrefix(".")
            }, [])

        try Data("epoch,cost\n1,0.5\n2\n".utf8).write(to: dir.appendingPathComponent("l2=0.1/cost.csv"))
        XCTAssertThrowsError(try ReportWriter.write(experimentDirectory: dir.path)) { error in
            XCTAssertTrue("\(error)".hasSuffix("l2=0.1/cost.csv: line 3 has 1 fields, the header has 2"), "\(error)")
        }
        XCTAssertThrowsError(try ReportWriter.write(experimentDirectory: dir.appendingPathComponent("missing").path)) {
            error in
            XCTAssertTrue("\(error)".contains("no such results folder"), "\(error)")
        }
    }

    func testNiceTicksAndNumberText() {
        let a = Axis(kind: .linear, values: [0.013, 0.87])
        XCTAssertEqual(a.tickValues.map { a.label($0) }, ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"])
        let l = Axis(kind: .log, values: [0.0023, 41])
        XCTAssertEqual(l.tickValues.map { l.label($0) }, ["0.001", "0.01", "0.1", "1", "10", "100"])
        XCTAssertEqual(SVG.n(-0.001), "0")
        XCTAssertEqual(SVG.n(12.345), "12.35")
        XCTAssertEqual(SVG.n(3.1), "3.1")
        XCTAssertEqual(NumberFormat.significant(0.0000123456), "1.235e-5")
        XCTAssertEqual(NumberFormat.significant(0.000123456), "0.0001235")
        XCTAssertEqual(NumberFormat.significant(9.9996e7), "1e8")
        XCTAssertEqual(NumberFormat.significant(0.0477455123, digits: 6), "0.0477455")
    }
}
