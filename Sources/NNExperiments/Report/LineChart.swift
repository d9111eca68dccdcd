import Foundation

/// One line on a chart.
struct LineSeries {
    var label: String
    var points: [(x: Double, y: Double)]
    var colour: String
    var dash: String? = nil
    var width: Double = 1.8
    var opacity: Double = 1
    var markers = false
    /// Shown in the legend (helper lines such as a raw minibatch trace may stay out of it).
    var inLegend = true
    /// Whether the points are joined (false for categories: a line between them implies an order).
    var joined = true
    /// A shaded band (x, low, high) behind the line, e.g. the range over seeds.
    var band: [(x: Double, lo: Double, hi: Double)] = []
    /// Error bars (x, low, high), e.g. mean ± sd over seeds.
    var errorBars: [(x: Double, lo: Double, hi: Double)] = []
    /// Hover text of each point (`<title>`), in `points` order.
    var pointTitles: [String] = []
}

/// A line chart with axes, nice ticks, grid lines, a title, axis labels and a legend below the plot.
struct LineChart {
    var title: String
    /// A second, smaller title line (e.g. why the axis is logarithmic).
    var subtitle = ""
    var xLabel: String
    var yLabel: String
    var series: [LineSeries]
    var xKind: Axis.Kind = .linear
    var yLog = false
    /// Fixed y range (accuracies are drawn on 0…1).
    var yRange: ClosedRange<Double>? = nil
    /// Upper bound of the values (1 for accuracies): the y axis does not extend past it.
    var yCap: Double? = nil
    var width: Double = 760
    var plotHeight: Double = 300
    /// Makes element ids unique when several charts share a page.
    var id = ""
    /// On a log x axis, x = 0 drawn at its own place left of the axis, past a break mark (a log
    /// axis has no zero); no line crosses the break.
    var xZeroApart = false

    func svg() -> String {
        let left = 78.0
        let right = 24.0
        let top = subtitle.isEmpty ? 46.0 : 60.0
        let plotWidth = width - left - right
        let xs = series.flatMap { $0.points.map(\.x) }
        let ys = series.flatMap {
            $0.points.map(\.y) + $0.band.flatMap { [$0.lo, $0.hi] } + $0.errorBars.flatMap { [$0.lo, $0.hi] }
        }
        var xAxis = Axis(kind: xKind, values: xs)
        let zeroApart = xZeroApart && xKind == .log && xs.contains(0)
        let zeroGap = zeroApart ? 46.0 : 0
        xAxis.pixelFrom = left + zeroGap
        xAxis.pixelTo = left + plotWidth
        let zeroPixel = left + zeroGap * 0.4
        func xPixel(_ x: Double) -> Double? { zeroApart && x == 0 ? zeroPixel : xAxis.pixel(x) }
        var yAxis = Axis(kind: yLog ? .log : .linear, values: ys, fixed: yRange, cap: yCap)
        yAxis.pixelFrom = top + plotHeight
        yAxis.pixelTo = top

        let legend = series.filter(\.inLegend)
        let charWidth = 6.6
        let colWidth = min(plotWidth, (legend.map { Double($0.label.count) }.max() ?? 0) * charWidth + 44)
        let cols = max(1, Int(plotWidth / max(colWidth, 1)))
        let legendRows =
            legend.count <= 1 && legend.first?.label.isEmpty != false ? 0 : (legend.count + cols - 1) / cols
        let legendTop = top + plotHeight + 58
        let height = legendTop + Double(legendRows) * 18 + 10

        var s = SVG.open(width: width, height: height, title: title)
        s += SVG.text(width / 2, 26, title, size: 15, weight: "bold")
        if !subtitle.isEmpty { s += SVG.text(width / 2, 44, subtitle, size: 12, extra: "fill=\"#444444\"") }
        // Grid and ticks.
        s += "<g font-size=\"11\" fill=\"#333333\">"
        for t in yAxis.tickValues {
            guard let y = yAxis.pixel(t) else { continue }
            s += SVG.line(left, y, left + plotWidth, y, stroke: "#e3e3e3")
            s += SVG.line(left - 5, y, left, y, stroke: "#333333")
            s += SVG.text(left - 8, y + 4, yAxis.label(t), anchor: "end", size: 11)
        }
        for t in xAxis.tickValues {
            guard let x = xAxis.pixel(t) else { continue }
            s += SVG.line(x, top, x, top + plotHeight, stroke: "#f0f0f0")
            s += SVG.line(x, top + plotHeight, x, top + plotHeight + 5, stroke: "#333333")
            s += SVG.text(x, top + plotHeight + 18, xAxis.label(t), size: 11)
        }
        if zeroApart {
            s += SVG.line(zeroPixel, top + plotHeight, zeroPixel, top + plotHeight + 5, stroke: "#333333")
            s += SVG.text(zeroPixel, top + plotHeight + 18, "0", size: 11)
            // The break: two slanted strokes across the axis between 0 and the first decade.
            let bx = left + zeroGap * 0.8
            let by = top + plotHeight
            s +=
                "<g class=\"axis-break\">" + SVG.line(bx - 5, by + 5, bx - 1, by - 5, stroke: "#333333")
                + SVG.line(bx - 1, by + 5, bx + 3, by - 5, stroke: "#333333") + "</g>"
        }
        s += "</g>"
        s += SVG.rect(left, top, plotWidth, plotHeight, fill: "none", extra: "stroke=\"#333333\" stroke-width=\"1\"")
        s += SVG.text(left + plotWidth / 2, top + plotHeight + 40, xLabel, size: 12)
        let yMid = top + plotHeight / 2
        s += SVG.text(18, yMid, yLabel, size: 12, extra: "transform=\"rotate(-90 18 \(SVG.n(yMid)))\"")

        // Lines, clipped to the plot area (ids are unique per page: derived from the title).
        let clip = "clip-" + Charts.slug(id.isEmpty ? title : id)
        s += "<clipPath id=\"\(clip)\">" + SVG.rect(left, top, plotWidth, plotHeight, fill: "#ffffff") + "</clipPath>"
        // Bands first, under every line.
        for line in series where !line.band.isEmpty {
            let upper = line.band.compactMap { b in xPixel(b.x).flatMap { x in yAxis.pixel(b.hi).map { (x, $0) } } }
            let lower = line.band.reversed().compactMap { b in
                xPixel(b.x).flatMap { x in yAxis.pixel(b.lo).map { (x, $0) } }
            }
            guard upper.count > 1, lower.count > 1 else { continue }
            let d =
                (upper + lower).enumerated().map {
                    ($0.offset == 0 ? "M" : "L") + SVG.n($0.element.0) + " " + SVG.n($0.element.1)
                }.joined() + "Z"
            s +=
                "<path class=\"band\" clip-path=\"url(#\(clip))\" d=\"\(d)\" fill=\"\(line.colour)\" fill-opacity=\"0.16\" stroke=\"none\"/>"
        }
        s += "<g clip-path=\"url(#\(clip))\" fill=\"none\" stroke-linejoin=\"round\" stroke-linecap=\"round\">"
        for line in series where line.joined {
            let pix = Self.thin(line.points.map { (xPixel($0.x), yAxis.pixel($0.y)) })
            var d = ""
            var pen = false
            var previousZero = false
            for (p, isZero) in zip(pix, pix.map { zeroApart && $0.0 == zeroPixel }) {
                guard let x = p.0, let y = p.1 else {
                    pen = false
                    continue
                }
                if zeroApart, isZero != previousZero { pen = false }
                previousZero = isZero
                d += (pen ? "L" : "M") + SVG.n(x) + " " + SVG.n(y)
                pen = true
            }
            var attrs = "stroke=\"\(line.colour)\" stroke-width=\"\(SVG.n(line.width))\""
            if let dash = line.dash { attrs += " stroke-dasharray=\"\(dash)\"" }
            if line.opacity < 1 { attrs += " stroke-opacity=\"\(SVG.n(line.opacity))\"" }
            if !d.isEmpty { s += "<path d=\"\(d)\" \(attrs)/>" }
        }
        s += "</g>"
        // Error bars with caps.
        for line in series where !line.errorBars.isEmpty {
            s += "<g class=\"error-bars\" stroke=\"\(line.colour)\" stroke-width=\"1.4\">"
            for b in line.errorBars {
                guard let x = xPixel(b.x), let lo = yAxis.pixel(b.lo), let hi = yAxis.pixel(b.hi) else { continue }
                s +=
                    SVG.line(x, lo, x, hi, stroke: line.colour, width: 1.4)
                    + SVG.line(x - 4, lo, x + 4, lo, stroke: line.colour, width: 1.4)
                    + SVG.line(x - 4, hi, x + 4, hi, stroke: line.colour, width: 1.4)
            }
            s += "</g>"
        }
        // Markers stay unclipped: a point on the frame is still a whole dot. Each says its values on hover.
        for line in series where line.markers {
            for (k, p) in line.points.enumerated() {
                guard let x = xPixel(p.x), let y = yAxis.pixel(p.y) else { continue }
                let title = k < line.pointTitles.count ? "<title>\(SVG.esc(line.pointTitles[k]))</title>" : ""
                s += "<circle cx=\"\(SVG.n(x))\" cy=\"\(SVG.n(y))\" r=\"3.5\" fill=\"\(line.colour)\">\(title)</circle>"
            }
        }

        // Legend.
        for (i, line) in legend.enumerated() where legendRows > 0 {
            let x = left + Double(i % cols) * colWidth
            let y = legendTop + Double(i / cols) * 18
            if line.joined {
                s += SVG.line(
                    x, y - 4, x + 26, y - 4, stroke: line.colour, width: max(line.width, 2),
                    extra: line.dash.map { "stroke-dasharray=\"\($0)\"" } ?? "")
            } else {
                s += "<circle cx=\"\(SVG.n(x + 13))\" cy=\"\(SVG.n(y - 4))\" r=\"3.5\" fill=\"\(line.colour)\"/>"
            }
            s += SVG.text(x + 32, y, line.label, anchor: "start", size: 11)
        }
        s += "</svg>"
        return s
    }

    /// Drops points that would land in the same pixel column, keeping each column's first, lowest,
    /// highest and last point so spikes survive; long series stay small files.
    static func thin(_ p: [(Double?, Double?)]) -> [(Double?, Double?)] {
        guard p.count > 1500 else { return p }
        var out: [(Double?, Double?)] = []
        var bucket: [(Double, Double)] = []
        var column = Int.min
        func flush() {
            guard !bucket.isEmpty else { return }
            let iMin = bucket.indices.min { bucket[$0].1 < bucket[$1].1 }!
            let iMax = bucket.indices.max { bucket[$0].1 < bucket[$1].1 }!
            for i in Set([0, iMin, iMax, bucket.count - 1]).sorted() { out.append((bucket[i].0, bucket[i].1)) }
            bucket.removeAll()
        }
        for q in p {
            guard let x = q.0, let y = q.1 else {
                flush()
                out.append(q)
                column = Int.min
                continue
            }
            let c = Int(x.rounded(.down))
            if c != column {
                flush()
                column = c
            }
            bucket.append((x, y))
        }
        flush()
        return out
    }
}
