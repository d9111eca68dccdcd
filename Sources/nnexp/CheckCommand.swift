import ArgumentParser
import Foundation
import NNExperiments

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Validate specs and print the runs they would train, without training.",
        discussion: """
            Every mistake of every spec is reported at once as FILE:LINE:COL: error: MESSAGE, followed by \
            a one-line count; the exit status is then 2. Layer sizes are checked against the data, which \
            is loaded for that (status 3 when it cannot be read).

            Example:
              nnexp check experiments/*.yaml
            """)

    @Argument(help: "Spec files (YAML).")
    var specs: [String]

    @OptionGroup var overrideOptions: OverrideOptions

    func run() throws {
        for e in try SpecCommandSupport.loadAll(specs, overrides: overrideOptions.overrides) {
            print("\(e.specPath): experiment \(e.name), \(e.sizeDescription)")
            let drawn = Set(e.randomPaths)
            for r in e.runs {
                // Random-search runs list the values drawn for them (their names give only the trial).
                let values = r.axisValues.filter { drawn.contains($0.key) }.map { "\($0.key)=\($0.value)" }
                print("  \(r.runName)" + (values.isEmpty ? "" : "  " + values.joined(separator: " ")))
            }
        }
    }
}
