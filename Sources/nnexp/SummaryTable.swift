import ArgumentParser
import Foundation
import NNExperiments

extension Leaderboard.Format: ExpressibleByArgument {}

/// The leaderboard printed after a sweep (`Leaderboard`), one block per experiment, read back from
/// the experiment files just rebuilt, then where the results and the reports are.
enum SummaryTable {
    static func render(
        _ experiments: [Experiment], store: ResultStore, format: Leaderboard.Format, width: Int?, reports: Bool
    ) -> String {
        var blocks: [String] = []
        var csvHeaderDone = false
        for e in experiments {
            let dir = store.experimentDirectory(e.name)
            guard let results = try? ResultsReader.read(experimentDirectory: dir) else { continue }
            var text = Leaderboard.render(results, format: format, width: width)
            // One CSV document for all experiments: the header once.
            if format == .csv {
                if csvHeaderDone {
                    text = text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).dropFirst()
                        .joined()
                }
                csvHeaderDone = true
            }
            blocks.append(text)
        }
        if format == .csv { return blocks.joined() }
        var out = blocks.joined(separator: "\n")
        if format == .table {
            out +=
                "\n"
                + Leaderboard.wrap(
                    "results: \(experiments.map { store.experimentDirectory($0.name) + "/" }.joined(separator: " "))",
                    width)
            if reports {
                out += Leaderboard.wrap(
                    "report: \(experiments.map { (store.experimentDirectory($0.name) as NSString).appendingPathComponent("report.html") }.joined(separator: " "))",
                    width)
            }
        }
        return out
    }
}

/// The width of the terminal: `COLUMNS` when set to a positive number, else the size of the terminal
/// on `fd`, else nil (not a terminal: no limit).
enum TerminalWidth {
    static func of(_ fd: Int32) -> Int? {
        if let c = ProcessInfo.processInfo.environment["COLUMNS"].flatMap(Int.init), c > 0 { return c }
        guard isatty(fd) == 1 else { return nil }
        var size = winsize()
        guard ioctl(fd, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return nil }
        return Int(size.ws_col)
    }

    /// Whether `fd` is a terminal that understands cursor movement (not `TERM=dumb` or unset).
    static func isSmart(_ fd: Int32) -> Bool {
        let term = ProcessInfo.processInfo.environment["TERM"] ?? ""
        return isatty(fd) == 1 && !term.isEmpty && term != "dumb"
    }
}
