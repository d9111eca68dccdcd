import NNDatasets

/// Case 5b: reading full MNIST (train and test) from its `.gz` IDX files — inflate, parse, convert to
/// Float64 features — in a process that has not read it before, so no cache helps.
enum LoadTiming {
    static func run(_ o: BenchOptions) throws -> [String: Any] {
        let clock = ContinuousClock()
        let start = clock.now
        let split = try DatasetLoader.build(DatasetConfig(source: .mnist(path: nil), dataRoot: o.data), seed: 0)
        let s = seconds(clock.now - start)
        return ["case": "load", "seconds": s, "train": split.train.count, "test": split.test?.count ?? 0]
    }
}
