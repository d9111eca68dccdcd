// nnexp-bench: the Swift side of `make bench`. Each subcommand times one case in this process and prints
// one JSON object on stdout; bench/run.py runs the contenders interleaved, in fresh processes, and
// turns the medians into the table. Nothing here is used by nnexp itself.
import Foundation
import NNEngine

BLASThreads.pinToOne()
let arguments = Array(CommandLine.arguments.dropFirst())
guard let command = arguments.first else {
    FileHandle.standardError.write(Data(BenchOptions.usage.utf8))
    exit(2)
}
do {
    let options = try BenchOptions(Array(arguments.dropFirst()))
    let report: [String: Any]
    switch command {
    case "raschka": report = try RaschkaEpoch.run(options)
    case "gemm": report = try GEMMCeiling.run(options)
    case "square": report = GEMMCeiling.square(options)
    case "per-sample": report = try PerSampleSGD.run(options)
    case "large": report = try LargeNetwork.run(options)
    case "reproduce-bound": report = try ReproduceBound.run(options)
    case "load": report = try LoadTiming.run(options)
    default: throw BenchError("unknown case '\(command)'\n" + BenchOptions.usage)
    }
    print(JSONLine.encode(report))
} catch {
    FileHandle.standardError.write(Data("nnexp-bench: \(error)\n".utf8))
    exit(1)
}
