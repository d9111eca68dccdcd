import CBLAS
import CBLASKernel

/// The BLAS library every product runs on, and the kernel it uses: what a run's bits depend on
/// besides nnexp itself.
///
/// nnexp picks OpenBLAS's kernel from CPU features, not model numbers (CBLASKernel): `SkylakeX` on
/// every CPU with AVX-512 F, CD, BW, DQ and VL; `Haswell` on every CPU with AVX2 and FMA but not those;
/// otherwise the library's own choice. A user-set `OPENBLAS_CORETYPE` always wins. The same kernel gives
/// the same bits on AMD and Intel CPUs, so runs record it (`blas` in config.yaml) and are retrained
/// when it differs.
public enum BLASInfo {
    /// Library and version as OpenBLAS reports them, e.g. "OpenBLAS 0.3.21" (the first two words of
    /// `openblas_get_config()`; the rest are build options).
    public static var library: String {
        let config = String(cString: openblas_get_config())
        return config.split(separator: " ").prefix(2).joined(separator: " ")
    }

    /// OpenBLAS's whole build description (`openblas_get_config()`), for bug reports.
    public static var buildConfig: String { String(cString: openblas_get_config()) }

    /// The kernel in use, as OpenBLAS names it (`openblas_get_corename()`, e.g. "SkylakeX", "Haswell").
    public static var kernel: String { String(cString: openblas_get_corename()) }

    /// Where the kernel came from: "nnexp" (the feature rule), "user" (`OPENBLAS_CORETYPE` set before
    /// nnexp started) or "library" (no rule applies to this CPU: OpenBLAS chose).
    public static var kernelSource: String { String(cString: nn_blas_kernel_source()) }

    /// The kernel the rule picks for this CPU, nil when the library's own choice stands.
    public static var ruleKernel: String? { nn_blas_rule_kernel().map { String(cString: $0) } }

    /// The kernel OpenBLAS picked by itself when this process started, when known (not when the user
    /// set `OPENBLAS_CORETYPE`; `nnexp env` then asks a probe process).
    public static var libraryOwnKernel: String? { nn_blas_library_own_kernel().map { String(cString: $0) } }

    /// The CPU's feature level: "x86-64-v4" (AVX-512 F/CD/BW/DQ/VL), "x86-64-v3" (AVX2 + FMA) or "baseline".
    public static var cpuFeatureLevel: String { String(cString: nn_cpu_feature_level()) }

    /// Threads OpenBLAS uses for one call (nnexp sets 1: runs go side by side instead).
    public static var threads: Int { Int(openblas_get_num_threads()) }

    /// The environment variable that makes an nnexp binary print OpenBLAS's own kernel choice and exit.
    public static let probeVariable = "NNEXP_BLAS_PROBE"

    /// The shared library file that holds `cblas_sgemm`, when the dynamic loader can tell.
    public static var libraryPath: String? { nn_blas_library_path().map { String(cString: $0) } }
}
