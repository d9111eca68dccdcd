import Foundation

/// One side of a diff: the result files of a results folder or of a git revision, as paths relative
/// to the results root (`<experiment>/<run>/<file>`). Only files a diff compares are listed:
/// `config.yaml` and `*.csv` inside run folders except `manifest.csv` (logs, weights, manifests, reports
/// and charts are derived or not deterministic).
public protocol ResultsTree {
    /// How the side is named in messages (`results/`, `HEAD~1:results/`).
    var label: String { get }
    func files() throws -> [String]
    /// Contents of the given files (all of them exist in `files()`), read in one go.
    func read(_ paths: [String]) throws -> [String: [UInt8]]
}

enum TreePaths {
    /// Whether `exp/run/file` is a file the diff compares.
    static func compared(_ path: String) -> Bool {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 3, !parts[0].hasPrefix("."), !parts[1].hasPrefix("."), parts[1] != "charts" else {
            return false
        }
        // manifest.csv only repeats the other files' hashes.
        return parts[2] == "config.yaml" || (parts[2].hasSuffix(".csv") && parts[2] != "manifest.csv")
    }
}

/// A results folder on disk. A folder holding `summary.csv` or run folders directly is taken as a
/// single experiment named after the folder.
public struct FolderTree: ResultsTree {
    /// The results folder (or single experiment folder) read.
    public let root: String
    let experimentPrefix: String?

    /// A tree over `root`; an experiment folder is recognised by its contents.
    public init(root: String) {
        self.root = root
        let fm = FileManager.default
        let isExperiment =
            fm.fileExists(atPath: (root as NSString).appendingPathComponent("summary.csv"))
            || ((try? fm.contentsOfDirectory(atPath: root)) ?? []).contains {
                fm.fileExists(atPath: "\(root)/\($0)/metrics.csv")
            }
        experimentPrefix = isExperiment ? ((root as NSString).standardizingPath as NSString).lastPathComponent : nil
    }

    /// The folder as given.
    public var label: String { root }

    /// The compared files under the folder, relative to the results root, sorted.
    public func files() throws -> [String] {
        let fm = FileManager.default
        var out: [String] = []
        func dirs(_ p: String) throws -> [String] {
            try fm.contentsOfDirectory(atPath: p).filter { name in
                var d: ObjCBool = false
                return !name.hasPrefix(".")
                    && fm.fileExists(atPath: (p as NSString).appendingPathComponent(name), isDirectory: &d)
                    && d.boolValue
            }
        }
        do {
            var experiments: [(String, String)]
            if let single = experimentPrefix {
                experiments = [(single, root)]
            } else {
                experiments = try dirs(root).map { ($0, (root as NSString).appendingPathComponent($0)) }
            }
            for (exp, expDir) in experiments {
                for run in try dirs(expDir) {
                    for f in try fm.contentsOfDirectory(atPath: (expDir as NSString).appendingPathComponent(run)) {
                        let rel = "\(exp)/\(run)/\(f)"
                        if TreePaths.compared(rel) { out.append(rel) }
                    }
                }
            }
        } catch {
            throw ResultsReadError(path: root, message: "cannot list the results folder: \(ErrorText.reason(error))")
        }
        return out.sorted()
    }

    /// The files' contents, read from disk.
    public func read(_ paths: [String]) throws -> [String: [UInt8]] {
        var out: [String: [UInt8]] = [:]
        for p in paths {
            let full =
                experimentPrefix != nil
                ? (root as NSString).appendingPathComponent(String(p.drop { $0 != "/" }.dropFirst()))
                : (root as NSString).appendingPathComponent(p)
            guard let d = FileManager.default.contents(atPath: full) else {
                throw ResultsReadError(path: full, message: "cannot read the file")
            }
            out[p] = [UInt8](d)
        }
        return out
    }
}
