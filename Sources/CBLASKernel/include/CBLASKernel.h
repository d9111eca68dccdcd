// Which OpenBLAS kernel nnexp runs, chosen from CPU features before OpenBLAS is used (blas_kernel.c).
//
// Why: Debian's OpenBLAS (DYNAMIC_ARCH) picks its kernel from the CPU's model number when the library
// loads. A CPU it does not know falls back to generic SSE3 kernels (3x slower), and CPUs with the same
// instruction sets get different kernels, whose results differ in the last bits. nnexp instead picks
// one kernel per feature level, so every machine of a level computes the same bits at full speed.
#ifndef NN_BLAS_KERNEL_H
#define NN_BLAS_KERNEL_H

/// The CPU's feature level as nnexp classifies it: "x86-64-v4" (AVX-512 F, CD, BW, DQ and VL),
/// "x86-64-v3" (AVX2 and FMA), or "baseline" (anything else, and every non-x86-64 CPU).
const char *nn_cpu_feature_level(void);

/// The OpenBLAS kernel nnexp's rule picks for this CPU: "SkylakeX" for x86-64-v4, "Haswell" for
/// x86-64-v3, NULL for baseline (the library's own choice stands).
const char *nn_blas_rule_kernel(void);

/// Where the kernel in use came from: "nnexp" (the rule, applied by re-executing the process with
/// OPENBLAS_CORETYPE set), "user" (OPENBLAS_CORETYPE was set before nnexp started; it always wins),
/// "library" (no rule for this CPU, or the re-execution failed: OpenBLAS chose).
const char *nn_blas_kernel_source(void);

/// The kernel OpenBLAS picked by itself at this process's first start, before nnexp's rule, when it
/// is known (NULL when OPENBLAS_CORETYPE was set by the user: ask a probe process, see below).
const char *nn_blas_library_own_kernel(void);

/// The file of the shared library that holds cblas_sgemm, or NULL when the loader cannot tell.
const char *nn_blas_library_path(void);

/// The environment variable that makes a process started from an nnexp binary print the kernel
/// OpenBLAS picks by itself and exit at once (used by `nnexp env`, with OPENBLAS_CORETYPE unset).
#define NN_BLAS_PROBE_VARIABLE "NNEXP_BLAS_PROBE"

#endif
