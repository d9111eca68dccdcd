/// A rendered chart: its page section, its standalone file name under `charts/` and its SVG.
public struct Chart: Sendable {
    public var section: String
    public var file: String
    public var title: String
    public var svg: String
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

    public static func make(_ e: ExperimentResults, logScale: LogScale = .auto) -> (charts: [Chart], notes: [String]) {
        var charts: [Chart] = []
        var notes: [String] = []
        var usedFiles = Set<String>()
        func add(_ section: String, _ base: String, _ title: String, _ svg: (String) -> String) {
            var file = slug(base), n = 2
            while usedFiles.contains(file) { file = slug(base) + "-\(n)"; n += 1 }
            usedFiles.insert(file)
            charts.append(Chart(section: section, file: file + ".svg", title: title, svg: svg(file)))
        }
        let best = e.bestRunIndex
        func style(_ i: Int, _ label: String, _ points: [(x: Double, y: Double)]) -> LineSeries {
            LineSeries(label: label, points: points, colour: Palette.colour(i), dash: Palette.dash(i), width: i == best ? 2.6 : 1.6)
        }

        // Cost of every run on one chart.
        let costSeries = e.runs.enumerated().compactMap { i, r -> LineSeries? in
            guard let c = r.epochColumn("cost"), !c.isEmpty else { return nil }
            return style(i, r.label, zip(r.epochIndex, c).map { ($0, $1) })
        }
        if !costSeries.isEmpty {
            let (log, note) = useLog(costSeries.flatMap { $0.points.map(\.y) }, logScale)
            add("Cost", "cost", "Cost per epoch") { id in
                LineChart(title: "Cost per epoch", subtitle: note, xLabel: "epoch", yLabel: "cost", series: costSeries, yLog: log, id: id).svg()
            }
        }

        // Minibatch cost with its per-epoch average drawn over it: the best run first.
        let withMinibatch = e.runs.indices.filter { e.runs[$0].minibatchCost?.isEmpty == false }
            .sorted { ($0 == best ? -1 : $0) < ($1 == best ? -1 : $1) }
        for i in withMinibatch.prefix(minibatchChartLimit) {
            let r = e.runs[i], costs = r.minibatchCost!
            let epochs = max(1, r.epochIndex.count)
            let perEpoch = max(1, costs.count / epochs)
            let raw = costs.enumerated().map { (x: Double($0.offset + 1) / Double(perEpoch), y: $0.element) }
            var average: [(x: Double, y: Double)] = []
            for start in stride(from: 0, to: costs.count, by: perEpoch) {
                let chunk = costs[start..<min(start + perEpoch, costs.count)]
                average.append((Double(start + chunk.count) / Double(perEpoch), chunk.reduce(0, +) / Double(chunk.count)))
            }
            let (log, note) = useLog(costs, logScale)
            let title = "Minibatch cost — \(r.label)"
            add("Minibatch cost", "minibatch-cost-\(r.name)", title) { id in
                LineChart(title: title, subtitle: note, xLabel: "epoch (\(perEpoch) minibatch\(perEpoch == 1 ? "" : "es") each)", yLabel: "cost", series: [
                    LineSeries(label: "cost of each minibatch", points: raw, colour: "#56B4E9", width: 1, opacity: 0.8),
                    LineSeries(label: "average per epoch", points: average, colour: "#000000", width: 2.2),
                ], yLog: log, width: 560, plotHeight: 240, id: id).svg()
            }
        }
        if withMinibatch.count > minibatchChartLimit {
            notes.append("Minibatch cost is drawn for \(minibatchChartLimit) of the \(withMinibatch.count) runs that recorded it (the best run first, then in run order).")
        }

        // Accuracy per epoch, one chart per split.
        for split in ["train", "validation", "test"] {
            let series = e.runs.enumerated().compactMap { i, r -> LineSeries? in
                guard let a = r.epochColumn("\(split)_accuracy"), !a.isEmpty else { return nil }
                return style(i, r.label, zip(r.epochIndex, a).map { ($0, $1) })
            }
            guard !series.isEmpty else { continue }
            let title = "\(split.capitalized) accuracy per epoch"
            add("Accuracy", "accuracy-\(split)", title) { id in
                LineChart(title: title, xLabel: "epoch", yLabel: "\(split) accuracy", series: series, yCap: 1, id: id).svg()
            }
        }

        // The ranking metric against each sweep axis.
        if e.runs.count > 1, !TrialCharts.replacesAxisCharts(e) {
            for axis in e.axes { if let c = axisChart(e, axis: axis, logScale: logScale) { add("Sweep", "\(c.file)-vs-\(axis)", c.title) { id in var ch = c.chart; ch.id = id; return ch.svg() } } }
        }

        // Confusion matrix of the best run.
        if let b = best {
            let r = e.runs[b]
            if let split = ["test", "validation", "train"].first(where: { r.confusion[$0] != nil }) {
                let title = "Confusion matrix (\(split)) — best run: \(r.label)"
                add("Confusion matrix", "confusion-\(split)", title) { _ in Heatmap(title: title, matrix: r.confusion[split]!).svg() }
            }
        }

        // Decision regions of every run that wrote them.
        for r in e.runs {
            guard let g = r.decisionBoundary else { continue }
            add("Decision boundaries", "decision-boundary-\(r.name)", r.label) { _ in
                DecisionBoundaryChart(title: r.label, grid: g, points: r.points ?? [], classNames: r.classNames ?? []).svg()
            }
        }

        // Misclassified test images of the best run (or of the first run that recorded any).
        let imageRun = [best].compactMap { $0 }.filter { e.runs[$0].misclassified?.isEmpty == false }.first
            ?? e.runs.indices.first { e.runs[$0].misclassified?.isEmpty == false }
        if let i = imageRun {
            let r = e.runs[i], images = Array(r.misclassified!.prefix(25))
            let title = "First \(images.count) misclassified test images — \(r.label)"
            add("Misclassified test images", "misclassified", title) { _ in
                ImageGrid(title: title, images: images, classNames: r.classNames ?? []).svg()
            }
        }
        charts += TrialCharts.make(e, used: &usedFiles)
        return (charts, notes)
    }

    /// Accuracy (or, for regression, final cost) against one axis, a line per value of the others.
    static func axisChart(_ e: ExperimentResults, axis: String, logScale: LogScale) -> (chart: LineChart, file: String, title: String)? {
        let values = e.axisValues[axis] ?? []
        guard values.count > 1 else { return nil }
        let split = e.rankingSplit
        let metricName = split.map { "\($0) accuracy" } ?? "final cost"
        func metric(_ r: RunResults) -> Double? { split.map { r.accuracy[$0] } ?? r.finalCost }
        let numbers = values.compactMap { Double($0) }
        // Seeds are numbers without an order that means anything: drawn as categories.
        let isSeed = axis.split(separator: ".").last == "seed"
        let numeric = !isSeed && numbers.count == values.count && numbers.allSatisfy(\.isFinite)
        let xKind: Axis.Kind = !numeric ? .categorical(values)
            : (numbers.allSatisfy { $0 > 0 } && Axis.decades(numbers) > 2 ? .log : .linear)
        var groups: [(label: String, points: [(x: Double, y: Double)])] = []
        for r in e.runs {
            guard let v = r.axisValues.first(where: { $0.key == axis })?.value, let m = metric(r) else { continue }
            let others = r.axisValues.filter { $0.key != axis }
                .map { "\($0.key.split(separator: ".").last.map(String.init) ?? $0.key)=\($0.value)" }.joined(separator: ", ")
            let x = numeric ? Double(v)! : Double(values.firstIndex(of: v)!)
            if let g = groups.firstIndex(where: { $0.label == others }) { groups[g].points.append((x, m)) }
            else { groups.append((others, [(x, m)])) }
        }
        guard !groups.isEmpty else { return nil }
        let series = groups.enumerated().map { i, g in
            LineSeries(label: g.label.isEmpty ? metricName : g.label, points: g.points.sorted { $0.x < $1.x },
                       colour: Palette.colour(i), dash: Palette.dash(i), markers: true)
        }
        let ys = series.flatMap { $0.points.map(\.y) }
        let (log, note) = split == nil ? useLog(ys, logScale) : (false, "")
        let title = "\(metricName.prefix(1).uppercased() + metricName.dropFirst()) against \(axis)"
        let chart = LineChart(title: title, subtitle: note, xLabel: axis + (xKind == .log ? " (log scale)" : ""), yLabel: metricName,
                              series: series, xKind: xKind, yLog: log, yCap: split == nil ? nil : 1)
        return (chart, split == nil ? "final-cost" : "\(split!)-accuracy", title)
    }

    /// Whether to draw values on a log axis, and the note for the chart title saying so.
    static func useLog(_ values: [Double], _ mode: LogScale) -> (Bool, String) {
        let positive = values.contains { $0.isFinite && $0 > 0 }
        switch mode {
        case .never: return (false, "")
        case .always: return positive ? (true, "log scale") : (false, "")
        case .auto:
            let d = Axis.decades(values)
            return d > 2 ? (true, "log scale: the values span \(SVG.fixed(d, decimals: 1)) decades") : (false, "")
        }
    }

    /// A file-name-safe form of a name: letters, digits, `.`, `_` and `-`.
    public static func slug(_ s: String) -> String {
        var out = ""
        for c in s.unicodeScalars {
            if (c.isASCII && (CharacterSet.alphanumerics.contains(c))) || c == "." || c == "_" { out.unicodeScalars.append(c) }
            else if !out.hasSuffix("-") { out += "-" }
        }
        while out.hasSuffix("-") { out.removeLast() }
        return out.isEmpty ? "chart" : out
    }
}

import Foundation
