import Foundation
import NNDatasets
import NNEngine
import NNExperiments

/// What each fuzz target does with one input, shared by the libFuzzer executables (`make fuzz`) and
/// by the regression test that replays FuzzTesting/Regressions in `make test`. Every entry must
/// return normally for any input: errors are expected, a trap or a hang is the bug being hunted.
public enum FuzzEntries {
    /// The targets by name: the folder names under FuzzTesting/Corpus and FuzzTesting/Regressions.
    public static let targets: [String: ([UInt8]) -> Void] = [
        "spec": spec, "idx": idx, "csv": csv, "npy": npy
    ]

    /// A scratch file for this process (the readers take paths, as nnexp's users give them).
    static let scratch: String = {
        let dir = NSTemporaryDirectory() + "nnexp-fuzz-\(getpid())"
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }()

    static func file(_ name: String, _ bytes: [UInt8]) -> String {
        // Plain POSIX writes: FileManager's atomic replace costs milliseconds, the fuzzer wants thousands a second.
        let path = (scratch as NSString).appendingPathComponent(name)
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        guard fd >= 0 else { return path }
        bytes.withUnsafeBytes { b in
            var done = 0
            while done < b.count {
                let n = write(fd, b.baseAddress! + done, b.count - done)
                if n <= 0 { break }
                done += n
            }
        }
        close(fd)
        return path
    }

    /// Spec text → YAML tree → `extends`, sweep expansion, decoding and validation of every run,
    /// and each run's canonical config (no data is generated or read: a valid spec may ask for
    /// 100 million samples, which is a slow input, not a bug).
    public static func spec(_ bytes: [UInt8]) {
        let path = file("spec.yaml", bytes)
        guard let e = try? Experiment.load(path: path) else { return }
        for r in e.runs.prefix(16) { _ = r.canonicalYAML }
    }

    /// IDX images and labels, plain or gzip (the reader recognises gzip by its magic bytes).
    public static func idx(_ bytes: [UInt8]) {
        let path = file("data-idx", bytes)
        _ = try? IDX.readImages(path)
        _ = try? IDX.readLabels(path)
    }

    /// CSV with a header and the last column as the label, and without a header as regression.
    public static func csv(_ bytes: [UInt8]) {
        let path = file("data.csv", bytes)
        _ = try? CSV.load(CSVOptions(path: path))
        _ = try? CSV.load(CSVOptions(path: path, header: false, delimiter: ";", target: .values([.index(0)])))
    }

    /// One .npy array, and the same bytes as an .npz archive of initial weights for a 2-3-1 network.
    public static func npy(_ bytes: [UInt8]) {
        _ = try? NPY.decode(bytes)
        _ = try? NPZ.decode(bytes)
        _ = try? NPZ.parameters(
            from: bytes, architecture: Architecture(sizes: [2, 3, 1], hidden: .sigmoid, output: .sigmoid))
    }
}
