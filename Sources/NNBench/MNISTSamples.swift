import NNDatasets
import NNEngine

/// Real MNIST (training part), read through NNDatasets exactly as a spec would read it, and converted
/// to engine samples. Pixels stay raw 0…255 as in Raschka's chapter (`--scaled`: ÷ 255); `binarize`
/// turns them into 0/1 as the per-sample seed does.
enum MNISTSamples {
    static func load<T: Real>(_: T.Type, options: BenchOptions, count: Int?, binarize: Bool = false) throws -> Samples<
        T
    > {
        let config = DatasetConfig(
            source: .mnist(path: nil), trainCount: count,
            preprocessing: binarize ? [.binarize(threshold: 0)] : options.scaled ? [.scale(255)] : [],
            dataRoot: options.data)
        let train = try DatasetLoader.load(config, seed: 0).train
        guard let labels = train.labels else { throw BenchError("MNIST has no labels") }
        let x = train.features.map { T($0) }
        let y = Samples<T>.oneHot(labels: labels, classes: 10)
        // As `nnexp run` converts a dataset: scaled pixels are gathered from their bytes.
        return Samples<T>(x: x, y: y, count: train.count, inputs: train.dimension, outputs: 10, view: train.view)
    }
}

/// Collects the wall-clock time at the end of every epoch from the trainer's progress callback, and
/// the training thread's CPU time (which a busy machine's preemptions do not inflate: with helper
/// threads it still counts the caller's waits for them, so it stays close to a quiet machine's wall
/// time).
final class EpochClock: @unchecked Sendable {
    private let clock = ContinuousClock()
    private(set) var marks: [ContinuousClock.Instant] = []
    private(set) var cpuMarks: [Double] = []
    let start: ContinuousClock.Instant
    let cpuStart: Double
    init() {
        start = clock.now
        cpuStart = threadCPUSeconds()
    }
    func mark() {
        marks.append(clock.now)
        cpuMarks.append(threadCPUSeconds())
    }
    /// Duration of each epoch, the first measured from `start`.
    var epochSeconds: [Double] {
        var previous = start
        return marks.map { m in
            defer { previous = m }
            return seconds(m - previous)
        }
    }
    /// The training thread's CPU seconds in each epoch.
    var epochCPUSeconds: [Double] {
        var previous = cpuStart
        return cpuMarks.map { m in
            defer { previous = m }
            return m - previous
        }
    }
}
