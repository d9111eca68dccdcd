import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The SHA-256 of every file a run reads (data files, `model.init.file`), made part of its identity
/// (`RunConfig.inputs`, the `inputs:` block of config.yaml): rewriting an input means `config
/// changed` and a retrain. Hashes are cached in `<results>/.input-hashes.csv` keyed by (absolute path,
/// size, modification time), so planning rehashes only files that changed.
public final class InputHashes {
    /// The cache's file name in the results root.
    public static let cacheFileName = ".input-hashes.csv"
    private let cachePath: String
    private struct Key: Hashable {
        var path: String
        var size: Int64
        var mtime: String
    }
    private var cache: [Key: String] = [:]
    private var dirty = false

    /// Reads the cache of the results folder `root` (a missing or unreadable cache is empty).
    public init(resultsRoot root: String) {
        cachePath = (root as NSString).appendingPathComponent(Self.cacheFileName)
        guard let data = FileManager.default.contents(atPath: cachePath) else { return }
        let rows = CSVReader.rows(String(decoding: data, as: UTF8.self))
        guard rows.first == ["path", "bytes", "mtime", "sha256"] else { return }
        for r in rows.dropFirst() where r.count == 4 {
            if let size = Int64(r[1]), r[3].utf8.count == 64 { cache[Key(path: r[0], size: size, mtime: r[2])] = r[3] }
        }
    }

    /// The file's SHA-256 (from the cache when its size and modification time are unchanged); nil
    /// when it is not a readable regular file.
    public func hash(_ path: String) -> String? {
        let absolute = Self.absolute(path)
        var st = stat()
        guard stat(absolute, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { return nil }
        #if canImport(Darwin)
            let mtime = "\(st.st_mtimespec.tv_sec).\(st.st_mtimespec.tv_nsec)"
        #else
            let mtime = "\(st.st_mtim.tv_sec).\(st.st_mtim.tv_nsec)"
        #endif
        let key = Key(path: absolute, size: Int64(st.st_size), mtime: mtime)
        if let h = cache[key] { return h }
        guard let h = try? SHA256.hex(file: absolute) else { return nil }
        cache[key] = h
        dirty = true
        return h
    }

    /// Sets `inputs` of every run of every experiment.
    public func attach(_ experiments: [Experiment]) -> [Experiment] {
        experiments.map { e in
            var e = e
            e.runs = e.runs.map { c in
                var c = c
                c.inputs = c.inputFiles().compactMap { f in hash(f.path).map { (f.name, $0) } }
                return c
            }
            return e
        }
    }

    /// Writes the cache back when it learnt something (atomically; a concurrent writer's entries may
    /// be lost, which only costs a rehash). Failure to write is not an error: the cache is an aid.
    public func save() {
        guard dirty else { return }
        var t = CSVTable(header: ["path", "bytes", "mtime", "sha256"])
        for (k, h) in cache.sorted(by: { $0.key.path < $1.key.path }) { t.append([k.path, "\(k.size)", k.mtime, h]) }
        let dir = (cachePath as NSString).deletingLastPathComponent
        try? DurableFiles.makeDirectory(dir)
        try? DurableFiles.replace(cachePath, with: Array(t.text.utf8))
        dirty = false
    }

    static func absolute(_ path: String) -> String {
        let p =
            path.hasPrefix("/")
            ? path : (FileManager.default.currentDirectoryPath as NSString).appendingPathComponent(path)
        return (p as NSString).standardizingPath
    }
}

extension RunConfig {
    /// The files this run reads, as (name in config.yaml, path): its dataset's files and its
    /// `model.init.file`.
    public func inputFiles() -> [(name: String, path: String)] {
        var files = dataset.inputFiles()
        if let f = model.initFile {
            files.append((f, f.hasPrefix("/") ? f : (specDirectory as NSString).appendingPathComponent(f)))
        }
        return files
    }
}
