import NNDatasets
import NNEngine
import Foundation

/// Converts a dataset to engine samples in a run's precision once, shared by every run that asks
/// for the same (dataset, precision, outputs). Thread-safe.
enum SampleCache {
    private static let lock = NSLock()
    /// Entries keep the source features alive, so the buffer address in the key cannot be reused by
    /// another dataset while the entry exists.
    nonisolated(unsafe) private static var cache: [String: (source: [Double], samples: Any)] = [:]

    static func samples<T: Real>(_: T.Type, _ d: Dataset, outputs: Int) -> Samples<T> {
        let address = d.features.withUnsafeBufferPointer { UInt(bitPattern: $0.baseAddress) }
        let key = "\(address)#\(d.count)#\(d.dimension)#\(outputs)#\(T.precisionName)"
        lock.lock(); defer { lock.unlock() }
        if let s = cache[key]?.samples as? Samples<T> { return s }
        // Float64 runs share the dataset's own array; Float32 runs get one converted copy.
        let x = (d.features as? [T]) ?? d.features.map { T($0) }
        let y: [T]
        switch d.targets {
        case .classes(let labels, _): y = Samples<T>.oneHot(labels: labels, classes: outputs)
        case .values(let v, _): y = v.map { T($0) }
        }
        let s = Samples<T>(x: x, y: y, count: d.count, inputs: d.dimension, outputs: outputs)
        cache[key] = (d.features, s)
        return s
    }

    /// Drops the samples converted from any part of `data` (its split has left `DatasetCache`).
    static func forget(_ data: SplitDataset) {
        let prefixes = [Optional(data.train), data.validation, data.test].compactMap { $0 }.map { d in
            "\(d.features.withUnsafeBufferPointer { UInt(bitPattern: $0.baseAddress) })#"
        }
        lock.lock(); defer { lock.unlock() }
        for key in cache.keys where prefixes.contains(where: { key.hasPrefix($0) }) { cache[key] = nil }
    }

    /// Entries held right now (tests count them).
    static var count: Int { lock.lock(); defer { lock.unlock() }; return cache.count }

    /// Forgets everything (tests).
    static func removeAll() { lock.lock(); cache.removeAll(); lock.unlock() }
}
