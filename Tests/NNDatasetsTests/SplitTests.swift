import NNRandom
import XCTest

@testable import NNDatasets

final class SplitTests: XCTestCase {
    /// A pool whose single feature is the row number, so parts can be traced back to the pool.
    private func numbered(_ n: Int, from start: Int = 0, classes: Int = 3) -> InlineData {
        InlineData(
            features: (start..<(start + n)).map { [Double($0)] }, targets: .labels((0..<n).map { String($0 % classes) })
        )
    }
    private func ids(_ d: Dataset?) -> [Int] { d.map { $0.features.map { Int($0) } } ?? [] }

    func testClassicSeventyFifteenFifteenOfFiveThousand() throws {
        let c = DatasetConfig(
            source: .inline(train: numbered(20000), test: numbered(100, from: 20000)), mergeTest: true, sample: 5000,
            split: SplitConfig(test: .holdout(.fraction(0.15)), validation: .fraction(0.15)))
        let s = try DatasetLoader.build(c, seed: 42)
        XCTAssertEqual(s.train.count, 3500)
        XCTAssertEqual(s.validation?.count, 750)
        XCTAssertEqual(s.test?.count, 750)
        let all = ids(s.train) + ids(s.validation) + ids(s.test)
        XCTAssertEqual(Set(all).count, 5000, "parts overlap")
        // Stable for a seed, different for another.
        let again = try DatasetLoader.build(c, seed: 42)
        XCTAssertEqual(ids(again.test), ids(s.test))
        XCTAssertEqual(ids(again.train), ids(s.train))
        XCTAssertNotEqual(ids(try DatasetLoader.build(c, seed: 43).test), ids(s.test))
    }

    func testPartitionCoversPoolExactlyOnce() throws {
        for stratify in [false, true] {
            var rng = RNG(seed: 9)
            let labels = (0..<103).map { $0 % 4 }
            let p = try Splits.partition(
                count: 103, labels: labels,
                config: SplitConfig(test: .holdout(.count(20)), validation: .fraction(0.1), stratify: stratify),
                rng: &rng)
            XCTAssertEqual(p.test.count, 20)
            XCTAssertEqual(p.validation.count, 10)
            XCTAssertEqual(p.train.count, 73)
            XCTAssertEqual((p.train + p.validation + p.test).sorted(), Array(0..<103))
        }
    }

    func testStratifiedKeepsClassProportions() throws {
        // 60 / 30 / 10 samples of three classes; a 20 % test part must hold 12 / 6 / 2.
        let labels = [Int](repeating: 0, count: 60) + [Int](repeating: 1, count: 30) + [Int](repeating: 2, count: 10)
        var rng = RNG(seed: 5)
        let p = try Splits.partition(
            count: 100, labels: labels,
            config: SplitConfig(test: .holdout(.fraction(0.2)), validation: .count(10), stratify: true), rng: &rng)
        XCTAssertEqual((0..<3).map { c in p.test.filter { labels[$0] == c }.count }, [12, 6, 2])
        XCTAssertEqual((0..<3).map { c in p.validation.filter { labels[$0] == c }.count }, [6, 3, 1])
    }

    func testUnshuffledSplitTakesPartsInOrder() throws {
        let c = DatasetConfig(
            source: .inline(train: numbered(10), test: nil),
            split: SplitConfig(test: .holdout(.count(2)), validation: .count(3), shuffle: false))
        let s = try DatasetLoader.build(c, seed: 1)
        XCTAssertEqual(ids(s.train), [0, 1, 2, 3, 4])
        XCTAssertEqual(ids(s.validation), [5, 6, 7])
        XCTAssertEqual(ids(s.test), [8, 9])
        XCTAssertFalse(c.usesSeed)
    }

    func testFirstNSubsetsOfOwnParts() throws {
        let c = DatasetConfig(source: .inline(train: numbered(50), test: numbered(20)), trainCount: 30, testCount: 7)
        let s = try DatasetLoader.build(c, seed: 0)
        XCTAssertEqual(ids(s.train), Array(0..<30))
        XCTAssertEqual(ids(s.test), Array(0..<7))
        XCTAssertFalse(c.usesSeed)
    }

    func testValidationFromTrainKeepsOwnTest() throws {
        let c = DatasetConfig(
            source: .inline(train: numbered(100), test: numbered(10)),
            split: SplitConfig(test: .own, validation: .fraction(0.25), stratify: true))
        let s = try DatasetLoader.build(c, seed: 3)
        XCTAssertEqual(s.train.count, 75)
        XCTAssertEqual(s.validation?.count, 25)
        XCTAssertEqual(ids(s.test), Array(0..<10))
        XCTAssertTrue(Set(ids(s.train)).isDisjoint(with: ids(s.validation)))
    }

    func testSizesLargerThanTheDataNameBothNumbers() {
        let small = DatasetConfig.Source.inline(train: numbered(40), test: numbered(10))
        assertDatasetError(["train", "100", "only 40"]) {
            _ = try DatasetLoader.build(DatasetConfig(source: small, trainCount: 100), seed: 0)
        }
        assertDatasetError(["test", "11", "only 10"]) {
            _ = try DatasetLoader.build(DatasetConfig(source: small, testCount: 11), seed: 0)
        }
        assertDatasetError(["sample", "41", "only 40"]) {
            _ = try DatasetLoader.build(DatasetConfig(source: small, sample: 41), seed: 0)
        }
        assertDatasetError(["test asks for 50", "only 40"]) {
            _ = try DatasetLoader.build(
                DatasetConfig(source: small, split: SplitConfig(test: .holdout(.count(50)))), seed: 0)
        }
        assertDatasetError(["validation (30)", "test (10)", "pool of 40"]) {
            _ = try DatasetLoader.build(
                DatasetConfig(source: small, split: SplitConfig(test: .holdout(.count(10)), validation: .count(30))),
                seed: 0)
        }
        assertDatasetError(["fraction 1.0", "[0, 1)"]) {
            _ = try DatasetLoader.build(
                DatasetConfig(source: small, split: SplitConfig(validation: .fraction(1))), seed: 0)
        }
    }

    func testTestCountOnSourceWithoutTestPart() {
        assertDatasetError(["iris has no test part of its own"]) {
            _ = try DatasetLoader.build(DatasetConfig(source: .iris, testCount: 10), seed: 0)
        }
        assertDatasetError(["hold out its own test part"]) {
            _ = try DatasetLoader.build(
                DatasetConfig(source: .inline(train: self.numbered(5), test: self.numbered(5)), mergeTest: true),
                seed: 0)
        }
    }

    func testStratifyNeedsClasses() {
        let reg = InlineData(features: (0..<10).map { [Double($0)] }, targets: .values((0..<10).map { [Double($0)] }))
        assertDatasetError(["stratify needs class labels"]) {
            _ = try DatasetLoader.build(
                DatasetConfig(
                    source: .inline(train: reg, test: nil),
                    split: SplitConfig(test: .holdout(.count(2)), stratify: true)), seed: 0)
        }
    }
}
