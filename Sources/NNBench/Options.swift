import Foundation
import NNEngine

struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ d: String) { description = d }
}

/// `--key value` options shared by every case (no ArgumentParser: the bench target depends only on
/// the project's own modules).
struct BenchOptions {
    static let usage = """
        usage: nnexp-bench <raschka|gemm|square|per-sample|large|load|reproduce-bound> [--precision float32|float64] [--epochs N]
                           [--samples N] [--repeats N] [--size N] [--data DIR] [--scaled] [--layers 784,800,10] [--threads N]
                           [--cores N] [--results DIR] [--spec FILE] [SPEC…]   (reproduce-bound: the specs)

        """
    var precision = "float32"
    /// Timed epochs (raschka) after one untimed warm-up epoch.
    var epochs = 3
    /// Training samples (raschka, gemm: the first N of MNIST's 60 000; per-sample: samples timed).
    var samples: Int? = nil
    var repeats = 3
    var size = 1024
    var data: String? = nil
    /// raschka: pixels ÷ 255 instead of raw 0…255, so the features are not bytes: minibatches are
    /// gathered from the pixel bytes through the scaling step (what a scaled or standardised dataset costs).
    var scaled = false
    /// raschka, large: threads each run's products use (ProductBlocks; results are the same bits).
    var threads = 1
    /// reproduce-bound: the spec files, and the cores the bound assumes (default: this machine's).
    var specs: [String] = []
    /// reproduce-bound: a results folder whose recorded epochs replace the specs' maxima.
    var results: String? = nil
    var cores = ProcessInfo.processInfo.activeProcessorCount
    /// raschka, gemm: the spec whose one run is timed (the one source of Raschka's settings).
    var spec = "experiments/raschka-mnist.yaml"
    /// large: the layer sizes, input to output.
    var layers = [784, 800, 10]

    init(_ args: [String]) throws {
        var i = 0
        func value() throws -> String {
            guard i + 1 < args.count else { throw BenchError("\(args[i]) needs a value") }
            i += 1
            return args[i]
        }
        func int() throws -> Int {
            let flag = args[i]
            let v = try value()
            guard let n = Int(v), n > 0 else { throw BenchError("\(flag) needs a positive integer, got '\(v)'") }
            return n
        }
        while i < args.count {
            switch args[i] {
            case "--precision":
                precision = try value()
                guard precision == "float32" || precision == "float64" else {
                    throw BenchError("--precision must be float32 or float64, got '\(precision)'")
                }
            case "--epochs": epochs = try int()
            case "--samples": samples = try int()
            case "--repeats": repeats = try int()
            case "--size": size = try int()
            case "--data": data = try value()
            case "--scaled": scaled = true
            case "--threads": threads = try int()
            case "--cores": cores = try int()
            case "--results": results = try value()
            case "--spec": spec = try value()
            case "--layers":
                let v = try value()
                let sizes = v.split(separator: ",").compactMap { Int($0) }
                guard sizes.count >= 2, sizes.count == v.split(separator: ",").count, sizes.allSatisfy({ $0 > 0 })
                else {
                    throw BenchError("--layers needs positive sizes separated by commas, got '\(v)'")
                }
                layers = sizes
            default:
                guard !args[i].hasPrefix("-") else {
                    throw BenchError("unknown option '\(args[i])'\n" + BenchOptions.usage)
                }
                specs.append(args[i])
            }
            i += 1
        }
    }
}

/// Seconds from a `ContinuousClock` duration.
func seconds(_ d: Duration) -> Double {
    Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
}

func median(_ xs: [Double]) -> Double {
    let s = xs.sorted()
    guard !s.isEmpty else { return .nan }
    return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
}

enum JSONLine {
    static func encode(_ object: [String: Any]) -> String {
        guard let d = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]),
            let s = String(data: d, encoding: .utf8)
        else { return "{}" }
        return s
    }
}
