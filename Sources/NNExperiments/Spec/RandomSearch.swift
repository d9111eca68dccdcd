import Foundation
import NNEngine  // re-exports NNRandom (RNG)

/// `sweep.random`: trials whose values are drawn from distributions (docs/spec.md, "random search").
///
/// ```yaml
/// sweep:
///   random:
///     trials: 40
///     seed: 7
///     params:
///       optimizer.learning_rate: {loguniform: [1.0e-4, 1.0e-1]}
///       model.hidden: {choice: [[50], [100, 50]]}
///       training.batch_size: {int: [16, 256], log: true}
/// ```
///
/// Determinism rule: the value of parameter `path` in trial i is drawn from
/// `RNG(seed: random.seed, counter: i, stream: path)` (a counter-based generator, see `RNG`), never
/// from a stream shared between trials or parameters, so a trial's values do not depend on the
/// number of trials, the other parameters, `--jobs`, shards or interruptions. When every parameter is
/// a `choice`, trials are drawn without replacement: a trial whose combination an earlier trial
/// already has takes the next draw from each of its own generators, until the combination is new
/// (so trial i depends on trials 0..<i only, and adding trials still changes no existing one).
struct RandomSearch {
    static let keys = ["trials", "seed", "params"]
    static let distributionKeys = ["uniform", "loguniform", "int", "choice"]

    enum Distribution {
        /// Uniform on [a, b).
        case uniform(Double, Double)
        /// exp(uniform on [ln a, ln b)): every decade equally likely.
        case loguniform(Double, Double)
        /// Whole numbers a...b, each equally likely; with `log`, round(exp(uniform on
        /// [ln(a − ½), ln(b + ½)))), so P(k) ∝ ln((k + ½)/(k − ½)) (Optuna's rule).
        case int(Int, Int, log: Bool)
        /// One of the values, each equally likely.
        case choice([YAMLNode])
    }

    struct Param {
        var path: String
        var keyNode: YAMLNode
        /// The distribution's mapping: drawn values are located here, so a drawn value a run
        /// rejects is reported at this line.
        var node: YAMLNode
        var distribution: Distribution
        /// `step: q`: values on the grid a + k·q (uniform, int) or the multiples of q (loguniform).
        var step: Double?
    }

    var trials: Int
    var seed: UInt64
    var params: [Param]
    var trialsNode: YAMLNode

    /// Reads `sweep.random`; nil (with the reasons in `sink`) when it is wrong.
    static func read(_ node: YAMLNode, sink: DiagnosticSink) -> RandomSearch? {
        guard let r = MappingReader(node, path: "sweep.random", sink: sink, allowed: keys) else { return nil }
        var ok = true
        guard let trialsNode = r["trials"] else {
            sink.error(node, "`sweep.random` needs `trials` (how many trials to draw)")
            return nil
        }
        guard
            let trials = Scalars.int(
                trialsNode, name: "sweep.random.trials", sink: sink, min: 1, max: Experiment.hardRunLimit)
        else { return nil }
        var seed: UInt64 = 0
        if let s = r["seed"] {
            if let v = Scalars.int(s, name: "sweep.random.seed", sink: sink, min: 0) {
                seed = UInt64(v)
            } else {
                ok = false
            }
        } else {
            sink.error(node, "`sweep.random` needs `seed` (the trials are a function of it, e.g. `seed: 7`)")
            ok = false
        }
        guard let pn = r["params"], let pairs = pn.mapping, !pairs.isEmpty else {
            sink.error(
                r["params"] ?? node,
                "`sweep.random` needs `params`: a mapping from key paths to distributions, e.g. `optimizer.learning_rate: {loguniform: [1.0e-4, 1.0e-1]}`"
            )
            return nil
        }
        var params: [Param] = []
        for (k, v) in pairs {
            guard let path = k.scalar, !path.isEmpty else {
                sink.error(k, "`sweep.random.params` keys must be dotted key paths")
                ok = false
                continue
            }
            if let problem = SpecSchema.sweepProblem(path) {
                sink.error(k, problem)
                ok = false
                continue
            }
            if let p = readDistribution(v, path: path, key: k, sink: sink) { params.append(p) } else { ok = false }
        }
        guard ok else { return nil }
        let search = RandomSearch(trials: trials, seed: seed, params: params, trialsNode: trialsNode)
        if search.withoutReplacement, search.combinations < trials {
            sink.error(
                trialsNode,
                "`sweep.random.trials` is \(trials), but the choices make only \(search.combinations) different combination\(search.combinations == 1 ? "" : "s") (when every parameter is a `choice`, trials are drawn without replacement)"
            )
            return nil
        }
        return search
    }

    private static func readDistribution(_ v: YAMLNode, path: String, key: YAMLNode, sink: DiagnosticSink) -> Param? {
        let example =
            "e.g. {uniform: [0.8, 0.99]}, {loguniform: [1.0e-4, 1.0e-1]}, {int: [16, 256], log: true} or {choice: [sigmoid, tanh]}"
        guard let m = v.mapping else {
            sink.error(
                v, "`\(path)` in `sweep.random.params` needs a distribution, \(example); found \(v.kindDescription)")
            return nil
        }
        guard
            let r = MappingReader(
                v, path: "sweep.random.params.\(path)", sink: sink, allowed: distributionKeys + ["log", "step"])
        else { return nil }
        let kinds = m.compactMap { $0.key.scalar }.filter { distributionKeys.contains($0) }
        guard kinds.count == 1, let kind = kinds.first, let body = r[kind] else {
            sink.error(
                v,
                kinds.isEmpty
                    ? "`\(path)` needs one distribution, \(example)"
                    : "`\(path)` gives \(kinds.count) distributions (\(kinds.joined(separator: ", "))); give one")
            return nil
        }
        let name = "sweep.random.params.\(path).\(kind)"
        var step: Double? = nil
        if let s = r["step"], !s.isNull {
            guard
                let q = Scalars.double(
                    s, name: "sweep.random.params.\(path).step", sink: sink, min: 0, exclusiveMin: true)
            else { return nil }
            step = q
        }
        let log = r["log"].flatMap { Scalars.bool($0, name: "sweep.random.params.\(path).log", sink: sink) } ?? false
        if r.has("log"), kind != "int" {
            sink.error(r.keyNode("log")!, "`log` applies to `int` only (for real values use `loguniform`)")
            return nil
        }
        func pair() -> (YAMLNode, YAMLNode)? {
            guard let items = body.sequence, items.count == 2 else {
                sink.error(body, "`\(kind)` takes two values [low, high], found \(body.kindDescription)")
                return nil
            }
            return (items[0], items[1])
        }
        let dist: Distribution
        switch kind {
        case "uniform", "loguniform":
            guard let (an, bn) = pair(), let a = Scalars.double(an, name: name, sink: sink),
                let b = Scalars.double(bn, name: name, sink: sink), a.isFinite, b.isFinite
            else { return nil }
            guard a < b else {
                sink.error(body, "`\(kind)` needs low < high, found [\(an.scalar!), \(bn.scalar!)]")
                return nil
            }
            if kind == "loguniform" {
                guard a > 0 else {
                    var msg =
                        "`loguniform` takes the range of the values themselves, [low, high] with 0 < low < high, not exponents: found [\(an.scalar!), \(bn.scalar!)]"
                    if a == a.rounded(), b == b.rounded(), abs(a) <= 300, abs(b) <= 300 {
                        msg += "; for 10^\(Int(a)) to 10^\(Int(b)) write [1.0e\(Int(a)), 1.0e\(Int(b))]"
                    }
                    sink.error(body, msg)
                    return nil
                }
                dist = .loguniform(a, b)
            } else {
                dist = .uniform(a, b)
            }
            if let q = step {
                // The grid index is a whole number: at most 2^53 steps, which also keeps it exact.
                if kind == "uniform", !((b - a) / q <= 0x1p53) {
                    sink.error(
                        r["step"]!,
                        "`step` \(NumberFormat.shortest(q)) cuts [\(an.scalar!), \(bn.scalar!)] into more than 2^53 values; use no `step`"
                    )
                    return nil
                }
                if kind == "uniform", q > b - a {
                    sink.error(
                        r["step"]!,
                        "`step` \(NumberFormat.shortest(q)) is wider than the range [\(an.scalar!), \(bn.scalar!)], which leaves a single value"
                    )
                    return nil
                }
                if kind == "loguniform", (a / q * (1 - 1e-12)).rounded(.up) > (b / q * (1 + 1e-12)).rounded(.down) {
                    sink.error(
                        r["step"]!,
                        "no multiple of `step` \(NumberFormat.shortest(q)) lies in [\(an.scalar!), \(bn.scalar!)]")
                    return nil
                }
            }
        case "int":
            let bound = 1 << 53
            guard let (an, bn) = pair(), let a = Scalars.int(an, name: name, sink: sink, min: -bound, max: bound),
                let b = Scalars.int(bn, name: name, sink: sink, min: -bound, max: bound)
            else { return nil }
            guard a <= b else {
                sink.error(body, "`int` needs low ≤ high, found [\(a), \(b)]")
                return nil
            }
            if log, a < 1 {
                sink.error(body, "`int` with `log: true` needs low ≥ 1, found \(a)")
                return nil
            }
            if let q = step {
                if log {
                    sink.error(r["step"]!, "`step` and `log: true` do not combine (the log scale has no even grid)")
                    return nil
                }
                if q != q.rounded() {
                    sink.error(
                        r["step"]!, "`step` of an `int` must be a whole number, found \(NumberFormat.shortest(q))")
                    return nil
                }
                if q > Double(max(b - a, 1)) {
                    sink.error(
                        r["step"]!,
                        "`step` \(NumberFormat.shortest(q)) is wider than the range [\(a), \(b)], which leaves a single value"
                    )
                    return nil
                }
            }
            dist = .int(a, b, log: log)
        default:  // choice
            guard let items = body.sequence, !items.isEmpty else {
                sink.error(body, "`choice` takes a non-empty list of values, found \(body.kindDescription)")
                return nil
            }
            if step != nil {
                sink.error(r["step"]!, "`step` does not apply to `choice`")
                return nil
            }
            dist = .choice(items)
        }
        return Param(path: path, keyNode: key, node: v, distribution: dist, step: step)
    }

    /// True when every parameter is a `choice`: trials are then drawn without replacement.
    var withoutReplacement: Bool {
        params.allSatisfy { if case .choice = $0.distribution { return true } else { return false } }
    }

    /// The number of distinct combinations of an all-`choice` search (saturating at Int.max).
    var combinations: Int {
        params.reduce(1) { n, p in
            guard case .choice(let items) = p.distribution else { return Int.max }
            let (r, o) = n.multipliedReportingOverflow(by: items.count)
            return o ? Int.max : r
        }
    }

    /// The values of trials 0..<trials, one node per parameter in `params` order.
    func draws() -> [[YAMLNode]] {
        draws(count: trials)
    }

    /// The values of trials 0..<count (trial i's are the same whatever `count`).
    func draws(count: Int) -> [[YAMLNode]] {
        var out: [[YAMLNode]] = []
        var seen: Set<[Int]> = []
        for i in 0..<count {
            var gens = params.map { RNG(seed: seed, counter: UInt64(i), stream: $0.path) }
            if withoutReplacement {
                while true {
                    var idx: [Int] = []
                    for (j, p) in params.enumerated() {
                        guard case .choice(let items) = p.distribution else { continue }
                        idx.append(gens[j].below(items.count))
                    }
                    if seen.insert(idx).inserted {
                        out.append(
                            zip(params, idx).map { p, k in
                                guard case .choice(let items) = p.distribution else { fatalError("unreachable") }
                                return items[k]
                            })
                        break
                    }
                }
            } else {
                out.append(params.indices.map { Self.value(params[$0], &gens[$0]) })
            }
        }
        return out
    }

    /// One draw of `p` from `rng`, as the YAML node a run's spec receives (located at the
    /// distribution, or the chosen item itself).
    static func value(_ p: Param, _ rng: inout RNG) -> YAMLNode {
        switch p.distribution {
        case .choice(let items): return items[rng.below(items.count)]
        case .int(let a, let b, let log):
            return scalar(String(drawInt(a, b, log: log, step: p.step.map { Int($0) }, &rng)), at: p.node.location)
        case .uniform(let a, let b):
            return scalar(NumberFormat.shortest(drawUniform(a, b, step: p.step, &rng)), at: p.node.location)
        case .loguniform(let a, let b):
            return scalar(NumberFormat.shortest(drawLogUniform(a, b, step: p.step, &rng)), at: p.node.location)
        }
    }

    static func scalar(_ s: String, at l: SourceLocation) -> YAMLNode { YAMLNode(.scalar(s, plain: true), at: l) }

    /// Uniform on [a, b); with a step q, a + k·q for k uniform in 0...⌊(b − a)/q⌋, rounded to 12
    /// significant digits so that 0.1 + 3 × 0.1 reads 0.4.
    static func drawUniform(_ a: Double, _ b: Double, step: Double?, _ rng: inout RNG) -> Double {
        guard let q = step else { return a + (b - a) * rng.uniform() }
        let n = Int(((b - a) / q * (1 + 1e-12)).rounded(.down))
        return tidy(a + Double(rng.below(n + 1)) * q)
    }

    /// exp(ln a + (ln b − ln a)·u); with a step q, the nearest multiple of q, kept within the
    /// multiples of q that lie in [a, b].
    static func drawLogUniform(_ a: Double, _ b: Double, step: Double?, _ rng: inout RNG) -> Double {
        let la = Foundation.log(a)
        let lb = Foundation.log(b)
        let x = Foundation.exp(la + (lb - la) * rng.uniform())
        guard let q = step else { return x }
        let lo = (a / q * (1 - 1e-12)).rounded(.up)
        let hi = (b / q * (1 + 1e-12)).rounded(.down)
        return tidy(min(max((x / q).rounded(), lo), hi) * q)
    }

    /// Whole numbers in a...b: uniform (on a + k·step), or on a log scale.
    static func drawInt(_ a: Int, _ b: Int, log: Bool, step: Int?, _ rng: inout RNG) -> Int {
        if log {
            let lo = Foundation.log(Double(a) - 0.5)
            let hi = Foundation.log(Double(b) + 0.5)
            let x = Foundation.exp(lo + (hi - lo) * rng.uniform())
            return min(max(Int((x + 0.5).rounded(.down)), a), b)
        }
        let q = step ?? 1
        return a + q * rng.below((b - a) / q + 1)
    }

    /// A value rounded to 12 significant digits (removes the binary noise of k·q).
    static func tidy(_ v: Double) -> Double { Double(String(format: "%.12g", v)) ?? v }

    /// Values that bound what `p` can draw (the ends of its range, or every choice), each located
    /// where a mistake about it is reported: checked like drawn values before any trial is built,
    /// so that a range allowing an invalid value is an error even when no trial happens to draw it.
    static func extremes(_ p: Param) -> [YAMLNode] {
        let l = p.node.location
        switch p.distribution {
        case .choice(let items): return items
        case .int(let a, let b, _):
            let q = p.step.map { Int($0) } ?? 1
            return [a, a + (b - a) / q * q].map { scalar(String($0), at: l) }
        case .uniform(let a, let b):
            let hi = p.step.map { q in tidy(a + (((b - a) / q * (1 + 1e-12)).rounded(.down)) * q) } ?? b
            return [a, hi].map { scalar(NumberFormat.shortest($0), at: l) }
        case .loguniform(let a, let b):
            guard let q = p.step else { return [a, b].map { scalar(NumberFormat.shortest($0), at: l) } }
            let lo = (a / q * (1 - 1e-12)).rounded(.up)
            let hi = (b / q * (1 + 1e-12)).rounded(.down)
            return [lo, hi].map { scalar(NumberFormat.shortest(tidy($0 * q)), at: l) }
        }
    }

    /// `017` for trial 17 of 100..999 trials: zero-padded to the width of the trial count, so run
    /// folders sort in trial order.
    func trialLabel(_ i: Int) -> String {
        let width = String(trials).count
        let s = String(i)
        return String(repeating: "0", count: max(0, width - s.count)) + s
    }
}
