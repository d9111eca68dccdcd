import Foundation

/// Number formatting for result files: the shortest text that reads back to the same value (Swift's
/// `description` for Double is the shortest round-trip form on every platform), so reruns produce the
/// same bytes and no precision is lost; and the fixed-decimal and significant-digit text of charts,
/// tables and `nnexp diff` (below), which the report and the diff share.
public enum NumberFormat {
    /// The shortest round-trip text of `v`: integers without a fraction, `nan`, `inf`, `-inf`.
    public static func shortest(_ v: Double) -> String {
        if v.isNaN { return "nan" }
        if v.isInfinite { return v > 0 ? "inf" : "-inf" }
        if v == v.rounded(), abs(v) < 1e15 { return String(Int64(v)) }
        return v.description
    }

    // Numbers for people (tables, charts, `nnexp diff`), by integer rounding rather than `String(format:)`,
    // so the same results give the same text everywhere.

    /// `v` with exactly (or, with `trim`, at most) `decimals` decimals.
    static func fixed(_ v: Double, decimals: Int, trim: Bool = false) -> String {
        guard v.isFinite else { return "0" }
        var scale: Int64 = 1
        for _ in 0..<decimals { scale *= 10 }
        let scaled = (v * Double(scale)).rounded()
        guard abs(scaled) < 9e15 else { return shortest(v.rounded()) }
        let i = Int64(scaled)
        let neg = i < 0
        let a = neg ? -i : i
        var s = String(a / scale)
        if decimals > 0 {
            var frac = String(a % scale)
            frac = String(repeating: "0", count: decimals - frac.count) + frac
            if trim { while frac.last == "0" { frac.removeLast() } }
            if !frac.isEmpty { s += "." + frac }
        }
        return (neg && a != 0 ? "-" : "") + s
    }

    /// A value for a table or label with `digits` significant digits, in plain or scientific notation.
    static func significant(_ v: Double, digits: Int = 4) -> String {
        if v.isNaN { return "nan" }
        if v.isInfinite { return v > 0 ? "inf" : "-inf" }
        if v == 0 { return "0" }
        let e = Int((log10(abs(v))).rounded(.down))
        if e < -4 || e >= 7 {
            let m = v / pow10(e)
            let ms = fixed(m, decimals: digits - 1, trim: true)
            // Rounding the mantissa can reach 10 (9.9996 → 10.000).
            if ms.hasPrefix("10") || ms.hasPrefix("-10") {
                return fixed(m / 10, decimals: digits - 1, trim: true) + "e\(e + 1)"
            }
            return ms + "e\(e)"
        }
        return fixed(v, decimals: max(0, digits - 1 - e), trim: true)
    }

    /// 10^e by repeated multiplication (exact for the exponents charts and tables use).
    static func pow10(_ e: Int) -> Double {
        var r = 1.0
        for _ in 0..<abs(e) { r *= 10 }
        return e < 0 ? 1 / r : r
    }
}
