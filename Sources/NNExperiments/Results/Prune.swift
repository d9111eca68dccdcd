import Foundation

/// `nnexp prune RESULTS/EXPERIMENT`: the run folders the experiment files mark as left over, and
/// their removal. What counts comes from `summary.csv` (rebuilt from the spec on every run):
/// rows flagged `stale` (made by another version of the spec) or `orphaned` (the spec no longer
/// makes them), and run folders it does not list at all.
public enum Prune {
    /// A run folder to remove and why.
    public struct Candidate: Sendable, Equatable {
        /// The run folder's name.
        public var run: String
        /// `stale` or `orphaned`.
        public var reason: String
    }

    /// The left-over runs of an experiment folder, in name order. A folder without `summary.csv`
    /// is an error: without it nothing says which runs the spec makes.
    public static func candidates(experimentDirectory dir: String) throws -> [Candidate] {
        let summaryPath = (dir as NSString).appendingPathComponent("summary.csv")
        guard let bytes = ResultsReader.readBytes(summaryPath) else {
            throw ResultsReadError(
                path: dir,
                message:
                    "no summary.csv, so nothing says which runs the spec makes (run the spec with `nnexp run` first)")
        }
        let doc = try CSVDocument.parse(bytes, path: summaryPath)
        guard doc.header.first == "run" else {
            throw ResultsReadError(path: summaryPath, message: "expected a header starting `run,`")
        }
        let flagCol = doc.column("flag")
        var out: [Candidate] = []
        var listed = Set<String>()
        for row in doc.rows {
            listed.insert(row[0])
            if let f = flagCol, row[f] == "stale" || row[f] == "orphaned", runFolderExists(dir, row[0]) {
                out.append(Candidate(run: row[0], reason: row[f]))
            }
        }
        let fm = FileManager.default
        for name in (try? fm.contentsOfDirectory(atPath: dir)) ?? []
        where !name.hasPrefix(".") && !listed.contains(name) && runFolderExists(dir, name) {
            out.append(Candidate(run: name, reason: "orphaned"))
        }
        return out.sorted { $0.run < $1.run }
    }

    static func runFolderExists(_ dir: String, _ name: String) -> Bool {
        var isDir: ObjCBool = false
        let p = (dir as NSString).appendingPathComponent(name)
        return FileManager.default.fileExists(atPath: p, isDirectory: &isDir) && isDir.boolValue
            && FileManager.default.fileExists(atPath: (p as NSString).appendingPathComponent("metrics.csv"))
    }

    /// Deletes the left-over runs under the experiment lock, then brings the experiment files up to
    /// date: orphaned rows leave `summary.csv`, stale rows become `not-run`; `cells.csv` and (when
    /// present) the report are rebuilt. Returns what was deleted.
    @discardableResult
    public static func delete(experimentDirectory dir: String) throws -> [Candidate] {
        try ExperimentLock.withLock(dir) {
            let gone = try candidates(experimentDirectory: dir)
            guard !gone.isEmpty else { return [] }
            for c in gone {
                do { try FileManager.default.removeItem(atPath: (dir as NSString).appendingPathComponent(c.run)) } catch
                {
                    throw ResultsReadError(
                        path: (dir as NSString).appendingPathComponent(c.run),
                        message: "cannot delete: \(ErrorText.reason(error))")
                }
            }
            let summaryPath = (dir as NSString).appendingPathComponent("summary.csv")
            let doc = try CSVDocument.parse(ResultsReader.readBytes(summaryPath) ?? [], path: summaryPath)
            let status = doc.column("status")
            let flag = doc.column("flag")
            let deleted = Dictionary(uniqueKeysWithValues: gone.map { ($0.run, $0.reason) })
            var t = CSVTable(header: doc.header)
            for row in doc.rows {
                switch deleted[row[0]] {
                case "orphaned": continue
                case "stale":
                    var r = row
                    if let s = status {
                        for i in s..<r.count { r[i] = "" }
                        r[s] = "not-run"
                    }
                    if let f = flag { r[f] = "" }
                    t.append(r)
                default: t.append(row)
                }
            }
            try DurableFiles.replace(summaryPath, with: Array(t.text.utf8))
            let results = try ResultsReader.read(experimentDirectory: dir)
            try DurableFiles.replace(
                (dir as NSString).appendingPathComponent("cells.csv"), with: Array(CellsFile.table(results).text.utf8))
            if FileManager.default.fileExists(atPath: (dir as NSString).appendingPathComponent("report.html")) {
                _ = try ReportWriter.writeHoldingLock(experimentDirectory: dir)
            }
            return gone
        }
    }
}
