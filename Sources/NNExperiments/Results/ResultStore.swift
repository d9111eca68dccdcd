import Foundation

/// Where results live: `<root>/<experiment>/<run>/`. A run's files are written into a temporary
/// folder beside it and moved into place only when complete, so an interrupted sweep never leaves a
/// half-written run.
public struct ResultStore: Sendable {
    public var root: String
    public init(root: String) { self.root = root }

    public func experimentDirectory(_ experiment: String) -> String { (root as NSString).appendingPathComponent(experiment) }
    public func runDirectory(_ c: RunConfig) -> String { (experimentDirectory(c.experiment) as NSString).appendingPathComponent(c.runName) }

    /// Writes all files of a run atomically (as a folder) and the git-ignored log beside them.
    public func write(_ outcome: RunOutcome) throws {
        let fm = FileManager.default
        let final = runDirectory(outcome.config)
        let parent = experimentDirectory(outcome.config.experiment)
        try fm.createDirectory(atPath: parent, withIntermediateDirectories: true)
        let tmp = (parent as NSString).appendingPathComponent(".tmp-\(outcome.config.runName)-\(getpid())")
        try? fm.removeItem(atPath: tmp)
        try fm.createDirectory(atPath: tmp, withIntermediateDirectories: true)
        for (name, bytes) in outcome.files {
            try Data(bytes).write(to: URL(fileURLWithPath: (tmp as NSString).appendingPathComponent(name)))
        }
        if !outcome.log.isEmpty {
            try Data((outcome.log.joined(separator: "\n") + "\n").utf8)
                .write(to: URL(fileURLWithPath: (tmp as NSString).appendingPathComponent("run.log")))
        }
        // The old folder is moved aside before the new one moves in, so that at every instant the run
        // folder is either the old complete run or the new complete run.
        let old = (parent as NSString).appendingPathComponent(".tmp-old-\(outcome.config.runName)-\(getpid())")
        if fm.fileExists(atPath: final) { try? fm.removeItem(atPath: old); try fm.moveItem(atPath: final, toPath: old) }
        try fm.moveItem(atPath: tmp, toPath: final)
        try? fm.removeItem(atPath: old)
    }

    /// Writes a text file at the experiment level (summary.csv, report.html) atomically.
    public func writeExperimentFile(_ experiment: String, name: String, contents: [UInt8]) throws {
        let dir = experimentDirectory(experiment)
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let path = (dir as NSString).appendingPathComponent(name)
        try Data(contents).write(to: URL(fileURLWithPath: path), options: .atomic)
    }

    /// Removes the temporary folders (`.tmp-<run>-<pid>`, `.tmp-old-<run>-<pid>`) that a killed process
    /// left for these runs. Only the runs about to train: other processes (shards of a sweep, see
    /// `Shard`) may be writing other runs of the same experiment right now.
    public func removeLeftovers(of runs: [RunConfig]) {
        let fm = FileManager.default
        for (experiment, group) in Dictionary(grouping: runs, by: \.experiment) {
            let dir = experimentDirectory(experiment)
            let names = Set(group.map(\.runName))
            for entry in (try? fm.contentsOfDirectory(atPath: dir)) ?? [] where Self.leftoverRun(entry).contains(where: names.contains) {
                try? fm.removeItem(atPath: (dir as NSString).appendingPathComponent(entry))
            }
        }
    }

    /// The run a temporary folder name belongs to: `.tmp-old-RUN-PID` or `.tmp-RUN-PID` → RUN.
    static func leftoverRun(_ entry: String) -> [String] {
        guard entry.hasPrefix(".tmp-"), let dash = entry.lastIndex(of: "-"),
              !entry[entry.index(after: dash)...].isEmpty, entry[entry.index(after: dash)...].allSatisfy(\.isNumber) else { return [] }
        let body = String(entry[entry.index(entry.startIndex, offsetBy: 5)..<dash])
        // `.tmp-old-x-1` is the old copy of run `x` or the new copy of a run named `old-x`.
        return body.hasPrefix("old-") ? [body, String(body.dropFirst(4))] : [body]
    }

    /// What the results folder holds for a run: nothing, something incomplete or stale, or a finished
    /// run with the same resolved config (its metrics as name → value).
    public func stored(_ c: RunConfig) -> StoredRun {
        let dir = runDirectory(c)
        let fm = FileManager.default
        guard fm.fileExists(atPath: dir) else { return .missing }
        guard let config = try? String(contentsOfFile: (dir as NSString).appendingPathComponent("config.yaml"), encoding: .utf8),
              let metricsText = try? String(contentsOfFile: (dir as NSString).appendingPathComponent("metrics.csv"), encoding: .utf8),
              let metrics = MetricsFile.parse(metricsText), let status = metrics["status"] else { return .incomplete }
        if config != c.canonicalYAML { return .changed }
        return .finished(status: status, metrics: metrics)
    }
}

public enum StoredRun: Equatable, Sendable {
    case missing
    /// A folder without a readable config.yaml and metrics.csv.
    case incomplete
    /// A finished run of a different resolved config (the spec or nnexp changed since).
    case changed
    case finished(status: String, metrics: [String: String])
}

/// Reads `metrics.csv` (two columns, `metric,value`, fields quoted as `CSVTable` writes them).
enum MetricsFile {
    static func parse(_ text: String) -> [String: String]? {
        let rows = CSVReader.rows(text)
        guard rows.first == ["metric", "value"] else { return nil }
        var out: [String: String] = [:]
        for r in rows.dropFirst() where r.count == 2 { out[r[0]] = r[1] }
        return out
    }
}

/// The inverse of `CSVTable`: fields separated by commas, optionally double-quoted with `""` escapes.
enum CSVReader {
    static func rows(_ text: String) -> [[String]] {
        var rows: [[String]] = [], row: [String] = [], field = ""
        var quoted = false, wasQuoted = false
        var it = Array(text).makeIterator()
        var pending: Character? = nil
        while let ch = pending ?? it.next() {
            pending = nil
            if quoted {
                if ch == "\"" {
                    if let next = it.next() { if next == "\"" { field.append("\"") } else { quoted = false; pending = next } }
                    else { quoted = false }
                } else { field.append(ch) }
                continue
            }
            switch ch {
            case "\"" where field.isEmpty && !wasQuoted: quoted = true; wasQuoted = true
            case ",": row.append(field); field = ""; wasQuoted = false
            case "\n": row.append(field); rows.append(row); row = []; field = ""; wasQuoted = false
            default: field.append(ch)
            }
        }
        if !field.isEmpty || !row.isEmpty { row.append(field); rows.append(row) }
        return rows
    }
}
