import NNDatasets
import NNEngine
import Foundation

/// Loads the data a run needs through NNDatasets' process-wide cache, so concurrent runs share one copy.
enum DataProvider {
    static func load(_ config: RunConfig) throws -> SplitDataset {
        try DatasetLoader.load(config.dataset, seed: config.dataSeed ?? config.seed)
    }
}

/// Converts a dataset to engine samples in a run's precision once, shared by every run that asks
/// for the same (dataset, precision, outputs). Thread-safe.
enum SampleCache {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var cache: [String: Any] = [:]

    static func samples<T: Real>(_: T.Type, _ d: Dataset, outputs: Int) -> Samples<T> {
        let key = "\(d.name)#\(d.count)#\(d.dimension)#\(outputs)#\(T.precisionName)#\(d.features.count)#\(d.features.withUnsafeBufferPointer { UInt(bitPattern: $0.baseAddress) })"
        lock.lock(); defer { lock.unlock() }
        if let s = cache[key] as? Samples<T> { return s }
        let x = d.features.map { T($0) }
        let y: [T]
        switch d.targets {
        case .classes(let labels, _): y = Samples<T>.oneHot(labels: labels, classes: outputs)
        case .values(let v, _): y = v.map { T($0) }
        }
        let s = Samples<T>(x: x, y: y, count: d.count, inputs: d.dimension, outputs: outputs)
        cache[key] = s
        return s
    }
}
