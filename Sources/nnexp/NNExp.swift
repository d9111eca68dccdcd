import ArgumentParser
import Foundation
import NNExperiments

/// Exit statuses, documented in docs/cli.md:
/// 0 every run completed · 1 some run diverged, failed or was interrupted (or a gradient check found
/// a problem) · 2 the spec or the command line is wrong (nothing ran) · 3 a results or data file could
/// not be read or written.
enum ExitStatus {
    static let runsFailed: Int32 = 1
    static let badSpec: Int32 = 2
    static let ioError: Int32 = 3
}

@main
struct NNExp: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "nnexp",
        abstract: "Declarative experiment runner for neural networks built from first principles.",
        discussion: """
            Write an experiment once as a YAML spec; nnexp trains every run of its sweep on all cores and \
            writes deterministic CSV results under results/<experiment>/.

            Example:
              nnexp run experiments/xor.yaml
              nnexp check experiments/*.yaml
            """,
        version: NNExpVersion.string,
        subcommands: [
            Run.self,
            Check.self,
            Show.self,
            Gradcheck.self,
            Report.self,
            Merge.self,
            Slurm.self,
            Status.self,
            Diff.self,
            Prune.self,
            Env.self
        ]
    )

    /// ArgumentParser's own entry point, except that a command-line mistake (unknown option, missing
    /// argument, bad value) exits with 2 like a spec mistake, as docs/cli.md says; ArgumentParser's
    /// default for those is 64 (EX_USAGE). Help and version requests still exit 0.
    static func main() {
        // `nnexp --version --verbose` is `nnexp env` (ArgumentParser's own --version takes no options).
        let arguments = Array(CommandLine.arguments.dropFirst())
        if arguments.contains("--version"), arguments.contains("--verbose") || arguments.contains("-v"),
            arguments.allSatisfy({ ["--version", "--verbose", "-v"].contains($0) })
        {
            print(Env.report(), terminator: "")
            return
        }
        // ArgumentParser's `help` prints the general help, status 0, for a command that does not
        // exist; a mistyped name is a command-line mistake like any other.
        let args = arguments
        if args.first == "help", args.count >= 2, !args[1].hasPrefix("-") {
            let known = configuration.subcommands.map { $0._commandName } + ["help"]
            if !known.contains(args[1]) {
                SpecCommandSupport.printError(
                    "error: no command `\(args[1])`; the commands are \(known.filter { $0 != "help" }.joined(separator: ", "))\n\n"
                        + helpMessage())
                Foundation.exit(ExitStatus.badSpec)
            }
        }
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            if exitCode(for: error) == .validationFailure {
                SpecCommandSupport.printError(fullMessage(for: error))
                Foundation.exit(ExitStatus.badSpec)
            }
            exit(withError: error)
        }
    }
}
