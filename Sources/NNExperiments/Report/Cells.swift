import Foundation

/// Count, mean, sample standard deviation (n − 1 in the denominator; nil for one value), minimum and
/// maximum of a metric over the seeds of a cell.
public struct MetricStats: Sendable, Equatable {
    /// Number of finite values.
    public var n: Int
    /// Their mean.
    public var mean: Double
    /// Their sample standard deviation (n − 1); nil for one value.
    public var sd: Double?
    /// The smallest value.
    public var min: Double
    /// The largest value.
    public var max: Double

    /// Statistics of the finite values; nil when there are none.
    public static func of(_ values: [Double]) -> MetricStats? {
        let v = values.filter(\.isFinite)
        guard let lo = v.min(), let hi = v.max() else { return nil }
        let mean = v.reduce(0, +) / Double(v.count)
        // Two passes (mean first) rather than Σx² − n·mean², which cancels badly for close values.
        let sd =
            v.count > 1 ? (v.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(v.count - 1)).squareRoot() : nil
        return MetricStats(n: v.count, mean: mean, sd: sd, min: lo, max: hi)
    }
}

/// Runs that differ only in `seed` (any swept key whose last part is `seed`): one setting of the
/// sweep, repeated over seeds.
public struct Cell: Sendable {
    /// The non-seed axis values, in axis order.
    public var axisValues: [(key: String, value: String)]
    /// Indices into `ExperimentResults.runs` of the cell's runs (stale and orphaned runs excluded).
    public var runs: [Int]
    /// Runs that count (completed): the `n` of every statistic.
    public var completed: Int
    /// Statistics of every final metric over the completed runs, by `metrics.csv` name.
    public var stats: [String: MetricStats]

    /// `activation=relu, hidden=[10]`, or `all runs` for an experiment without non-seed axes.
    public var label: String {
        axisValues.isEmpty
            ? "all runs" : axisValues.map { "\(Cell.shortKey($0.key))=\($0.value)" }.joined(separator: ", ")
    }

    static func shortKey(_ k: String) -> String { k.split(separator: ".").last.map(String.init) ?? k }

    /// Whether a swept key is a seed (aggregated over, never a setting).
    public static func isSeed(_ axis: String) -> Bool { axis.split(separator: ".").last == "seed" }

    /// Groups runs into cells in the order each cell's first run appears. Stale and orphaned runs
    /// belong to no cell.
    public static func group(_ runs: [RunResults], axes: [String]) -> [Cell] {
        let settingAxes = axes.filter { !isSeed($0) }
        var cells: [Cell] = []
        var index: [[String]: Int] = [:]
        for (i, r) in runs.enumerated() where r.flag == nil {
            let values = settingAxes.map { a in r.axisValues.first { $0.key == a }?.value ?? "" }
            if let c = index[values] {
                cells[c].runs.append(i)
            } else {
                index[values] = cells.count
                cells.append(
                    Cell(axisValues: zip(settingAxes, values).map { ($0, $1) }, runs: [i], completed: 0, stats: [:]))
            }
        }
        for c in cells.indices {
            let counted = cells[c].runs.map { runs[$0] }.filter(\.counts)
            cells[c].completed = counted.count
            let names = Set(counted.flatMap { $0.metrics.keys })
            for m in names { cells[c].stats[m] = MetricStats.of(counted.compactMap { $0.metrics[m] }) }
        }
        return cells
    }
}

/// `cells.csv`: one row per cell (docs/results.md): the non-seed axis values, `runs`, `n`, `best`,
/// then `<metric>_mean`, `_sd`, `_min`, `_max` for every final metric any run recorded.
public enum CellsFile {
    /// Final metrics in a fixed order (the known ones first, then any other in name order).
    public static func metricNames(_ e: ExperimentResults) -> [String] {
        let perSplit = ["cost", "accuracy", "rmse", "mae", "r2"]
        let known =
            ["final_cost"] + ["train", "validation", "test"].flatMap { s in perSplit.map { "\(s)_\($0)" } }
            + ["epochs", "best_epoch", "iterations"]
        let present = Set(e.runs.filter(\.counts).flatMap { $0.metrics.keys })
        return known.filter(present.contains) + present.subtracting(known).sorted()
    }

    /// `cells.csv`: one row per cell, the non-seed axes, then each metric's mean, sd, min, max and n.
    public static func table(_ e: ExperimentResults) -> CSVTable {
        let cells = e.cells
        let axes = e.axes.filter { !Cell.isSeed($0) }
        let metrics = metricNames(e)
        var t = CSVTable(
            header: axes + ["runs", "n", "best", "selected_on"]
                + metrics.flatMap { ["\($0)_mean", "\($0)_sd", "\($0)_min", "\($0)_max"] })
        let best = e.bestCellIndex
        let selectedOn = e.selection.map { $0.metric + ($0.onTrainingData ? " (training data)" : "") } ?? ""
        for (i, c) in cells.enumerated() {
            var row =
                c.axisValues.map(\.value) + ["\(c.runs.count)", "\(c.completed)", i == best ? "yes" : "", selectedOn]
            for m in metrics {
                if let s = c.stats[m] {
                    row += [
                        NumberFormat.shortest(s.mean), s.sd.map(NumberFormat.shortest) ?? "",
                        NumberFormat.shortest(s.min), NumberFormat.shortest(s.max)
                    ]
                } else {
                    row += ["", "", "", ""]
                }
            }
            t.append(row)
        }
        return t
    }
}
