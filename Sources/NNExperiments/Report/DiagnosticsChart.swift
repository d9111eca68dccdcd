/// One row of a run's `diagnostics.csv` (docs/results.md#diagnosticscsv), as the report reads it.
public struct DiagnosticsRow: Sendable, Equatable {
    /// The epoch (1-based, as written).
    public var epoch: Double
    /// The weight layer, from 1.
    public var layer: Int
    /// Mean ‖∂cost/∂W‖₂ over the epoch's steps.
    public var gradientNorm: Double
    /// nil where the file's field is empty (the share does not apply to the layer).
    public var deadShare: Double?
    /// Share of saturated units (sigmoid/tanh hidden layers).
    public var saturatedShare: Double?
}

/// The training-diagnostics charts (`outputs.diagnostics`): per run, the gradient norm of every layer
/// over the epochs on a log axis — vanishing gradients show as the first layers' lines lying decades
/// below the last ones' — and the share of dead (relu family) or saturated (sigmoid/tanh) hidden units.
/// Kept apart from Charts.swift so the report's other charts can change without touching it.
enum DiagnosticsCharts {
    /// Runs drawn at most (in run order); the page says when some are left out.
    static let runLimit = 12

    /// Reads `diagnostics.csv`.
    static func read(_ c: CSVDocument, path: String) throws -> [DiagnosticsRow] {
        guard let e = c.column("epoch"), let l = c.column("layer"), let g = c.column("gradient_norm"),
            let d = c.column("dead_share"), let s = c.column("saturated_share")
        else {
            throw ResultsReadError(
                path: path, message: "expected the columns `epoch,layer,gradient_norm,dead_share,saturated_share`")
        }
        return try c.rows.enumerated().map { n, row in
            guard let epoch = CSVDocument.number(row[e]), let layer = Int(row[l]), layer >= 1,
                let grad = CSVDocument.number(row[g])
            else {
                throw ResultsReadError(
                    path: path, message: "line \(n + 2): epoch, layer and gradient_norm must be numbers")
            }
            func share(_ col: Int) throws -> Double? {
                if row[col].isEmpty { return nil }
                guard let v = CSVDocument.number(row[col]) else {
                    throw ResultsReadError(path: path, message: "line \(n + 2): `\(row[col])` is not a share")
                }
                return v
            }
            return DiagnosticsRow(
                epoch: epoch, layer: layer, gradientNorm: grad, deadShare: try share(d), saturatedShare: try share(s))
        }
    }

    /// The charts of every run with diagnostics, through `add(section, file base, title, svg)`, and notes.
    static func make(_ e: ExperimentResults, add: (String, String, String, (String) -> String) -> Void) -> [String] {
        let runs = e.runs.filter { $0.diagnostics?.isEmpty == false }
        for r in runs.prefix(runLimit) {
            let rows = r.diagnostics!
            let layers = Array(Set(rows.map(\.layer))).sorted()
            // Gradient norms: one line per layer, positive values only (a log axis has no 0).
            let grad = layers.enumerated().map { i, l in
                LineSeries(
                    label: "layer \(l)",
                    points: rows.filter { $0.layer == l && $0.gradientNorm > 0 && $0.gradientNorm.isFinite }
                        .map { ($0.epoch, $0.gradientNorm) }, colour: Palette.colour(i), dash: Palette.dash(i))
            }.filter { !$0.points.isEmpty }
            if !grad.isEmpty {
                let title = "Gradient norm per layer — \(r.label)"
                add("Training diagnostics", "gradient-norm-\(r.name)", title) { id in
                    LineChart(
                        title: title, subtitle: "log scale; mean ‖∂cost/∂W‖ over each epoch's steps", xLabel: "epoch",
                        yLabel: "gradient norm", series: grad, yLog: true, id: id
                    ).svg()
                }
            }
            // Dead or saturated shares of the hidden layers that have one.
            var shares: [LineSeries] = []
            for (i, l) in layers.enumerated() {
                let dead = rows.filter { $0.layer == l }.compactMap { r in r.deadShare.map { (r.epoch, $0) } }
                let sat = rows.filter { $0.layer == l }.compactMap { r in r.saturatedShare.map { (r.epoch, $0) } }
                if !dead.isEmpty {
                    shares.append(
                        LineSeries(
                            label: "layer \(l) dead", points: dead, colour: Palette.colour(i), dash: Palette.dash(i)))
                }
                if !sat.isEmpty {
                    shares.append(
                        LineSeries(
                            label: "layer \(l) saturated", points: sat, colour: Palette.colour(i), dash: Palette.dash(i)
                        ))
                }
            }
            if !shares.isEmpty {
                let title = "Dead / saturated hidden units — \(r.label)"
                add("Training diagnostics", "unit-activity-\(r.name)", title) { id in
                    LineChart(
                        title: title, xLabel: "epoch", yLabel: "share of units", series: shares,
                        yRange: 0...1, yCap: 1, id: id
                    ).svg()
                }
            }
        }
        return runs.count > runLimit
            ? [
                "Training diagnostics are drawn for \(runLimit) of the \(runs.count) runs that recorded them (in run order)."
            ] : []
    }
}
