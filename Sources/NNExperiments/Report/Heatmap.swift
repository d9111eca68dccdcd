/// A confusion matrix drawn as a heat map: true classes as rows, predicted classes as columns, each
/// cell labelled with its count. Correct predictions (the diagonal) are shaded blue by their share of
/// the row; errors get their own scale, orange by their share of the row relative to the largest
/// error share in the matrix, so a 2 % confusion is as visible as the 98 % diagonal beside it.
/// Lightness alone carries each value (one hue per scale, from white).
struct Heatmap {
    var title: String
    var matrix: ConfusionMatrix

    func svg() -> String {
        let k = matrix.classes.count
        let cell = max(22, min(56, 520 / Double(max(k, 1))))
        let labelWidth = max(30, Double(matrix.classes.map(\.count).max() ?? 1) * 7 + 10)
        let top = 48.0
        let grid = cell * Double(k)
        let width = max(34 + labelWidth + grid + 30, 460, Double(title.count) * 8.6 + 20)
        let height = top + grid + labelWidth + 58
        // The matrix is centred under the title; row labels sit to its left.
        let left = max(34 + labelWidth, (width - grid) / 2)
        var s = SVG.open(width: width, height: height, title: title)
        s += SVG.text(width / 2, 26, title, size: 15, weight: "bold")
        let fontSize = min(12, cell * 0.38)
        let shares = matrix.counts.map { row -> [Double] in
            let total = row.reduce(0, +)
            return row.map { total > 0 ? Double($0) / Double(total) : 0 }
        }
        let maxError =
            shares.enumerated().flatMap { r, row in row.enumerated().filter { $0.offset != r }.map(\.element) }.max()
            ?? 0
        for (r, row) in matrix.counts.enumerated() {
            let y = top + Double(r) * cell
            s += SVG.text(left - 6, y + cell / 2 + 4, matrix.classes[r], anchor: "end", size: 11)
            for (c, count) in row.enumerated() {
                let share = shares[r][c]
                let x = left + Double(c) * cell
                let intensity = r == c ? share : (maxError > 0 ? share / maxError : 0)
                let fill = r == c ? Heatmap.shade(intensity) : Heatmap.shade(intensity, to: Heatmap.errorColour)
                let kind = r == c ? "correct" : "error"
                s +=
                    "<g class=\"\(kind)\"><title>true \(SVG.esc(matrix.classes[r])), predicted \(SVG.esc(matrix.classes[c])): \(count) (\(TableNumbers.percent(share)) of the row)</title>"
                s += SVG.rect(x, y, cell, cell, fill: fill, extra: "stroke=\"#ffffff\" stroke-width=\"1\"")
                s +=
                    SVG.text(
                        x + cell / 2, y + cell / 2 + fontSize * 0.35, "\(count)", size: fontSize,
                        extra: "fill=\"\(intensity > 0.5 ? "#ffffff" : "#000000")\"") + "</g>"
            }
        }
        s += SVG.rect(left, top, grid, grid, fill: "none", extra: "stroke=\"#333333\" stroke-width=\"1\"")
        for (c, name) in matrix.classes.enumerated() {
            let x = left + Double(c) * cell + cell / 2
            let y = top + grid + 8
            s += SVG.text(
                x + 4, y, name, anchor: "end", size: 11, extra: "transform=\"rotate(-60 \(SVG.n(x + 4)) \(SVG.n(y)))\"")
        }
        s += SVG.text(width / 2, height - 26, "predicted class", size: 12)
        s += SVG.text(
            width / 2, height - 10,
            "blue: correct, share of the row · orange: errors, share of the row (darkest = \(TableNumbers.percent(maxError)))",
            size: 11, extra: "fill=\"#444444\"")
        let mid = top + grid / 2
        let tx = left - labelWidth - 14
        s += SVG.text(tx, mid, "true class", size: 12, extra: "transform=\"rotate(-90 \(SVG.n(tx)) \(SVG.n(mid)))\"")
        return s + "</svg>"
    }

    /// Okabe–Ito vermillion-orange for errors.
    static let errorColour = (0xD5, 0x5E, 0x00)

    /// White (share 0) to `target` (share 1, Okabe–Ito blue #0072B2 by default), as `#rrggbb`.
    static func shade(_ share: Double, to target: (Int, Int, Int) = (0x00, 0x72, 0xB2)) -> String {
        let t = min(max(share, 0), 1)
        func mix(_ c: Int) -> Int { Int((255 + (Double(c) - 255) * t).rounded()) }
        return hex(mix(target.0), mix(target.1), mix(target.2))
    }

    static func hex(_ r: Int, _ g: Int, _ b: Int) -> String {
        let digits = Array("0123456789abcdef")
        return "#" + [r, g, b].map { String([digits[$0 / 16], digits[$0 % 16]]) }.joined()
    }
}

/// Per-class scores of a confusion matrix (rows true, columns predicted): precision = C[i][i] / Σᵣ C[r][i],
/// recall = C[i][i] / Σ_c C[i][c], F1 = 2PR / (P + R) (0 when P + R = 0); nil where the denominator is 0.
struct ClassScores: Equatable {
    var support: Int
    var precision: Double?
    var recall: Double?
    var f1: Double?

    static func of(_ m: ConfusionMatrix) -> [ClassScores] {
        m.counts.indices.map { i in
            let row = m.counts[i].reduce(0, +)
            let column = m.counts.reduce(0) { $0 + (i < $1.count ? $1[i] : 0) }
            let hit = i < m.counts[i].count ? m.counts[i][i] : 0
            let p = column > 0 ? Double(hit) / Double(column) : nil
            let r = row > 0 ? Double(hit) / Double(row) : nil
            let f = p.flatMap { p in r.map { r in p + r > 0 ? 2 * p * r / (p + r) : 0 } }
            return ClassScores(support: row, precision: p, recall: r, f1: f)
        }
    }
}

/// A grid of values (rows × columns of two sweep axes), each cell shaded from white (worst) to blue
/// (best) and labelled with its value; empty cells stay grey.
struct ValueGrid {
    var title: String
    var rowLabel: String, columnLabel: String
    var rows: [String], columns: [String]
    var values: [[Double?]]
    var higherIsBetter: Bool
    var format: (Double) -> String

    func svg() -> String {
        let cellW = 76.0
        let cellH = 30.0
        let labelWidth = max(40, Double(rows.map(\.count).max() ?? 1) * 7 + 12)
        let top = 66.0
        let left = 40 + labelWidth
        let width = max(left + cellW * Double(columns.count) + 20, Double(title.count) * 8.2 + 20)
        let height = top + cellH * Double(rows.count) + 20
        let finite = values.flatMap { $0 }.compactMap { $0 }.filter(\.isFinite)
        let lo = finite.min() ?? 0
        let hi = finite.max() ?? 1
        var s = SVG.open(width: width, height: height, title: title)
        s += SVG.text(width / 2, 24, title, size: 14, weight: "bold")
        s += SVG.text(left + cellW * Double(columns.count) / 2, 44, columnLabel, size: 12)
        for (j, c) in columns.enumerated() { s += SVG.text(left + cellW * (Double(j) + 0.5), top - 6, c, size: 11) }
        s += SVG.text(
            14, top + cellH * Double(rows.count) / 2, rowLabel, size: 12,
            extra: "transform=\"rotate(-90 14 \(SVG.n(top + cellH * Double(rows.count) / 2)))\"")
        for (i, r) in rows.enumerated() {
            let y = top + cellH * Double(i)
            s += SVG.text(left - 6, y + cellH / 2 + 4, r, anchor: "end", size: 11)
            for j in columns.indices {
                let x = left + cellW * Double(j)
                guard let v = values[i][j], v.isFinite else {
                    s += SVG.rect(x, y, cellW, cellH, fill: "#eeeeee", extra: "stroke=\"#ffffff\"")
                    continue
                }
                let t = hi > lo ? (v - lo) / (hi - lo) : 1
                let goodness = higherIsBetter ? t : 1 - t
                s +=
                    "<g class=\"value\"><title>\(SVG.esc("\(rowLabel)=\(r), \(columnLabel)=\(columns[j]): \(format(v))"))</title>"
                s += SVG.rect(
                    x, y, cellW, cellH, fill: Heatmap.shade(0.1 + 0.8 * goodness), extra: "stroke=\"#ffffff\"")
                s +=
                    SVG.text(
                        x + cellW / 2, y + cellH / 2 + 4, format(v), size: 11,
                        extra: "fill=\"\(goodness > 0.55 ? "#ffffff" : "#000000")\"") + "</g>"
            }
        }
        return s + "</svg>"
    }
}
