import Foundation

/// A chart axis: maps data values to pixels and chooses ticks at "nice" numbers (1, 2, 5 × 10^k on a
/// linear scale, powers of ten on a log scale, or one tick per category).
struct Axis {
    enum Kind: Equatable {
        case linear, log
        case categorical([String])
    }
    var kind: Kind
    /// Data domain after rounding out to ticks (log10 of it on a log scale).
    private(set) var lo: Double
    private(set) var hi: Double
    private(set) var ticks: [Double] = []
    private var step: Double = 1
    /// Pixel range the domain maps to (may be reversed, as for y).
    var pixelFrom: Double = 0, pixelTo: Double = 1

    /// An axis covering `values` (non-finite values, and non-positive ones on a log scale, are ignored).
    init(
        kind: Kind, values: [Double], includeZero: Bool = false, fixed: ClosedRange<Double>? = nil, cap: Double? = nil,
        targetTicks: Int = 6
    ) {
        self.kind = kind
        switch kind {
        case .categorical(let names):
            lo = -0.5
            hi = Double(max(names.count, 1)) - 0.5
            ticks = names.indices.map(Double.init)
        case .log:
            let v = values.filter { $0.isFinite && $0 > 0 }
            var a = (v.min() ?? 1)
            var b = (v.max() ?? 10)
            if let fixed {
                a = fixed.lowerBound
                b = fixed.upperBound
            }
            lo = log10(a).rounded(.down)
            hi = log10(b).rounded(.up)
            if hi <= lo { hi = lo + 1 }
            ticks = stride(from: lo, through: hi, by: 1).map { $0 }
            // A long span gets a tick every few decades so labels do not collide.
            let every = max(1, Int((hi - lo) / Double(targetTicks + 2)) + 1)
            if every > 1 { ticks = ticks.enumerated().filter { $0.offset % every == 0 }.map(\.element) }
        case .linear:
            let v = values.filter(\.isFinite)
            var a = v.min() ?? 0
            var b = v.max() ?? 1
            if let fixed {
                a = fixed.lowerBound
                b = fixed.upperBound
            }
            let dataMax = b
            if includeZero {
                a = min(a, 0)
                b = max(b, 0)
            }
            if a == b {
                a -= a == 0 ? 1 : abs(a) * 0.1
                b += b == 0 ? 1 : abs(b) * 0.1
            }
            step = Axis.niceStep((b - a) / Double(targetTicks - 1))
            lo = fixed == nil ? (a / step).rounded(.down) * step : a
            hi = fixed == nil ? (b / step).rounded(.up) * step : b
            // Values that cannot exceed a bound (accuracy ≤ 1) do not get an axis beyond it.
            if let cap, dataMax <= cap, hi > cap { hi = cap }
            var t = (lo / step).rounded(.up) * step
            while t <= hi + step * 1e-9 {
                ticks.append(abs(t) < step * 1e-9 ? 0 : t)
                t += step
            }
        }
    }

    /// The nice number (1, 2, 2.5 or 5 × 10^k) nearest above `raw`.
    static func niceStep(_ raw: Double) -> Double {
        guard raw > 0, raw.isFinite else { return 1 }
        let e = log10(raw).rounded(.down)
        let base = NumberFormat.pow10(Int(e))
        let f = raw / base
        let nice: Double = f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10
        return nice * base
    }

    /// Pixel position of a data value, nil when it cannot be drawn (non-finite, or ≤ 0 on a log axis).
    func pixel(_ v: Double) -> Double? {
        guard v.isFinite else { return nil }
        let t: Double
        switch kind {
        case .log:
            guard v > 0 else { return nil }
            t = (log10(v) - lo) / (hi - lo)
        default: t = (v - lo) / (hi - lo)
        }
        return pixelFrom + t * (pixelTo - pixelFrom)
    }

    /// Tick positions in data units.
    var tickValues: [Double] { kind == .log ? ticks.map { NumberFormat.pow10(Int($0)) } : ticks }

    func label(_ tick: Double) -> String {
        switch kind {
        case .categorical(let names):
            let i = Int(tick)
            return i >= 0 && i < names.count ? names[i] : ""
        case .log:
            let e = Int(log10(tick).rounded())
            return e >= -3 && e <= 4 ? NumberFormat.significant(tick) : "1e\(e)"
        case .linear:
            let m = max(abs(lo), abs(hi))
            if m >= 1e6 || (m < 1e-3 && m > 0) { return NumberFormat.significant(tick, digits: 3) }
            let decimals = max(
                0,
                -Int(log10(step).rounded(.down))
                    + (Axis.niceStep(step) == step && step / NumberFormat.pow10(Int(log10(step).rounded(.down))) == 2.5
                        ? 1 : 0))
            return NumberFormat.fixed(tick, decimals: decimals)
        }
    }

    /// Decades spanned by the finite positive values (0 when there are none).
    static func decades(_ values: [Double]) -> Double {
        let v = values.filter { $0.isFinite && $0 > 0 }
        guard let a = v.min(), let b = v.max() else { return 0 }
        return log10(b) - log10(a)
    }
}
