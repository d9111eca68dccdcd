import ArgumentParser
import Foundation
import NNEngine
import NNExperiments

/// `nnexp env` (also `nnexp --version --verbose`): what goes into a bug report, and what decides
/// whether this machine reproduces committed results byte for byte.
struct Env: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print nnexp's version, the BLAS library and kernel, and the CPU's feature level.",
        discussion: """
            Results are byte-identical between machines that run the same BLAS library version and kernel. \
            nnexp picks OpenBLAS's kernel from the CPU's features (SkylakeX for AVX-512, Haswell for \
            AVX2 + FMA, otherwise the library's choice); a user-set OPENBLAS_CORETYPE always wins. \
            See docs/performance.md and docs/results.md.

            Example:
              nnexp env
              nnexp --version --verbose
            """)

    func run() throws { print(Self.report(), terminator: "") }

    /// The report's lines, one `name: value` each.
    static func report() -> String {
        var lines: [(String, String)] = []
        lines.append(("nnexp", NNExpVersion.string))
        lines.append(("blas library", BLASInfo.library))
        lines.append(("blas library path", BLASInfo.libraryPath ?? "unknown"))
        lines.append(("blas build", BLASInfo.buildConfig))
        let source: String
        switch BLASInfo.kernelSource {
        case "nnexp": source = "chosen by nnexp for \(BLASInfo.cpuFeatureLevel)"
        case "user": source = "set by OPENBLAS_CORETYPE before nnexp started; a user-set kernel always wins"
        default: source = "OpenBLAS's own choice (nnexp has no rule for \(BLASInfo.cpuFeatureLevel))"
        }
        lines.append(("blas kernel in use", "\(BLASInfo.kernel) (\(source))"))
        lines.append(("blas kernel of nnexp's rule", BLASInfo.ruleKernel ?? "none (the library's choice)"))
        lines.append(
            ("blas kernel OpenBLAS picks itself", BLASInfo.libraryOwnKernel ?? probeLibraryKernel() ?? "unknown"))
        lines.append(
            (
                "blas threads per call",
                "1 while training (runs go side by side, see --jobs); library default \(BLASInfo.threads)"
            ))
        lines.append(("cpu", cpuModel() ?? "unknown"))
        lines.append(("cpu feature level", BLASInfo.cpuFeatureLevel))
        lines.append(("cores", "\(ProcessInfo.processInfo.activeProcessorCount)"))
        for name in ["OPENBLAS_CORETYPE", "OPENBLAS_NUM_THREADS", "OPENBLAS_L2_SIZE"] {
            if let v = ProcessInfo.processInfo.environment[name] { lines.append(("env \(name)", v)) }
        }
        let width = lines.map(\.0.count).max() ?? 0
        return lines.map { $0.0 + ":" + String(repeating: " ", count: width - $0.0.count + 1) + $0.1 + "\n" }.joined()
    }

    /// Starts this binary once more with OPENBLAS_CORETYPE unset and the probe variable set: it prints
    /// the kernel OpenBLAS picks by itself and exits before main (CBLASKernel).
    static func probeLibraryKernel() -> String? {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        var env = ProcessInfo.processInfo.environment
        env["OPENBLAS_CORETYPE"] = nil
        env[BLASInfo.probeVariable] = "1"
        p.environment = env
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        do { try p.run() } catch { return nil }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        let s = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return p.terminationStatus == 0 && !s.isEmpty ? s : nil
    }

    /// The CPU's model name from /proc/cpuinfo (Linux), nil elsewhere.
    static func cpuModel() -> String? {
        guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else { return nil }
        var model: String?
        var family: String?
        var number: String?
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2 else { continue }
            switch parts[0] {
            case "model name": model = model ?? parts[1]
            case "cpu family": family = family ?? parts[1]
            case "model": number = number ?? parts[1]
            default: break
            }
            if model != nil, family != nil, number != nil { break }
        }
        guard let model else { return nil }
        return model + (family.map { " (family \($0)" + (number.map { ", model \($0)" } ?? "") + ")" } ?? "")
    }
}
