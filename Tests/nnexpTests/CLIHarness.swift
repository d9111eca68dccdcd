import Foundation
import XCTest

/// Helpers to run the built `nnexp` binary as a child process, as a user would.
extension XCTestCase {
    var binary: URL {
        // Tests run from the build products folder, beside the nnexp executable.
        var dir = Bundle(for: CLITests.self).bundleURL
        while dir.pathComponents.count > 1,
            !FileManager.default.fileExists(atPath: dir.appendingPathComponent("nnexp").path)
        {
            dir.deleteLastPathComponent()
        }
        return dir.appendingPathComponent("nnexp")
    }

    /// Starts nnexp; output goes to files so a long run never blocks on a full pipe. `env` changes the
    /// inherited environment: a value sets a variable, nil (`.some(nil)` in a subscript) removes it.
    func start(_ args: [String], cwd: URL, env changes: [String: String?] = [:]) throws -> (
        process: Process, out: URL, err: URL
    ) {
        let p = Process()
        p.executableURL = binary
        p.arguments = args
        p.currentDirectoryURL = cwd
        if !changes.isEmpty {
            var env = ProcessInfo.processInfo.environment
            for (k, v) in changes { env[k] = v }
            p.environment = env
        }
        let id = UUID().uuidString
        let out = cwd.appendingPathComponent(".out-\(id)")
        let err = cwd.appendingPathComponent(".err-\(id)")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        p.standardOutput = try FileHandle(forWritingTo: out)
        p.standardError = try FileHandle(forWritingTo: err)
        try p.run()
        return (p, out, err)
    }

    func run(_ args: [String], cwd: URL, env changes: [String: String?] = [:]) throws -> (
        status: Int32, out: String, err: String
    ) {
        let (p, out, err) = try start(args, cwd: cwd, env: changes)
        p.waitUntilExit()
        defer {
            try? FileManager.default.removeItem(at: out)
            try? FileManager.default.removeItem(at: err)
        }
        return (
            p.terminationStatus, try String(contentsOf: out, encoding: .utf8),
            try String(contentsOf: err, encoding: .utf8)
        )
    }

    func tempDir() throws -> URL {
        let d = FileManager.default.temporaryDirectory.appendingPathComponent("nnexp-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: d, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: d) }
        return d
    }

    func write(_ text: String, to name: String, in dir: URL) throws {
        try text.write(to: dir.appendingPathComponent(name), atomically: true, encoding: .utf8)
    }

    /// Every file under `dir` (relative path → bytes), except git-ignored logs and hidden bookkeeping
    /// (the experiment lock, claims, the input-hash cache).
    func files(under dir: URL) throws -> [String: Data] {
        var out: [String: Data] = [:]
        let base = dir.standardizedFileURL.resolvingSymlinksInPath().path
        guard let e = FileManager.default.enumerator(atPath: base) else { return out }
        while let rel = e.nextObject() as? String {
            let full = (base as NSString).appendingPathComponent(rel)
            var isDir: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: full, isDirectory: &isDir)
            if !isDir.boolValue, !rel.hasSuffix(".log"),
                !rel.split(separator: "/").contains(where: { $0.hasPrefix(".") })
            {
                out[rel] = try Data(contentsOf: URL(fileURLWithPath: full))
            }
        }
        return out
    }
}
