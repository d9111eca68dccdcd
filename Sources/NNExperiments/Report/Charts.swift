import Foundation

/// A rendered chart: its page section, its standalone file name under `charts/` and its SVG.
public struct Chart: Sendable {
    /// The report section it belongs to.
    public var section: String
    /// Its file name under `charts/`, unique within the report.
    public var file: String
    /// Its heading.
    public var title: String
    /// The SVG document.
    public var svg: String
    /// HTML shown after the chart (e.g. the per-class scores under a confusion matrix).
    public var after: String = ""
}

/// When the cost axis is logarithmic.
public enum LogScale: String, Sendable, CaseIterable {
    /// Log scale when the values span more than two decades.
    case auto
    case always, never
}

/// Chooses and draws the charts an experiment's results support: what is drawn depends only on which
/// files the runs wrote (no accuracy → no accuracy charts; `decision-boundary.csv` → regions; …).
public enum Charts {
    /// Minibatch-cost charts beyond this many runs are left out (the page says so).
    static let minibatchChartLimit = 12

    /// Cells drawn on one curve chart before it is split into small multiples by one axis.
    static let cellsPerChart = 8

    /// Every chart the results support, in page order, and notes on what was left out; `logScale` for cost axes.
    public static func make(_ e: ExperimentResults, logScale: LogScale = .auto) -> (charts: [Chart], notes: [String]) {
        var charts: [Chart] = []
        var notes: [String] = []
        var usedFiles = Set<String>()
        func add(_ section: String, _ base: String, _ title: String, after: String = "", _ svg: (String) -> String) {
            var file = slug(base)
            var n = 2
            while usedFiles.contains(file) {
                file = slug(base) + "-\(n)"
                n += 1
            }
            usedFiles.insert(file)
            charts.append(Chart(section: section, file: file + ".svg", title: title, svg: svg(file), after: after))
        }
        let best = e.bestRunIndex
        let cells = e.cells
        let bestCell = e.bestCellIndex
        let seeds = cells.contains { $0.runs.count > 1 }
        let stepName = e.runs.first { $0.counts && !$0.epochIndex.isEmpty }?.stepName ?? "epoch"

        // Per-epoch curves (cost, then accuracy by split): one line per cell, the mean over its seeds
        // with the range as a band; more cells than `cellsPerChart` are split by one axis.
        func curves(
            _ column: String, section: String, title: String, yLabel: String, file: String, log: Bool, cap: Double?
        ) {
            let drawn = cells.indices.compactMap { i in cellCurve(e, cells[i], column: column).map { (i, $0) } }
            guard !drawn.isEmpty else { return }
            let (log, note) = log ? useLog(drawn.flatMap { $0.1.mean.map(\.y) }, logScale) : (false, "")
            let band = seeds ? "mean over seeds, band: their range" : ""
            let subtitle = [band, note].filter { !$0.isEmpty }.joined(separator: "; ")
            for panel in panels(e, cells: drawn.map(\.0)) {
                let series = panel.cells.enumerated().map { k, i -> LineSeries in
                    let curve = drawn.first { $0.0 == i }!.1
                    var label = cells[i].axisValues.filter { $0.key != panel.axis }.map {
                        "\(Cell.shortKey($0.key))=\($0.value)"
                    }.joined(separator: ", ")
                    if label.isEmpty {
                        label = panel.title.isEmpty ? column.replacingOccurrences(of: "_", with: " ") : panel.title
                    }
                    if i == bestCell { label += " (best)" }
                    return LineSeries(
                        label: label, points: curve.mean, colour: Palette.colour(k), dash: Palette.dash(k),
                        width: i == bestCell ? 2.6 : 1.6, band: curve.band)
                }
                let t = panel.title.isEmpty ? title : "\(title) — \(panel.title)"
                add(section, panel.title.isEmpty ? file : "\(file)-\(panel.title)", t) { id in
                    LineChart(
                        title: t, subtitle: subtitle, xLabel: stepName, yLabel: yLabel, series: series, yLog: log,
                        yCap: cap, id: id
                    ).svg()
                }
            }
        }
        curves(
            "cost", section: "Cost", title: "Cost per \(stepName)", yLabel: "cost", file: "cost", log: true, cap: nil)

        // The best cell's splits over each other: does validation follow training?
        if let b = bestCell {
            let splits = ["train", "validation", "test"].filter {
                cellCurve(e, cells[b], column: "\($0)_accuracy") != nil
            }
            if splits.count > 1 {
                let series = splits.enumerated().map { k, split -> LineSeries in
                    let c = cellCurve(e, cells[b], column: "\(split)_accuracy")!
                    return LineSeries(
                        label: "\(split) accuracy", points: c.mean, colour: Palette.colour(k), dash: Palette.dash(k),
                        band: c.band)
                }
                let title = "Accuracy by split — best: \(cells[b].label)"
                add("Accuracy", "accuracy-by-split", title) { id in
                    LineChart(
                        title: title, subtitle: seeds ? "mean over seeds, band: their range" : "", xLabel: stepName,
                        yLabel: "accuracy",
                        series: series, yCap: 1, id: id
                    ).svg()
                }
            }
        }

        // The same for the cost of each split (`outputs.epoch_metrics`): training and validation loss together.
        if let b = bestCell {
            let splits = ["train", "validation", "test"].filter { cellCurve(e, cells[b], column: "\($0)_cost") != nil }
            if splits.count > 1 {
                let values = splits.flatMap { cellCurve(e, cells[b], column: "\($0)_cost")!.mean.map(\.y) }
                let (log, note) = useLog(values, logScale)
                let series = splits.enumerated().map { k, split -> LineSeries in
                    let c = cellCurve(e, cells[b], column: "\(split)_cost")!
                    return LineSeries(
                        label: "\(split) cost", points: c.mean, colour: Palette.colour(k), dash: Palette.dash(k),
                        band: c.band)
                }
                let title = "Cost by split — best: \(cells[b].label)"
                let subtitle = [
                    "mean per-sample loss without penalty", seeds ? "mean over seeds, band: their range" : "", note
                ].filter { !$0.isEmpty }.joined(separator: "; ")
                add("Cost", "cost-by-split", title) { id in
                    LineChart(
                        title: title, subtitle: subtitle, xLabel: stepName, yLabel: "cost", series: series, yLog: log,
                        id: id
                    ).svg()
                }
            }
        }

        // Minibatch cost with its per-epoch average drawn over it: the best run first.
        let withMinibatch = e.runs.indices.filter { e.runs[$0].counts && e.runs[$0].minibatchCost?.isEmpty == false }
            .sorted { ($0 == best ? -1 : $0) < ($1 == best ? -1 : $1) }
        for i in withMinibatch.prefix(minibatchChartLimit) {
            let r = e.runs[i]
            let costs = r.minibatchCost!
            let epochs = max(1, r.epochIndex.count)
            let perEpoch = max(1, costs.count / epochs)
            let raw = costs.enumerated().map { (x: Double($0.offset + 1) / Double(perEpoch), y: $0.element) }
            var average: [(x: Double, y: Double)] = []
            for start in stride(from: 0, to: costs.count, by: perEpoch) {
                let chunk = costs[start..<min(start + perEpoch, costs.count)]
                average.append(
                    (Double(start + chunk.count) / Double(perEpoch), chunk.reduce(0, +) / Double(chunk.count)))
            }
            let (log, note) = useLog(costs, logScale)
            let range = robustRange(costs, skip: epochs > 1 ? perEpoch : 0, log: log)
            let title = "Minibatch cost — \(r.label)"
            let subtitle = [note, range == nil ? "" : "y range: 1st–99th percentile after the first epoch"].filter {
                !$0.isEmpty
            }.joined(separator: "; ")
            add("Minibatch cost", "minibatch-cost-\(r.name)", title) { id in
                LineChart(
                    title: title, subtitle: subtitle,
                    xLabel: "epoch (\(perEpoch) minibatch\(perEpoch == 1 ? "" : "es") each)", yLabel: "cost",
                    series: [
                        LineSeries(
                            label: "cost of each minibatch", points: raw, colour: "#56B4E9", width: 1, opacity: 0.8),
                        LineSeries(label: "average per epoch", points: average, colour: "#000000", width: 2.2)
                    ], yLog: log, yRange: range, width: 560, plotHeight: 240, id: id
                ).svg()
            }
        }
        if withMinibatch.count > minibatchChartLimit {
            notes.append(
                "Minibatch cost is drawn for \(minibatchChartLimit) of the \(withMinibatch.count) runs that recorded it (the best run first, then in run order)."
            )
        }

        // Accuracy per epoch, one chart per split.
        for split in ["train", "validation", "test"] {
            curves(
                "\(split)_accuracy", section: "Accuracy", title: "\(split.capitalized) accuracy per \(stepName)",
                yLabel: "\(split) accuracy", file: "accuracy-\(split)", log: false, cap: 1)
        }

        // The selection metric against each sweep axis (never against the seed).
        // A random search gets TrialCharts instead (a line or a row per trial would be one per run).
        if cells.count > 1, !TrialCharts.replacesAxisCharts(e) {
            for axis in e.axes where !Cell.isSeed(axis) {
                if let c = axisChart(e, axis: axis, logScale: logScale) {
                    add("Sweep", "\(c.file)-vs-\(axis)", c.title) { id in
                        var ch = c.chart
                        ch.id = id
                        return ch.svg()
                    }
                }
            }
            let setting = e.axes.filter { !Cell.isSeed($0) && (e.axisValues[$0]?.count ?? 0) > 1 }
            if let rule = e.selection, setting.count >= 2 {
                for (i, a) in setting.enumerated() {
                    for b in setting[(i + 1)...] {
                        let title = "Mean \(rule.label): \(a) × \(b)"
                        add("Sweep", "\(rule.metric.replacingOccurrences(of: "_", with: "-"))-\(a)-x-\(b)", title) {
                            _ in pairHeatmap(e, rule: rule, rows: a, columns: b, title: title)
                        }
                    }
                }
            }
        }

        // Gradient norms and unit activity (DiagnosticsChart.swift).
        notes += DiagnosticsCharts.make(e) { section, base, title, svg in add(section, base, title, svg) }

        // Confusion matrix of the best run, with per-class precision, recall and F1 below it.
        if let b = best {
            let r = e.runs[b]
            if let split = ["test", "validation", "train"].first(where: { r.confusion[$0] != nil }) {
                let title = "Confusion matrix (\(split)) — best run: \(r.label)"
                let matrix = r.confusion[split]!
                add("Confusion matrix", "confusion-\(split)", title, after: classScoresTable(matrix, split: split)) {
                    _ in Heatmap(title: title, matrix: matrix).svg()
                }
            }
        }

        // Decision regions of every run that wrote them.
        for r in e.runs where r.counts {
            guard let g = r.decisionBoundary else { continue }
            add("Decision boundaries", "decision-boundary-\(r.name)", r.label) { _ in
                DecisionBoundaryChart(title: r.label, grid: g, points: r.points ?? [], classNames: r.classNames ?? [])
                    .svg()
            }
        }

        // Misclassified test images of the best run (or of the first run that recorded any).
        let imageRun =
            [best].compactMap { $0 }.filter { e.runs[$0].misclassified?.isEmpty == false }.first
            ?? e.runs.indices.first { e.runs[$0].counts && e.runs[$0].misclassified?.isEmpty == false }
        if let i = imageRun {
            let r = e.runs[i]
            let images = Array(r.misclassified!.prefix(25))
            let title = "First \(images.count) misclassified test images — \(r.label)"
            add("Misclassified test images", "misclassified", title) { _ in
                ImageGrid(title: title, images: images, classNames: r.classNames ?? []).svg()
            }
        }
        // The best run's first-layer weights as images (image datasets: those that wrote misclassified.csv).
        if let b = best, e.runs[b].misclassified != nil {
            let r = e.runs[b]
            let path = ((e.directory as NSString).appendingPathComponent(r.name) as NSString).appendingPathComponent(
                "weights.npz")
            do {
                if let w = try WeightImages.read(path: path), let shape = imageShape(r, inputs: w[0].count) {
                    let title = "First-layer weights — best run: \(r.label)"
                    add("First-layer weights", "first-layer-weights", title) { _ in
                        WeightImages(title: title, weights: w, width: shape.width, height: shape.height).svg()
                    }
                } else if FileManager.default.fileExists(atPath: path) {
                    notes.append(
                        "The first-layer weights of \(r.label) are not drawn: its inputs do not form an image.")
                }
            } catch {
                notes.append("The first-layer weights of \(r.label) are not drawn: \(error)")
            }
        }
        charts += TrialCharts.make(e, used: &usedFiles)
        return (charts, notes)
    }

    /// A run's image size: that of its misclassified images, else a square of `inputs` pixels; nil
    /// when neither fits the `inputs` weights of a first-layer unit.
    static func imageShape(_ r: RunResults, inputs: Int) -> (width: Int, height: Int)? {
        if let m = r.misclassified?.first, m.width * m.height == inputs { return (m.width, m.height) }
        let side = Int(Double(inputs).squareRoot().rounded())
        return side * side == inputs && side > 1 ? (side, side) : nil
    }

    /// The mean of an epoch column over a cell's counting runs at every epoch any of them reached,
    /// and (for several runs) the range as a band. Nil when no run recorded the column.
    static func cellCurve(_ e: ExperimentResults, _ cell: Cell, column: String) -> (
        mean: [(x: Double, y: Double)], band: [(x: Double, lo: Double, hi: Double)]
    )? {
        let runs = cell.runs.map { e.runs[$0] }.filter(\.counts)
        var byX: [Double: [Double]] = [:]
        var any = false
        for r in runs {
            guard let v = r.epochColumn(column), !v.isEmpty else { continue }
            any = true
            for (x, y) in zip(r.epochIndex, v) where y.isFinite { byX[x, default: []].append(y) }
        }
        guard any else { return nil }
        let xs = byX.keys.sorted()
        let mean = xs.map { x in (x: x, y: byX[x]!.reduce(0, +) / Double(byX[x]!.count)) }
        guard runs.count > 1 else { return (mean, []) }
        // A band of thousands of epochs is thinned to about 600 vertices (the line itself is thinned by LineChart).
        let step = max(1, xs.count / 600)
        let band = xs.enumerated().filter { $0.offset % step == 0 || $0.offset == xs.count - 1 }
            .map { (x: $0.element, lo: byX[$0.element]!.min()!, hi: byX[$0.element]!.max()!) }
        return (mean, band)
    }

    /// Curve charts: one panel for all cells, or, past `cellsPerChart`, one per value of the setting
    /// axis that splits the cells into the fewest panels of at most `cellsPerChart` (else the
    /// smallest panels).
    static func panels(_ e: ExperimentResults, cells drawn: [Int]) -> [(axis: String?, title: String, cells: [Int])] {
        guard drawn.count > cellsPerChart else { return [(nil, "", drawn)] }
        let all = e.cells
        let candidates = e.axes.filter { !Cell.isSeed($0) && (e.axisValues[$0]?.count ?? 0) > 1 }
        func split(_ a: String) -> [(String, [Int])] {
            (e.axisValues[a] ?? []).map { v in
                (v, drawn.filter { i in all[i].axisValues.contains { $0.key == a && $0.value == v } })
            }.filter { !$0.1.isEmpty }
        }
        let scored = candidates.map { a in (a, split(a)) }
        guard !scored.isEmpty else { return [(nil, "", drawn)] }
        let fitting = scored.filter { $0.1.allSatisfy { $0.1.count <= cellsPerChart } }
        let pick =
            fitting.min { $0.1.count < $1.1.count } ?? scored.min {
                ($0.1.map(\.1.count).max() ?? 0) < ($1.1.map(\.1.count).max() ?? 0)
            }!
        return pick.1.map { (pick.0, "\(Cell.shortKey(pick.0))=\($0.0)", $0.1) }
    }

    /// A y range from the 1st to the 99th percentile of `values` after the first `skip` (the first
    /// epoch's large costs), widened by 5 %; nil when that is no narrower than the whole range.
    static func robustRange(_ values: [Double], skip: Int, log: Bool) -> ClosedRange<Double>? {
        let v = values.dropFirst(skip).filter { $0.isFinite && (!log || $0 > 0) }.sorted()
        guard v.count >= 20, let lo0 = v.first, let hi0 = values.filter(\.isFinite).max() else { return nil }
        let lo = v[Int(Double(v.count - 1) * 0.01)]
        let hi = v[Int(Double(v.count - 1) * 0.99)]
        guard hi > lo, hi < hi0 || lo > lo0 else { return nil }
        if log { return (lo / 1.1)...(hi * 1.1) }
        let pad = (hi - lo) * 0.05
        return (lo - pad)...(hi + pad)
    }

    /// The selection metric against one axis: a point per cell at its mean with ± one sample sd over
    /// seeds, one series per combination of the other setting axes. Categorical axes (any value not
    /// a number) get points only; numeric axes get lines through the means, on a log scale when the
    /// positive values span more than two decades (0 then drawn apart).
    static func axisChart(_ e: ExperimentResults, axis: String, logScale: LogScale) -> (
        chart: LineChart, file: String, title: String
    )? {
        let values = e.axisValues[axis] ?? []
        guard values.count > 1, let rule = e.selection else { return nil }
        let metricName = rule.label
        let numbers = values.compactMap { Double($0) }
        let numeric = numbers.count == values.count && numbers.allSatisfy(\.isFinite)
        let positive = numbers.filter { $0 > 0 }
        let logX = numeric && positive.count >= 2 && !numbers.contains { $0 < 0 } && Axis.decades(positive) > 2
        let xKind: Axis.Kind = !numeric ? .categorical(values) : (logX ? .log : .linear)
        var groups: [(label: String, cells: [(x: Double, value: String, stats: MetricStats)])] = []
        for c in e.cells {
            guard let v = c.axisValues.first(where: { $0.key == axis })?.value, let st = c.stats[rule.metric] else {
                continue
            }
            let others = c.axisValues.filter { $0.key != axis }.map { "\(Cell.shortKey($0.key))=\($0.value)" }.joined(
                separator: ", ")
            let x = numeric ? Double(v)! : Double(values.firstIndex(of: v)!)
            if let g = groups.firstIndex(where: { $0.label == others }) {
                groups[g].cells.append((x, v, st))
            } else {
                groups.append((others, [(x, v, st)]))
            }
        }
        guard !groups.isEmpty else { return nil }
        // Categories: series side by side within a category so error bars do not hide each other.
        let dodge = !numeric && groups.count > 1 ? 0.5 / Double(groups.count) : 0
        let series = groups.enumerated().map { i, g -> LineSeries in
            let sorted = g.cells.sorted { $0.x < $1.x }
            let shift = dodge * (Double(i) - Double(groups.count - 1) / 2)
            let pts = sorted.map { (x: $0.x + shift, y: $0.stats.mean) }
            let bars = sorted.compactMap { c in
                c.stats.sd.map { (x: c.x + shift, lo: c.stats.mean - $0, hi: c.stats.mean + $0) }
            }
            let titles = sorted.map { c in
                "\(axis)=\(c.value)\(g.label.isEmpty ? "" : ", " + g.label): \(metricName) \(TableNumbers.meanSD(c.stats, metric: rule.metric))"
            }
            return LineSeries(
                label: g.label.isEmpty ? metricName : g.label, points: pts, colour: Palette.colour(i),
                dash: Palette.dash(i),
                markers: true, joined: numeric, errorBars: bars, pointTitles: titles)
        }
        let accuracy = rule.metric.hasSuffix("_accuracy")
        let (log, note) = !accuracy ? useLog(series.flatMap { $0.points.map(\.y) }, logScale) : (false, "")
        let spread = e.cells.contains { $0.completed > 1 } ? "mean ± sd over seeds" : ""
        let title = "\(metricName.prefix(1).uppercased() + metricName.dropFirst()) against \(axis)"
        let chart = LineChart(
            title: title,
            subtitle: [spread, rule.onTrainingData ? "training data" : "", note].filter { !$0.isEmpty }.joined(
                separator: "; "),
            xLabel: axis + (xKind == .log ? " (log scale)" : ""), yLabel: metricName,
            series: series, xKind: xKind, yLog: log, yCap: accuracy ? 1 : nil, xZeroApart: true)
        return (chart, rule.metric.replacingOccurrences(of: "_", with: "-"), title)
    }

    /// The mean selection metric of every cell on a grid of two axes (other axes averaged over).
    static func pairHeatmap(
        _ e: ExperimentResults, rule: SelectionRule, rows a: String, columns b: String, title: String
    ) -> String {
        let rowValues = e.axisValues[a] ?? []
        let colValues = e.axisValues[b] ?? []
        var grid = Array(repeating: Array(repeating: [Double](), count: colValues.count), count: rowValues.count)
        for r in e.runs where r.counts {
            guard let va = r.axisValues.first(where: { $0.key == a })?.value,
                let vb = r.axisValues.first(where: { $0.key == b })?.value,
                let i = rowValues.firstIndex(of: va), let j = colValues.firstIndex(of: vb),
                let m = r.metrics[rule.metric], m.isFinite
            else { continue }
            grid[i][j].append(m)
        }
        let means = grid.map { $0.map { $0.isEmpty ? nil : $0.reduce(0, +) / Double($0.count) } }
        return ValueGrid(
            title: title, rowLabel: a, columnLabel: b, rows: rowValues, columns: colValues, values: means,
            higherIsBetter: rule.higherIsBetter, format: { TableNumbers.value($0, metric: rule.metric) }
        ).svg()
    }

    /// Per-class precision (of the predicted column), recall (of the true row) and F1 as an HTML table.
    static func classScoresTable(_ m: ConfusionMatrix, split: String) -> String {
        var h =
            "<table class=\"sortable scores\">\n<caption>Per-class scores on the \(SVG.esc(split)) split</caption>\n"
        h +=
            "<thead><tr><th>class</th><th>support</th><th>precision</th><th>recall</th><th>F1</th></tr></thead>\n<tbody>\n"
        for (i, s) in ClassScores.of(m).enumerated() {
            func pct(_ v: Double?) -> String { v.map { TableNumbers.percent($0) } ?? "–" }
            h +=
                "<tr><td>\(SVG.esc(m.classes[i]))</td><td class=\"num\">\(s.support)</td><td class=\"num\">\(pct(s.precision))</td>"
                + "<td class=\"num\">\(pct(s.recall))</td><td class=\"num\">\(pct(s.f1))</td></tr>\n"
        }
        return h + "</tbody>\n</table>\n"
    }

    /// Whether to draw values on a log axis, and the note for the chart title saying so.
    static func useLog(_ values: [Double], _ mode: LogScale) -> (Bool, String) {
        let positive = values.contains { $0.isFinite && $0 > 0 }
        switch mode {
        case .never: return (false, "")
        case .always: return positive ? (true, "log scale") : (false, "")
        case .auto:
            let d = Axis.decades(values)
            return d > 2
                ? (true, "log scale: the values span \(NumberFormat.fixed(d, decimals: 1)) decades") : (false, "")
        }
    }

    /// A file-name-safe form of a name: letters, digits, `.`, `_` and `-`.
    public static func slug(_ s: String) -> String {
        var out = ""
        for c in s.unicodeScalars {
            if (c.isASCII && (CharacterSet.alphanumerics.contains(c))) || c == "." || c == "_" {
                out.unicodeScalars.append(c)
            } else if !out.hasSuffix("-") {
                out += "-"
            }
        }
        while out.hasSuffix("-") { out.removeLast() }
        return out.isEmpty ? "chart" : out
    }
}
