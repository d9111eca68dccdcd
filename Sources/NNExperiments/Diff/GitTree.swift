import Foundation

/// The committed results of a git revision, read with git itself and never through the working tree:
/// `git ls-tree -r --full-name --name-only REV -- <results>` lists the files and one
/// `git cat-file --batch` process streams their contents (one process for all files, which keeps a
/// diff over hundreds of runs fast, where `git show REV:path` per file would start hundreds).
public struct GitTree: ResultsTree {
    /// The git revision read (anything `git rev-parse` accepts).
    public let revision: String
    /// The results folder as given (relative to `workingDirectory`).
    public let resultsPath: String
    /// Where git runs (inside the repository).
    public let workingDirectory: String
    /// The results folder relative to the repository's top level, with a trailing `/`.
    let prefix: String

    /// Resolves the results folder against the repository's top level (`git rev-parse`); throws when git fails
    /// or the folder is absolute or outside the repository. The revision itself is checked when files are listed.
    public init(revision: String, resultsPath: String, workingDirectory: String) throws {
        self.revision = revision
        self.resultsPath = resultsPath
        self.workingDirectory = workingDirectory
        let cwdPrefix = try Git.run(["rev-parse", "--show-prefix"], in: workingDirectory).text.trimmingCharacters(
            in: .newlines)
        guard !resultsPath.hasPrefix("/") else {
            throw ResultsReadError(
                path: resultsPath,
                message: "give the results folder relative to the working directory when reading git revisions")
        }
        // Resolve `.` and `..` by hand: NSString's standardizingPath leaves `..` in relative paths.
        var parts: [Substring] = []
        for c in (cwdPrefix + resultsPath).split(separator: "/") where c != "." {
            if c == ".." {
                guard !parts.isEmpty else {
                    throw ResultsReadError(
                        path: resultsPath, message: "the results folder is outside the git repository")
                }
                parts.removeLast()
            } else {
                parts.append(c)
            }
        }
        prefix = parts.isEmpty ? "" : parts.joined(separator: "/") + "/"
    }

    /// `REV:results`.
    public var label: String { "\(revision):\(resultsPath)" }

    /// Whether `revision` names a commit of the repository around `directory`.
    public static func isRevision(_ revision: String, in directory: String) -> Bool {
        (try? Git.run(["rev-parse", "--verify", "--quiet", "\(revision)^{commit}"], in: directory)) != nil
    }

    /// The compared files under the results folder at the revision, relative to it.
    public func files() throws -> [String] {
        // The pathspec is relative to the working directory; --full-name makes the output relative to the top.
        let out = try Git.run(
            ["ls-tree", "-r", "--full-name", "--name-only", revision, "--", resultsPath], in: workingDirectory)
        return out.text.split(separator: "\n").compactMap { line -> String? in
            guard line.hasPrefix(prefix) else { return nil }
            let rel = String(line.dropFirst(prefix.count))
            return TreePaths.compared(rel) ? rel : nil
        }.sorted()
    }

    /// The files' contents at the revision, through one `git cat-file --batch`.
    public func read(_ paths: [String]) throws -> [String: [UInt8]] {
        guard !paths.isEmpty else { return [:] }
        let request = paths.map { "\(revision):\(prefix)\($0)\n" }.joined()
        let out = try Git.run(["cat-file", "--batch"], in: workingDirectory, input: Array(request.utf8)).bytes
        // Each answer: "<sha> blob <size>\n<size bytes>\n" (or "<spec> missing\n").
        var result: [String: [UInt8]] = [:]
        var i = 0
        for p in paths {
            guard let nl = out[i...].firstIndex(of: 0x0A) else {
                throw ResultsReadError(path: label, message: "git cat-file ended early")
            }
            let header = String(decoding: out[i..<nl], as: UTF8.self).split(separator: " ")
            guard header.count == 3, header[1] == "blob", let size = Int(header[2]), nl + 1 + size <= out.count else {
                throw ResultsReadError(
                    path: "\(revision):\(prefix)\(p)",
                    message: "git cannot read the file (\(header.joined(separator: " ")))")
            }
            result[p] = Array(out[(nl + 1)..<(nl + 1 + size)])
            i = nl + 1 + size + 1
        }
        return result
    }
}

/// Runs git as a subprocess.
enum Git {
    struct Output {
        var bytes: [UInt8]
        var text: String { String(decoding: bytes, as: UTF8.self) }
    }

    static func run(_ args: [String], in directory: String, input: [UInt8]? = nil) throws -> Output {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["git"] + args
        p.currentDirectoryURL = URL(fileURLWithPath: directory)
        let out = Pipe()
        let err = Pipe()
        let inp = Pipe()
        p.standardOutput = out
        p.standardError = err
        if input != nil { p.standardInput = inp } else { p.standardInput = FileHandle.nullDevice }
        do { try p.run() } catch {
            throw ResultsReadError(path: directory, message: "cannot run git: \(ErrorText.reason(error))")
        }
        // Feed stdin from another thread so a large answer cannot block git while we are still writing.
        if let input {
            let writer = Thread {
                inp.fileHandleForWriting.write(Data(input))
                try? inp.fileHandleForWriting.close()
            }
            writer.start()
        }
        let errBox = DataBox()
        let errDone = DispatchSemaphore(value: 0)
        Thread {
            errBox.data = err.fileHandleForReading.readDataToEndOfFile()
            errDone.signal()
        }.start()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        errDone.wait()
        let errData = errBox.data
        guard p.terminationStatus == 0 else {
            let msg = String(decoding: errData, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            throw ResultsReadError(
                path: directory,
                message: "git \(args.first ?? "") failed: \(msg.isEmpty ? "exit status \(p.terminationStatus)" : msg)")
        }
        return Output(bytes: [UInt8](data))
    }
}

/// Holds what a reader thread read until the caller collects it (after a semaphore).
private final class DataBox: @unchecked Sendable { var data = Data() }
