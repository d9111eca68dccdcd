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
        if fm.fileExists(atPath: final) { try fm.removeItem(atPath: final) }
        try fm.moveItem(atPath: tmp, toPath: final)
    }

    /// Writes a text file at the experiment level (summary.csv, report.html) atomically.
    public func writeExperimentFile(_ experiment: String, name: String, contents: [UInt8]) throws {
        let dir = experimentDirectory(experiment)
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let path = (dir as NSString).appendingPathComponent(name)
        try Data(contents).write(to: URL(fileURLWithPath: path), options: .atomic)
    }
}
