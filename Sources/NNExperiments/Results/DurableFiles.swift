import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// File writes that survive a crash or power cut: data is flushed with `fsync` before a file (or a
/// folder) is renamed into place, and the parent folder is flushed after the rename so the new name
/// itself is on disk. Every error names the path and the operating system's reason.
public enum DurableFiles {
    /// Writes `bytes` to `path` (created or truncated) and flushes it to disk.
    public static func writeSynced(_ bytes: [UInt8], to path: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw IOFailure(path: path, operation: "cannot create", code: errno) }
        defer { close(fd) }
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + done, bytes.count - done) }
            if n < 0 {
                if errno == EINTR { continue }
                throw IOFailure(path: path, operation: "cannot write", code: errno)
            }
            done += n
        }
        guard fsync(fd) == 0 else { throw IOFailure(path: path, operation: "cannot flush", code: errno) }
    }

    /// Flushes a folder's entries (names created, renamed or removed in it) to disk.
    public static func syncDirectory(_ path: String) throws {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw IOFailure(path: path, operation: "cannot open folder", code: errno) }
        defer { close(fd) }
        // Some file systems refuse fsync on a folder (EINVAL): nothing more can be done there.
        if fsync(fd) != 0 && errno != EINVAL {
            throw IOFailure(path: path, operation: "cannot flush folder", code: errno)
        }
    }

    /// Replaces `path` atomically: writes a temporary file beside it, flushes it, renames it over
    /// `path` and flushes the folder. Readers see the old file or the new one, never a mix.
    public static func replace(_ path: String, with bytes: [UInt8]) throws {
        let dir = (path as NSString).deletingLastPathComponent
        let tmp = (dir as NSString).appendingPathComponent(
            ".tmp-file-\((path as NSString).lastPathComponent)-\(RunClaim.newToken())")
        do {
            try writeSynced(bytes, to: tmp)
            guard rename(tmp, path) == 0 else {
                throw IOFailure(path: path, operation: "cannot rename into place", code: errno)
            }
        } catch {
            unlink(tmp)
            throw error
        }
        try syncDirectory(dir.isEmpty ? "." : dir)
    }

    /// Creates a folder and its missing parents.
    public static func makeDirectory(_ path: String) throws {
        do { try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true) } catch {
            throw IOFailure(path: path, operation: "cannot create folder", reason: error.localizedDescription)
        }
    }
}

/// A failed file operation: the path, what was attempted and the operating system's reason.
public struct IOFailure: Error, CustomStringConvertible, Sendable {
    /// The path operated on.
    public let path: String
    /// What was attempted (`write`, `rename`, …).
    public let operation: String
    /// The operating system's reason.
    public let reason: String
    /// A failure with a reason in words.
    public init(path: String, operation: String, reason: String) {
        self.path = path
        self.operation = operation
        self.reason = reason
    }
    /// A failure with the reason of errno `code` (`strerror`).
    public init(path: String, operation: String, code: Int32) {
        self.init(path: path, operation: operation, reason: String(cString: strerror(code)))
    }
    /// `operation path: reason`.
    public var description: String { "\(operation) \(path): \(reason)" }
}

/// An exclusive lock on one experiment folder (`flock` on `<experiment>/.lock`), held while claims
/// are taken or given up, while a run folder is swapped into place and while the experiment files
/// are rebuilt. `flock` locks of separate opens exclude each other within one process too, and on
/// Linux NFS clients they become POSIX byte-range locks that the server enforces across machines.
public enum ExperimentLock {
    /// Runs `body` holding the experiment's lock (creating the folder if needed); waits for another holder.
    public static func withLock<R>(_ experimentDirectory: String, _ body: () throws -> R) throws -> R {
        try DurableFiles.makeDirectory(experimentDirectory)
        let path = (experimentDirectory as NSString).appendingPathComponent(".lock")
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw IOFailure(path: path, operation: "cannot open the lock file", code: errno) }
        defer { close(fd) }  // closing releases the lock
        while flock(fd, LOCK_EX) != 0 {
            if errno != EINTR { throw IOFailure(path: path, operation: "cannot lock", code: errno) }
        }
        return try body()
    }
}
