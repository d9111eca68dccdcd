/// Output formats of `nnexp diff`.
public enum DiffFormat: String, Sendable, CaseIterable {
    case text, csv, markdown
}

/// Renders a `DiffReport`: aligned text for terminals (colour only when asked, i.e. on a TTY), CSV for
/// scripts and a Markdown table for pull-request comments.
public enum DiffFormatter {
    /// `summary`: one line per run (text and Markdown), metric changes only.
    public static func render(_ r: DiffReport, format: DiffFormat, colour: Bool = false, summary: Bool = false)
        -> String
    {
        if summary && format != .csv { return runLines(r, markdown: format == .markdown) }
        switch format {
        case .text: return text(r, colour: colour)
        case .csv: return csv(r)
        case .markdown: return markdown(r)
        }
    }

    /// A metric row as the terminal table shows numbers (accuracies in %, changes in percentage
    /// points; costs to four significant digits); other rows unchanged. CSV keeps the full values.
    static func readable(_ row: DiffRow) -> DiffRow {
        guard row.kind == .metric, let x = Double(row.old), let y = Double(row.new) else { return row }
        var r = row
        r.old = TableNumbers.value(x, metric: row.item)
        r.new = TableNumbers.value(y, metric: row.item)
        r.change = change(x, y, metric: row.item)
        return r
    }

    static func change(_ x: Double, _ y: Double, metric: String) -> String {
        let d = y - x
        guard d.isFinite else { return d.isNaN ? "" : (d > 0 ? "+inf" : "-inf") }
        if metric.hasSuffix("_accuracy") {
            return (d >= 0 ? "+" : "") + NumberFormat.fixed(d * 100, decimals: 1) + " pp"
        }
        let s = TableNumbers.value(d, metric: metric)
        return d > 0 ? "+" + s : s
    }

    /// `--summary`: runs added and removed, and for each changed run one line of metric changes
    /// and what else changed (config keys, series, confusion matrices, files).
    static func runLines(_ r: DiffReport, markdown: Bool) -> String {
        var out = ""
        var keys: [String] = []
        var byRun: [String: [DiffRow]] = [:]
        for row in r.rows {
            let k = row.experiment + "/" + row.run
            if byRun[k] == nil { keys.append(k) }
            byRun[k, default: []].append(row)
        }
        for k in keys {
            let rows = byRun[k]!
            let first = rows[0]
            let name = first.run.isEmpty ? first.experiment : k
            var line: String
            switch first.kind {
            case .experimentAdded: line = "+ \(name) (experiment added, \(first.change))"
            case .experimentRemoved: line = "- \(name) (experiment removed, \(first.change))"
            case .runAdded: line = "+ \(name) (run added)"
            case .runRemoved: line = "- \(name) (run removed)"
            default:
                let metrics = rows.filter { $0.kind == .metric }.map(readable).map { m in
                    "\(m.item.replacingOccurrences(of: "_", with: " ")) \(m.old) → \(m.new)"
                        + (m.change.isEmpty ? "" : " (\(m.change))")
                }
                var other: [String] = []
                for (kind, word) in [
                    (DiffRow.Kind.config, "config key"), (.series, "series"), (.confusion, "confusion matrix"),
                    (.rows, "row count"),
                    (.columns, "column set"), (.file, "file"), (.fileAdded, "file added"),
                    (.fileRemoved, "file removed")
                ] {
                    let n = Set(
                        rows.filter { $0.kind == kind }.map {
                            kind == .confusion ? String($0.item.split(separator: " ").first ?? "") : $0.item
                        }
                    ).count
                    if n > 0 {
                        other.append(
                            "\(n) \(word)\(n == 1 || word == "series" ? "" : (word.hasSuffix("x") ? "es" : "s"))")
                    }
                }
                line = "~ \(name): " + (metrics.isEmpty ? "no metric changed" : metrics.joined(separator: ", "))
                if !other.isEmpty { line += "; " + other.joined(separator: ", ") + " changed" }
            }
            out += (markdown ? "- " : "") + line + "\n"
        }
        return out + (markdown ? "\n**" + r.summary + "**\n" : r.summary + "\n")
    }

    static func text(_ r: DiffReport, colour: Bool) -> String {
        var r = r
        r.rows = r.rows.map(readable)
        func paint(_ s: String, _ code: String) -> String { colour ? "\u{1B}[\(code)m\(s)\u{1B}[0m" : s }
        let detail = r.rows.filter { ![.experimentAdded, .experimentRemoved, .runAdded, .runRemoved].contains($0.kind) }
        let wKind = detail.map(\.kind.rawValue.count).max() ?? 0
        let wItem = detail.map(\.item.count).max() ?? 0
        let wOld = detail.map(\.old.count).max() ?? 0
        let wNew = detail.map(\.new.count).max() ?? 0
        func pad(_ s: String, _ w: Int) -> String { s + String(repeating: " ", count: max(0, w - s.count)) }
        var out = ""
        var lastExperiment: String?
        var lastRun: String?
        for row in r.rows {
            if row.experiment != lastExperiment, !row.experiment.isEmpty {
                lastExperiment = row.experiment
                lastRun = nil
                switch row.kind {
                case .experimentAdded:
                    out += paint("+ \(row.experiment)", "32") + "  (experiment added, \(row.change))\n"
                    continue
                case .experimentRemoved:
                    out += paint("- \(row.experiment)", "31") + "  (experiment removed, \(row.change))\n"
                    continue
                default: out += paint(row.experiment, "1") + "\n"
                }
            }
            switch row.kind {
            case .runAdded:
                out += "  " + paint("+ \(row.run)", "32") + "  (run added)\n"
                continue
            case .runRemoved:
                out += "  " + paint("- \(row.run)", "31") + "  (run removed)\n"
                continue
            default: break
            }
            if row.run != lastRun, !row.run.isEmpty {
                lastRun = row.run
                out += "  " + paint("~ \(row.run)", "33") + "\n"
            }
            var line = (row.run.isEmpty ? "" : "      ") + pad(row.kind.rawValue, wKind) + "  " + pad(row.item, wItem)
            // Rows without old/new values (series) put their description straight after the item.
            if !row.old.isEmpty || !row.new.isEmpty { line += "  " + pad(row.old, wOld) + " → " + pad(row.new, wNew) }
            if !row.change.isEmpty { line += "  " + row.change }
            while line.hasSuffix(" ") { line.removeLast() }
            out += line + "\n"
        }
        return out + r.summary + "\n"
    }

    static func csv(_ r: DiffReport) -> String {
        var t = CSVTable(header: ["experiment", "run", "kind", "item", "old", "new", "change"])
        for row in r.rows {
            t.append([row.experiment, row.run, row.kind.rawValue, row.item, row.old, row.new, row.change])
        }
        return t.text
    }

    static func markdown(_ r: DiffReport) -> String {
        var r = r
        r.rows = r.rows.map(readable)
        func cell(_ s: String) -> String { s.replacingOccurrences(of: "|", with: "\\|") }
        var out = ""
        if r.hasDifferences {
            out +=
                "| experiment | run | kind | item | old | new | change |\n| --- | --- | --- | --- | --- | --- | --- |\n"
            for row in r.rows {
                out +=
                    "| "
                    + [row.experiment, row.run, row.kind.rawValue, row.item, row.old, row.new, row.change].map(cell)
                    .joined(separator: " | ") + " |\n"
            }
            out += "\n"
        }
        return out + "**" + r.summary + "**\n"
    }
}
