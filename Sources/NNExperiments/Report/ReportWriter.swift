import Foundation

/// `nnexp report`: reads `results/<experiment>/` and writes `cells.csv`, `report.html` and
/// `charts/*.svg` beside it.
public enum ReportWriter {
    /// What `write` produced.
    public struct Output: Sendable {
        /// The `report.html` written.
        public var htmlPath: String
        /// Every chart file written.
        public var chartPaths: [String]
    }

    /// Writes the report of one experiment folder (first bringing `summary.csv`'s `flag` and `best`
    /// columns up to date from the folder: `Summary.refresh`), under the experiment lock (`ExperimentLock`), each
    /// file to a temporary name, flushed and renamed into place. Stale `.svg` files in `charts/` (from
    /// runs or axes that no longer exist) are removed, so the folder always matches the page.
    @discardableResult
    public static func write(experimentDirectory dir: String, logScale: LogScale = .auto) throws -> Output {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: dir, isDirectory: &isDir), isDir.boolValue else {
            throw ResultsReadError(path: dir, message: "no such results folder")
        }
        return try ExperimentLock.withLock(dir) {
            try writeHoldingLock(experimentDirectory: dir, logScale: logScale, refreshSummary: true)
        }
    }

    /// `write` for a caller that holds the experiment lock.
    static func writeHoldingLock(
        experimentDirectory dir: String, logScale: LogScale = .auto, refreshSummary: Bool = false
    ) throws -> Output {
        if refreshSummary { try Summary.refresh(experimentDirectory: dir) }
        let results = try ResultsReader.read(experimentDirectory: dir)
        let (charts, notes) = Charts.make(results, logScale: logScale)
        let html = HTMLReport.page(results, charts: charts, notes: notes)
        let fm = FileManager.default
        let chartDir = (dir as NSString).appendingPathComponent("charts")
        do {
            try fm.createDirectory(atPath: chartDir, withIntermediateDirectories: true)
            let keep = Set(charts.map(\.file))
            // Also temporary files of a writer killed mid-write (written only under the lock held now).
            for f in (try? fm.contentsOfDirectory(atPath: chartDir)) ?? []
            where (f.hasSuffix(".svg") && !keep.contains(f)) || f.hasPrefix(".tmp-file-") {
                try fm.removeItem(atPath: (chartDir as NSString).appendingPathComponent(f))
            }
            var paths: [String] = []
            for c in charts {
                let p = (chartDir as NSString).appendingPathComponent(c.file)
                try DurableFiles.replace(
                    p, with: Array(("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + c.svg + "\n").utf8))
                paths.append(p)
            }
            try DurableFiles.replace(
                (dir as NSString).appendingPathComponent("cells.csv"), with: Array(CellsFile.table(results).text.utf8))
            let htmlPath = (dir as NSString).appendingPathComponent("report.html")
            try DurableFiles.replace(htmlPath, with: Array(html.utf8))
            return Output(htmlPath: htmlPath, chartPaths: paths)
        } catch let e as ResultsReadError {
            throw e
        } catch {
            throw ResultsReadError(path: dir, message: "cannot write the report: \(ErrorText.reason(error))")
        }
    }
}
