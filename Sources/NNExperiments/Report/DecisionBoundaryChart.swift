/// A 2-D classifier's decision regions (the predicted class over a grid, tinted by class colour)
/// with the data points drawn over them, each class with its own colour and marker shape so the
/// classes stay apart without colour.
struct DecisionBoundaryChart {
    var title: String
    var grid: DecisionGrid
    var points: [LabeledPoint]
    var classNames: [String]
    var size: Double = 340

    func svg() -> String {
        let left = 52.0
        let top = 40.0
        let plot = size - left - 16
        let dx = grid.xs.count > 1 ? (grid.xs.last! - grid.xs.first!) / Double(grid.xs.count - 1) : 1
        let dy = grid.ys.count > 1 ? (grid.ys.last! - grid.ys.first!) / Double(grid.ys.count - 1) : 1
        let xRange = (grid.xs.first! - dx / 2)...(grid.xs.last! + dx / 2)
        let yRange = (grid.ys.first! - dy / 2)...(grid.ys.last! + dy / 2)
        var xAxis = Axis(kind: .linear, values: [], fixed: xRange, targetTicks: 5)
        xAxis.pixelFrom = left
        xAxis.pixelTo = left + plot
        var yAxis = Axis(kind: .linear, values: [], fixed: yRange, targetTicks: 5)
        yAxis.pixelFrom = top + plot
        yAxis.pixelTo = top
        let classes = Set(grid.predicted.flatMap { $0 }).union(points.map(\.label)).sorted()
        let legendRows = (classes.count + 2) / 3
        let height = top + plot + 44 + Double(legendRows) * 18

        var s = SVG.open(width: size, height: height, title: title)
        s += SVG.text(size / 2, 24, title, size: 13, weight: "bold")
        // Regions: one rectangle per horizontal run of equal predictions keeps the file small.
        s += "<g fill-opacity=\"0.28\" shape-rendering=\"crispEdges\">"
        for (r, row) in grid.predicted.enumerated() {
            let y0 = yAxis.pixel(grid.ys[r] + dy / 2)!
            let y1 = yAxis.pixel(grid.ys[r] - dy / 2)!
            var c = 0
            while c < row.count {
                var e = c
                while e + 1 < row.count, row[e + 1] == row[c] { e += 1 }
                let x0 = xAxis.pixel(grid.xs[c] - dx / 2)!
                let x1 = xAxis.pixel(grid.xs[e] + dx / 2)!
                s += SVG.rect(x0, y0, x1 - x0, y1 - y0, fill: Palette.colour(row[c]))
                c = e + 1
            }
        }
        s += "</g>"
        s += SVG.rect(left, top, plot, plot, fill: "none", extra: "stroke=\"#333333\" stroke-width=\"1\"")
        s += "<g font-size=\"10\">"
        for t in xAxis.tickValues {
            if let x = xAxis.pixel(t) {
                s +=
                    SVG.line(x, top + plot, x, top + plot + 4, stroke: "#333333")
                    + SVG.text(x, top + plot + 15, xAxis.label(t), size: 10)
            }
        }
        for t in yAxis.tickValues {
            if let y = yAxis.pixel(t) {
                s +=
                    SVG.line(left - 4, y, left, y, stroke: "#333333")
                    + SVG.text(left - 6, y + 3, yAxis.label(t), anchor: "end", size: 10)
            }
        }
        s += "</g>"
        s += SVG.text(left + plot / 2, top + plot + 30, "x₁", size: 11)
        s += SVG.text(
            14, top + plot / 2, "x₂", size: 11, extra: "transform=\"rotate(-90 14 \(SVG.n(top + plot / 2)))\"")
        s += "<g stroke=\"#000000\" stroke-width=\"0.6\">"
        // Test points hollow (class colour as outline), training points filled.
        for p in points {
            if let x = xAxis.pixel(p.x), let y = yAxis.pixel(p.y) {
                s += Self.marker(p.label, x, y, 3.6, hollow: p.split == "test")
            }
        }
        s += "</g>"
        for (i, c) in classes.enumerated() {
            let x = left + Double(i % 3) * (plot / 3)
            let y = top + plot + 48 + Double(i / 3) * 18
            s += "<g stroke=\"#000000\" stroke-width=\"0.6\">" + Self.marker(c, x + 5, y - 4, 4.5) + "</g>"
            s += SVG.text(x + 14, y, c < classNames.count ? classNames[c] : "class \(c)", anchor: "start", size: 11)
        }
        if points.contains(where: { $0.split == "test" }) {
            s += SVG.text(
                size - 8, top - 6, "filled: training · hollow: test", anchor: "end", size: 10, extra: "fill=\"#444444\""
            )
        }
        return s + "</svg>"
    }

    /// Circle, square, triangle, diamond, then repeating: shape tells classes apart without colour.
    static func marker(_ cls: Int, _ x: Double, _ y: Double, _ r: Double, hollow: Bool = false) -> String {
        let fill =
            hollow
            ? "fill=\"#ffffff\" stroke=\"\(Palette.colour(cls))\" stroke-width=\"1.6\" class=\"test\""
            : "fill=\"\(Palette.colour(cls))\""
        switch cls % 4 {
        case 0: return "<circle cx=\"\(SVG.n(x))\" cy=\"\(SVG.n(y))\" r=\"\(SVG.n(r))\" \(fill)/>"
        case 1:
            return
                "<rect x=\"\(SVG.n(x - r * 0.85))\" y=\"\(SVG.n(y - r * 0.85))\" width=\"\(SVG.n(r * 1.7))\" height=\"\(SVG.n(r * 1.7))\" \(fill)/>"
        case 2:
            return
                "<path d=\"M\(SVG.n(x)) \(SVG.n(y - r))L\(SVG.n(x + r)) \(SVG.n(y + r * 0.8))L\(SVG.n(x - r)) \(SVG.n(y + r * 0.8))Z\" \(fill)/>"
        default:
            return
                "<path d=\"M\(SVG.n(x)) \(SVG.n(y - r))L\(SVG.n(x + r)) \(SVG.n(y))L\(SVG.n(x)) \(SVG.n(y + r))L\(SVG.n(x - r)) \(SVG.n(y))Z\" \(fill)/>"
        }
    }
}
