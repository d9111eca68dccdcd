/// Number formatting for result files: the shortest text that reads back to the same value (Swift's
/// `description` for Double is the shortest round-trip form on every platform), so reruns produce the
/// same bytes and no precision is lost.
public enum NumberFormat {
    /// The shortest round-trip text of `v`: integers without a fraction, `nan`, `inf`, `-inf`.
    public static func shortest(_ v: Double) -> String {
        if v.isNaN { return "nan" }
        if v.isInfinite { return v > 0 ? "inf" : "-inf" }
        if v == v.rounded(), abs(v) < 1e15 { return String(Int64(v)) }
        return v.description
    }
}
