import Foundation

/// Charts of a random search (`sweep.random`) and of successive halving (`rungs.csv`), read from the
/// results folder alone (spec.yaml says which parameters were sampled on a log scale and which metric
/// halving ranked by; summary.csv and the run folders give the values):
///
/// - **Trials**: a parallel-coordinates chart, one vertical axis per sampled parameter and one for
///   the metric, one line per trial through its values, coloured by its metric (a sequential
///   scale, best on top);
/// - **metric against each sampled parameter**: one dot per trial (log x axis for `loguniform` and
///   `int` with `log: true`, one column per value for `choice`);
/// - **Rungs** (with `rungs.csv`): the metric of every trial at every rung it reached, a line per
///   trial; filled dots were promoted, hollow ones stopped there.
enum TrialCharts {
    /// A sampled parameter: its path and how its axis is drawn.
    struct Param {
        var path: String
        var kind: Axis.Kind
    }

    /// The metric the trials are compared by: halving's, else the report's ranking metric.
    struct Metric {
        var name: String
        var higherIsBetter = true
        var value: (RunResults) -> Double?
    }

    /// The charts, with file names not in `used` (which receives theirs).
    static func make(_ e: ExperimentResults, used: inout Set<String>) -> [Chart] {
        var out: [Chart] = []
        func add(_ base: String, _ title: String, _ svg: String) {
            var file = Charts.slug(base)
            var n = 2
            while used.contains(file) {
                file = Charts.slug(base) + "-\(n)"
                n += 1
            }
            used.insert(file)
            out.append(Chart(section: "Trials", file: file + ".svg", title: title, svg: svg))
        }
        let spec = e.specText.flatMap { try? YAMLParser.parse($0, file: "spec.yaml") }
        let metric = self.metric(e, spec: spec)
        let params = sampled(e, spec: spec)
        let trials = e.runs.filter { $0.flag == nil && metric.value($0).map(\.isFinite) == true }
        if !params.isEmpty, trials.count > 1 {
            let title = "Trials: sampled parameters and \(metric.name)"
            add("trials-parallel", title, parallel(e, trials: trials, params: params, metric: metric, title: title))
            for p in params {
                let t = "\(metric.name.prefix(1).uppercased() + metric.name.dropFirst()) against \(p.path)"
                add("trials-\(metric.name)-vs-\(p.path)", t, scatter(trials, param: p, metric: metric, title: t))
            }
        }
        if let rungs = readRungs(e.directory), !rungs.isEmpty {
            let t = "Successive halving: \(metric.name) at each rung"
            add("rungs", t, rungChart(rungs, metric: metric.name, title: t))
        }
        return out
    }

    /// True when these charts stand for the per-axis sweep charts (a random search: a line per
    /// value of the other axes would be a line per trial).
    static func replacesAxisCharts(_ e: ExperimentResults) -> Bool { e.axes.contains("trial") }

    // MARK: Reading

    static func metric(_ e: ExperimentResults, spec: YAMLNode?) -> Metric {
        let halving = spec?["sweep"]?["halving"]?["metric"]?.scalar
        switch halving {
        case "validation_accuracy": return Metric(name: "validation accuracy") { $0.accuracy["validation"] }
        case "train_accuracy": return Metric(name: "train accuracy") { $0.accuracy["train"] }
        case "validation_cost":
            return Metric(name: "validation cost", higherIsBetter: false) { $0.metrics["validation_cost"] }
        case "train_cost":
            return Metric(name: "train cost", higherIsBetter: false) { $0.metrics["train_cost"] ?? $0.finalCost }
        default:
            // The report's selection rule (`SelectionRule`).
            guard let rule = e.selection else {
                return Metric(name: "final cost", higherIsBetter: false) { $0.finalCost }
            }
            return Metric(
                name: rule.metric.replacingOccurrences(of: "_", with: " "), higherIsBetter: rule.higherIsBetter
            ) { $0.metrics[rule.metric] }
        }
    }

    /// The axes after `trial` (random search puts its parameters there), each drawn on a log axis
    /// when spec.yaml samples it on one, as categories when its values are not all numbers.
    static func sampled(_ e: ExperimentResults, spec: YAMLNode?) -> [Param] {
        guard let t = e.axes.firstIndex(of: "trial") else { return [] }
        let distributions = spec?["sweep"]?["random"]?["params"]
        return e.axes[(t + 1)...].map { path in
            let values = e.axisValues[path] ?? []
            let numbers = values.compactMap { Double($0) }
            guard numbers.count == values.count, !values.isEmpty, numbers.allSatisfy(\.isFinite) else {
                return Param(path: path, kind: .categorical(values))
            }
            let d = distributions?[path]
            let log = d?["loguniform"] != nil || (d?["int"] != nil && d?["log"]?.scalar == "true")
            return Param(path: path, kind: log && numbers.allSatisfy { $0 > 0 } ? .log : .linear)
        }
    }

    static func value(_ r: RunResults, _ p: Param) -> Double? {
        guard let v = r.axisValues.first(where: { $0.key == p.path })?.value else { return nil }
        if case .categorical(let names) = p.kind { return names.firstIndex(of: v).map(Double.init) }
        return Double(v)
    }

    /// rungs.csv as (run, rung, epochs, metric, promoted); nil without the file or when it is not one.
    static func readRungs(_ dir: String) -> [(run: String, rung: Int, epochs: Int, metric: Double?, promoted: Bool)]? {
        guard let data = FileManager.default.contents(atPath: (dir as NSString).appendingPathComponent("rungs.csv")),
            let text = String(data: data, encoding: .utf8)
        else { return nil }
        let rows = CSVReader.rows(text)
        guard rows.first == ["trial", "rung", "epochs", "metric", "promoted"] else { return nil }
        return rows.dropFirst().compactMap { f in
            guard f.count == 5, let r = Int(f[1]), let ep = Int(f[2]) else { return nil }
            return (f[0], r, ep, Double(f[3]).flatMap { $0.isFinite ? $0 : nil }, f[4] == "true")
        }
    }

    // MARK: Colour

    /// A sequential scale (viridis at five stops, interpolated) for t in 0…1.
    static func colour(_ t: Double) -> String {
        let stops: [(Double, Double, Double)] = [
            (68, 1, 84), (59, 82, 139), (33, 145, 140), (94, 201, 98), (253, 231, 37)
        ]
        let x = min(max(t.isFinite ? t : 0, 0), 1) * Double(stops.count - 1)
        let i = min(Int(x), stops.count - 2)
        let f = x - Double(i)
        func c(_ a: Double, _ b: Double) -> String {
            let v = Int((a + (b - a) * f).rounded())
            let h = String(v, radix: 16, uppercase: true)
            return h.count == 1 ? "0" + h : h
        }
        return "#" + c(stops[i].0, stops[i + 1].0) + c(stops[i].1, stops[i + 1].1) + c(stops[i].2, stops[i + 1].2)
    }

    /// Position of `v` between the smallest and largest metric (0…1), 1 for the best.
    static func shade(_ v: Double, _ all: [Double], higherIsBetter: Bool) -> Double {
        guard let lo = all.min(), let hi = all.max(), hi > lo else { return 1 }
        let t = (v - lo) / (hi - lo)
        return higherIsBetter ? t : 1 - t
    }

    /// A colour bar for the metric, left to right from worst to best.
    static func colourBar(
        x: Double, y: Double, width: Double, lo: Double, hi: Double, name: String, higherIsBetter: Bool
    ) -> String {
        var s = "<g class=\"colour-bar\">"
        let n = 40
        for i in 0..<n {
            let t = Double(i) / Double(n - 1)
            s += SVG.rect(x + width * Double(i) / Double(n), y, width / Double(n) + 0.5, 10, fill: colour(t))
        }
        let worst = higherIsBetter ? lo : hi
        let best = higherIsBetter ? hi : lo
        s += SVG.text(x, y + 24, NumberFormat.significant(worst), anchor: "start", size: 11)
        s += SVG.text(x + width, y + 24, NumberFormat.significant(best), anchor: "end", size: 11)
        s += SVG.text(x + width / 2, y + 24, "\(name) (worst → best)", size: 11)
        return s + "</g>"
    }

    // MARK: Charts

    static func parallel(_ e: ExperimentResults, trials: [RunResults], params: [Param], metric: Metric, title: String)
        -> String
    {
        let width = max(760, 160 * Double(params.count + 1))
        let top = 70.0
        let plotHeight = 300.0
        let left = 110.0
        let right = 110.0
        let height = top + plotHeight + 90
        let metrics = trials.map { metric.value($0)! }
        let higher = metric.higherIsBetter
        var axes: [Axis] = params.map { p in
            Axis(kind: p.kind, values: trials.compactMap { value($0, p) }, targetTicks: 5)
        }
        let cost = !higher && Axis.decades(metrics) > 2
        axes.append(Axis(kind: cost ? .log : .linear, values: metrics, cap: higher ? 1 : nil, targetTicks: 5))
        let names = params.map(\.path) + [metric.name]
        let step = (width - left - right) / Double(max(axes.count - 1, 1))
        for i in axes.indices {
            axes[i].pixelFrom = top + plotHeight
            axes[i].pixelTo = top
        }
        var s = SVG.open(width: width, height: height, title: title)
        s += SVG.text(width / 2, 26, title, size: 15, weight: "bold")
        s += SVG.text(
            width / 2, 44, "one line per trial (\(trials.count)), coloured by \(metric.name)", size: 12,
            extra: "fill=\"#444444\"")
        // Lines, worst first so the best are drawn on top.
        let order = trials.indices.sorted { a, b in
            let x = shade(metrics[a], metrics, higherIsBetter: higher)
            let y = shade(metrics[b], metrics, higherIsBetter: higher)
            return x != y ? x < y : a < b
        }
        s += "<g class=\"trials\" fill=\"none\" stroke-width=\"1.6\" stroke-linejoin=\"round\">"
        for i in order {
            let r = trials[i]
            var d = ""
            for (k, p) in params.enumerated() {
                guard let v = value(r, p), let y = axes[k].pixel(v) else { continue }
                d += (d.isEmpty ? "M" : "L") + SVG.n(left + step * Double(k)) + " " + SVG.n(y)
            }
            if let y = axes[params.count].pixel(metrics[i]) {
                d += (d.isEmpty ? "M" : "L") + SVG.n(left + step * Double(params.count)) + " " + SVG.n(y)
            }
            s +=
                "<path d=\"\(d)\" stroke=\"\(colour(shade(metrics[i], metrics, higherIsBetter: higher)))\"><title>\(SVG.esc(r.name)): \(SVG.esc(NumberFormat.significant(metrics[i])))</title></path>"
        }
        s += "</g>"
        // Axes over the lines.
        for (k, a) in axes.enumerated() {
            let x = left + step * Double(k)
            s += "<g class=\"axis\" font-size=\"11\" fill=\"#333333\">"
            s += SVG.line(x, top, x, top + plotHeight, stroke: "#333333")
            for t in a.tickValues {
                guard let y = a.pixel(t) else { continue }
                s += SVG.line(x - 4, y, x, y, stroke: "#333333")
                s += SVG.text(
                    x - 6, y + 4, a.label(t), anchor: "end", size: 10,
                    extra: "paint-order=\"stroke\" stroke=\"#ffffff\" stroke-width=\"3\"")
            }
            let label = names[k] + (a.kind == .log ? " (log)" : "")
            s += SVG.text(x, top - 10, label, size: 11, weight: k == params.count ? "bold" : nil)
            s += "</g>"
        }
        s += colourBar(
            x: width / 2 - 150, y: top + plotHeight + 30, width: 300, lo: metrics.min()!, hi: metrics.max()!,
            name: metric.name, higherIsBetter: higher)
        return s + "</svg>"
    }

    /// Plot frame: grid, ticks, labels; returns the SVG so far.
    static func frame(
        _ xAxis: Axis, _ yAxis: Axis, left: Double, top: Double, plotWidth: Double, plotHeight: Double,
        xLabel: String, yLabel: String
    ) -> String {
        var s = "<g font-size=\"11\" fill=\"#333333\">"
        for t in yAxis.tickValues {
            guard let y = yAxis.pixel(t) else { continue }
            s += SVG.line(left, y, left + plotWidth, y, stroke: "#e3e3e3")
            s += SVG.text(left - 8, y + 4, yAxis.label(t), anchor: "end", size: 11)
        }
        for t in xAxis.tickValues {
            guard let x = xAxis.pixel(t) else { continue }
            s += SVG.line(x, top, x, top + plotHeight, stroke: "#f0f0f0")
            s += SVG.text(x, top + plotHeight + 18, xAxis.label(t), size: 11)
        }
        s += "</g>"
        s += SVG.rect(left, top, plotWidth, plotHeight, fill: "none", extra: "stroke=\"#333333\" stroke-width=\"1\"")
        s += SVG.text(left + plotWidth / 2, top + plotHeight + 40, xLabel, size: 12)
        let yMid = top + plotHeight / 2
        s += SVG.text(18, yMid, yLabel, size: 12, extra: "transform=\"rotate(-90 18 \(SVG.n(yMid)))\"")
        return s
    }

    static func scatter(_ trials: [RunResults], param p: Param, metric: Metric, title: String) -> String {
        let width = 480.0
        let left = 70.0
        let right = 20.0
        let top = 46.0
        let plotHeight = 240.0
        let plotWidth = width - left - right
        let points = trials.compactMap { r -> (Double, Double, String)? in
            guard let x = value(r, p), let y = metric.value(r) else { return nil }
            return (x, y, r.name)
        }
        let ys = points.map(\.1)
        let higher = metric.higherIsBetter
        var xAxis = Axis(kind: p.kind, values: points.map(\.0), targetTicks: 5)
        xAxis.pixelFrom = left
        xAxis.pixelTo = left + plotWidth
        var yAxis = Axis(
            kind: !higher && Axis.decades(ys) > 2 ? .log : .linear, values: ys, cap: higher ? 1 : nil, targetTicks: 5)
        yAxis.pixelFrom = top + plotHeight
        yAxis.pixelTo = top
        var s = SVG.open(width: width, height: top + plotHeight + 56, title: title)
        s += SVG.text(width / 2, 26, title, size: 14, weight: "bold")
        s += frame(
            xAxis, yAxis, left: left, top: top, plotWidth: plotWidth, plotHeight: plotHeight,
            xLabel: p.path + (p.kind == .log ? " (log scale)" : ""), yLabel: metric.name)
        s += "<g class=\"trials\" stroke=\"#333333\" stroke-width=\"0.6\">"
        for (x, y, name) in points {
            guard let px = xAxis.pixel(x), let py = yAxis.pixel(y) else { continue }
            s +=
                "<circle cx=\"\(SVG.n(px))\" cy=\"\(SVG.n(py))\" r=\"4\" fill=\"\(colour(shade(y, ys, higherIsBetter: higher)))\"><title>\(SVG.esc(name)): \(SVG.esc(NumberFormat.significant(y)))</title></circle>"
        }
        return s + "</g></svg>"
    }

    static func rungChart(
        _ rows: [(run: String, rung: Int, epochs: Int, metric: Double?, promoted: Bool)], metric: String, title: String
    ) -> String {
        let width = 620.0
        let left = 70.0
        let right = 20.0
        let top = 60.0
        let plotHeight = 260.0
        let plotWidth = width - left - right
        let rungs = Array(Set(rows.map(\.rung))).sorted()
        let labels = rungs.map { r in
            "rung \(r): \(rows.first { $0.rung == r }!.epochs) ep, \(rows.filter { $0.rung == r }.count) run\(rows.filter { $0.rung == r }.count == 1 ? "" : "s")"
        }
        var xAxis = Axis(kind: .categorical(labels), values: [])
        xAxis.pixelFrom = left
        xAxis.pixelTo = left + plotWidth
        let ys = rows.compactMap(\.metric)
        let isCost = metric == "final cost"
        var yAxis = Axis(
            kind: isCost && Axis.decades(ys) > 2 ? .log : .linear, values: ys, cap: isCost ? nil : 1, targetTicks: 5)
        yAxis.pixelFrom = top + plotHeight
        yAxis.pixelTo = top
        let lastRung = rungs.last ?? 0
        var s = SVG.open(width: width, height: top + plotHeight + 56, title: title)
        s += SVG.text(width / 2, 26, title, size: 14, weight: "bold")
        s += SVG.text(
            width / 2, 44, "a line per trial; filled: promoted, hollow: stopped there", size: 12,
            extra: "fill=\"#444444\"")
        s += frame(
            xAxis, yAxis, left: left, top: top, plotWidth: plotWidth, plotHeight: plotHeight, xLabel: "rung",
            yLabel: metric)
        var runs: [String] = []
        for r in rows where !runs.contains(r.run) { runs.append(r.run) }
        s += "<g class=\"rung-lines\" fill=\"none\" stroke-width=\"1.4\">"
        for run in runs {
            let mine = rows.filter { $0.run == run }.sorted { $0.rung < $1.rung }
            let reachedLast = mine.last?.rung == lastRung
            var d = ""
            for m in mine {
                guard let v = m.metric, let x = xAxis.pixel(Double(rungs.firstIndex(of: m.rung)!)),
                    let y = yAxis.pixel(v)
                else { continue }
                d += (d.isEmpty ? "M" : "L") + SVG.n(x) + " " + SVG.n(y)
            }
            if !d.isEmpty {
                s +=
                    "<path d=\"\(d)\" stroke=\"\(reachedLast ? "#D55E00" : "#999999")\"\(reachedLast ? "" : " stroke-opacity=\"0.7\"")><title>\(SVG.esc(run))</title></path>"
            }
        }
        s += "</g><g class=\"rung-points\" stroke-width=\"1.4\">"
        for m in rows {
            guard let v = m.metric, let x = xAxis.pixel(Double(rungs.firstIndex(of: m.rung)!)), let y = yAxis.pixel(v)
            else { continue }
            let c = m.promoted ? "#0072B2" : (m.rung == lastRung ? "#D55E00" : "#999999")
            s +=
                "<circle cx=\"\(SVG.n(x))\" cy=\"\(SVG.n(y))\" r=\"3.5\" stroke=\"\(c)\" fill=\"\(m.promoted || m.rung == lastRung ? c : "#ffffff")\"><title>\(SVG.esc(m.run)) rung \(m.rung): \(SVG.esc(NumberFormat.significant(v)))\(m.promoted ? " (promoted)" : "")</title></circle>"
        }
        return s + "</g></svg>"
    }
}
