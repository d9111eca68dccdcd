import Foundation

/// Text helpers for writing SVG and HTML by hand. Coordinates are written with at most two decimals
/// (by integer rounding, not `String(format:)`), so the same results give the same bytes everywhere.
enum SVG {
    /// A coordinate: rounded to 0.01, trailing zeros dropped, never `-0`.
    static func n(_ v: Double) -> String { NumberFormat.fixed(v, decimals: 2, trim: true) }

    /// Escapes text for XML/HTML content and attribute values.
    static func esc(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.count)
        for c in s {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(c)
            }
        }
        return out
    }

    static func text(
        _ x: Double, _ y: Double, _ s: String, anchor: String = "middle", size: Double = 12,
        weight: String? = nil, extra: String = ""
    ) -> String {
        "<text x=\"\(n(x))\" y=\"\(n(y))\" text-anchor=\"\(anchor)\" font-size=\"\(n(size))\""
            + (weight.map { " font-weight=\"\($0)\"" } ?? "") + (extra.isEmpty ? "" : " " + extra) + ">\(esc(s))</text>"
    }

    static func line(
        _ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, stroke: String, width: Double = 1, extra: String = ""
    ) -> String {
        "<line x1=\"\(n(x1))\" y1=\"\(n(y1))\" x2=\"\(n(x2))\" y2=\"\(n(y2))\" stroke=\"\(stroke)\" stroke-width=\"\(n(width))\""
            + (extra.isEmpty ? "" : " " + extra) + "/>"
    }

    static func rect(_ x: Double, _ y: Double, _ w: Double, _ h: Double, fill: String, extra: String = "") -> String {
        "<rect x=\"\(n(x))\" y=\"\(n(y))\" width=\"\(n(w))\" height=\"\(n(h))\" fill=\"\(fill)\""
            + (extra.isEmpty ? "" : " " + extra) + "/>"
    }

    /// Opens a standalone-capable `<svg>` element (valid inline in HTML and as a `.svg` file).
    static func open(width: Double, height: Double, title: String) -> String {
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(n(width))\" height=\"\(n(height))\" viewBox=\"0 0 \(n(width)) \(n(height))\""
            + " font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\" role=\"img\" aria-label=\"\(esc(title))\">"
            + "<title>\(esc(title))</title>" + rect(0, 0, width, height, fill: "#ffffff")
    }
}

/// The Okabe–Ito palette: eight colours told apart by readers with the common colour-vision
/// deficiencies. Runs beyond eight also cycle through dash patterns so no two of 32 look alike.
enum Palette {
    static let colours = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
    static let dashes: [String?] = [nil, "6 3", "2 2", "8 3 2 3"]
    static func colour(_ i: Int) -> String { colours[i % colours.count] }
    static func dash(_ i: Int) -> String? { dashes[(i / colours.count) % dashes.count] }
}
