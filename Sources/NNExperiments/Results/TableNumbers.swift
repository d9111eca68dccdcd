import Foundation

/// Numbers as people read them in tables (terminal leaderboard, report tables, `nnexp diff`), never in
/// result files: accuracies as percentages with one decimal, counts as integers, other values (costs)
/// with four significant digits.
public enum TableNumbers {
    /// `91.7%` for `*_accuracy`, `200` for `epochs`/`iterations`/`best_epoch`, `0.1217` otherwise.
    public static func value(_ v: Double, metric: String) -> String {
        if metric.hasSuffix("_accuracy") { return percent(v) }
        if metric == "epochs" || metric == "iterations" || metric == "best_epoch", v.isFinite, v == v.rounded(),
            abs(v) < 1e15
        {
            return String(Int64(v))
        }
        return significant(v)
    }

    /// `0.91666…` → `91.7%`.
    public static func percent(_ v: Double) -> String {
        guard v.isFinite else { return special(v) }
        return String(format: "%.1f%%", v * 100)
    }

    /// Four significant digits (`%.4g`), exponents without `+` or leading zeros: `0.1217`, `641.4`,
    /// `3.692e-6`, `1.235e4`.
    public static func significant(_ v: Double, digits: Int = 4) -> String {
        guard v.isFinite else { return special(v) }
        let s = String(format: "%.\(digits)g", v)
        guard let e = s.firstIndex(of: "e") else { return s }
        var exp = String(s[s.index(after: e)...])
        var sign = ""
        if exp.hasPrefix("-") { sign = "-" }
        exp = String(exp.drop { $0 == "+" || $0 == "-" || $0 == "0" })
        return String(s[..<e]) + "e" + sign + (exp.isEmpty ? "0" : exp)
    }

    /// `mean ± sd (n)` for a cell of several runs (`91.7% ± 0.3% (3)`), the plain value for one.
    public static func meanSD(_ s: MetricStats, metric: String) -> String {
        guard s.n > 1 else { return value(s.mean, metric: metric) }
        let sd = s.sd.map { metric.hasSuffix("_accuracy") ? percent($0) : significant($0) } ?? ""
        return "\(value(s.mean, metric: metric)) ± \(sd) (\(s.n))"
    }

    static func special(_ v: Double) -> String { v.isNaN ? "nan" : (v > 0 ? "inf" : "-inf") }
}
