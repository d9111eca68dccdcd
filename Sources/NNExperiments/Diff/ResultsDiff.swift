import Foundation

/// `nnexp diff` as a library call, so the command and its tests share one path: resolves each side
/// (a results folder, a git revision, or — for git's external diff — a single file), compares,
/// renders and chooses the exit status (0 equal within tolerance, 1 different, 2 error).
public enum ResultsDiff {
    /// How `nnexp diff` compares and renders (its command-line options).
    public struct Options: Sendable {
        /// Relative tolerance for numbers (`--tolerance`), ≥ 0. Default 0: exact.
        public var tolerance: Double = 0
        /// Output format (`--format`). Default text.
        public var format: DiffFormat = .text
        /// Colour the text output. Default false.
        public var colour = false
        /// One line per run (metric changes) instead of every difference.
        public var summary = false
        /// Every changed confusion-matrix cell instead of one line per matrix.
        public var verbose = false
        /// The working tree's results folder (and the folder read from git revisions).
        public var resultsPath = "results"
        /// Where relative paths and git run. Default the current directory.
        public var workingDirectory = FileManager.default.currentDirectoryPath
        /// The defaults above.
        public init() {}
    }

    /// What the command prints and its exit status.
    public struct Outcome: Sendable {
        /// Standard output.
        public var output: String
        /// Standard error.
        public var error: String
        /// 0 equal within tolerance, 1 different, 2 error.
        public var status: Int32
    }

    /// `sides`: `[OLD, NEW]`, or `[REV]` meaning REV against the working tree's results folder.
    public static func run(_ sides: [String], options o: Options) -> Outcome {
        do {
            guard o.tolerance >= 0, o.tolerance.isFinite else {
                throw DiffUsageError("--tolerance must be a non-negative number")
            }
            guard sides.count == 1 || sides.count == 2 else {
                throw DiffUsageError("expected OLD NEW, or a single git revision to compare with the working tree")
            }
            var differ = Differ(tolerance: o.tolerance)
            differ.verbose = o.verbose
            let report: DiffReport
            let (oldArg, newArg) = sides.count == 2 ? (sides[0], sides[1]) : (sides[0], o.resultsPath)
            if sides.count == 2, isFileSide(oldArg, o), isFileSide(newArg, o) {
                report = try compareFiles(oldArg, newArg, differ, o)
            } else {
                let old = try tree(oldArg, o)
                let new = try tree(newArg, o)
                report = try differ.compare(old, new)
            }
            return Outcome(
                output: DiffFormatter.render(report, format: o.format, colour: o.colour, summary: o.summary), error: "",
                status: report.hasDifferences ? 1 : 0)
        } catch {
            return Outcome(output: "", error: "error: \(error)\n", status: 2)
        }
    }

    static func absolute(_ p: String, _ o: Options) -> String {
        p.hasPrefix("/") ? p : (o.workingDirectory as NSString).appendingPathComponent(p)
    }

    static func isFileSide(_ p: String, _ o: Options) -> Bool {
        var d: ObjCBool = false
        return p == "/dev/null"
            || (FileManager.default.fileExists(atPath: absolute(p, o), isDirectory: &d) && !d.boolValue)
    }

    static func tree(_ side: String, _ o: Options) throws -> ResultsTree {
        var d: ObjCBool = false
        if FileManager.default.fileExists(atPath: absolute(side, o), isDirectory: &d), d.boolValue {
            return FolderTree(root: absolute(side, o))
        }
        if GitTree.isRevision(side, in: o.workingDirectory) {
            return try GitTree(revision: side, resultsPath: o.resultsPath, workingDirectory: o.workingDirectory)
        }
        throw DiffUsageError(
            "`\(side)` is neither a results folder nor a git revision of the repository in \(o.workingDirectory)")
    }

    /// Two single files (git's external diff hands over temporary copies; `/dev/null` for a side
    /// that does not exist). The file kind comes from the name of the new (else old) file.
    static func compareFiles(_ old: String, _ new: String, _ differ: Differ, _ o: Options) throws -> DiffReport {
        func bytes(_ p: String) throws -> [UInt8]? {
            if p == "/dev/null" { return nil }
            guard let d = FileManager.default.contents(atPath: absolute(p, o)) else {
                throw ResultsReadError(path: p, message: "cannot read the file")
            }
            return [UInt8](d)
        }
        let name = ((new == "/dev/null" ? old : new) as NSString).lastPathComponent
        var report = DiffReport(tolerance: o.tolerance)
        report.singleFile = name
        report.rows = differ.compareFile(kindName(name), try bytes(old), try bytes(new))
        return report
    }

    /// Git's temporary copies have random names: recognise the kind by the name's tail.
    static func kindName(_ name: String) -> String {
        if name.hasSuffix("config.yaml") { return "config.yaml" }
        if name.hasSuffix("metrics.csv") { return "metrics.csv" }
        if let r = name.range(of: "confusion-") { return String(name[r.lowerBound...]) }
        return name
    }
}

/// A mistake in the command's arguments (exit status 2).
public struct DiffUsageError: Error, CustomStringConvertible {
    /// The message.
    public var description: String
    init(_ d: String) { description = d }
}
