import NNEngine
import XCTest

@testable import NNExperiments

/// The spec decoder, the canonical config and the messages derive from NNEngine's optimizer registry.
final class OptimizerRegistryTests: XCTestCase {
    func decode(_ optimizer: String, training: String = "") throws -> RunConfig {
        let folder = try SpecFolder([
            "t.yaml":
                "experiment: t\ndataset: {name: xor}\nmodel: {layers: [2, 2, 1]}\noptimizer: \(optimizer)\n\(training)"
        ])
        defer { folder.remove() }
        return try folder.load("t.yaml").runs[0]
    }

    /// Every registered optimizer decodes from `{type: NAME}`, writes only its own keys, in order, and
    /// its canonical settings read back to the same optimizer.
    func testEveryOptimizerRoundTripsThroughItsCanonicalSettings() throws {
        XCTAssertEqual(Set(OptimizerRegistry.names).count, OptimizerRegistry.all.count, "names are unique")
        for kind in OptimizerRegistry.all {
            let c = try decode("{type: \(kind.name)}")
            XCTAssertEqual(c.optimizer.name, kind.name)
            var w = SettingsWriter()
            c.optimizer.settings.write(to: &w)
            let written = w.entries.map(\.key)
            XCTAssertEqual(written, kind.keys.filter(written.contains), "\(kind.name) writes its keys in order")
            let inline = w.entries.map { "\($0.key): \(YAMLWriter.text($0.value))" }.joined(separator: ", ")
            let back = try decode("{type: \(kind.name)\(inline.isEmpty ? "" : ", " + inline)}")
            XCTAssertEqual(back.optimizer, c.optimizer, kind.name)
            XCTAssertEqual(back.canonicalYAML, c.canonicalYAML, kind.name)
        }
    }

    func testTypeMessageListsTheRegistry() throws {
        XCTAssertThrowsError(try decode("{type: adamm}")) { error in
            XCTAssertTrue(
                "\(error)".contains(
                    "`optimizer.type` must be one of \(OptimizerRegistry.names.joined(separator: ", ")), found 'adamm'; did you mean `adam`?"
                ), "\(error)")
        }
    }

    /// `optimizer.clip` is decoded for first-order optimizers, refused for full-batch ones, and written
    /// to the canonical config only when set (configs without it keep their bytes).
    func testClip() throws {
        let plain = try decode("{type: adam}")
        XCTAssertNil(plain.optimizer.clip)
        XCTAssertFalse(plain.canonicalYAML.contains("clip"))
        let norm = try decode("{type: adam, clip: {norm: 2.5}}")
        XCTAssertEqual(norm.optimizer.clip, .norm(2.5))
        XCTAssertTrue(
            norm.canonicalYAML.contains("  epsilon: 1e-08\n  decay: 0\n  clip: {norm: 2.5}\n"), norm.canonicalYAML)
        XCTAssertNotEqual(norm, plain)
        XCTAssertEqual(try decode("{type: rprop, clip: {value: 0.1}}").optimizer.clip, .value(0.1))

        let folder = try SpecFolder([
            "t.yaml": validHead.replacingOccurrences(of: "{type: sgd}", with: "{type: sgd, clip: {norm: 1, value: 2}}"),
            "u.yaml": validHead.replacingOccurrences(of: "{type: sgd}", with: "{type: lbfgs, clip: {norm: 1}}"),
            "v.yaml": validHead.replacingOccurrences(of: "{type: sgd}", with: "{type: sgd, clip: {nrom: -1}}")
        ])
        defer { folder.remove() }
        XCTAssertEqual(
            folder.errors("t.yaml"),
            [
                "t.yaml:4:30: error: `optimizer.clip` takes one of {norm: X} (cap the gradient's L2 norm) or {value: X} (cap each component)"
            ])
        XCTAssertEqual(
            folder.errors("u.yaml"),
            [
                "u.yaml:4:26: error: `optimizer.clip` does not apply to optimizer 'lbfgs' (it takes: max_iterations, tolerance, memory)"
            ])
        XCTAssertEqual(
            folder.errors("v.yaml"),
            [
                "v.yaml:4:31: error: unknown key `nrom` in `optimizer.clip`; did you mean `norm`?",
                "v.yaml:4:30: error: `optimizer.clip` takes one of {norm: X} (cap the gradient's L2 norm) or {value: X} (cap each component)"
            ].sorted())
    }
}

/// `optimizer.schedule` in specs, config.yaml and cost.csv.
final class ScheduleSpecTests: XCTestCase {
    func testScheduleIsDecodedWrittenAndRecorded() throws {
        let spec =
            validHead.replacingOccurrences(
                of: "{type: sgd}",
                with: "{type: sgd, learning_rate: 0.5, schedule: {type: cosine, min: 0.01, warmup: 2}}")
            + "training: {epochs: 4}\n"
        let folder = try SpecFolder(["t.yaml": spec, "plain.yaml": validHead + "training: {epochs: 4}\n"])
        defer { folder.remove() }
        let run = try folder.load("t.yaml").runs[0]
        XCTAssertEqual(run.optimizer.schedule, LearningRateSchedule(.cosine(min: 0.01, restartEvery: nil), warmup: 2))
        XCTAssertTrue(
            run.canonicalYAML.contains("  decay: 0\n  schedule: {type: cosine, min: 0.01, warmup: 2}\n"),
            run.canonicalYAML)
        let outcome = RunExecutor.execute(run)
        let cost = String(decoding: outcome.files["cost.csv"]!, as: UTF8.self).split(separator: "\n")
        XCTAssertEqual(cost[0], "epoch,cost,learning_rate")
        let c = LearningRateSchedule(.cosine(min: 0.01, restartEvery: nil), warmup: 2)
        for e in 0..<4 {
            XCTAssertEqual(Double(cost[e + 1].split(separator: ",")[2])!, c.rate(epoch: e, base: 0.5, epochs: 4))
        }
        // Without a schedule the column holds the constant rate (sgd's default 0.1).
        let plain = RunExecutor.execute(try folder.load("plain.yaml").runs[0])
        let plainRows = String(decoding: plain.files["cost.csv"]!, as: UTF8.self).split(separator: "\n")
        XCTAssertEqual(plainRows[0], "epoch,cost,learning_rate")
        XCTAssertEqual(plainRows.dropFirst().map { $0.split(separator: ",")[2] }, ["0.1", "0.1", "0.1", "0.1"])
    }

    /// `cost.csv` has the `learning_rate` column for every first-order optimizer with a rate, holding
    /// the rate of each epoch (here the decay rules' closed forms); rprop (a step per parameter) and the
    /// full-batch optimizers (no rate) have none.
    func testLearningRateColumnOfEveryOptimizer() throws {
        func costRows(_ optimizer: String, training: String = "training: {epochs: 4}\n") throws -> [[Substring]] {
            let folder = try SpecFolder([
                "t.yaml": validHead.replacingOccurrences(of: "{type: sgd}", with: optimizer) + training
            ])
            defer { folder.remove() }
            let outcome = RunExecutor.execute(try folder.load("t.yaml").runs[0])
            return String(decoding: outcome.files["cost.csv"]!, as: UTF8.self).split(separator: "\n").map {
                $0.split(separator: ",", omittingEmptySubsequences: false)
            }
        }
        func rates(_ rows: [[Substring]]) -> [Double] { rows.dropFirst().map { Double($0[2])! } }
        for (type, rate) in [("sgd", 0.1), ("adam", 0.001), ("adamw", 0.001), ("rmsprop", 0.01), ("adagrad", 0.01)] {
            let rows = try costRows("{type: \(type)}")
            XCTAssertEqual(rows[0], ["epoch", "cost", "learning_rate"], type)
            XCTAssertEqual(rates(rows), [rate, rate, rate, rate], type)
        }
        XCTAssertEqual(
            rates(try costRows("{type: adam, learning_rate: 0.2, decay: 0.5}")), [0.2, 0.2 / 1.5, 0.2 / 2, 0.2 / 2.5])
        let compounding = rates(
            try costRows("{type: rmsprop, learning_rate: 0.2, decay: 0.5, decay_rule: compounding}"))
        for (g, w) in zip(compounding, [0.2, 0.2 / 1.5, 0.2 / (1.5 * 2), 0.2 / (1.5 * 2 * 2.5)]) {
            XCTAssertEqual(g, w, accuracy: 1e-16)
        }
        XCTAssertEqual(
            rates(try costRows("{type: sgd, learning_rate: 0.2, decay_every: 2, decay_factor: 0.5}")),
            [0.2, 0.2, 0.1, 0.1])
        XCTAssertEqual(try costRows("{type: rprop}")[0], ["epoch", "cost"])
        for type in ["bfgs", "lbfgs", "cg"] {
            XCTAssertEqual(
                try costRows("{type: \(type), max_iterations: 3}", training: "")[0], ["iteration", "cost"], type)
        }
    }

    /// An older decay spelling and its `schedule` spelling train to the same bytes (cost.csv with its
    /// rates, weights.npz): one mechanism. Factor 0.3 is inexact, so any difference in the order of
    /// operations between the spellings would show in the last bits.
    func testDecaySpellingAndScheduleSpellingGiveTheSameBytes() throws {
        let training = "training: {epochs: 7, batch_size: 2, shuffle: true}\n"
        let folder = try SpecFolder([
            "old.yaml": validHead.replacingOccurrences(
                of: "{type: sgd}",
                with:
                    "{type: sgd, learning_rate: 0.7, momentum: 0.5, decay_rule: step, decay_every: 2, decay_factor: 0.3}"
            ) + training,
            "new.yaml": validHead.replacingOccurrences(
                of: "{type: sgd}",
                with: "{type: sgd, learning_rate: 0.7, momentum: 0.5, schedule: {type: step, every: 2, factor: 0.3}}")
                + training
        ])
        defer { folder.remove() }
        let old = try folder.load("old.yaml").runs[0]
        let new = try folder.load("new.yaml").runs[0]
        XCTAssertNil(old.optimizer.schedule)
        XCTAssertEqual(old.optimizer.effectiveSchedule, new.optimizer.schedule)
        // Each spelling keeps its own canonical config (existing runs keep their fingerprints).
        XCTAssertTrue(
            old.canonicalYAML.contains("  decay_rule: step\n  decay_every: 2\n  decay_factor: 0.3\n"), old.canonicalYAML
        )
        let a = RunExecutor.execute(old)
        let b = RunExecutor.execute(new)
        XCTAssertNotNil(a.files["weights.npz"])
        for file in ["cost.csv", "weights.npz"] { XCTAssertEqual(a.files[file], b.files[file], file) }
        XCTAssertTrue(String(decoding: a.files["cost.csv"]!, as: UTF8.self).contains(",\(0.7 * 0.3 * 0.3)\n"))
    }

    func testScheduleMistakes() throws {
        func errors(_ optimizer: String) throws -> [String] {
            let folder = try SpecFolder(["t.yaml": validHead.replacingOccurrences(of: "{type: sgd}", with: optimizer)])
            defer { folder.remove() }
            return folder.errors("t.yaml")
        }
        XCTAssertEqual(
            try errors("{type: sgd, decay: 0.1, schedule: {type: exponential, gamma: 0.9}}"),
            ["t.yaml:4:24: error: give `optimizer.decay` (a decay rule) or `optimizer.schedule`, not both"])
        XCTAssertEqual(
            try errors("{type: sgd, schedule: {type: step}}"),
            ["t.yaml:4:35: error: `optimizer.schedule: {type: step}` needs `every` (epochs between cuts)"])
        XCTAssertEqual(
            try errors("{type: adam, schedule: {type: cosin}}"),
            [
                "t.yaml:4:42: error: `optimizer.schedule.type` must be one of step, exponential, cosine, warmup, plateau, found 'cosin'; did you mean `cosine`?"
            ])
        XCTAssertEqual(
            try errors("{type: adam, schedule: {type: cosine, gamma: 0.5}}"),
            [
                "t.yaml:4:50: error: `optimizer.schedule.gamma` does not apply to schedule 'cosine' (it takes: warmup, min, restart_every)"
            ])
        XCTAssertEqual(
            try errors("{type: rprop, schedule: {type: warmup, warmup: 3}}"),
            [
                "t.yaml:4:26: error: `optimizer.schedule` does not apply to optimizer 'rprop' (it takes: learning_rate, eta_minus, eta_plus, step_min, step_max, clip)"
            ])
    }
}
