import ArgumentParser
import Foundation
import NNExperiments

extension LogScale: ExpressibleByArgument {}

struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write report.html and charts/*.svg for experiment results folders.",
        discussion: """
            Reads only the result files (summary.csv, the run folders, spec.yaml when present) and writes \
            cells.csv, one self-contained page, results/<experiment>/report.html, plus each chart as a \
            standalone .svg file in results/<experiment>/charts/, then the overview results/index.html. \
            summary.csv gets its flag and best columns brought up to date from the folder (run folders it \
            does not list are added as orphaned). Same results, same bytes. See docs/report.md.

            Example:
              nnexp report results/xor
              nnexp report results/* --log-scale always
            """)

    @Argument(help: "Experiment results folders (results/<experiment>).")
    var folders: [String]

    @Option(help: "Cost axes on a log scale: auto (when values span more than two decades), always or never.")
    var logScale: LogScale = .auto

    @Option(
        name: .customLong("print"),
        help: "Also print each folder's leaderboard (as `nnexp run` ends): table, csv or markdown.")
    var printFormat: Leaderboard.Format?

    func run() throws {
        var failed = false
        for f in folders {
            do {
                let out = try ReportWriter.write(experimentDirectory: f, logScale: logScale)
                print("\(out.htmlPath) (\(out.chartPaths.count) chart\(out.chartPaths.count == 1 ? "" : "s"))")
                if let format = printFormat {
                    print(
                        Leaderboard.render(
                            try ResultsReader.read(experimentDirectory: f), format: format,
                            width: TerminalWidth.of(STDOUT_FILENO)), terminator: "")
                }
            } catch {
                FileHandle.standardError.write(Data("error: \(error)\n".utf8))
                failed = true
            }
        }
        // The overview of each results root the folders are in.
        for root in Set(folders.map { ((($0 as NSString).standardizingPath) as NSString).deletingLastPathComponent })
            .sorted()
        {
            do { print(try Overview.write(resultsRoot: root.isEmpty ? "." : root)) } catch {
                FileHandle.standardError.write(Data("error: \(error)\n".utf8))
                failed = true
            }
        }
        if failed { throw ExitCode(ExitStatus.ioError) }
    }
}
