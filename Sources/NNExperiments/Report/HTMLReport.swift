/// The report page: one self-contained HTML file (inline CSS and SVG, no external fonts or images),
/// in a fixed order so the same results give the same bytes. One small inline script makes the
/// tables sortable by a click on a column header; without JavaScript the page is complete (tables
/// come sorted best first).
enum HTMLReport {
    static func page(_ e: ExperimentResults, charts: [Chart], notes: [String]) -> String {
        let best = e.bestRunIndex
        var h = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n"
        h += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n"
        h += "<title>\(SVG.esc("nnexp report: \(e.name)"))</title>\n<style>\n\(css)</style>\n</head>\n<body>\n"
        h += "<h1>Experiment <code>\(SVG.esc(e.name))</code></h1>\n"
        var meta = "\(e.runs.count) run\(e.runs.count == 1 ? "" : "s")"
        let done = e.runs.filter { $0.status == "completed" }.count
        if done != e.runs.count { meta += " (\(done) completed)" }
        let cells = e.cells
        if let c = e.bestCellIndex, let rule = e.selection {
            let cell = cells[c]
            let stats = cell.stats[rule.metric].map { " = " + TableNumbers.meanSD($0, metric: rule.metric) } ?? ""
            meta +=
                " · best \(cell.runs.count > 1 ? "cell" : "run"): <strong>\(SVG.esc(cell.runs.count > 1 ? cell.label : e.runs[cell.runs[0]].label))</strong> (\(SVG.esc(rule.label))\(SVG.esc(stats)); \(SVG.esc(e.bestCriterion)))"
        }
        let flagged = e.flaggedRuns
        if !flagged.isEmpty {
            meta +=
                " · <span class=\"flag\">\(flagged.count) stale or orphaned run\(flagged.count == 1 ? "" : "s") left out of cells, charts and selection (<code>nnexp prune</code> removes them)</span>"
        }
        h += "<p class=\"meta\">\(meta)</p>\n"
        let sections = charts.reduce(into: [String]()) { if !$0.contains($1.section) { $0.append($1.section) } }
        h +=
            "<nav>"
            + (["Spec", "Cells", "Runs"] + sections).map {
                "<a href=\"#\(Charts.slug($0).lowercased())\">\(SVG.esc($0))</a>"
            }
            .joined(separator: " · ") + "</nav>\n"

        h += "<section id=\"spec\">\n<h2>Spec</h2>\n"
        if let spec = e.specText {
            h += "<pre class=\"spec\">\(SVG.esc(spec))</pre>\n"
        } else {
            h += "<p class=\"note\">The results folder holds no <code>spec.yaml</code>.</p>\n"
        }
        if !e.axes.isEmpty {
            h += "<h3>Sweep axes</h3>\n<table>\n<thead><tr><th>key</th><th>values</th></tr></thead>\n<tbody>\n"
            for a in e.axes {
                h +=
                    "<tr><td><code>\(SVG.esc(a))</code></td><td>\((e.axisValues[a] ?? []).map(SVG.esc).joined(separator: ", "))</td></tr>\n"
            }
            h += "</tbody>\n</table>\n"
        }
        h += "</section>\n"
        h += cellsTable(e)
        h += summary(e, best: best)
        for n in notes { h += "<p class=\"note\">\(SVG.esc(n))</p>\n" }
        for section in sections {
            h +=
                "<section id=\"\(Charts.slug(section).lowercased())\">\n<h2>\(SVG.esc(section))</h2>\n<div class=\"charts\">\n"
            for c in charts where c.section == section {
                h +=
                    "<figure>\n\(c.svg)\n<figcaption><a href=\"charts/\(SVG.esc(c.file))\">charts/\(SVG.esc(c.file))</a></figcaption>\n\(c.after)</figure>\n"
            }
            h += "</div>\n</section>\n"
        }
        h +=
            "<footer>Written by nnexp report from the files in this folder.</footer>\n<script>\n\(sortScript)</script>\n</body>\n</html>\n"
        return h
    }

    /// The cells table: one row per cell, best first by the selection rule, every final metric as
    /// mean ± sd (n); `data-v` holds the raw mean for sorting.
    static func cellsTable(_ e: ExperimentResults) -> String {
        let (_, axes, rows) = Leaderboard.rows(e)
        let metrics = Leaderboard.metricColumns(e)
        var h = "<section id=\"cells\">\n<h2>Cells</h2>\n"
        h +=
            "<p class=\"note\">A cell is one setting of the sweep: the runs that differ only in <code>seed</code>. "
            + "Values are mean ± sample sd (n runs) over its completed runs; rows are sorted best first"
            + (e.selection.map { " by \(SVG.esc($0.description))" } ?? "")
            + ". Click a column header to sort. Test metrics are shown, never used to select.</p>\n"
        h += "<table class=\"sortable cells\">\n<thead><tr><th></th>"
        for a in axes { h += "<th>\(SVG.esc(Cell.shortKey(a)))</th>" }
        h += "<th>status</th>"
        for m in metrics { h += "<th>\(SVG.esc(m.replacingOccurrences(of: "_", with: " ")))</th>" }
        h += "</tr></thead>\n<tbody>\n"
        for r in rows {
            h += r.best ? "<tr class=\"best-cell\"><td title=\"best cell\">★</td>" : "<tr><td></td>"
            for v in r.axes { h += "<td>\(SVG.esc(v))</td>" }
            h += "<td>\(SVG.esc(r.status))</td>"
            for m in metrics {
                if let st = r.metrics[m] {
                    h +=
                        "<td class=\"num\" data-v=\"\(NumberFormat.shortest(st.mean))\">\(SVG.esc(TableNumbers.meanSD(st, metric: m)))</td>"
                } else {
                    h += "<td class=\"num\"></td>"
                }
            }
            h += "</tr>\n"
        }
        return h + "</tbody>\n</table>\n</section>\n"
    }

    /// The runs table: axis values, status, flags, epochs, final cost, then the best epoch and per
    /// split the cost, accuracy, RMSE, MAE and R² that any run recorded.
    static func summary(_ e: ExperimentResults, best: Int?) -> String {
        let perSplit =
            ["best_epoch"]
            + ["train", "validation", "test"].flatMap { s in
                ["cost", "accuracy", "rmse", "mae", "r2"].map { "\(s)_\($0)" }
            }
        let metrics = perSplit.filter { m in e.runs.contains { $0.metrics[m] != nil } }
        let flagged = e.runs.contains { $0.flag != nil }
        var h =
            "<section id=\"runs\">\n<h2>Runs</h2>\n<table class=\"sortable runs\">\n<thead><tr><th></th><th>run</th>"
        for a in e.axes { h += "<th>\(SVG.esc(a.split(separator: ".").last.map(String.init) ?? a))</th>" }
        h += "<th>status</th>" + (flagged ? "<th>flag</th>" : "") + "<th>epochs</th><th>final cost</th>"
        for m in metrics { h += "<th>\(SVG.esc(m.replacingOccurrences(of: "_", with: " ")))</th>" }
        h += "</tr></thead>\n<tbody>\n"
        func num(_ v: Double?, _ metric: String) -> String {
            guard let v else { return "<td class=\"num\"></td>" }
            return
                "<td class=\"num\" data-v=\"\(NumberFormat.shortest(v))\">\(SVG.esc(TableNumbers.value(v, metric: metric)))</td>"
        }
        for (i, r) in e.runs.enumerated() {
            let isBest = i == best
            h +=
                isBest
                ? "<tr class=\"best\"><td title=\"best run of the best cell\">★</td>"
                : (r.flag != nil ? "<tr class=\"flagged\"><td></td>" : "<tr><td></td>")
            h += "<td><code>\(SVG.esc(r.name))</code></td>"
            for a in e.axes { h += "<td>\(SVG.esc(r.axisValues.first { $0.key == a }?.value ?? ""))</td>" }
            h += "<td class=\"status-\(Charts.slug(r.status))\">\(SVG.esc(r.status))</td>"
            if flagged { h += "<td class=\"flag\">\(SVG.esc(r.flag ?? ""))</td>" }
            h += "<td class=\"num\">\(r.epochs.map(String.init) ?? "")</td>"
            h += num(r.finalCost, "final_cost")
            for m in metrics { h += num(r.metrics[m], m) }
            h += "</tr>\n"
        }
        h += "</tbody>\n</table>\n"
        if best != nil {
            h += "<p class=\"note\">★ best run of the best cell; cells are chosen by \(SVG.esc(e.bestCriterion)).</p>\n"
        }
        if flagged {
            h +=
                "<p class=\"note flag\">Flagged runs are left out of cells, charts and selection: <em>stale</em> runs were made by another version of the spec, "
                + "<em>orphaned</em> runs by a sweep value the spec no longer has. <code>nnexp prune \(SVG.esc(e.directory))</code> lists them; with <code>--yes</code> it deletes them.</p>\n"
        }
        return h + "</section>\n"
    }

    /// Sorts a table by the clicked header: numbers by `data-v`, other cells as text; a second click reverses.
    /// Written without `&` or `<` so the page stays well-formed XML (the tests parse it as such).
    static let sortScript = """
        document.querySelectorAll("table.sortable").forEach(function (table) {
          table.querySelectorAll("thead th").forEach(function (th, col) {
            th.style.cursor = "pointer";
            th.title = "sort by this column";
            th.addEventListener("click", function () {
              var asc = th.getAttribute("aria-sort") !== "ascending";
              table.querySelectorAll("thead th").forEach(function (h) { h.removeAttribute("aria-sort"); });
              th.setAttribute("aria-sort", asc ? "ascending" : "descending");
              var body = table.tBodies[0], rows = Array.prototype.slice.call(body.rows);
              function key(row) {
                var c = row.cells[col];
                if (!c) return "";
                var v = c.getAttribute("data-v");
                return v === null ? c.textContent : parseFloat(v);
              }
              function compare(x, y) {
                var nx = typeof x === "number", ny = typeof y === "number";
                if (nx === ny) return nx ? x - y : String(x).localeCompare(String(y), undefined, {numeric: true});
                return nx ? -1 : 1;
              }
              rows.sort(function (a, b) { var r = compare(key(a), key(b)); return asc ? r : -r; });
              rows.forEach(function (r) { body.appendChild(r); });
            });
          });
        });

        """

    static let css = """
        body { font-family: "DejaVu Sans", Helvetica, Arial, sans-serif; margin: 24px auto; max-width: 1560px; padding: 0 16px; color: #1a1a1a; }
        h1 { font-size: 24px; margin-bottom: 4px; }
        h2 { font-size: 19px; border-bottom: 1px solid #cccccc; padding-bottom: 4px; margin-top: 32px; }
        h3 { font-size: 15px; }
        nav { margin: 8px 0 16px; font-size: 14px; }
        a { color: #0072B2; }
        .meta, .note { color: #444444; font-size: 14px; }
        pre.spec { background: #f6f6f6; border: 1px solid #dddddd; padding: 10px 14px; font-size: 13px; overflow-x: auto; }
        table { border-collapse: collapse; font-size: 13px; }
        th, td { border: 1px solid #d0d0d0; padding: 4px 8px; text-align: left; }
        th { background: #f0f0f0; }
        td.num { text-align: right; font-variant-numeric: tabular-nums; }
        tr.best, tr.best-cell { background: #e6f1f8; font-weight: bold; }
        tr.flagged { color: #888888; }
        .flag { color: #D55E00; }
        th[aria-sort="ascending"]::after { content: " ▲"; }
        th[aria-sort="descending"]::after { content: " ▼"; }
        table.scores { margin-top: 6px; }
        caption { text-align: left; font-size: 13px; padding: 2px 0; }
        td.status-diverged, td.status-failed, td.status-cancelled { color: #D55E00; font-weight: bold; }
        .charts { display: flex; flex-wrap: wrap; gap: 16px; align-items: flex-start; }
        figure { margin: 0; }
        figure svg { max-width: 100%; height: auto; border: 1px solid #e0e0e0; }
        figcaption { font-size: 12px; color: #666666; margin-top: 2px; }
        footer { margin-top: 40px; font-size: 12px; color: #777777; }

        """
}
