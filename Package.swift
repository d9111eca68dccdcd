// swift-tools-version:6.0
// nnexp — a declarative experiment runner for neural networks built from first principles.
//
// Layers (dependencies point downwards only; each line lists exactly the modules that target's files import):
//   nnexp (CLI)   → NNExperiments, NNEngine, ArgumentParser
//   nnexp-bench   → NNExperiments, NNDatasets, NNEngine
//   FuzzEntries   → NNExperiments, NNDatasets, NNEngine        (FuzzSpec, FuzzIDX, FuzzCSV, FuzzNPY → FuzzEntries)
//   NNExperiments → NNDatasets, NNEngine, NNZlib, CYAML, CNettle
//   NNDatasets    → NNEngine, NNRandom, NNZlib
//   NNEngine      → NNRandom, NNZlib, CKernels, CBLASKernel, CBLAS, CLBFGS
//   NNZlib        → CZlib
// NNRandom, CKernels, CBLASKernel and the C shims (CBLAS, CYAML, CZlib, CLBFGS, CNettle) depend on nothing of
// nnexp. ArchitectureTests checks these lines and docs/architecture.md's diagram against the targets below.
import PackageDescription

let package = Package(
    name: "nnexp",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "nnexp", targets: ["nnexp"]),
        .library(name: "NNEngine", targets: ["NNEngine"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
    ],
    targets: [
        // C shims over Debian's system libraries, found through pkg-config.
        .systemLibrary(name: "CBLAS", path: "Sources/CBLAS", pkgConfig: "openblas",
                       providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(name: "CYAML", path: "Sources/CYAML", pkgConfig: "yaml-0.1",
                       providers: [.apt(["libyaml-dev"])]),
        .systemLibrary(name: "CZlib", path: "Sources/CZlib", pkgConfig: "zlib",
                       providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CLBFGS", path: "Sources/CLBFGS", pkgConfig: "liblbfgs",
                       providers: [.apt(["liblbfgs-dev"])]),
        // Nettle's SHA-256 for run manifests and input-file hashes (a small, well-kept Debian library, rather
        // than a hand-written hash or all of OpenSSL's libcrypto).
        .systemLibrary(name: "CNettle", path: "Sources/CNettle", pkgConfig: "nettle",
                       providers: [.apt(["nettle-dev"])]),

        // Hand-written C for the engine's elementwise hot loops (sigmoid, byte features and their gather), built for
        // several instruction sets, the widest the CPU has chosen at run time; bit-identical on every CPU (see its header).
        .target(name: "CKernels"),
        // nnexp's OpenBLAS kernel rule (one kernel per CPU feature level), applied before main by
        // re-executing the process with OPENBLAS_CORETYPE set; see its header.
        .target(name: "CBLASKernel"),

        // Seeded, platform-independent random numbers shared by the engine and the datasets.
        .target(name: "NNRandom"),
        // zlib's inflate and CRC-32 behind one small API, bounded by its callers: gzip data files
        // (NNDatasets) and deflated .npz members (NNEngine).
        .target(name: "NNZlib", dependencies: ["CZlib"]),
        // Engine: tensors over CBLAS, layers, activations, losses, optimizers, gradient check, NPZ bytes
        // (NNZlib: CRC-32 and inflate for numpy.savez_compressed members).
        // Knows nothing of YAML or files.
        .target(name: "NNEngine", dependencies: ["NNRandom", "CBLAS", "CLBFGS", "NNZlib", "CKernels", "CBLASKernel"]),
        // Datasets: IDX (+gzip), CSV, NPZ, synthetic generators, preprocessing and splits. Uses the
        // engine's NPY/NPZ decoding (the `npz` source) and its typed settings (`Bounds`, `SettingsWriter`)
        // through which a source's arguments are described; never YAML.
        .target(name: "NNDatasets", dependencies: ["NNRandom", "NNEngine", "NNZlib"], resources: [.copy("Resources")]),
        // Experiments: YAML specs, validation, sweeps, scheduler, result writers, reports, diff.
        .target(name: "NNExperiments", dependencies: ["NNEngine", "NNDatasets", "CYAML", "CNettle", "NNZlib"]),
        // The thin command-line front end.
        .executableTarget(name: "nnexp", dependencies: [
            "NNExperiments", "NNEngine",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        // `make bench`: times the engine's cases for bench/run.py (not a product; no test depends on it).
        .executableTarget(name: "nnexp-bench", dependencies: ["NNEngine", "NNDatasets", "NNExperiments"], path: "Sources/NNBench"),

        // Fuzzing (`make fuzz`, docs/fuzzing.md): what each libFuzzer target does with one input, shared
        // with the test that replays FuzzTesting/Regressions; one executable per target, built with
        // `--sanitize=fuzzer --sanitize=address` only by scripts/fuzz.sh (a plain build makes harmless
        // executables whose main does nothing).
        .target(name: "FuzzEntries", dependencies: ["NNExperiments", "NNDatasets", "NNEngine"],
                path: "FuzzTesting/Sources/FuzzEntries"),
        .executableTarget(name: "FuzzSpec", dependencies: ["FuzzEntries"], path: "FuzzTesting/Sources/FuzzSpec"),
        .executableTarget(name: "FuzzIDX", dependencies: ["FuzzEntries"], path: "FuzzTesting/Sources/FuzzIDX"),
        .executableTarget(name: "FuzzCSV", dependencies: ["FuzzEntries"], path: "FuzzTesting/Sources/FuzzCSV"),
        .executableTarget(name: "FuzzNPY", dependencies: ["FuzzEntries"], path: "FuzzTesting/Sources/FuzzNPY"),

        .testTarget(name: "NNRandomTests", dependencies: ["NNRandom"]),
        .testTarget(name: "NNZlibTests", dependencies: ["NNZlib"]),
        // Fixtures/ holds data files the tests read by path (not bundle resources).
        .testTarget(name: "NNEngineTests", dependencies: ["NNEngine", "NNRandom", "CKernels"], exclude: ["Fixtures"]),
        .testTarget(name: "NNDatasetsTests", dependencies: ["NNDatasets", "NNEngine", "NNRandom", "CZlib"], exclude: ["Fixtures"]),
        .testTarget(name: "NNExperimentsTests", dependencies: ["NNExperiments", "NNDatasets", "NNEngine", "NNRandom", "CZlib",
                                                             "FuzzEntries"]),
        // Imports no module: the tests run the built `nnexp` executable, which this dependency builds first.
        .testTarget(name: "nnexpTests", dependencies: ["nnexp"]),
    ],
    // Swift 5 language mode: the scheduler shares state between its worker threads under explicit
    // locks, which Swift 6's static checking cannot see; Sendable annotations are kept regardless.
    swiftLanguageModes: [.v5]
)
