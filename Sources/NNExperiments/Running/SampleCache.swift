import Foundation
import NNDatasets
import NNEngine

/// Converts a dataset to engine samples in a run's precision once, shared by every run that asks
/// for the same (dataset view, precision, outputs). Thread-safe.
///
/// This is where a part's features are first materialised: straight from the shared table through the
/// view's rows and preprocessing steps into the run's precision, so a Float32 run never holds a
/// Float64 copy of its data.
enum SampleCache {
    private struct Key: Hashable {
        let view: ObjectIdentifier
        let outputs: Int
        let precision: String
    }
    private static let lock = NSLock()
    /// Entries keep their view alive, so its identity in the key cannot be reused by another view
    /// while the entry exists (views are immutable: one view, one set of values).
    nonisolated(unsafe) private static var cache: [Key: (view: FeatureView, samples: Any)] = [:]

    static func samples<T: Real>(_: T.Type, _ d: Dataset, outputs: Int) -> Samples<T> {
        let key = Key(view: ObjectIdentifier(d.view), outputs: outputs, precision: T.precisionName)
        lock.lock()
        defer { lock.unlock() }
        if let s = cache[key]?.samples as? Samples<T> { return s }
        let x = features(T.self, d)
        let y: [T]
        switch d.targets {
        case .classes(let labels, _): y = Samples<T>.oneHot(labels: labels, classes: outputs)
        case .values(let v, _): y = v.map { T($0) }
        }
        let s = Samples<T>(x: x, y: y, count: d.count, inputs: d.dimension, outputs: outputs, view: d.view)
        cache[key] = (d.view, s)
        return s
    }

    /// `d`'s features in precision `T`: each value read (and preprocessed) in Float64, then rounded
    /// once to `T`, as converting a Float64 copy would.
    static func features<T: Real>(_: T.Type, _ d: Dataset) -> [T] {
        let n = d.count * d.dimension
        return [T](unsafeUninitializedCapacity: n) { out, initialized in
            let dim = d.dimension
            guard n > 0 else {
                initialized = 0
                return
            }
            d.forEachRow { i, row in
                for j in 0..<dim { (out.baseAddress! + i * dim + j).initialize(to: T(row[j])) }
            }
            initialized = n
        }
    }

    /// Drops the samples converted from any part of `data` (its split has left `DatasetCache`).
    static func forget(_ data: SplitDataset) {
        let views = [Optional(data.train), data.validation, data.test].compactMap {
            $0.map { ObjectIdentifier($0.view) }
        }
        lock.lock()
        defer { lock.unlock() }
        for key in cache.keys where views.contains(key.view) { cache[key] = nil }
    }

    /// Entries held right now (tests count them).
    static var count: Int {
        lock.lock()
        defer { lock.unlock() }
        return cache.count
    }

    /// Forgets everything (tests).
    static func removeAll() {
        lock.lock()
        cache.removeAll()
        lock.unlock()
    }
}
