import Foundation
import XCTest

/// `check`, `gradcheck` and the help of every command.
final class CommandTests: XCTestCase {
    func testEveryCommandsHelpHasAnExample() throws {
        let dir = try tempDir()
        for command in [[], ["run"], ["check"], ["gradcheck"]] {
            let h = try run(command + ["--help"], cwd: dir)
            XCTAssertEqual(h.status, 0, "\(command)")
            XCTAssertTrue(h.out.contains("Example"), "\(command): \(h.out)")
            XCTAssertTrue(h.out.contains("nnexp \(command.first ?? "run") "), "\(command): \(h.out)")
        }
    }

    func testCheckListsRunsAndReportsAllMistakes() throws {
        let dir = try tempDir()
        try write(
            """
            experiment: c
            dataset: {name: xor}
            model: {layers: [2, 3, 1]}
            optimizer: {type: sgd}
            sweep: {model.activation: [tanh, relu]}
            """, to: "ok.yaml", in: dir)
        try write(
            """
            experiment: d
            dataset: {name: xor}
            model: {layers: [2, 3, 1]}
            optimizer: {type: sgd, lr: 1}
            sweep: {regularization.l3: [1]}
            """, to: "bad.yaml", in: dir)
        let ok = try run(["check", "ok.yaml"], cwd: dir)
        XCTAssertEqual(ok.status, 0, ok.err)
        XCTAssertEqual(ok.out, "ok.yaml: experiment c, 2 = 2 runs\n  activation=tanh\n  activation=relu\n")
        let bad = try run(["check", "ok.yaml", "bad.yaml"], cwd: dir)
        XCTAssertEqual(bad.status, 2)
        XCTAssertEqual(bad.out, "")
        XCTAssertEqual(
            bad.err,
            """
            bad.yaml:4:24: error: unknown key `lr` in `optimizer` (known keys: type, learning_rate, momentum, momentum_rule, decay, decay_rule, decay_every, decay_factor, clip, schedule)
            bad.yaml:5:9: error: sweep path `regularization.l3` names no key; did you mean `regularization.l1`?
            2 errors in spec

            """)
    }

    func testGradcheckPrintsPerLayerVerdicts() throws {
        let dir = try tempDir()
        try write(
            """
            experiment: g
            dataset: {name: xor}
            model: {layers: [2, 5, 3, 1], activation: tanh, output: sigmoid, loss: logistic, reduction: mean}
            optimizer: {type: sgd}
            regularization: {l2: 0.1}
            sweep: {seed: [1, 2]}
            """, to: "g.yaml", in: dir)
        let r = try run(["gradcheck", "g.yaml", "--samples", "4"], cwd: dir)
        XCTAssertEqual(r.status, 0, r.err)
        let lines = r.out.split(separator: "\n")
        XCTAssertEqual(lines.count, 2 * 4)
        XCTAssertTrue(lines[0].hasPrefix("g/seed=1: relative error "), r.out)
        XCTAssertEqual(lines.filter { $0.hasPrefix("  layer ") }.count, 6)
        XCTAssertTrue(lines.allSatisfy { $0.hasSuffix(" ok") }, r.out)
    }
}
