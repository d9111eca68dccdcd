/// One difference: where it is (experiment, run, file or key) and what changed.
public struct DiffRow: Equatable, Sendable {
    /// What kind of difference a row reports (its text is the row's `kind` column).
    public enum Kind: String, Sendable {
        case experimentAdded = "experiment added"
        case experimentRemoved = "experiment removed"
        case runAdded = "run added"
        case runRemoved = "run removed"
        case fileAdded = "file added"
        case fileRemoved = "file removed"
        case config, metric, series, rows, columns, confusion, file
    }
    /// The experiment folder.
    public var experiment: String
    /// The run folder (empty for experiment-level rows).
    public var run: String
    /// What kind of difference.
    public var kind: Kind
    /// The file, key or metric that differs.
    public var item: String
    /// The old value (empty when added).
    public var old: String
    /// The new value (empty when removed).
    public var new: String
    /// Signed delta of a number, or a description (series divergence).
    public var change: String
}

/// The outcome of comparing two results trees.
public struct DiffReport: Sendable {
    /// Every difference, in tree order.
    public var rows: [DiffRow] = []
    /// Experiments present in either tree.
    public var experiments = 0
    /// Runs present in both trees.
    public var runsCompared = 0
    /// Runs in both trees that differ; runs only in the new tree; runs only in the old tree.
    public var runsChanged = 0, runsAdded = 0, runsRemoved = 0
    /// The relative tolerance the numbers were compared with.
    public var tolerance: Double = 0
    /// Runs compared whose config records another BLAS library or kernel, counted per change
    /// ("Cooperlake → SkylakeX"): their numeric differences may come from the kernel alone.
    public var blasChanges: [String: Int] = [:]
    /// Set when two single files were compared (git's external diff), named by the new file.
    public var singleFile: String?
    /// Whether any row was found.
    public var hasDifferences: Bool { !rows.isEmpty }

    /// The closing summary line(s): counts, tolerance, and a note per BLAS kernel change.
    public var summary: String {
        if let f = singleFile {
            return "summary: \(f) " + (hasDifferences ? "differs" : "has no differences")
                + " (tolerance \(NumberFormat.shortest(tolerance)))"
        }
        let equal = runsCompared - runsChanged
        var s =
            "summary: \(experiments) experiment\(experiments == 1 ? "" : "s"), \(runsCompared) run\(runsCompared == 1 ? "" : "s") in both: "
        s += "\(runsChanged) changed, \(equal) equal; \(runsAdded) added, \(runsRemoved) removed"
        s += " (tolerance \(NumberFormat.shortest(tolerance)))"
        s += hasDifferences ? "" : " — no differences"
        for (change, n) in blasChanges.sorted(by: { $0.key < $1.key }) {
            s +=
                "\nnote: BLAS kernel changed (\(change)) in \(n) run\(n == 1 ? "" : "s"): differences in \(n == 1 ? "it" : "them") may come from the kernel alone"
        }
        return s
    }
}

/// Compares two results trees run by run. Files with equal bytes are skipped without parsing; numbers
/// are equal when their relative difference is at most the tolerance.
public struct Differ {
    /// Largest relative difference |a − b| / max(|a|, |b|) counted as equal. Default 0 (exact).
    public var tolerance: Double
    /// Confusion-matrix cells listed per file before the rest are counted (with `verbose`).
    public var cellLimit = 20
    /// Every changed confusion cell on its own row; otherwise one row per matrix (count, largest
    /// change, correct predictions before and after).
    public var verbose = false

    /// A differ with the given tolerance (default 0), 20 cells per matrix, not verbose.
    public init(tolerance: Double = 0) { self.tolerance = tolerance }

    /// Compares every experiment and run of `old` and `new`.
    public func compare(_ old: ResultsTree, _ new: ResultsTree) throws -> DiffReport {
        let oldFiles = try old.files()
        let newFiles = try new.files()
        let oldBytes = try old.read(oldFiles)
        let newBytes = try new.read(newFiles)
        func runs(_ files: [String]) -> [String: [String: [String]]] {
            var out: [String: [String: [String]]] = [:]
            for f in files {
                let p = f.split(separator: "/").map(String.init)
                out[p[0], default: [:]][p[1], default: []].append(p[2])
            }
            return out
        }
        let a = runs(oldFiles)
        let b = runs(newFiles)
        var report = DiffReport(tolerance: tolerance)
        for exp in Set(a.keys).union(b.keys).sorted() {
            report.experiments += 1
            guard let ra = a[exp] else {
                report.rows.append(row(exp, "", .experimentAdded, "", "", "", "\(b[exp]!.count) runs"))
                report.runsAdded += b[exp]!.count
                continue
            }
            guard let rb = b[exp] else {
                report.rows.append(row(exp, "", .experimentRemoved, "", "", "", "\(ra.count) runs"))
                report.runsRemoved += ra.count
                continue
            }
            for run in Set(ra.keys).union(rb.keys).sorted() {
                guard let fa = ra[run] else {
                    report.rows.append(row(exp, run, .runAdded, "", "", "", ""))
                    report.runsAdded += 1
                    continue
                }
                guard let fb = rb[run] else {
                    report.rows.append(row(exp, run, .runRemoved, "", "", "", ""))
                    report.runsRemoved += 1
                    continue
                }
                report.runsCompared += 1
                var changed = false
                for file in Set(fa).union(fb).sorted(by: Differ.fileOrder) {
                    let key = "\(exp)/\(run)/\(file)"
                    let rows = compareFile(file, oldBytes[key], newBytes[key])
                    changed = changed || !rows.isEmpty
                    if let k = rows.first(where: { $0.item == Differ.blasKernelKey }) {
                        report.blasChanges["\(k.old) → \(k.new)", default: 0] += 1
                    }
                    report.rows += rows.map {
                        var r = $0
                        r.experiment = exp
                        r.run = run
                        return r
                    }
                }
                if changed { report.runsChanged += 1 }
            }
        }
        return report
    }

    /// The config.yaml key that records the BLAS kernel a run was made under.
    static let blasKernelKey = "blas.kernel"

    /// config.yaml, metrics.csv, the series, then the confusion matrices: what changed before how.
    static func fileOrder(_ a: String, _ b: String) -> Bool {
        func rank(_ f: String) -> Int {
            f == "config.yaml" ? 0 : f == "metrics.csv" ? 1 : f.hasPrefix("confusion-") ? 3 : 2
        }
        return (rank(a), a) < (rank(b), b)
    }

    func row(_ e: String, _ r: String, _ k: DiffRow.Kind, _ item: String, _ o: String, _ n: String, _ c: String)
        -> DiffRow
    {
        DiffRow(experiment: e, run: r, kind: k, item: item, old: o, new: n, change: c)
    }

    /// Differences between two versions of one result file (nil: the file is absent on that side).
    public func compareFile(_ name: String, _ old: [UInt8]?, _ new: [UInt8]?) -> [DiffRow] {
        guard let old else { return new == nil ? [] : [row("", "", .fileAdded, name, "", "", "")] }
        guard let new else { return [row("", "", .fileRemoved, name, "", "", "")] }
        if old == new { return [] }
        if name == "config.yaml" { return compareConfig(old, new) }
        do {
            let a = try CSVDocument.parse(old, path: name)
            let b = try CSVDocument.parse(new, path: name)
            if name == "metrics.csv" { return compareMetrics(a, b) }
            if name.hasPrefix("confusion-") { return compareConfusion(name, a, b) }
            return compareSeries(name, a, b)
        } catch {
            return [row("", "", .file, name, "", "", "differs (cannot compare as CSV: \(error))")]
        }
    }

    func compareConfig(_ old: [UInt8], _ new: [UInt8]) -> [DiffRow] {
        let oldLeaves: ConfigLeaves
        let newLeaves: ConfigLeaves
        do {
            oldLeaves = try ConfigLeaves(String(decoding: old, as: UTF8.self), path: "config.yaml")
            newLeaves = try ConfigLeaves(String(decoding: new, as: UTF8.self), path: "config.yaml")
        } catch {
            return [row("", "", .file, "config.yaml", "", "", "differs (cannot compare as YAML: \(error))")]
        }
        let a = oldLeaves.leaves
        let b = newLeaves.leaves
        let bMap = newLeaves.dictionary
        let aMap = oldLeaves.dictionary
        var rows: [DiffRow] = []
        for (k, v) in a where bMap[k] != v { rows.append(row("", "", .config, k, v, bMap[k] ?? "(absent)", "")) }
        for (k, v) in b where aMap[k] == nil { rows.append(row("", "", .config, k, "(absent)", v, "")) }
        // Results made before runs recorded their kernel read as "(unrecorded)", not as an absent key.
        return rows.map { r in
            guard r.item.hasPrefix("blas.") else { return r }
            var r = r
            if r.old == "(absent)" { r.old = "(unrecorded)" }
            if r.new == "(absent)" { r.new = "(unrecorded)" }
            if r.item == Differ.blasKernelKey {
                r.change = "BLAS kernel changed: numeric differences may come from it alone"
            }
            return r
        }
    }

    func compareMetrics(_ a: CSVDocument, _ b: CSVDocument) -> [DiffRow] {
        let av = a.rows.map { ($0[0], $0.count > 1 ? $0[1] : "") }
        let bv = b.rows.map { ($0[0], $0.count > 1 ? $0[1] : "") }
        let bMap = Dictionary(bv, uniquingKeysWith: { x, _ in x })
        let aMap = Dictionary(av, uniquingKeysWith: { x, _ in x })
        var rows: [DiffRow] = []
        for (k, v) in av {
            guard let w = bMap[k] else {
                rows.append(row("", "", .metric, k, v, "(absent)", ""))
                continue
            }
            if let x = Double(v), let y = Double(w) {
                if !Numbers.equal(x, y, tolerance) { rows.append(row("", "", .metric, k, v, w, Numbers.delta(y - x))) }
            } else if v != w {
                rows.append(row("", "", .metric, k, v, w, ""))
            }
        }
        for (k, w) in bv where aMap[k] == nil { rows.append(row("", "", .metric, k, "(absent)", w, "")) }
        return rows
    }

    func compareConfusion(_ name: String, _ a: CSVDocument, _ b: CSVDocument) -> [DiffRow] {
        guard a.header == b.header, a.rows.count == b.rows.count else {
            return [
                row(
                    "", "", .columns, name, a.header.dropFirst().joined(separator: " "),
                    b.header.dropFirst().joined(separator: " "), "classes differ")
            ]
        }
        guard verbose else { return [summariseConfusion(name, a, b)].compactMap { $0 } }
        var rows: [DiffRow] = []
        var extra = 0
        for (ra, rb) in zip(a.rows, b.rows) {
            for c in 1..<a.header.count where ra[c] != rb[c] {
                if rows.count == cellLimit {
                    extra += 1
                    continue
                }
                let delta = Int(rb[c]).flatMap { y in Int(ra[c]).map { y - $0 } }
                rows.append(
                    row(
                        "", "", .confusion, "\(name) true \(ra[0]) / predicted \(a.header[c])", ra[c], rb[c],
                        delta.map { $0 > 0 ? "+\($0)" : "\($0)" } ?? ""))
            }
        }
        if extra > 0 { rows.append(row("", "", .confusion, name, "", "", "… and \(extra) more changed cells")) }
        return rows
    }

    /// One row for a changed confusion matrix: how many cells changed, the largest change and the
    /// correct predictions (the diagonal) before and after.
    func summariseConfusion(_ name: String, _ a: CSVDocument, _ b: CSVDocument) -> DiffRow? {
        var changed = 0
        var largest = 0
        var at = ""
        var correct = (0, 0)
        for (i, (ra, rb)) in zip(a.rows, b.rows).enumerated() {
            for c in 1..<a.header.count {
                let x = Int(ra[c]) ?? 0
                let y = Int(rb[c]) ?? 0
                if c - 1 == i {
                    correct.0 += x
                    correct.1 += y
                }
                guard ra[c] != rb[c] else { continue }
                changed += 1
                if abs(y - x) > abs(largest) {
                    largest = y - x
                    at = "true \(ra[0]) / predicted \(a.header[c])"
                }
            }
        }
        guard changed > 0 else { return nil }
        return row(
            "", "", .confusion, name, "", "",
            "\(changed) cell\(changed == 1 ? "" : "s") changed; largest \(largest > 0 ? "+" : "")\(largest) at \(at); "
                + "correct \(correct.0) → \(correct.1) (--verbose lists every cell)")
    }

    /// Columns holding class labels (compared as labels: equal or not, never by size).
    static func isLabelColumn(_ name: String) -> Bool {
        ["predicted", "label", "true", "class", "target"].contains(name) || name.hasSuffix("_class")
    }

    /// Column by column: largest absolute and relative difference and the first row where the
    /// series part (beyond the tolerance), named by the file's first column (`epoch 17`).
    func compareSeries(_ name: String, _ a: CSVDocument, _ b: CSVDocument) -> [DiffRow] {
        var rows: [DiffRow] = []
        if a.rows.count != b.rows.count {
            rows.append(
                row(
                    "", "", .rows, name, "\(a.rows.count)", "\(b.rows.count)",
                    Numbers.delta(Double(b.rows.count - a.rows.count))))
        }
        let indexName = b.header.first ?? "row"
        let common = b.header.dropFirst().filter { a.header.contains($0) }
        let onlyOld = a.header.dropFirst().filter { !b.header.contains($0) }
        let onlyNew = b.header.dropFirst().filter { !a.header.contains($0) }
        if !onlyOld.isEmpty || !onlyNew.isEmpty {
            rows.append(
                row(
                    "", "", .columns, name, onlyOld.joined(separator: " "), onlyNew.joined(separator: " "),
                    "columns only on one side"))
        }
        let n = min(a.rows.count, b.rows.count)
        for col in common {
            let ca = a.column(col)!
            let cb = b.column(col)!
            var first: String?
            var maxAbs = 0.0
            var maxAbsAt = ""
            var maxRel = 0.0
            var maxRelAt = ""
            var textOnly = false
            if Differ.isLabelColumn(col) {
                let differing = (0..<n).filter { a.rows[$0][ca] != b.rows[$0][cb] }
                guard let i = differing.first else { continue }
                rows.append(
                    row(
                        "", "", .series, "\(name):\(col)", "", "",
                        "first differs at \(indexName) \(b.rows[i][0]); \(differing.count) of \(n) labels differ"))
                continue
            }
            for i in 0..<n {
                let (s, t) = (a.rows[i][ca], b.rows[i][cb])
                if s == t { continue }
                let at = "\(indexName) \(b.rows[i][0])"
                guard let x = CSVDocument.number(s), let y = CSVDocument.number(t) else {
                    first = first ?? at
                    textOnly = true
                    continue
                }
                if Numbers.equal(x, y, tolerance) { continue }
                first = first ?? at
                let d = abs(y - x)
                let rel = Numbers.relative(x, y)
                if d > maxAbs || maxAbsAt.isEmpty {
                    maxAbs = d
                    maxAbsAt = at
                }
                if rel > maxRel || maxRelAt.isEmpty {
                    maxRel = rel
                    maxRelAt = at
                }
            }
            guard let first else { continue }
            var detail = "first differs at \(first)"
            if !maxAbsAt.isEmpty {
                detail +=
                    "; max abs \(NumberFormat.significant(maxAbs, digits: 4)) at \(maxAbsAt); max rel \(Numbers.percent(maxRel)) at \(maxRelAt)"
            } else if textOnly {
                detail += " (text)"
            }
            rows.append(row("", "", .series, "\(name):\(col)", "", "", detail))
        }
        return rows
    }
}

/// Number comparison and formatting for diffs.
enum Numbers {
    /// Equal when both are NaN, both the same infinity, or |a − b| ≤ tolerance · max(|a|, |b|).
    static func equal(_ a: Double, _ b: Double, _ tolerance: Double) -> Bool {
        if a.isNaN || b.isNaN { return a.isNaN && b.isNaN }
        if a == b { return true }
        if a.isInfinite || b.isInfinite { return false }
        return abs(a - b) <= tolerance * max(abs(a), abs(b))
    }

    static func relative(_ a: Double, _ b: Double) -> Double {
        let m = max(abs(a), abs(b))
        return m == 0 || !m.isFinite ? (a == b ? 0 : .infinity) : abs(a - b) / m
    }

    /// A signed change with six significant digits (`+0.0025`, `-3`).
    static func delta(_ d: Double) -> String {
        guard d.isFinite else { return d.isNaN ? "nan" : (d > 0 ? "+inf" : "-inf") }
        let s = NumberFormat.significant(d, digits: 6)
        return d > 0 ? "+" + s : s
    }

    static func percent(_ r: Double) -> String {
        r.isFinite ? NumberFormat.significant(r * 100, digits: 3) + "%" : "inf"
    }
}
