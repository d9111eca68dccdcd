import Foundation

/// Process-wide, thread-safe memo of loaded data, so that the runs of one `nnexp run` share each
/// distinct dataset read-only instead of reading and preprocessing it once per run.
///
/// Two levels: raw IDX folders (compact bytes, keyed by folder) so that differently preprocessed MNIST
/// configs re-read nothing, and finished splits keyed by config (plus seed when the config uses it).
/// A global lock guards only the dictionaries; each entry has its own lock, so two threads asking for
/// the same key wait for one load while loads of different keys proceed in parallel. Failures are
/// remembered too (the same bad file gives the same error without re-reading).
public final class DatasetCache: @unchecked Sendable {
    /// The cache all runs of the process share.
    public static let shared = DatasetCache()

    private final class Entry<Value>: @unchecked Sendable {
        let lock = NSLock()
        var result: Result<Value, DatasetError>?
    }
    private struct SplitKey: Hashable { let config: DatasetConfig; let seed: UInt64? }

    private let lock = NSLock()
    private var splits: [SplitKey: Entry<SplitDataset>] = [:]
    private var folders: [String: Entry<IDXFolder>] = [:]

    /// An empty cache (tests use their own).
    public init() {}

    /// The split dataset for `config` (and `seed` when the config uses it), loaded once; a failure is remembered.
    public func split(_ config: DatasetConfig, seed: UInt64) throws -> SplitDataset {
        let key = SplitKey(config: config, seed: config.usesSeed ? seed : nil)
        let entry = lock.withLock { () -> Entry<SplitDataset> in
            if let e = splits[key] { return e }
            let e = Entry<SplitDataset>(); splits[key] = e; return e
        }
        return try value(entry) { try DatasetLoader.build(config, seed: seed) }
    }

    /// The IDX files of `set` in `folder`, read once per standardised path; a failure is remembered.
    public func idxFolder(_ folder: String, set: IDXSet) throws -> IDXFolder {
        let key = (folder as NSString).standardizingPath + "\u{0}" + set.rawValue
        let entry = lock.withLock { () -> Entry<IDXFolder> in
            if let e = folders[key] { return e }
            let e = Entry<IDXFolder>(); folders[key] = e; return e
        }
        return try value(entry) { try IDXFolder.read(folder, setName: set.displayName, classCount: set.classNames.count) }
    }

    /// Forgets everything (tests; a long-lived process that wants the memory back).
    public func removeAll() {
        lock.withLock { splits.removeAll(); folders.removeAll() }
    }

    private func value<V>(_ entry: Entry<V>, _ make: () throws -> V) throws -> V {
        entry.lock.lock(); defer { entry.lock.unlock() }
        if entry.result == nil {
            do { entry.result = .success(try make()) }
            catch let e as DatasetError { entry.result = .failure(e) }
            catch { entry.result = .failure(DatasetError("\(error)")) }
        }
        return try entry.result!.get()
    }
}
