/// Output formats of `nnexp diff`.
public enum DiffFormat: String, Sendable, CaseIterable {
    case text, csv, markdown
}

/// Renders a `DiffReport`: aligned text for terminals (colour only when asked, i.e. on a TTY), CSV for
/// scripts and a Markdown table for pull-request comments.
public enum DiffFormatter {
    public static func render(_ r: DiffReport, format: DiffFormat, colour: Bool = false) -> String {
        switch format {
        case .text: return text(r, colour: colour)
        case .csv: return csv(r)
        case .markdown: return markdown(r)
        }
    }

    static func text(_ r: DiffReport, colour: Bool) -> String {
        func paint(_ s: String, _ code: String) -> String { colour ? "\u{1B}[\(code)m\(s)\u{1B}[0m" : s }
        let detail = r.rows.filter { ![.experimentAdded, .experimentRemoved, .runAdded, .runRemoved].contains($0.kind) }
        let wKind = detail.map(\.kind.rawValue.count).max() ?? 0
        let wItem = detail.map(\.item.count).max() ?? 0
        let wOld = detail.map(\.old.count).max() ?? 0
        let wNew = detail.map(\.new.count).max() ?? 0
        func pad(_ s: String, _ w: Int) -> String { s + String(repeating: " ", count: max(0, w - s.count)) }
        var out = ""
        var lastExperiment: String?, lastRun: String?
        for row in r.rows {
            if row.experiment != lastExperiment, !row.experiment.isEmpty {
                lastExperiment = row.experiment; lastRun = nil
                switch row.kind {
                case .experimentAdded: out += paint("+ \(row.experiment)", "32") + "  (experiment added, \(row.change))\n"; continue
                case .experimentRemoved: out += paint("- \(row.experiment)", "31") + "  (experiment removed, \(row.change))\n"; continue
                default: out += paint(row.experiment, "1") + "\n"
                }
            }
            switch row.kind {
            case .runAdded: out += "  " + paint("+ \(row.run)", "32") + "  (run added)\n"; continue
            case .runRemoved: out += "  " + paint("- \(row.run)", "31") + "  (run removed)\n"; continue
            default: break
            }
            if row.run != lastRun, !row.run.isEmpty { lastRun = row.run; out += "  " + paint("~ \(row.run)", "33") + "\n" }
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
        for row in r.rows { t.append([row.experiment, row.run, row.kind.rawValue, row.item, row.old, row.new, row.change]) }
        return t.text
    }

    static func markdown(_ r: DiffReport) -> String {
        func cell(_ s: String) -> String { s.replacingOccurrences(of: "|", with: "\\|") }
        var out = ""
        if r.hasDifferences {
            out += "| experiment | run | kind | item | old | new | change |\n| --- | --- | --- | --- | --- | --- | --- |\n"
            for row in r.rows {
                out += "| " + [row.experiment, row.run, row.kind.rawValue, row.item, row.old, row.new, row.change].map(cell).joined(separator: " | ") + " |\n"
            }
            out += "\n"
        }
        return out + "**" + r.summary + "**\n"
    }
}
