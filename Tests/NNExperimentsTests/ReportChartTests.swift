import Foundation
import XCTest

@testable import NNExperiments

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// The report's chart kinds, structurally: seeds aggregated into cells (mean line + band, error
/// bars, hover titles), categorical axes without connecting lines, a log axis with 0 drawn apart,
/// small multiples past eight cells, the confusion matrix's error scale and per-class scores
/// (checked against hand computation), "iteration" for full-batch runs, stale runs left out, and
/// the sortable table.
final class ReportChartTests: XCTestCase {
    func tempDir() throws -> URL {
        let d = FileManager.default.temporaryDirectory.appendingPathComponent("nnexp-charts-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: d, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: d) }
        return d
    }

    /// activation {relu, tanh} × l2 {0, 0.001, 0.01, 0.1, 1} × seed {1, 2, 3}: 10 cells of 3 runs,
    /// with a validation split; plus one stale run that would win every chart if it were counted.
    func writeSeedSweep(_ dir: URL) throws {
        var files: [String: String] = [:]
        var summary = [
            [
                "run", "model.activation", "regularization.l2", "seed", "status", "epochs", "final_cost",
                "train_accuracy", "validation_accuracy", "test_accuracy", "flag", "best"
            ].joined(separator: ",")
        ]
        let epochs = 30
        for (a, act) in ["relu", "tanh"].enumerated() {
            for (l, l2) in ["0", "0.001", "0.01", "0.1", "1"].enumerated() {
                for seed in 1...3 {
                    let name = "activation=\(act),l2=\(l2),seed=\(seed)"
                    let rate = 0.05 + 0.01 * Double(l) + 0.002 * Double(seed)
                    let cost = (1...epochs).map { 0.7 * exp(-rate * Double($0)) + 0.01 * Double(a + 1) }
                    let train = (1...epochs).map { 0.6 + 0.3 * (1 - exp(-rate * Double($0))) }
                    let val = train.map { $0 - 0.01 * Double(a) - 0.005 * Double(seed) }
                    files["\(name)/cost.csv"] = ReportFixtures.csv(
                        "epoch,cost,train_accuracy,validation_accuracy",
                        (0..<epochs).map {
                            [
                                "\($0 + 1)", NumberFormatTest.s(cost[$0]), NumberFormatTest.s(train[$0]),
                                NumberFormatTest.s(val[$0])
                            ]
                        })
                    files["\(name)/metrics.csv"] = ReportFixtures.metrics(
                        cost.last!, [("train", train.last!), ("validation", val.last!), ("test", 0.5)], epochs: epochs)
                    files["\(name)/config.yaml"] = ReportFixtures.config(
                        "seeds", name, [("model.activation", act), ("regularization.l2", l2), ("seed", "\(seed)")])
                    files["\(name)/confusion-validation.csv"] = ReportFixtures.csv(
                        "true\\predicted,a,b,c", [["a", "96", "4", "0"], ["b", "1", "99", "0"], ["c", "0", "0", "50"]])
                    summary.append(
                        [
                            "\"\(name)\"", act, l2, "\(seed)", "completed", "\(epochs)", NumberFormatTest.s(cost.last!),
                            NumberFormatTest.s(train.last!), NumberFormatTest.s(val.last!), "0.5", "", ""
                        ].joined(separator: ","))
                }
            }
        }
        let stale = "activation=relu,l2=0.5,seed=1"
        files["\(stale)/cost.csv"] = ReportFixtures.csv("epoch,cost", [["1", "0.0001"]])
        files["\(stale)/metrics.csv"] = ReportFixtures.metrics(0.0001, [("train", 1), ("validation", 1)], epochs: 1)
        summary.append(
            ["\"\(stale)\"", "relu", "0.5", "1", "completed", "1", "0.0001", "1", "1", "", "stale", ""].joined(
                separator: ","))
        files["summary.csv"] = summary.joined(separator: "\n") + "\n"
        try ReportFixtures.write(files, under: dir)
    }

    func xml(_ s: String) throws -> XMLDocument { try XMLDocument(data: Data(s.utf8), options: []) }

    func testSeedsCategoriesLogAxisAndSmallMultiples() throws {
        let dir = try tempDir().appendingPathComponent("seeds")
        try writeSeedSweep(dir)
        let e = try ResultsReader.read(experimentDirectory: dir.path)
        XCTAssertEqual(e.cells.count, 10)
        XCTAssertEqual(e.selection?.metric, "validation_accuracy")
        let (charts, _) = Charts.make(e)
        let byFile = Dictionary(uniqueKeysWithValues: charts.map { ($0.file, $0.svg) })
        for svg in byFile.values { XCTAssertNoThrow(try xml(svg)) }
        // Nothing against the seed; the stale run (l2=0.5) nowhere.
        XCTAssertFalse(byFile.keys.contains { $0.contains("vs-seed") }, "\(byFile.keys.sorted())")
        XCTAssertFalse(byFile.values.contains { $0.contains("l2=0.5") })
        // 10 cells > 8: cost drawn as small multiples by activation (2 values), 5 cells each, each
        // a mean line over a band.
        for act in ["relu", "tanh"] {
            let svg = try XCTUnwrap(byFile["cost-activation-\(act).svg"], "\(byFile.keys.sorted())")
            let doc = try xml(svg)
            XCTAssertEqual(try doc.nodes(forXPath: "//*[local-name()='path'][@class='band']").count, 5)
            XCTAssertTrue(svg.contains("mean over seeds, band: their range"))
        }
        XCTAssertNil(byFile["cost.svg"])

        // Activation is categorical: points with error bars and hover titles, no connecting line.
        let act = try xml(try XCTUnwrap(byFile["validation-accuracy-vs-model.activation.svg"]))
        XCTAssertEqual(try act.nodes(forXPath: "//*[local-name()='circle']/*[local-name()='title']").count, 10)
        XCTAssertEqual(
            try act.nodes(forXPath: "//*[local-name()='g'][@clip-path]/*[local-name()='path']").count, 0,
            "no line between categories")
        XCTAssertEqual(try act.nodes(forXPath: "//*[local-name()='g'][@class='error-bars']").count, 5)
        let title = try XCTUnwrap(
            act.nodes(forXPath: "//*[local-name()='circle']/*[local-name()='title']").first?.stringValue)
        XCTAssertTrue(title.contains("±") && title.contains("(3)"), title)

        // l2 spans three decades with a 0: log scale, 0 drawn apart past a break, lines through the means.
        let l2svg = try XCTUnwrap(byFile["validation-accuracy-vs-regularization.l2.svg"])
        let l2 = try xml(l2svg)
        XCTAssertTrue(l2svg.contains("regularization.l2 (log scale)"))
        XCTAssertEqual(try l2.nodes(forXPath: "//*[local-name()='g'][@class='axis-break']").count, 1)
        XCTAssertTrue(try l2.nodes(forXPath: "//*[local-name()='text']").contains { $0.stringValue == "0" })
        // Two series (relu, tanh); the line of each skips the break: from 0.001 to 1 only (one path each).
        XCTAssertEqual(try l2.nodes(forXPath: "//*[local-name()='g'][@clip-path]/*[local-name()='path']").count, 2)
        // The pair heat map: 2 × 5 values.
        let pair = try xml(try XCTUnwrap(byFile["validation-accuracy-model.activation-x-regularization.l2.svg"]))
        XCTAssertEqual(try pair.nodes(forXPath: "//*[local-name()='g'][@class='value']").count, 10)

        // The page: cells table sorted best first, stale run flagged, sortable by script.
        let out = try ReportWriter.write(experimentDirectory: dir.path)
        let page = try String(contentsOfFile: out.htmlPath, encoding: .utf8)
        let doc = try xml(page)
        let cellRows = try doc.nodes(forXPath: "//table[contains(@class,'cells')]/tbody/tr")
        XCTAssertEqual(cellRows.count, 10)
        XCTAssertEqual(try doc.nodes(forXPath: "//tr[@class='best-cell']/td[2]").first?.stringValue, "relu")
        XCTAssertEqual(
            try doc.nodes(forXPath: "//tr[@class='best-cell']/td[3]").first?.stringValue, "1",
            "highest l2 learns fastest here")
        XCTAssertEqual(try doc.nodes(forXPath: "//tr[@class='flagged']/td[@class='flag']").first?.stringValue, "stale")
        XCTAssertTrue(page.contains("<script>") && page.contains("table.sortable"))
        XCTAssertTrue(page.contains("data-v="))
    }

    func testConfusionErrorsVisibleAndClassScores() throws {
        let m = ConfusionMatrix(classes: ["a", "b", "c"], counts: [[96, 4, 0], [1, 99, 0], [0, 0, 50]])
        // By hand: precision a = 96/97, b = 99/103, c = 50/50; recall a = 96/100, b = 99/100, c = 1.
        let s = ClassScores.of(m)
        XCTAssertEqual(s[0].precision!, 96.0 / 97, accuracy: 1e-15)
        XCTAssertEqual(s[1].precision!, 99.0 / 103, accuracy: 1e-15)
        XCTAssertEqual(s[0].recall!, 0.96, accuracy: 1e-15)
        let p = 96.0 / 97
        let r = 0.96
        XCTAssertEqual(s[0].f1!, 2 * p * r / (p + r), accuracy: 1e-15)
        XCTAssertEqual(s[2], ClassScores(support: 50, precision: 1, recall: 1, f1: 1))
        XCTAssertNil(
            ClassScores.of(ConfusionMatrix(classes: ["x", "y"], counts: [[3, 0], [2, 0]]))[1].precision,
            "nothing predicted y")

        let svg = Heatmap(title: "t", matrix: m).svg()
        let doc = try xml(svg)
        // The largest error share (4 % of row a) gets the full error colour, the 1 % half way; the
        // diagonal keeps its own (blue) scale.
        let errorFills = try doc.nodes(forXPath: "//*[local-name()='g'][@class='error']/*[local-name()='rect']/@fill")
            .compactMap(\.stringValue)
        guard errorFills.count == 6 else { return XCTFail("\(errorFills)") }
        XCTAssertEqual(errorFills[0], Heatmap.shade(1, to: Heatmap.errorColour))
        XCTAssertEqual(errorFills[0], "#d55e00")
        XCTAssertEqual(errorFills[2], Heatmap.shade(0.25, to: Heatmap.errorColour), "1 % against the largest 4 %")
        XCTAssertEqual(try doc.nodes(forXPath: "//*[local-name()='g'][@class='correct']").count, 3)
        let table = Charts.classScoresTable(m, split: "validation")
        XCTAssertTrue(table.contains("<td class=\"num\">99.0%</td>") && table.contains("96.1%"), table)  // recall b, rounded 99/103
    }

    func testFullBatchRunsSayIteration() throws {
        let dir = try tempDir().appendingPathComponent("cg")
        try ReportFixtures.write(
            [
                "run/cost.csv": ReportFixtures.csv(
                    "iteration,cost", (0..<20).map { ["\($0)", NumberFormatTest.s(1 / Double($0 + 1))] }),
                "run/metrics.csv": ReportFixtures.metrics(0.05, [("train", 0.9)], epochs: 20)
            ], under: dir)
        let (charts, _) = Charts.make(try ResultsReader.read(experimentDirectory: dir.path))
        let cost = try XCTUnwrap(charts.first { $0.file == "cost.svg" })
        XCTAssertEqual(cost.title, "Cost per iteration")
        XCTAssertTrue(
            try xml(cost.svg).nodes(forXPath: "//*[local-name()='text']").contains { $0.stringValue == "iteration" })
    }

    func testRobustMinibatchRange() {
        // A first epoch of huge costs, then noise around 1: the range is set by the later values.
        let costs = Array(repeating: 1000.0, count: 10) + (0..<200).map { 1 + 0.1 * sin(Double($0)) }
        let r = Charts.robustRange(costs, skip: 10, log: false)!
        XCTAssertLessThan(r.upperBound, 1.2)
        XCTAssertGreaterThan(r.lowerBound, 0.8)
    }
}

/// results/index.html from two experiment folders.
final class OverviewTests: XCTestCase {
    func testOverviewListsEveryExperimentWithItsBestCell() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("nnexp-index-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        try ReportFixtures.twoD(root.appendingPathComponent("moons"))
        try ReportFixtures.regression(root.appendingPathComponent("housing"))
        try ReportFixtures.write(
            ["housing/spec.yaml": "experiment: housing\ndescription: \"linear <regression>\"\n"], under: root)
        for e in ["moons", "housing"] {
            try ReportWriter.write(experimentDirectory: root.appendingPathComponent(e).path)
        }
        try ReportFixtures.write(["not-an-experiment/readme.txt": "x\n"], under: root)
        let path = try Overview.write(resultsRoot: root.path)
        let doc = try XMLDocument(data: Data(contentsOf: URL(fileURLWithPath: path)), options: [])
        let rows = try doc.nodes(forXPath: "//tbody/tr")
        XCTAssertEqual(rows.count, 2)
        func cells(_ i: Int) throws -> [String] { try rows[i].nodes(forXPath: "td").map { $0.stringValue ?? "" } }
        XCTAssertEqual(
            try cells(0), ["housing", "linear <regression>", "4", "4 completed", "l2=0.001", "final cost 0.02077 †"])  // 50·e^−8 + 0.004
        let moons = try cells(1)
        XCTAssertEqual(Array(moons.prefix(5)), ["moons", "", "6", "6 completed", "hidden=[8], l2=0.1"])
        XCTAssertTrue(moons[5].hasPrefix("train accuracy ") && moons[5].hasSuffix("% †"), moons[5])
        XCTAssertEqual(try doc.nodes(forXPath: "//tbody/tr[2]/td[1]/a/@href").first?.stringValue, "moons/report.html")
    }
}
