import Foundation

/// The table `nnexp run` prints after a sweep: one row per cell (per run when every cell has one
/// run), the non-seed axis values as columns, every final metric as `mean ± sd (n)` in
/// `TableNumbers` form, sorted best first by the selection rule, the best row marked `★`. Built from
/// the experiment files alone (`ExperimentResults`), so it agrees with `cells.csv` and the report.
public enum Leaderboard {
    /// How the table is printed (`--format`).
    public enum Format: String, Sendable, CaseIterable {
        /// Aligned columns fitted to a width (terminal).
        case table
        /// One header and one row per cell, numbers in full (`NumberFormat`), for scripts.
        case csv
        /// A GitHub-flavoured Markdown table with the terminal's numbers.
        case markdown
    }

    /// The metrics shown, in order: costs, then accuracies by split; counts left out.
    static func metricColumns(_ e: ExperimentResults) -> [String] {
        CellsFile.metricNames(e).filter { $0 != "epochs" && $0 != "iterations" }
    }

    struct Row {
        var best: Bool
        var axes: [String]
        var status: String
        var metrics: [String: MetricStats]
    }

    /// Rows best first: cells (or runs) with a selection value sorted by it, the others after in run order.
    static func rows(_ e: ExperimentResults) -> (perRun: Bool, axes: [String], rows: [Row]) {
        let cells = e.cells
        let perRun = cells.allSatisfy { $0.runs.count <= 1 }
        let axes = perRun ? e.axes : e.axes.filter { !Cell.isSeed($0) }
        let bestCell = e.bestCellIndex
        var rows: [(key: Double?, row: Row)] = []
        for (i, c) in cells.enumerated() {
            let values = axes.map { a in
                perRun
                    ? (c.runs.first.flatMap { e.runs[$0].axisValues.first { $0.key == a }?.value } ?? "")
                    : (c.axisValues.first { $0.key == a }?.value ?? "")
            }
            let statuses = c.runs.map { e.runs[$0].status }
            let status =
                perRun
                ? (statuses.first ?? "")
                : (c.completed == c.runs.count ? "completed" : "\(c.completed)/\(c.runs.count) completed")
            let key = e.selection.flatMap { c.stats[$0.metric]?.mean }.flatMap { $0.isFinite ? $0 : nil }
            rows.append((key, Row(best: i == bestCell, axes: values, status: status, metrics: c.stats)))
        }
        let higher = e.selection?.higherIsBetter ?? true
        let order = rows.indices.sorted { a, b in
            switch (rows[a].key, rows[b].key) {
            case (let x?, let y?): return x != y ? (higher ? x > y : x < y) : a < b
            case (_?, nil): return true
            case (nil, _?): return false
            default: return a < b
            }
        }
        return (perRun, axes, order.map { rows[$0].row })
    }

    /// The leaderboard of one experiment. `width` (terminal columns) applies to `.table`: axis values
    /// are shortened in the middle, then the least important metric columns left out (and said so),
    /// so no line is wider than `width`.
    public static func render(_ e: ExperimentResults, format: Format, width: Int? = nil) -> String {
        let (perRun, axes, rows) = rows(e)
        let metrics = metricColumns(e)
        let showStatus = rows.contains { $0.status != "completed" }
        switch format {
        case .csv:
            var t = CSVTable(
                header: ["experiment", "rank", "best"] + axes + ["status", "n"]
                    + metrics.flatMap { ["\($0)_mean", "\($0)_sd"] })
            for (i, r) in rows.enumerated() {
                let n = metrics.compactMap { r.metrics[$0]?.n }.max() ?? 0
                t.append(
                    [e.name, "\(i + 1)", r.best ? "yes" : ""] + r.axes + [r.status, "\(n)"]
                        + metrics.flatMap { m in
                            r.metrics[m].map {
                                [NumberFormat.shortest($0.mean), $0.sd.map(NumberFormat.shortest) ?? ""]
                            } ?? ["", ""]
                        })
            }
            return t.text
        case .markdown, .table:
            var header =
                [""] + axes.map(Cell.shortKey) + (showStatus ? ["status"] : [])
                + metrics.map { $0.replacingOccurrences(of: "_", with: " ") }
            var body = rows.map { r in
                [r.best ? "★" : ""] + r.axes + (showStatus ? [r.status] : [])
                    + metrics.map { m in r.metrics[m].map { TableNumbers.meanSD($0, metric: m) } ?? "" }
            }
            let current = e.runs.filter { $0.flag == nil }.count
            var title = "\(e.name): \(current) run\(current == 1 ? "" : "s")"
            if !perRun { title += " in \(rows.count) cells" }
            var notes: [String] = []
            if !perRun { notes.append("cells: runs differing only in seed; mean ± sd (n runs)") }
            if let rule = e.selection { notes.append("★ best by \(rule.description)") }
            let flagged = e.flaggedRuns.count
            if flagged > 0 {
                notes.append(
                    "\(flagged) stale or orphaned run\(flagged == 1 ? "" : "s") left out (nnexp prune \(e.directory) lists them)"
                )
            }
            if format == .markdown {
                var out = "**\(title)**\n\n"
                out += "| " + header.map(markdownCell).joined(separator: " | ") + " |\n"
                out += "|" + header.indices.map { $0 == 0 || $0 <= axes.count ? " --- |" : " ---: |" }.joined() + "\n"
                for r in body { out += "| " + r.map(markdownCell).joined(separator: " | ") + " |\n" }
                return out + notes.map { "\n" + $0 + "\n" }.joined()
            }
            var dropped: [String] = []
            if let width {
                fit(
                    &header, &body, axisColumns: 1...max(1, axes.count), firstMetric: header.count - metrics.count,
                    selection: e.selection.map { $0.metric.replacingOccurrences(of: "_", with: " ") }, width: width,
                    dropped: &dropped)
                if !dropped.isEmpty {
                    notes.append(
                        "not shown: \(dropped.joined(separator: ", ")) (a wider terminal or --format csv shows them)")
                }
            }
            var out = clip(title, width) + "\n" + table([header] + body)
            for n in notes { out += wrap(n, width) }
            return out
        }
    }

    /// Shortens the axis columns (middle ellipsis, down to 8 characters) and then leaves out metric
    /// columns (counts and costs before accuracies, never the selection metric) until the table fits.
    static func fit(
        _ header: inout [String], _ body: inout [[String]], axisColumns: ClosedRange<Int>, firstMetric: Int,
        selection: String?, width: Int, dropped: inout [String]
    ) {
        func total() -> Int { tableWidth([header] + body) }
        while total() > width {
            let widths = header.indices.map { c in ([header] + body).map { $0[c].count }.max() ?? 0 }
            if let c = axisColumns.filter({ $0 < header.count && widths[$0] > 8 }).max(by: { widths[$0] < widths[$1] })
            {
                let target = max(8, widths[c] - (total() - width))
                header[c] = middle(header[c], target)
                for r in body.indices { body[r][c] = middle(body[r][c], target) }
                continue
            }
            let candidates = (firstMetric..<header.count).filter { header[$0] != selection }
            let priority = candidates.sorted { a, b in rank(header[a]) < rank(header[b]) }
            guard let c = priority.first else { return }
            dropped.append(header[c])
            header.remove(at: c)
            for r in body.indices { body[r].remove(at: c) }
        }
    }

    /// Which metric column goes first when the table is too wide (lower first).
    static func rank(_ name: String) -> Int {
        if name == "best epoch" { return -1 }
        if name.hasSuffix("cost") { return name == "final cost" ? 1 : 0 }
        if name.hasPrefix("train") { return 2 }
        if name.hasPrefix("test") { return 4 }
        return 3
    }

    /// `averyl…gvalue`: the middle replaced by `…` so the string is `n` characters.
    public static func middle(_ s: String, _ n: Int) -> String {
        guard s.count > n, n >= 3 else { return s.count > n ? String(s.prefix(n)) : s }
        let keep = n - 1
        let head = (keep + 1) / 2
        let tail = keep - head
        return String(s.prefix(head)) + "…" + String(s.suffix(tail))
    }

    static func clip(_ s: String, _ width: Int?) -> String {
        guard let width, s.count > width else { return s }
        return String(s.prefix(max(width - 1, 0))) + "…"
    }

    /// Words wrapped at `width` (one line when there is no width).
    public static func wrap(_ s: String, _ width: Int?) -> String {
        guard let width, width > 10, s.count > width else { return s + "\n" }
        var out = ""
        var line = ""
        for word in s.split(separator: " ", omittingEmptySubsequences: false) {
            // A new line only for a word that fits on one; a longer word is cut wherever it falls.
            if !line.isEmpty, line != "  ", line.count + 1 + word.count > width, word.count <= width - 2 {
                out += line + "\n"
                line = "  "
            }
            var w = String(word)
            while (line.isEmpty ? 0 : line.count + 1) + w.count > width {
                let room = width - line.count - (line.isEmpty ? 0 : 1)
                out += (line.isEmpty ? "" : line + " ") + w.prefix(room) + "\n"
                w = String(w.dropFirst(room))
                line = "  "
            }
            line += (line.isEmpty || line == "  " ? "" : " ") + w
        }
        return out + line + "\n"
    }

    static let gap = 2

    static func tableWidth(_ rows: [[String]]) -> Int {
        guard let first = rows.first else { return 0 }
        return first.indices.map { c in rows.map { $0[c].count }.max() ?? 0 }.reduce(0, +) + gap
            * max(first.count - 1, 0)
    }

    /// Aligned columns: text left, numbers right.
    static func table(_ rows: [[String]]) -> String {
        guard let first = rows.first else { return "" }
        let widths = first.indices.map { c in rows.map { $0[c].count }.max() ?? 0 }
        let numeric = first.indices.map { c in
            c > 0 && rows.dropFirst().contains { !$0[c].isEmpty }
                && rows.dropFirst().allSatisfy { r in
                    r[c].isEmpty || r[c].first.map { $0.isNumber || $0 == "-" } == true
                }
        }
        var out = ""
        for r in rows {
            var line = ""
            for (c, v) in r.enumerated() {
                let pad = String(repeating: " ", count: widths[c] - v.count)
                line += (c > 0 ? String(repeating: " ", count: gap) : "") + (numeric[c] ? pad + v : v + pad)
            }
            while line.last == " " { line.removeLast() }
            out += line + "\n"
        }
        return out
    }

    static func markdownCell(_ s: String) -> String { s.replacingOccurrences(of: "|", with: "\\|") }
}
