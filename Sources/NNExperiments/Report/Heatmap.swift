/// A confusion matrix drawn as a heat map: true classes as rows, predicted classes as columns, each
/// cell shaded by its share of the row (so rare classes are as readable as common ones) and labelled
/// with its count. One hue (Okabe–Ito blue) from white, so lightness alone carries the value.
struct Heatmap {
    var title: String
    var matrix: ConfusionMatrix

    func svg() -> String {
        let k = matrix.classes.count
        let cell = max(22, min(56, 520 / Double(max(k, 1))))
        let labelWidth = max(30, Double(matrix.classes.map(\.count).max() ?? 1) * 7 + 10)
        let top = 48.0
        let grid = cell * Double(k)
        let width = max(34 + labelWidth + grid + 30, 360, Double(title.count) * 8.6 + 20), height = top + grid + labelWidth + 44
        // The matrix is centred under the title; row labels sit to its left.
        let left = max(34 + labelWidth, (width - grid) / 2)
        var s = SVG.open(width: width, height: height, title: title)
        s += SVG.text(width / 2, 26, title, size: 15, weight: "bold")
        let fontSize = min(12, cell * 0.38)
        for (r, row) in matrix.counts.enumerated() {
            let total = row.reduce(0, +)
            let y = top + Double(r) * cell
            s += SVG.text(left - 6, y + cell / 2 + 4, matrix.classes[r], anchor: "end", size: 11)
            for (c, count) in row.enumerated() {
                let share = total > 0 ? Double(count) / Double(total) : 0
                let x = left + Double(c) * cell
                s += SVG.rect(x, y, cell, cell, fill: Heatmap.shade(share), extra: "stroke=\"#ffffff\" stroke-width=\"1\"")
                s += SVG.text(x + cell / 2, y + cell / 2 + fontSize * 0.35, "\(count)", size: fontSize,
                              extra: "fill=\"\(share > 0.5 ? "#ffffff" : "#000000")\"")
            }
        }
        s += SVG.rect(left, top, grid, grid, fill: "none", extra: "stroke=\"#333333\" stroke-width=\"1\"")
        for (c, name) in matrix.classes.enumerated() {
            let x = left + Double(c) * cell + cell / 2, y = top + grid + 8
            s += SVG.text(x + 4, y, name, anchor: "end", size: 11, extra: "transform=\"rotate(-60 \(SVG.n(x + 4)) \(SVG.n(y)))\"")
        }
        s += SVG.text(width / 2, height - 12, "predicted class (shade: share of the true class)", size: 12)
        let mid = top + grid / 2
        let tx = left - labelWidth - 14
        s += SVG.text(tx, mid, "true class", size: 12, extra: "transform=\"rotate(-90 \(SVG.n(tx)) \(SVG.n(mid)))\"")
        return s + "</svg>"
    }

    /// White (share 0) to #0072B2 (share 1), as `#rrggbb`.
    static func shade(_ share: Double) -> String {
        let t = min(max(share, 0), 1)
        let target = (0x00, 0x72, 0xB2)
        func mix(_ c: Int) -> Int { Int((255 + (Double(c) - 255) * t).rounded()) }
        return hex(mix(target.0), mix(target.1), mix(target.2))
    }

    static func hex(_ r: Int, _ g: Int, _ b: Int) -> String {
        let digits = Array("0123456789abcdef")
        return "#" + [r, g, b].map { String([digits[$0 / 16], digits[$0 % 16]]) }.joined()
    }
}
