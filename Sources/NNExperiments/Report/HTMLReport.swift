/// The report page: one self-contained HTML file (inline CSS and SVG, no scripts, no external fonts
/// or images), in a fixed order so the same results give the same bytes.
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
            meta += " · best \(cell.runs.count > 1 ? "cell" : "run"): <strong>\(SVG.esc(cell.runs.count > 1 ? cell.label : e.runs[cell.runs[0]].label))</strong> (\(SVG.esc(rule.label))\(SVG.esc(stats)); \(SVG.esc(e.bestCriterion)))"
        }
        let flagged = e.flaggedRuns
        if !flagged.isEmpty {
            meta += " · <span class=\"flag\">\(flagged.count) stale or orphaned run\(flagged.count == 1 ? "" : "s") left out of cells, charts and selection (<code>nnexp prune</code> removes them)</span>"
        }
        h += "<p class=\"meta\">\(meta)</p>\n"
        let sections = charts.reduce(into: [String]()) { if !$0.contains($1.section) { $0.append($1.section) } }
        h += "<nav>" + (["Spec", "Runs"] + sections).map { "<a href=\"#\(Charts.slug($0).lowercased())\">\(SVG.esc($0))</a>" }
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
                h += "<tr><td><code>\(SVG.esc(a))</code></td><td>\((e.axisValues[a] ?? []).map(SVG.esc).joined(separator: ", "))</td></tr>\n"
            }
            h += "</tbody>\n</table>\n"
        }
        h += "</section>\n"
        h += summary(e, best: best)
        for n in notes { h += "<p class=\"note\">\(SVG.esc(n))</p>\n" }
        for section in sections {
            h += "<section id=\"\(Charts.slug(section).lowercased())\">\n<h2>\(SVG.esc(section))</h2>\n<div class=\"charts\">\n"
            for c in charts where c.section == section {
                h += "<figure>\n\(c.svg)\n<figcaption><a href=\"charts/\(SVG.esc(c.file))\">charts/\(SVG.esc(c.file))</a></figcaption>\n</figure>\n"
            }
            h += "</div>\n</section>\n"
        }
        h += "<footer>Written by nnexp report from the files in this folder.</footer>\n</body>\n</html>\n"
        return h
    }

    /// The runs table: axis values, status, epochs, final cost and the accuracies any run recorded.
    static func summary(_ e: ExperimentResults, best: Int?) -> String {
        let splits = ["train", "validation", "test"].filter { s in e.runs.contains { $0.accuracy[s] != nil } }
        var h = "<section id=\"runs\">\n<h2>Runs</h2>\n<table class=\"runs\">\n<thead><tr><th></th><th>run</th>"
        for a in e.axes { h += "<th>\(SVG.esc(a.split(separator: ".").last.map(String.init) ?? a))</th>" }
        h += "<th>status</th><th>epochs</th><th>final cost</th>"
        for s in splits { h += "<th>\(s) accuracy</th>" }
        h += "</tr></thead>\n<tbody>\n"
        for (i, r) in e.runs.enumerated() {
            let isBest = i == best
            h += isBest ? "<tr class=\"best\"><td title=\"best run\">★</td>" : "<tr><td></td>"
            h += "<td><code>\(SVG.esc(r.name))</code></td>"
            for a in e.axes { h += "<td>\(SVG.esc(r.axisValues.first { $0.key == a }?.value ?? ""))</td>" }
            h += "<td class=\"status-\(Charts.slug(r.status))\">\(SVG.esc(r.status))</td>"
            h += "<td class=\"num\">\(r.epochs.map(String.init) ?? "")</td>"
            h += "<td class=\"num\">\(r.finalCost.map { SVG.significant($0, digits: 6) } ?? "")</td>"
            for s in splits { h += "<td class=\"num\">\(r.accuracy[s].map { SVG.fixed($0, decimals: 4) } ?? "")</td>" }
            h += "</tr>\n"
        }
        h += "</tbody>\n</table>\n"
        if best != nil { h += "<p class=\"note\">★ best run: \(SVG.esc(e.bestCriterion)).</p>\n" }
        return h + "</section>\n"
    }

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
    tr.best { background: #e6f1f8; font-weight: bold; }
    td.status-diverged, td.status-failed, td.status-cancelled { color: #D55E00; font-weight: bold; }
    .charts { display: flex; flex-wrap: wrap; gap: 16px; align-items: flex-start; }
    figure { margin: 0; }
    figure svg { max-width: 100%; height: auto; border: 1px solid #e0e0e0; }
    figcaption { font-size: 12px; color: #666666; margin-top: 2px; }
    footer { margin-top: 40px; font-size: 12px; color: #777777; }

    """
}
