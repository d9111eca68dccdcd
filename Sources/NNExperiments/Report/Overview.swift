import Foundation

/// `results/index.html`: the page a newcomer opens first. Every experiment folder under the results
/// root (one holding a `summary.csv`), in name order, with its description (from `spec.yaml`), run
/// count, status counts, best cell with its selection metric, and a link to its report. Built from
/// `summary.csv`, `cells.csv` and `spec.yaml` alone (cheap: no run folder is read), rewritten whole
/// (temporary name, rename) whenever an experiment's files are, so it always matches the folders.
public enum Overview {
    /// One experiment's line on the overview page.
    public struct Entry: Sendable, Equatable {
        /// The experiment folder's name.
        public var name: String
        /// The spec's `description` (empty when none).
        public var description: String
        /// Rows of `summary.csv`.
        public var runs: Int
        /// (status, count) in first-seen order; `stale`/`orphaned` flags counted as such.
        public var statuses: [String: Int]
        /// `activation=relu, hidden=[100]`, or the run name for one-seed experiments.
        public var bestCell: String?
        /// `validation accuracy 97.1% ± 0.2% (3)`.
        public var bestMetric: String?
        /// The best cell was chosen on training data (no validation split).
        public var selectedOnTrainingData: Bool
        /// The folder holds a `report.html` to link to.
        public var hasReport: Bool
    }

    /// Writes `<root>/index.html`.
    @discardableResult
    public static func write(resultsRoot root: String) throws -> String {
        let path = (root as NSString).appendingPathComponent("index.html")
        try DurableFiles.replace(path, with: Array(page(entries(resultsRoot: root)).utf8))
        return path
    }

    /// An entry per experiment folder under `root` (those holding `summary.csv`), in name order.
    public static func entries(resultsRoot root: String) -> [Entry] {
        let fm = FileManager.default
        return ((try? fm.contentsOfDirectory(atPath: root)) ?? []).sorted().compactMap { name in
            guard !name.hasPrefix(".") else { return nil }
            return entry((root as NSString).appendingPathComponent(name), name: name)
        }
    }

    static func entry(_ dir: String, name: String) -> Entry? {
        func file(_ f: String) -> [UInt8]? { ResultsReader.readBytes((dir as NSString).appendingPathComponent(f)) }
        guard let s = file("summary.csv"), let summary = try? CSVDocument.parse(s, path: "summary.csv"),
            summary.header.first == "run", let statusCol = summary.column("status")
        else { return nil }
        let flagCol = summary.column("flag")
        var statuses: [String: Int] = [:]
        for row in summary.rows {
            let key = flagCol.map { row[$0] }.flatMap { $0.isEmpty ? nil : $0 } ?? row[statusCol]
            statuses[key, default: 0] += 1
        }
        var description = ""
        if let spec = file("spec.yaml") {
            // The spec's own `description:` as YAML reads it (quotes and escapes resolved); none when
            // the stored spec is not valid YAML.
            description =
                (try? YAMLParser.parse(String(decoding: spec, as: UTF8.self), file: "spec.yaml"))?["description"]?
                .scalar ?? ""
        }
        var bestCell: String?
        var bestMetric: String?
        var training = false
        if let c = file("cells.csv"), let cells = try? CSVDocument.parse(c, path: "cells.csv"),
            let bestCol = cells.column("best"), let runsCol = cells.column("runs"),
            let selCol = cells.column("selected_on"),
            let row = cells.rows.first(where: { $0[bestCol] == "yes" })
        {
            let axes = Array(cells.header[..<runsCol])
            bestCell =
                axes.isEmpty ? "all runs" : zip(axes, row).map { "\(Cell.shortKey($0))=\($1)" }.joined(separator: ", ")
            let selected = row[selCol]
            training = selected.hasSuffix("(training data)")
            let metric = String(selected.split(separator: " ").first ?? "")
            if let m = cells.column("\(metric)_mean"), let mean = CSVDocument.number(row[m]), mean.isFinite {
                let sd = cells.column("\(metric)_sd").flatMap { CSVDocument.number(row[$0]) }.flatMap {
                    $0.isFinite ? $0 : nil
                }
                let n = Int(row[cells.column("n")!]) ?? 1
                let stats = MetricStats(n: sd == nil ? 1 : n, mean: mean, sd: sd, min: mean, max: mean)
                bestMetric =
                    metric.replacingOccurrences(of: "_", with: " ") + " " + TableNumbers.meanSD(stats, metric: metric)
            }
        }
        return Entry(
            name: name, description: description, runs: summary.rows.count, statuses: statuses, bestCell: bestCell,
            bestMetric: bestMetric, selectedOnTrainingData: training,
            hasReport: FileManager.default.fileExists(atPath: (dir as NSString).appendingPathComponent("report.html")))
    }

    static func page(_ entries: [Entry]) -> String {
        var h = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n"
        h +=
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n<title>nnexp results</title>\n<style>\n\(HTMLReport.css)</style>\n</head>\n<body>\n"
        h +=
            "<h1>nnexp results</h1>\n<p class=\"meta\">\(entries.count) experiment\(entries.count == 1 ? "" : "s"). "
            + "The best cell of each is chosen on validation data when the experiment has a validation split, otherwise on training data (marked †); test data never chooses. Click a column header to sort.</p>\n"
        h +=
            "<table class=\"sortable overview\">\n<thead><tr><th>experiment</th><th>description</th><th>runs</th><th>status</th><th>best cell</th><th>selection metric</th></tr></thead>\n<tbody>\n"
        let order = ["completed", "diverged", "failed", "running", "not-run", "stale", "orphaned"]
        for e in entries {
            let link =
                e.hasReport
                ? "<a href=\"\(SVG.esc(e.name))/report.html\"><code>\(SVG.esc(e.name))</code></a>"
                : "<code>\(SVG.esc(e.name))</code>"
            let statuses = e.statuses.sorted {
                (order.firstIndex(of: $0.key) ?? 99, $0.key) < (order.firstIndex(of: $1.key) ?? 99, $1.key)
            }
            .map { "\($0.value) \($0.key)" }.joined(separator: ", ")
            h +=
                "<tr><td>\(link)</td><td>\(SVG.esc(e.description))</td><td class=\"num\">\(e.runs)</td><td>\(SVG.esc(statuses))</td>"
            h +=
                "<td>\(SVG.esc(e.bestCell ?? ""))</td><td>\(SVG.esc(e.bestMetric ?? ""))\(e.selectedOnTrainingData ? " †" : "")</td></tr>\n"
        }
        h +=
            "</tbody>\n</table>\n<p class=\"note\">† selected on training data: the experiment has no validation split.</p>\n"
        h +=
            "<footer>Written by nnexp from the summary.csv and cells.csv of each folder.</footer>\n<script>\n\(HTMLReport.sortScript)</script>\n</body>\n</html>\n"
        return h
    }
}
