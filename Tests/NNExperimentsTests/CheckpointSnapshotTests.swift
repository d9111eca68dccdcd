import Foundation
import NNEngine
import XCTest

@testable import NNExperiments

/// A training snapshot survives the checkpoint file exactly (every scalar's bits, the RNG words, every
/// history row), a checkpoint missing a part is an error naming the file, and `training.checkpoint`'s
/// clock is due exactly when the spec says.
final class CheckpointSnapshotTests: XCTestCase {
    func testSnapshotRoundTripsThroughTheFileExactly() throws {
        var history = TrainingResult()
        history.epochCosts = [3.5, 2.25, Double(Float(0.1))]
        history.epochRates = [0.1, 0.05, 0.025]
        history.batchCosts = [1, 2, 3, 4, 5, 6]
        history.iterations = 6
        history.diagnostics = [
            [
                LayerDiagnostics(weightNorm: 1.5, gradientNorm: 0.1 + 0.2, updateRatio: 1e-3, deadShare: 0.25),
                LayerDiagnostics(weightNorm: 2, gradientNorm: .leastNonzeroMagnitude, updateRatio: 0)
            ],
            [
                LayerDiagnostics(weightNorm: 1.25, gradientNorm: 0.5, updateRatio: 2e-3, saturatedShare: 1),
                LayerDiagnostics(weightNorm: 3, gradientNorm: 0.25, updateRatio: 0.5)
            ]
        ]
        let state = OptimizerState(
            arrays: ["optimizer.velocity": [0.1, -0.0, .leastNonzeroMagnitude], "minimizer.h": []],
            scalars: [
                "plateau.best": .infinity, "minimizer.previous_cost": -.infinity,
                "optimizer.learning_rate": 0.1 + 0.2, "optimizer.t": 9_007_199_254_740_992,
                "stopping.best": Double(Float(1) / 3), "x.tiny": .leastNonzeroMagnitude
            ])
        var s = TrainingSnapshot(
            done: 3, parameters: [1, -2, .pi], state: state,
            shuffleRNG: [0, 1, .max, 0x9E37_79B9_7F4A_7C15], history: history)
        s.dropoutRNG = [.max, 7, 0, 0x0123_4567_89AB_CDEF]
        let accuracy = [
            (name: "train_accuracy", values: [0.5, 0.75, 1.0]), (name: "test_accuracy", values: [0.25, 0.5, 0.5])
        ]
        let c = Checkpoint(fingerprint: String(repeating: "0f", count: 32), snapshot: s, epochAccuracy: accuracy)
        let back = try Checkpoint.decode(c.encoded(), path: "ck").trainingState(path: "ck")
        XCTAssertEqual(back.snapshot, s)
        XCTAssertEqual(back.snapshot.state.scalars.mapValues(\.bitPattern), state.scalars.mapValues(\.bitPattern))
        XCTAssertEqual(back.epochAccuracy.map(\.name).sorted(), ["test_accuracy", "train_accuracy"])
        for (name, values) in accuracy { XCTAssertEqual(back.epochAccuracy.first { $0.name == name }?.values, values) }

        // A NaN scalar (CG before its first iteration) comes back as NaN.
        var n = s
        n.state.scalars["minimizer.previous_cost"] = .nan
        XCTAssertTrue(
            try Checkpoint(fingerprint: c.fingerprint, snapshot: n, epochAccuracy: []).trainingState(path: "ck")
                .snapshot.state.scalars["minimizer.previous_cost"]!.isNaN)
    }

    func testMissingPartsAreErrorsNamingTheFile() {
        let base = Checkpoint(
            fingerprint: "f", epoch: 2, scalars: ["iterations": "4"],
            arrays: ["parameters": [1], "history.cost": [1, 2]])
        XCTAssertNoThrow(try base.trainingState(path: "p"))
        for (change, message) in [
            ({ (c: inout Checkpoint) in c.arrays["parameters"] = nil }, "p: it holds no parameters"),
            ({ $0.arrays["history.cost"] = nil }, "p: it holds no cost history"),
            ({ $0.scalars["iterations"] = "-1" }, "p: its iteration count is missing"),
            ({ $0.scalars["rng.shuffle"] = "1 2 x 4" }, "p: its shuffle stream state '1 2 x 4' is not four words"),
            ({ $0.scalars["state.optimizer.t"] = "many" }, "p: its value 'many' of state.optimizer.t is not a number")
        ] {
            var c = base
            change(&c)
            XCTAssertThrowsError(try c.trainingState(path: "p")) { XCTAssertEqual("\($0)", message) }
        }
    }

    func testTheClockIsDueAsTheSpecSays() {
        final class Now: @unchecked Sendable { var t = Date(timeIntervalSince1970: 0) }
        let now = Now()
        XCTAssertEqual((1...7).map(CheckpointSchedule.Clock(nil).due), Array(repeating: false, count: 7))
        XCTAssertEqual(
            (1...7).map(CheckpointSchedule.Clock(CheckpointSchedule(every: 3)).due),
            [false, false, true, false, false, true, false])
        let timed = CheckpointSchedule.Clock(CheckpointSchedule(seconds: 10)) { now.t }
        var due: [Bool] = []
        for step in 1...6 {
            now.t = now.t.addingTimeInterval(4)  // steps end at 4, 8, 12, 16, 20, 24 s
            due.append(timed.due(step))
        }
        // Due at 12 s (restarting the clock), then at 24 s.
        XCTAssertEqual(due, [false, false, true, false, false, true])
        let both = CheckpointSchedule.Clock(CheckpointSchedule(every: 4, seconds: 10)) { now.t }
        due = []
        for step in 1...5 {
            now.t = now.t.addingTimeInterval(3)
            due.append(both.due(step))
        }
        // 3, 6, 9 s; step 4 by count (restarts the clock); 15 s is 6 s later.
        XCTAssertEqual(due, [false, false, false, true, false])
    }
}
