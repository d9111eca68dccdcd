/// A mistake in a spec, reported compiler-style: `FILE:LINE:COL: error: MESSAGE`.
public struct Diagnostic: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// Where the mistake was written.
    public var location: SourceLocation
    /// What is wrong, with a "did you mean" where one applies.
    public var message: String
    /// A diagnostic at `location`.
    public init(_ location: SourceLocation, _ message: String) {
        self.location = location
        self.message = message
    }
    /// `FILE:LINE:COL: error: MESSAGE`.
    public var description: String { "\(location): error: \(message)" }
    /// Orders by location, then message.
    public static func < (a: Self, b: Self) -> Bool { (a.location, a.message) < (b.location, b.message) }
}

/// Every mistake found in one or more specs; thrown when validation fails so that all of them are
/// reported at once.
public struct SpecErrors: Error, CustomStringConvertible, Sendable {
    /// The mistakes, without duplicates, in location order.
    public var diagnostics: [Diagnostic]
    /// The given diagnostics, deduplicated and sorted.
    public init(_ d: [Diagnostic]) { diagnostics = Array(Set(d)).sorted() }
    /// The first `SpecLimits.maxDiagnostics` diagnostics in file order, a line counting the rest,
    /// then the total: a file that is not a spec at all cannot flood the terminal.
    public var description: String {
        let n = diagnostics.count
        var lines = diagnostics.prefix(SpecLimits.maxDiagnostics).map(\.description)
        if n > SpecLimits.maxDiagnostics {
            lines.append(
                "… and \(n - SpecLimits.maxDiagnostics) more (only the first \(SpecLimits.maxDiagnostics) are shown)")
        }
        return (lines + ["\(n) error\(n == 1 ? "" : "s") in spec"]).joined(separator: "\n")
    }
}

/// Collects diagnostics while a spec is decoded; decoding goes on after an error so that one pass
/// finds every mistake.
public final class DiagnosticSink {
    /// Every mistake reported so far, in report order.
    public private(set) var diagnostics: [Diagnostic] = []
    /// An empty sink.
    public init() {}
    /// Reports a mistake at `node`'s location.
    public func error(_ node: YAMLNode, _ message: String) { diagnostics.append(Diagnostic(node.location, message)) }
    /// Reports a mistake at `location`.
    public func error(at location: SourceLocation, _ message: String) {
        diagnostics.append(Diagnostic(location, message))
    }
    /// True when nothing was reported.
    public var isEmpty: Bool { diagnostics.isEmpty }
}

/// "did you mean" suggestions by edit distance.
enum Suggest {
    static func closest(to word: String, among candidates: [String]) -> String? {
        let scored = candidates.map { ($0, distance(word.lowercased(), $0.lowercased())) }
        guard let best = scored.min(by: { $0.1 < $1.1 || ($0.1 == $1.1 && $0.0 < $1.0) }) else { return nil }
        let limit = max(2, word.count / 3)
        return best.1 <= limit ? best.0 : nil
    }

    /// Levenshtein distance.
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a)
        let b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var prev = Array(0...b.count)
        var cur = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            cur[0] = i
            for j in 1...b.count {
                cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&prev, &cur)
        }
        return prev[b.count]
    }
}
