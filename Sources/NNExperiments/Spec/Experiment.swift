import Foundation

/// A spec file expanded into its runs: the product of its sweep axes (first axis slowest), then its
/// variants. Every run is decoded and validated before anything trains.
public struct Experiment: Sendable {
    /// The experiment's name (`experiment:`).
    public var name: String
    /// The spec file's path.
    public var specPath: String
    /// The spec file as written (without its `extends` bases).
    public var specText: String = ""
    /// Swept key paths in first-appearance order (the summary's axis columns).
    public var axes: [String]
    /// Every run, in sweep order.
    public var runs: [RunConfig]
    /// Values per grid axis (a zip group counts once) and the number of extra variants, to explain
    /// how many runs a sweep makes.
    public var axisSizes: [Int] = []
    /// The number of extra variants (`sweep.variants`), for the run-count explanation.
    public var variantCount = 0
    /// True when the spec was a run's config.yaml (one run of a larger experiment, see `RecordedRun`).
    public var isRecordedRun = false
    /// Trials of `sweep.random` (0 without it): each grid point and variant runs once per trial.
    public var trialCount = 0
    /// `sweep.halving`: the runs are trained in rungs (`HalvingRunner`), each to the epochs of the
    /// last rung it reached.
    public var halving: Halving?
    /// Paths `sweep.random` draws, in `params` order (their values are in each run's `axisValues`).
    public var randomPaths: [String] {
        guard trialCount > 0, let t = axes.firstIndex(of: "trial") else { return [] }
        return Array(axes[(t + 1)...])
    }

    /// "4 × 3 + 2 variants = 14 runs".
    public var sizeDescription: String {
        var parts: [String] = []
        if !axisSizes.isEmpty { parts.append(axisSizes.map(String.init).joined(separator: " × ")) }
        if variantCount > 0 { parts.append("\(variantCount) variant\(variantCount == 1 ? "" : "s")") }
        if trialCount > 0 {
            let points =
                parts.isEmpty ? "" : (parts.count > 1 ? "(\(parts.joined(separator: " + "))) × " : parts[0] + " × ")
            return points
                + "\(trialCount) trial\(trialCount == 1 ? "" : "s") = \(runs.count) run\(runs.count == 1 ? "" : "s")"
        }
        if parts.isEmpty { return "1 run" }
        return parts.joined(separator: " + ") + " = \(runs.count) run\(runs.count == 1 ? "" : "s")"
    }

    /// Above this many runs a spec is refused outright: decoding alone would take too long.
    public static let hardRunLimit = 100_000

    /// Parses, applies `extends`, expands and validates a spec; throws `SpecErrors` with every
    /// mistake found, or `SpecFileError` when the file cannot be read.
    public static func load(path: String, overrides: Overrides = Overrides()) throws -> Experiment {
        let sink = DiagnosticSink()
        let e = try load(path: path, overrides: overrides, sink: sink)
        if !sink.isEmpty { throw SpecErrors(sink.diagnostics) }
        return e!
    }

    /// Loads every spec, collecting the mistakes of all of them before failing.
    /// `overrides` (`--set`, `--sweep`) apply to every spec.
    public static func loadAll(paths: [String], overrides: Overrides = Overrides()) throws -> [Experiment] {
        let sink = DiagnosticSink()
        var experiments: [Experiment] = []
        var fileErrors: [SpecFileError] = []
        for p in paths {
            do { if let e = try load(path: p, overrides: overrides, sink: sink) { experiments.append(e) } } catch let e
                as SpecFileError
            { fileErrors.append(e) }
        }
        var seen: [String: String] = [:]
        for e in experiments {
            if let other = seen[e.name] {
                sink.error(
                    at: e.runs.first?.experimentLocation ?? SourceLocation(file: e.specPath, line: 1, column: 1),
                    "experiment `\(e.name)` is also defined in \(other); both would write results/\(e.name)/")
            }
            seen[e.name] = seen[e.name] ?? e.specPath
        }
        if let f = fileErrors.first, sink.isEmpty { throw f }
        if !sink.isEmpty || !fileErrors.isEmpty {
            throw SpecErrors(
                sink.diagnostics
                    + fileErrors.map { Diagnostic(SourceLocation(file: $0.path, line: 1, column: 1), $0.message) })
        }
        return experiments
    }

    /// The experiment, with its mistakes added to `sink` (nil when it could not be parsed).
    static func load(path: String, overrides: Overrides = Overrides(), sink: DiagnosticSink) throws -> Experiment? {
        let local = DiagnosticSink()
        guard var root = try SpecLoader.load(path: path, sink: local) else {
            local.diagnostics.forEach { sink.error(at: $0.location, $0.message) }
            return nil
        }
        let dir = (path as NSString).deletingLastPathComponent
        let recorded = RecordedRun.extract(&root, sink: local)
        if recorded != nil, let first = overrides.sweeps.first {
            local.error(
                at: SourceLocation(file: "--sweep \(first)", line: 0, column: 0),
                "--sweep does not apply to a run's config.yaml, which is one run; use --set, or --sweep on the experiment's spec"
            )
        }
        overrides.apply(to: &root, sink: local)
        if let recorded {
            // A run's config.yaml: that one run again, under its own name (see `RecordedRun`).
            var config = SpecDecoder(sink: local).decode(root, specDirectory: dir.isEmpty ? "." : dir)
            config?.runName = recorded.runName
            config?.axisValues = recorded.axisValues
            local.diagnostics.forEach { sink.error(at: $0.location, $0.message) }
            guard local.isEmpty, let config else { return nil }
            let text = (try? SpecLoader.readText(path).get()) ?? ""
            var e = Experiment(
                name: config.experiment, specPath: path, specText: text, axes: recorded.axisValues.map(\.key),
                runs: [config])
            e.isRecordedRun = true
            return e
        }
        let sweep = Sweep.read(root["sweep"], sink: local)
        if sweep.count > hardRunLimit {
            local.error(
                root["sweep"] ?? root,
                "the sweep makes \(sweep.count == Int.max ? "too many" : "\(sweep.count)") runs; at most \(hardRunLimit) are possible"
            )
            local.diagnostics.forEach { sink.error(at: $0.location, $0.message) }
            return nil
        }
        if sweep.randomFailed {
            local.diagnostics.forEach { sink.error(at: $0.location, $0.message) }
            return nil
        }
        // Each run is decoded on its own tree. A mistake outside the sweep values that only some runs
        // have (an option that does not fit a swept optimizer) names the run it belongs to.
        let grid = sweep.points
        let random = sweep.random
        let draws = random?.draws() ?? []
        var points: [(settings: [Sweep.Setting], trial: Int?)] = []
        for p in grid {
            if let random {
                for t in 0..<random.trials {
                    points.append(
                        (
                            p
                                + zip(random.params, draws[t]).map {
                                    Sweep.Setting(path: $0.path, keyNode: $0.keyNode, value: $1)
                                }, t
                        ))
                }
            } else {
                points.append((p, nil))
            }
        }
        // A range that allows a value no run may take is an error at the range, drawn or not.
        var rangeErrors: Set<SourceLocation> = []
        if let random, let base = grid.first {
            var tree = root
            let scratch = DiagnosticSink()
            for s in base { Sweep.set(&tree, s, sink: scratch) }
            for (j, p) in random.params.enumerated() {
                for probe in RandomSearch.extremes(p) {
                    var node = tree
                    let probeSink = DiagnosticSink()
                    for (k, q) in random.params.enumerated() {
                        let value = k == j ? probe : draws[0][k]
                        Sweep.set(&node, Sweep.Setting(path: q.path, keyNode: q.keyNode, value: value), sink: probeSink)
                    }
                    _ = SpecDecoder(sink: probeSink).decode(node, specDirectory: dir.isEmpty ? "." : dir)
                    for d in probeSink.diagnostics where d.location == probe.location {
                        let isChoice: Bool = {
                            if case .choice = p.distribution { return true } else { return false }
                        }()
                        local.error(
                            at: d.location,
                            isChoice
                                ? d.message
                                : "\(d.message) (the range of `\(p.path)` in `sweep.random` allows \(probe.scalar ?? "it"))"
                        )
                        rangeErrors.insert(d.location)
                    }
                }
            }
        }
        let namePaths = sweep.paths + (random == nil ? [] : ["trial"])
        var perRun: [[Diagnostic]] = []
        var pointNames: [String?] = []
        var runs: [RunConfig] = []
        var names: [String: Sweep.Setting] = [:]
        for (point, trial) in points {
            var node = root
            let runSink = DiagnosticSink()
            for s in point { Sweep.set(&node, s, sink: runSink) }
            if var c = SpecDecoder(sink: runSink).decode(node, specDirectory: dir.isEmpty ? "." : dir) {
                let values = point.map {
                    ($0.path, $0.value.isNull ? "default" : $0.value.scalar ?? YAMLFlow.render($0.value))
                }
                if let random, let trial {
                    let gridCount = point.count - random.params.count
                    c.axisValues =
                        Array(values.prefix(gridCount)) + [("trial", random.trialLabel(trial))]
                        + values.suffix(random.params.count)
                    c.runName = RunNames.name(
                        Array(c.axisValues.prefix(gridCount + 1)).map { ($0.key, $0.value) }, allPaths: namePaths)
                } else {
                    c.axisValues = values
                    c.runName = RunNames.name(c.axisValues.map { ($0.key, $0.value) }, allPaths: sweep.paths)
                }
                c.experimentLocation = root["experiment"]?.location
                if let first = point.first, let clash = names[c.runName] {
                    runSink.error(
                        first.value,
                        "two runs would both be named `\(c.runName)`: this value repeats the one at line \(clash.value.location.line), column \(clash.value.location.column)"
                    )
                } else if let first = point.first {
                    names[c.runName] = first
                }
                runs.append(c)
                pointNames.append(c.runName)
            } else {
                pointNames.append(nil)
            }
            perRun.append(runSink.diagnostics.filter { !rangeErrors.contains($0.location) })
        }
        local.diagnostics.forEach { sink.error(at: $0.location, $0.message) }
        let sets = perRun.map(Set.init)
        for (i, diags) in perRun.enumerated() {
            for d in diags {
                let everywhere = sets.allSatisfy { $0.contains(d) }
                if everywhere || sweep.valueLocations.contains(d.location) || pointNames[i] == nil {
                    sink.error(at: d.location, d.message)
                } else {
                    sink.error(at: d.location, "\(d.message) (in run `\(pointNames[i]!)`)")
                }
            }
        }
        if let h = sweep.halving {
            // One error per problem: the run it concerns is named only when other runs are fine.
            var said: Set<String> = []
            let problems = runs.compactMap { c in h.problem(c).map { (c, $0) } }
            for (c, p) in problems where said.insert(p.message).inserted {
                let text = problems.count == runs.count ? p.message : "\(p.message) (in run `\(c.runName)`)"
                sink.error(at: p.location ?? root.location, text)
            }
        }
        guard let first = runs.first else { return nil }
        var text = (try? SpecLoader.readText(path).get()) ?? ""
        if !overrides.isEmpty {
            // The copy of the spec says what the command line changed (config.yaml holds the result).
            text +=
                (text.hasSuffix("\n") || text.isEmpty ? "" : "\n")
                + "# command-line overrides: \(overrides.commandLine)\n"
        }
        return Experiment(
            name: first.experiment, specPath: path, specText: text,
            axes: sweep.paths + (random.map { ["trial"] + $0.params.map(\.path) } ?? []), runs: runs,
            axisSizes: sweep.axes.map(\.count), variantCount: sweep.variants.count, trialCount: random?.trials ?? 0,
            halving: sweep.halving)
    }
}

/// Renders a node in YAML flow style (for sweep values that are lists, such as layer sizes).
enum YAMLFlow {
    static func render(_ n: YAMLNode) -> String {
        switch n.value {
        case .scalar(let s, _): return s
        case .sequence(let items): return "[" + items.map(render).joined(separator: ", ") + "]"
        case .mapping(let m):
            return "{" + m.map { "\(render($0.key)): \(render($0.value))" }.joined(separator: ", ") + "}"
        }
    }
}
