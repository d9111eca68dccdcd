import Foundation
import NNEngine

/// The first layer's weights of an image classifier, one picture per hidden unit (its incoming
/// weights laid out as the input image), as scikit-learn's "Visualization of MLP weights on MNIST"
/// example draws them: what pattern of pixels excites (red) or inhibits (blue) each unit. One colour
/// scale for every unit, symmetric about 0 and clipped at half the largest |w| (the example clips at
/// half the extremes too), so that most units show structure rather than a few outliers.
/// Each picture is a small palette PNG (`PNG`) in an SVG `<image>`, with the unit's range in its `<title>`.
struct WeightImages {
    /// Units drawn at most (the first ones; the subtitle says when there are more).
    static let unitLimit = 64
    /// Colour levels of the palette (odd: the middle one is white, w = 0).
    static let levels = 31

    var title: String
    /// W1 as stored in weights.npz: one row per hidden unit, one column per input pixel.
    var weights: [[Double]]
    var width: Int
    var height: Int

    /// Diverging blue–white–red (ColorBrewer RdBu ends), `levels` entries.
    static var palette: [(UInt8, UInt8, UInt8)] {
        let blue = (33.0, 102.0, 172.0)
        let red = (178.0, 24.0, 43.0)
        let half = levels / 2
        return (0..<levels).map { i in
            let t = Double(i - half) / Double(half)  // −1 … 1
            let end = t < 0 ? blue : red
            let a = abs(t)
            func mix(_ c: Double) -> UInt8 { UInt8((255 + (c - 255) * a).rounded()) }
            return (mix(end.0), mix(end.1), mix(end.2))
        }
    }

    /// The clip value: half the largest |w| (1 when all are 0).
    var scale: Double {
        let m = weights.prefix(Self.unitLimit).flatMap { $0 }.filter(\.isFinite).map(abs).max() ?? 0
        return m > 0 ? m / 2 : 1
    }

    /// Palette index of a weight: 0 (≤ −scale) … levels−1 (≥ +scale), the middle for 0.
    static func level(_ w: Double, scale: Double) -> UInt8 {
        guard w.isFinite else { return UInt8(levels / 2) }
        let t = max(-1, min(1, w / scale))
        return UInt8((Double(levels / 2) * (1 + t)).rounded())
    }

    func svg() -> String {
        let units = Array(weights.prefix(Self.unitLimit))
        let cols = min(8, max(units.count, 1))
        let rows = (units.count + cols - 1) / cols
        let maxSide = Double(max(width, height))
        let zoom = max(1, (64 / maxSide).rounded(.down))
        let boxW = Double(width) * zoom
        let boxH = Double(height) * zoom
        let cellW = boxW + 8
        let cellH = boxH + 8
        let totalW = max(Double(cols) * cellW + 20, 420)
        let top = 62.0
        let totalH = top + Double(rows) * cellH + 40
        let s = scale
        var out = SVG.open(width: totalW, height: totalH, title: title)
        out += SVG.text(totalW / 2, 24, title, size: 15, weight: "bold")
        let shown =
            weights.count > units.count
            ? "first \(units.count) of \(weights.count) hidden units" : "\(units.count) hidden units"
        out += SVG.text(
            totalW / 2, 44,
            "\(shown); red: positive, blue: negative, white: 0; colour clipped at ±\(NumberFormat.significant(s, digits: 3))",
            size: 11, extra: "fill=\"#555555\"")
        let palette = Self.palette
        let ox = (totalW - Double(cols) * cellW) / 2
        for (u, w) in units.enumerated() {
            let x = ox + Double(u % cols) * cellW + 4
            let y = top + Double(u / cols) * cellH + 4
            let pixels = (0..<(width * height)).map { i in
                i < w.count ? Self.level(w[i], scale: s) : UInt8(Self.levels / 2)
            }
            let png = PNG.indexed(width: width, height: height, pixels: pixels, palette: palette)
            let lo = w.filter(\.isFinite).min() ?? 0
            let hi = w.filter(\.isFinite).max() ?? 0
            out +=
                "<g class=\"unit\"><title>unit \(u + 1): weights \(NumberFormat.significant(lo, digits: 3)) … \(NumberFormat.significant(hi, digits: 3))</title>"
            out +=
                "<image x=\"\(SVG.n(x))\" y=\"\(SVG.n(y))\" width=\"\(SVG.n(boxW))\" height=\"\(SVG.n(boxH))\" image-rendering=\"pixelated\" style=\"image-rendering:pixelated\" preserveAspectRatio=\"none\" href=\"data:image/png;base64,\(PNG.base64(png))\"/>"
            out += SVG.rect(x, y, boxW, boxH, fill: "none", extra: "stroke=\"#bbbbbb\" stroke-width=\"0.5\"") + "</g>"
        }
        // Colour key.
        let keyY = totalH - 26
        let keyW = 200.0
        let kx = (totalW - keyW) / 2
        for (i, c) in palette.enumerated() {
            out += SVG.rect(
                kx + Double(i) * keyW / Double(palette.count), keyY, keyW / Double(palette.count) + 0.5, 10,
                fill: Heatmap.hex(Int(c.0), Int(c.1), Int(c.2)))
        }
        out += SVG.text(kx - 6, keyY + 9, "−\(NumberFormat.significant(s, digits: 3))", anchor: "end", size: 10)
        out += SVG.text(
            kx + keyW + 6, keyY + 9, "+\(NumberFormat.significant(s, digits: 3))", anchor: "start", size: 10)
        return out + "</svg>"
    }

    /// The W1 rows of a run's weights.npz, or an error naming the file; nil when the file is absent.
    static func read(path: String) throws -> [[Double]]? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        let arrays: [(name: String, array: NPYArray)]
        do { arrays = try NPZ.decode([UInt8](data)) } catch { throw ResultsReadError(path: path, message: "\(error)") }
        guard let w = arrays.first(where: { $0.name == "W1" })?.array else {
            throw ResultsReadError(path: path, message: "no array W1")
        }
        guard w.shape.count == 2, w.shape[0] > 0, w.shape[1] > 0 else {
            throw ResultsReadError(path: path, message: "W1 has shape \(w.shapeDescription), expected (units, inputs)")
        }
        let n = w.shape[1]
        return (0..<w.shape[0]).map { Array(w.values[($0 * n)..<(($0 + 1) * n)]) }
    }
}
