import ArgumentParser
import Foundation
import NNEngine
import NNExperiments

struct Gradcheck: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check backpropagation against finite differences for each run's network.",
        discussion: """
            For every run, the freshly initialised network's gradient on the first --samples training \
            samples is compared with central differences in Float64. Relative errors are printed overall \
            and per weight layer with a verdict: ok (≤ 1e-7), warning (≤ 1e-4), problem (above). \
            Exit status 1 when any run has a problem.

            Example:
              nnexp gradcheck experiments/xor.yaml --samples 4
            """)

    @Argument(help: "Spec files (YAML).")
    var specs: [String]

    @OptionGroup var overrideOptions: OverrideOptions

    @Option(help: "Training samples the cost is taken over.")
    var samples: Int = 5

    @Option(
        name: .customLong("only"), parsing: .upToNextOption,
        help: ArgumentHelp("Check only the runs with these sweep values.", valueName: "KEY=VALUE"))
    var only: [String] = []

    func validate() throws {
        if samples < 1 { throw ValidationError("--samples must be at least 1, found \(samples)") }
    }

    func run() throws {
        let experiments = try SpecCommandSupport.select(
            try SpecCommandSupport.loadAll(specs, overrides: overrideOptions.overrides), only: only)
        var worst = GradientVerdict.ok
        for e in experiments {
            for r in e.runs {
                let result: GradientCheckReport
                do { result = try GradientCheckRun.check(r, samples: samples) } catch {
                    SpecCommandSupport.printError("\(e.name)/\(r.runName): error: \(ErrorText.describe(error))")
                    throw ExitCode(ExitStatus.ioError)
                }
                worst = max(worst, result.worstVerdict)
                print(
                    "\(e.name)/\(r.runName): relative error \(Self.sci(result.relativeError)) \(result.verdict.rawValue)"
                )
                for layer in result.layers {
                    print("  layer \(layer.layer): \(Self.sci(layer.relativeError)) \(layer.verdict.rawValue)")
                }
            }
        }
        if worst == .problem { throw ExitCode(ExitStatus.runsFailed) }
    }

    static func sci(_ v: Double) -> String { String(format: "%.3e", v) }
}
