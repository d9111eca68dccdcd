import ArgumentParser
import Foundation
import NNExperiments

/// What `run`, `check` and `gradcheck` share: loading and validating specs, `--only` selection.
enum SpecCommandSupport {
    static func printError(_ text: String) {
        FileHandle.standardError.write(Data((text.hasSuffix("\n") ? text : text + "\n").utf8))
    }

    /// Loads every spec and checks it against the data, printing all mistakes of all specs
    /// (`FILE:LINE:COL: error: …` and a summary line) before failing with status 2. A data file that
    /// cannot be read fails with status 3 when `unreadableDataIsFatal`; otherwise (`nnexp run`) it is
    /// reported and only the runs that use it fail, when they are trained.
    static func loadAll(
        _ paths: [String], overrides: Overrides = Overrides(), checkData: Bool = true,
        unreadableDataIsFatal: Bool = true
    ) throws -> [Experiment] {
        let experiments: [Experiment]
        do { experiments = try Experiment.loadAll(paths: paths, overrides: overrides) } catch let e as SpecErrors {
            printError(e.description)
            throw ExitCode(ExitStatus.badSpec)
        } catch {
            printError(ErrorText.describe(error))
            throw ExitCode(ExitStatus.badSpec)
        }
        guard checkData else { return experiments }
        var diagnostics: [Diagnostic] = []
        var unreadable: [String] = []
        for e in experiments {
            let found = e.checkAgainstData()
            diagnostics += found.diagnostics
            unreadable += found.unreadable.map {
                "\(e.specPath): error: cannot load the data of experiment `\(e.name)`: \($0)"
            }
        }
        if !diagnostics.isEmpty {
            printError(SpecErrors(diagnostics).description)
            throw ExitCode(ExitStatus.badSpec)
        }
        if !unreadable.isEmpty {
            printError(unreadable.joined(separator: "\n"))
            if unreadableDataIsFatal { throw ExitCode(ExitStatus.ioError) }
        }
        return experiments
    }

    /// Keeps the runs whose sweep values match every `KEY=VALUE` filter (KEY is a swept path or the
    /// short name used in run names; repeating a KEY allows any of its values). Selecting no run at
    /// all is a mistake unless `allowEmpty` (a shard may hold none of the selected runs).
    static func select(_ experiments: [Experiment], only: [String], allowEmpty: Bool = false) throws -> [Experiment] {
        guard !only.isEmpty else { return experiments }
        var filters: [String: [String]] = [:]
        for f in only {
            guard let eq = f.firstIndex(of: "="), eq != f.startIndex else {
                printError("error: --only takes KEY=VALUE (e.g. --only l2=0.1), found '\(f)'")
                throw ExitCode(ExitStatus.badSpec)
            }
            filters[String(f[..<eq]), default: []].append(String(f[f.index(after: eq)...]))
        }
        let allAxes = Set(experiments.flatMap(\.axes))
        for key in filters.keys.sorted() where !allAxes.contains(where: { matches(axis: $0, key: key) }) {
            printError(
                "error: --only \(key)=…: `\(key)` is not swept by any of these experiments (swept: \(allAxes.sorted().joined(separator: ", ")))"
            )
            throw ExitCode(ExitStatus.badSpec)
        }
        var out: [Experiment] = []
        for var e in experiments {
            e.runs = e.runs.filter { run in
                filters.allSatisfy { key, values in
                    guard let v = run.axisValues.first(where: { matches(axis: $0.key, key: key) })?.value else {
                        return false
                    }
                    return values.contains(v) || values.contains(RunNames.safe(v))
                }
            }
            out.append(e)
        }
        if !allowEmpty && out.allSatisfy({ $0.runs.isEmpty }) {
            printError("error: no run matches --only \(only.joined(separator: " --only "))")
            throw ExitCode(ExitStatus.badSpec)
        }
        return out
    }

    static func matches(axis: String, key: String) -> Bool { axis == key || axis.hasSuffix("." + key) }
}

/// `--set` and `--sweep`, shared by the commands that read specs (docs/cli.md, "Overrides").
struct OverrideOptions: ParsableArguments {
    @Option(
        name: .customLong("set"),
        help: ArgumentHelp(
            "Set a key of every spec (PATH is a dotted key path, VALUE is YAML), over the spec and its `extends`.",
            valueName: "PATH=VALUE"))
    var sets: [String] = []

    @Option(
        name: .customLong("sweep"),
        help: ArgumentHelp(
            "Add or replace a grid axis: comma-separated YAML values (e.g. regularization.l2=0,0.01,0.1).",
            valueName: "PATH=V1,V2"))
    var sweeps: [String] = []

    var overrides: Overrides { Overrides(sets: sets, sweeps: sweeps) }
}
