/// Misclassified images in a grid of up to five columns, each labelled with its true and predicted
/// class. Pixels are drawn as grey squares (dark = high intensity, scaled per image from its lowest to
/// its highest value); background pixels are left out so the file stays small.
struct ImageGrid {
    var title: String
    var images: [MisclassifiedImage]
    var classNames: [String]

    func svg() -> String {
        let cols = min(5, max(images.count, 1))
        let rows = (images.count + cols - 1) / cols
        let maxSide = Double(images.map { max($0.width, $0.height) }.max() ?? 28)
        let scale = max(1, (112 / maxSide).rounded(.down))
        let box = maxSide * scale
        let cellW = max(box, 120) + 16
        let cellH = box + 40
        let width = max(Double(cols) * cellW + 20, 320)
        let height = 44 + Double(rows) * cellH
        var s = SVG.open(width: width, height: height, title: title)
        s += SVG.text(width / 2, 26, title, size: 15, weight: "bold")
        func name(_ c: Int) -> String { c < classNames.count ? classNames[c] : "\(c)" }
        for (i, img) in images.enumerated() {
            let ox = 10 + Double(i % cols) * cellW + (cellW - box) / 2
            let oy = 44 + Double(i / cols) * cellH
            s += SVG.rect(ox, oy, box, box, fill: "#ffffff", extra: "stroke=\"#999999\" stroke-width=\"1\"")
            let lo = img.pixels.min() ?? 0
            let hi = img.pixels.max() ?? 1
            let span = hi > lo ? hi - lo : 1
            s +=
                "<g transform=\"translate(\(SVG.n(ox)) \(SVG.n(oy))) scale(\(SVG.n(scale)))\" shape-rendering=\"crispEdges\">"
            // One rect per horizontal run of equal grey (near-white pixels are the background), which
            // keeps a 25-digit grid small enough to commit.
            func grey(_ v: Double) -> Int? {
                let level = (v - lo) / span
                return level >= 0.02 ? Int(((1 - level) * 255).rounded()) : nil
            }
            for y in 0..<img.height {
                var x = 0
                while x < img.width {
                    guard let g = grey(img.pixels[y * img.width + x]) else {
                        x += 1
                        continue
                    }
                    var end = x + 1
                    while end < img.width, grey(img.pixels[y * img.width + end]) == g { end += 1 }
                    s +=
                        "<rect x=\"\(x)\" y=\"\(y)\" width=\"\(end - x)\" height=\"1\" fill=\"\(Heatmap.hex(g, g, g))\"/>"
                    x = end
                }
            }
            s += "</g>"
            s += SVG.text(ox + box / 2, oy + box + 15, "#\(img.index): true \(name(img.trueClass))", size: 11)
            s += SVG.text(
                ox + box / 2, oy + box + 29, "predicted \(name(img.predicted))", size: 11, extra: "fill=\"#D55E00\"")
        }
        return s + "</svg>"
    }
}
