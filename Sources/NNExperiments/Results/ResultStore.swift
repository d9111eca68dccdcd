import Foundation

/// Where results live: `<root>/<experiment>/<run>/`. A run's files are written into a temporary
/// folder beside it and moved into place only when complete, so an interrupted sweep never leaves a
/// half-written run.
public struct ResultStore: Sendable {
    /// The results root (`results` by default in the CLI).
    public var root: String
    /// A store under `root`.
    public init(root: String) { self.root = root }

    /// `<root>/<experiment>`.
    public func experimentDirectory(_ experiment: String) -> String {
        (root as NSString).appendingPathComponent(experiment)
    }
    /// `<root>/<experiment>/<run>` for a run.
    public func runDirectory(_ c: RunConfig) -> String {
        (experimentDirectory(c.experiment) as NSString).appendingPathComponent(c.runName)
    }

    /// Writes all files of a run atomically (as a folder) and the git-ignored log beside them.
    ///
    /// The files go into `.tmp-<run>-<token>` (the token of the writer's claim), which is moved into
    /// place under the experiment lock; with `claims`, only while the claim with `token` still holds
    /// (a claim taken over as stale loses its write). A write that fails removes its temporary
    /// folder, so a full disk is not left fuller.
    public func write(_ outcome: RunOutcome, token: String = RunClaim.newToken(), claims: ClaimStore? = nil) throws {
        let fm = FileManager.default
        let run = outcome.config.runName
        let final = runDirectory(outcome.config)
        let parent = experimentDirectory(outcome.config.experiment)
        try DurableFiles.makeDirectory(parent)
        let tmp = (parent as NSString).appendingPathComponent(".tmp-\(run)-\(token)")
        do {
            try? fm.removeItem(atPath: tmp)
            try DurableFiles.makeDirectory(tmp)
            for (name, bytes) in outcome.files.sorted(by: { $0.key < $1.key }) {
                try DurableFiles.writeSynced(bytes, to: (tmp as NSString).appendingPathComponent(name))
            }
            if !outcome.log.isEmpty {
                try DurableFiles.writeSynced(
                    Array((outcome.log.joined(separator: "\n") + "\n").utf8),
                    to: (tmp as NSString).appendingPathComponent("run.log"))
            }
            // Last, once every file it lists is on disk.
            try DurableFiles.writeSynced(
                Manifest.make(outcome.files), to: (tmp as NSString).appendingPathComponent(Manifest.fileName))
            try DurableFiles.syncDirectory(tmp)
            try ExperimentLock.withLock(parent) {
                if let claims, !claims.holds(run, token: token) {
                    let now = claims.read(run).map { "; it is now held by \($0.who)" } ?? ""
                    throw IOFailure(
                        path: final, operation: "not replacing",
                        reason: "this process's claim on the run was taken over as stale\(now)")
                }
                // The old folder is moved aside before the new one moves in, so that at every instant the
                // run folder is either the old complete run or the new complete run.
                let old = (parent as NSString).appendingPathComponent(".old-\(run)-\(token)")
                let hadOld = fm.fileExists(atPath: final)
                if hadOld {
                    try? fm.removeItem(atPath: old)
                    guard rename(final, old) == 0 else {
                        throw IOFailure(path: final, operation: "cannot move aside", code: errno)
                    }
                }
                guard rename(tmp, final) == 0 else {
                    let code = errno
                    if hadOld { rename(old, final) }
                    throw IOFailure(path: final, operation: "cannot move into place", code: code)
                }
                try DurableFiles.syncDirectory(parent)
                try? fm.removeItem(atPath: old)
                // The run's checkpoint (if any) has served its purpose.
                CheckpointStore(experimentDirectory: parent).remove(run)
                claims?.release(run, token: token)
            }
        } catch {
            try? fm.removeItem(atPath: tmp)
            throw error
        }
    }

    /// Writes a file at the experiment level (summary.csv, report.html) atomically and durably.
    public func writeExperimentFile(_ experiment: String, name: String, contents: [UInt8]) throws {
        let dir = experimentDirectory(experiment)
        try DurableFiles.makeDirectory(dir)
        try DurableFiles.replace((dir as NSString).appendingPathComponent(name), with: contents)
    }

    /// Removes the temporary folders (`.tmp-<run>-<token>`, `.old-<run>-<token>`) and temporary files
    /// (`.tmp-file-<name>-<token>`) whose writer no longer holds a live claim: left by a process that was
    /// killed, or whose claim went stale. A temporary folder of a live claim is never touched. Call
    /// under the experiment lock (`ExperimentLock`), which every writer of these names holds while it
    /// creates or renames them.
    public func removeLeftovers(_ experiment: String, claims: ClaimStore) {
        let dir = experimentDirectory(experiment)
        let fm = FileManager.default
        for name in (try? fm.contentsOfDirectory(atPath: dir)) ?? [] {
            guard let (run, token) = Self.leftoverOwner(name) else { continue }
            if let c = claims.read(run), c.token == token, claims.liveness(c) == .live { continue }
            try? fm.removeItem(atPath: (dir as NSString).appendingPathComponent(name))
        }
    }

    /// (run, token) of a temporary name `.tmp-<run>-<token>` or `.old-<run>-<token>`; nil for any other name.
    static func leftoverOwner(_ name: String) -> (String, String)? {
        let prefix: String
        if name.hasPrefix(".tmp-") {
            prefix = ".tmp-"
        } else if name.hasPrefix(".old-") {
            prefix = ".old-"
        } else {
            return nil
        }
        let body = name.dropFirst(prefix.count)
        guard body.count > 17 else { return nil }
        let token = String(body.suffix(16))
        guard RunClaim.isToken(token), body.dropLast(16).last == "-" else { return nil }
        return (String(body.dropLast(17)), token)
    }

    /// What the results folder holds for a run: nothing, something damaged, incomplete or stale, or a
    /// finished run with the same resolved config (its metrics as name → value). The manifest is
    /// checked first: every file it lists must be present, of its size and SHA-256.
    public func stored(_ c: RunConfig) -> StoredRun {
        let dir = runDirectory(c)
        let fm = FileManager.default
        guard fm.fileExists(atPath: dir) else { return .missing }
        if let problem = Manifest.problem(in: dir) { return .damaged(problem) }
        guard
            let config = try? String(
                contentsOfFile: (dir as NSString).appendingPathComponent("config.yaml"), encoding: .utf8),
            let metricsText = try? String(
                contentsOfFile: (dir as NSString).appendingPathComponent("metrics.csv"), encoding: .utf8),
            let metrics = MetricsFile.parse(metricsText), let status = metrics["status"]
        else { return .incomplete }
        if config != c.canonicalYAML { return .changed }
        return .finished(status: status, metrics: metrics)
    }
}

/// What a run's folder holds when a plan is made.
public enum StoredRun: Equatable, Sendable {
    case missing
    /// A folder without a readable config.yaml and metrics.csv.
    case incomplete
    /// A folder whose manifest is missing or does not match its files (the reason).
    case damaged(String)
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
        var rows: [[String]] = []
        var row: [String] = []
        var field = ""
        var quoted = false
        var wasQuoted = false
        var it = Array(text).makeIterator()
        var pending: Character? = nil
        while let ch = pending ?? it.next() {
            pending = nil
            if quoted {
                if ch == "\"" {
                    if let next = it.next() {
                        if next == "\"" {
                            field.append("\"")
                        } else {
                            quoted = false
                            pending = next
                        }
                    } else {
                        quoted = false
                    }
                } else {
                    field.append(ch)
                }
                continue
            }
            switch ch {
            case "\"" where field.isEmpty && !wasQuoted:
                quoted = true
                wasQuoted = true
            case ",":
                row.append(field)
                field = ""
                wasQuoted = false
            case "\n":
                row.append(field)
                rows.append(row)
                row = []
                field = ""
                wasQuoted = false
            default: field.append(ch)
            }
        }
        if !field.isEmpty || !row.isEmpty {
            row.append(field)
            rows.append(row)
        }
        return rows
    }
}
