import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A process's claim on one run: who trains it (host, pid, Slurm ids), since when, and a random token
/// that also names the run's temporary folder. Stored as `<experiment>/.claims/<run>` (docs/results.md
/// "Run claims"): `key: value` lines; the file's modification time is the heartbeat.
public struct RunClaim: Equatable, Sendable {
    /// The claiming process's host name.
    public var host: String
    /// The claiming process's id on that host.
    public var pid: Int32
    /// The process's start time in clock ticks since boot (Linux `/proc/<pid>/stat` field 22), so a
    /// reused pid is not mistaken for the claimer; nil where there is no `/proc`.
    public var pidStart: UInt64?
    /// When the claim was taken (UTC, whole seconds).
    public var started: Date
    /// 16 lowercase hex digits, unique per claim.
    public var token: String
    /// `SLURM_JOB_ID` when the claimer runs under Slurm.
    public var slurmJobID: String?
    /// `SLURM_ARRAY_JOB_ID` when it is a Slurm array task.
    public var slurmArrayJobID: String?
    /// `SLURM_ARRAY_TASK_ID` when it is a Slurm array task.
    public var slurmArrayTaskID: String?
    /// The last heartbeat: the claim file's modification time (not part of the text).
    public var heartbeat: Date

    /// A claim with the given fields; the heartbeat defaults to `started`.
    public init(
        host: String, pid: Int32, pidStart: UInt64?, started: Date, token: String,
        slurmJobID: String? = nil, slurmArrayJobID: String? = nil, slurmArrayTaskID: String? = nil,
        heartbeat: Date? = nil
    ) {
        self.host = host
        self.pid = pid
        self.pidStart = pidStart
        self.started = started
        self.token = token
        self.slurmJobID = slurmJobID
        self.slurmArrayJobID = slurmArrayJobID
        self.slurmArrayTaskID = slurmArrayTaskID
        self.heartbeat = heartbeat ?? started
    }

    /// A new claim for this process, with the Slurm ids of its environment when present.
    public static func forThisProcess() -> RunClaim {
        let env = ProcessInfo.processInfo.environment
        let now = Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down))
        return RunClaim(
            host: hostName, pid: getpid(), pidStart: processStart(getpid()), started: now, token: newToken(),
            slurmJobID: env["SLURM_JOB_ID"], slurmArrayJobID: env["SLURM_ARRAY_JOB_ID"],
            slurmArrayTaskID: env["SLURM_ARRAY_TASK_ID"])
    }

    /// The claim file's text (docs/results.md).
    public var text: String {
        var lines = ["host: \(host)", "pid: \(pid)"]
        if let pidStart { lines.append("pid_start: \(pidStart)") }
        lines.append("started: \(Self.timestamp(started))")
        lines.append("token: \(token)")
        if let slurmJobID { lines.append("slurm_job_id: \(slurmJobID)") }
        if let slurmArrayJobID { lines.append("slurm_array_job_id: \(slurmArrayJobID)") }
        if let slurmArrayTaskID { lines.append("slurm_array_task_id: \(slurmArrayTaskID)") }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Reads a claim file's text; nil when a required key (host, pid, started, token) is missing or
    /// malformed. Unknown keys are ignored, so later versions may add some.
    public static func parse(_ text: String, heartbeat: Date) -> RunClaim? {
        var fields: [String: String] = [:]
        for line in text.split(separator: "\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            fields[String(line[..<colon])] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        guard let host = fields["host"], !host.isEmpty, let pid = fields["pid"].flatMap({ Int32($0) }),
            let started = fields["started"].flatMap(parseTimestamp), let token = fields["token"], isToken(token)
        else { return nil }
        return RunClaim(
            host: host, pid: pid, pidStart: fields["pid_start"].flatMap { UInt64($0) }, started: started,
            token: token, slurmJobID: fields["slurm_job_id"], slurmArrayJobID: fields["slurm_array_job_id"],
            slurmArrayTaskID: fields["slurm_array_task_id"], heartbeat: heartbeat)
    }

    /// "host, pid N (Slurm job J), since 2026-12-01T15:00:00Z": for messages.
    public var who: String {
        var s = "\(host), pid \(pid)"
        if let j = slurmArrayJobID, let t = slurmArrayTaskID {
            s += " (Slurm job \(j)_\(t))"
        } else if let j = slurmJobID {
            s += " (Slurm job \(j))"
        }
        return s + ", since \(Self.timestamp(started))"
    }

    /// This machine's name (`gethostname`; no DNS lookup).
    public static let hostName: String = {
        var buf = [CChar](repeating: 0, count: 256)
        guard gethostname(&buf, buf.count - 1) == 0 else { return "localhost" }
        return String(cString: buf)
    }()

    /// A fresh random token: 16 lowercase hex digits.
    public static func newToken() -> String {
        var g = SystemRandomNumberGenerator()
        let v = g.next() as UInt64
        let hex = String(v, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    static func isToken(_ s: String) -> Bool {
        s.utf8.count == 16 && s.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
    }

    /// A process's start time in clock ticks since boot, from `/proc/<pid>/stat` (field 22, counted
    /// after the parenthesised command name, which may itself hold spaces); nil without `/proc`.
    static func processStart(_ pid: Int32) -> UInt64? {
        guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/stat"),
            let text = String(data: data, encoding: .utf8), let close = text.lastIndex(of: ")")
        else { return nil }
        let fields = text[text.index(after: close)...].split(separator: " ")
        // fields[0] is field 3 (state), so field 22 is fields[19].
        return fields.count > 19 ? UInt64(fields[19]) : nil
    }

    static func timestamp(_ d: Date) -> String {
        let f = ISO8601DateFormatter()
        f.timeZone = TimeZone(identifier: "UTC")
        return f.string(from: d)
    }

    static func parseTimestamp(_ s: String) -> Date? {
        let f = ISO8601DateFormatter()
        f.timeZone = TimeZone(identifier: "UTC")
        return f.date(from: s)
    }
}

/// Whether a claim still holds.
public enum ClaimLiveness: Equatable, Sendable {
    case live
    /// Taken over by the next process that wants the run; `reason` says why.
    case stale(reason: String)
}

/// The claims of one experiment folder: `<experiment>/.claims/<run>`. Taking and giving up claims
/// happens under the experiment lock (`ExperimentLock`); the claim file is written whole to a
/// temporary name and linked to its final name, so it appears complete and at most once (`link`
/// fails when the name exists, on local file systems and NFS alike). `nnexp status` reads claims
/// without the lock: a claim file is never seen half-written.
public struct ClaimStore: Sendable {
    /// The experiment folder whose `.claims/` it manages.
    public let experimentDirectory: String
    /// A claim of another host whose heartbeat is older than this is stale (seconds; default 300).
    public var staleAfter: TimeInterval
    /// Seconds between heartbeats of a process's claims (default 30, a tenth of `staleAfter`).
    public static let heartbeatInterval: TimeInterval = 30

    /// A store for `experimentDirectory`, claims of other hosts stale after `staleAfter` seconds (default 300).
    public init(experimentDirectory: String, staleAfter: TimeInterval = 300) {
        self.experimentDirectory = experimentDirectory
        self.staleAfter = staleAfter
    }

    /// `<experiment>/.claims`.
    public var claimsDirectory: String { (experimentDirectory as NSString).appendingPathComponent(".claims") }
    /// The claim file of `run`.
    public func path(_ run: String) -> String { (claimsDirectory as NSString).appendingPathComponent(run) }

    /// The claim on `run`, or nil when there is none or its file cannot be read as one.
    public func read(_ run: String) -> RunClaim? {
        let p = path(run)
        guard let data = FileManager.default.contents(atPath: p),
            let attributes = try? FileManager.default.attributesOfItem(atPath: p),
            let modified = attributes[.modificationDate] as? Date
        else { return nil }
        return RunClaim.parse(String(decoding: data, as: UTF8.self), heartbeat: modified)
    }

    /// Every readable claim of the experiment, by run name.
    public func all() -> [String: RunClaim] {
        var out: [String: RunClaim] = [:]
        for name in (try? FileManager.default.contentsOfDirectory(atPath: claimsDirectory)) ?? []
        where !name.hasPrefix(".") {
            if let c = read(name) { out[name] = c }
        }
        return out
    }

    /// Live or stale: on this host, the claim is live while its process runs (same pid and, where
    /// `/proc` tells, the same process start time); a claim from another host is live while its
    /// heartbeat is younger than `staleAfter`.
    public func liveness(_ c: RunClaim, now: Date = Date()) -> ClaimLiveness {
        if c.host == RunClaim.hostName {
            if kill(c.pid, 0) != 0 && errno == ESRCH { return .stale(reason: "process \(c.pid) is gone") }
            if let s = c.pidStart, let current = RunClaim.processStart(c.pid), s != current {
                return .stale(reason: "process \(c.pid) is gone (its pid now belongs to another process)")
            }
            return .live
        }
        let age = now.timeIntervalSince(c.heartbeat)
        if age > staleAfter {
            return .stale(reason: "no heartbeat for \(Int(age)) s (stale after \(Int(staleAfter)) s)")
        }
        return .live
    }

    /// The outcome of `acquire`.
    public enum Acquired: Equatable, Sendable {
        /// The claim is ours; `tookOver` is the stale claim it replaced and why it was stale.
        case acquired(tookOver: RunClaim?, reason: String?)
        /// A live claim of another process holds the run.
        case heldElsewhere(RunClaim)
    }

    /// Claims `run` for `claim` unless a live claim holds it; a stale claim is replaced.
    /// Call under the experiment lock.
    public func acquire(_ run: String, as claim: RunClaim) throws -> Acquired {
        try DurableFiles.makeDirectory(claimsDirectory)
        // A `.new-` file is only ever present under the lock, so one seen now was left by a process
        // killed while claiming.
        for name in (try? FileManager.default.contentsOfDirectory(atPath: claimsDirectory)) ?? []
        where name.hasPrefix(".new-") {
            unlink((claimsDirectory as NSString).appendingPathComponent(name))
        }
        var tookOver: RunClaim? = nil
        var why: String? = nil
        if let existing = read(run) {
            switch liveness(existing) {
            case .live: return .heldElsewhere(existing)
            case .stale(let reason):
                tookOver = existing
                why = reason
            }
            unlink(path(run))
        } else if FileManager.default.fileExists(atPath: path(run)) {
            // Not readable as a claim (written by hand, or damaged): treated as stale.
            why = "unreadable claim file"
            unlink(path(run))
        }
        let tmp = (claimsDirectory as NSString).appendingPathComponent(".new-\(claim.token)")
        try DurableFiles.writeSynced(Array(claim.text.utf8), to: tmp)
        defer { unlink(tmp) }
        if link(tmp, path(run)) != 0 {
            let code = errno
            if code == EEXIST, let other = read(run) { return .heldElsewhere(other) }
            throw IOFailure(path: path(run), operation: "cannot create the claim", code: code)
        }
        try DurableFiles.syncDirectory(claimsDirectory)
        return .acquired(tookOver: tookOver, reason: why)
    }

    /// True while `run` is claimed with `token`.
    public func holds(_ run: String, token: String) -> Bool { read(run)?.token == token }

    /// Gives up a claim when it is still ours. Call under the experiment lock.
    public func release(_ run: String, token: String) {
        if holds(run, token: token) { unlink(path(run)) }
    }

    /// The heartbeat: sets the claim file's modification time to now when the claim is still ours.
    /// Returns false when it is not (taken over as stale).
    @discardableResult
    public func touch(_ run: String, token: String) -> Bool {
        guard holds(run, token: token) else { return false }
        return utimes(path(run), nil) == 0
    }
}
