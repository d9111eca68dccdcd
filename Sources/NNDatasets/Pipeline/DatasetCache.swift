import Foundation

/// Process-wide, thread-safe memo of loaded data, so that the runs of one `nnexp run` share each
/// distinct dataset read-only instead of reading and preprocessing it once per run.
///
/// Two levels: raw IDX folders (compact bytes, keyed by folder) so that differently preprocessed MNIST
/// configs re-read nothing, and finished splits keyed by config (plus seed when the config uses it).
/// A global lock guards only the dictionaries; each entry has its own lock, so two threads asking for
/// the same key wait for one load while loads of different keys proceed in parallel. Failures are
/// remembered too (the same bad file gives the same error without re-reading).
///
/// Splits are reference counted by their users' plans, so that a sweep over seeds holds one seed's
/// split at a time rather than every seed's for the life of the process: `retain` says a run (or a
/// check) will use a split, `release` that it is done, and the entry is dropped when its last holder
/// releases it. A split loaded without being retained (a test, `gradcheck`) stays until `removeAll`.
/// Raw IDX folders are compact bytes and stay: every split of them is a view of those bytes (row
/// indices and preprocessing steps, see `FeatureView`), so a split entry costs little beyond its indices.
public final class DatasetCache: @unchecked Sendable {
    /// The cache all runs of the process share.
    public static let shared = DatasetCache()

    private final class Entry<Value>: @unchecked Sendable {
        let lock = NSLock()
        var result: Result<Value, DatasetError>?
    }
    private struct SplitKey: Hashable {
        let config: DatasetConfig
        let seed: UInt64?
    }

    private let lock = NSLock()
    private var splits: [SplitKey: Entry<SplitDataset>] = [:]
    /// Holders of each retained split key (absent: nobody retained it).
    private var holders: [SplitKey: Int] = [:]
    private var folders: [String: Entry<IDXFolder>] = [:]

    /// An empty cache (tests use their own).
    public init() {}

    /// The split dataset for `config` (and `seed` when the config uses it), loaded once; a failure is remembered.
    public func split(_ config: DatasetConfig, seed: UInt64) throws -> SplitDataset {
        let key = SplitKey(config: config, seed: config.usesSeed ? seed : nil)
        let entry = lock.withLock { () -> Entry<SplitDataset> in
            if let e = splits[key] { return e }
            let e = Entry<SplitDataset>()
            splits[key] = e
            return e
        }
        return try value(entry) { try DatasetLoader.build(config, seed: seed) }
    }

    /// Says one more user will ask for `split(config, seed:)` and later `release` it.
    public func retain(_ config: DatasetConfig, seed: UInt64) {
        let key = SplitKey(config: config, seed: config.usesSeed ? seed : nil)
        lock.withLock { holders[key, default: 0] += 1 }
    }

    /// Ends one `retain`. When that was the last holder, the cached split is dropped and returned (nil
    /// when it is still held or was never loaded), so that caches built on it can drop theirs too.
    @discardableResult
    public func release(_ config: DatasetConfig, seed: UInt64) -> SplitDataset? {
        let key = SplitKey(config: config, seed: config.usesSeed ? seed : nil)
        let entry = lock.withLock { () -> Entry<SplitDataset>? in
            guard let n = holders[key] else { return nil }
            if n > 1 {
                holders[key] = n - 1
                return nil
            }
            holders[key] = nil
            return splits.removeValue(forKey: key)
        }
        // A thread still building it finishes under the entry's lock; its caller keeps its copy.
        guard let entry else { return nil }
        return entry.lock.withLock { try? entry.result?.get() }
    }

    /// Splits held in the cache right now (tests count them; not bytes).
    public var splitCount: Int { lock.withLock { splits.count } }

    /// The IDX files of `set` in `folder`, read once per standardised path; a failure is remembered.
    public func idxFolder(_ folder: String, set: IDXSet) throws -> IDXFolder {
        let key = (folder as NSString).standardizingPath + "\u{0}" + set.rawValue
        let entry = lock.withLock { () -> Entry<IDXFolder> in
            if let e = folders[key] { return e }
            let e = Entry<IDXFolder>()
            folders[key] = e
            return e
        }
        return try value(entry) {
            try IDXFolder.read(folder, setName: set.displayName, classCount: set.classNames.count)
        }
    }

    /// Forgets everything (tests; a long-lived process that wants the memory back).
    public func removeAll() {
        lock.withLock {
            splits.removeAll()
            folders.removeAll()
            holders.removeAll()
        }
    }

    private func value<V>(_ entry: Entry<V>, _ make: () throws -> V) throws -> V {
        entry.lock.lock()
        defer { entry.lock.unlock() }
        if entry.result == nil {
            do { entry.result = .success(try make()) } catch let e as DatasetError { entry.result = .failure(e) } catch
            { entry.result = .failure(DatasetError("\(error)")) }
        }
        return try entry.result!.get()
    }
}
