// nnexp's OpenBLAS kernel rule (see CBLASKernel.h), applied before main.
//
// OpenBLAS reads OPENBLAS_CORETYPE once, in its own constructor, which the dynamic loader runs before
// any constructor of the executable. So the rule cannot just set the variable: when the library's
// choice differs from the rule's, this constructor sets OPENBLAS_CORETYPE and re-executes the same
// binary with the same arguments (/proc/self/exe), once; the new process image loads OpenBLAS with the
// rule's kernel. Every binary that links NNEngine (nnexp, nnexp-bench, the test bundle) gets this, so
// all of them follow one rule. A user-set OPENBLAS_CORETYPE always wins and is left alone.
#define _GNU_SOURCE
#include "CBLASKernel.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <dlfcn.h>

extern void cblas_sgemm(void);

const char *nn_blas_library_path(void) {
    Dl_info info;
    if (dladdr((void *)&cblas_sgemm, &info) == 0 || !info.dli_fname) return NULL;
    return info.dli_fname;
}

// From OpenBLAS (declared here so this target needs no header of its own from the library).
extern char *openblas_get_corename(void);

// Marks, passed to the re-executed process: the kernel the rule set, and what the library picked
// before it. A process that finds OPENBLAS_CORETYPE equal to the first knows the rule set it.
#define RULE_VARIABLE "NNEXP_BLAS_RULE_KERNEL"
#define OWN_VARIABLE "NNEXP_BLAS_LIBRARY_KERNEL"

static const char *source = "library";
static char own[64];

const char *nn_cpu_feature_level(void) {
#if defined(__x86_64__) && defined(__clang__)
    __builtin_cpu_init();
    // __builtin_cpu_supports also checks that the operating system saves the wide registers.
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512cd") && __builtin_cpu_supports("avx512bw")
        && __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl"))
        return "x86-64-v4";
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return "x86-64-v3";
#endif
    return "baseline";
}

const char *nn_blas_rule_kernel(void) {
    const char *level = nn_cpu_feature_level();
    // SkylakeX, not Cooperlake, for every AVX-512 CPU: Cooperlake's table adds bfloat16 kernels that
    // need AVX512_BF16, which many AVX-512 CPUs lack, and SkylakeX measured fastest (docs/performance.md).
    if (strcmp(level, "x86-64-v4") == 0) return "SkylakeX";
    if (strcmp(level, "x86-64-v3") == 0) return "Haswell";
    return NULL;
}

const char *nn_blas_kernel_source(void) { return source; }
const char *nn_blas_library_own_kernel(void) { return own[0] ? own : NULL; }

static void remember_own(const char *name) {
    if (name) { strncpy(own, name, sizeof own - 1); own[sizeof own - 1] = 0; }
}

#if defined(__linux__)
__attribute__((constructor)) static void nn_blas_apply_rule(int argc, char **argv, char **envp) {
    (void)argc; (void)envp;
    if (getenv(NN_BLAS_PROBE_VARIABLE)) {
        // A probe: report the library's own choice and stop before any program code runs.
        printf("%s\n", openblas_get_corename());
        fflush(stdout);
        _exit(0);
    }
    const char *user = getenv("OPENBLAS_CORETYPE");
    const char *marked = getenv(RULE_VARIABLE);
    if (user && *user) {
        if (marked && strcasecmp(user, marked) == 0) {
            source = "nnexp";
            remember_own(getenv(OWN_VARIABLE));
        } else {
            source = "user";
        }
        return;
    }
    const char *current = openblas_get_corename();
    remember_own(current);
    const char *kernel = nn_blas_rule_kernel();
    if (!kernel) return;
    setenv(RULE_VARIABLE, kernel, 1);
    setenv(OWN_VARIABLE, current ? current : "", 1);
    setenv("OPENBLAS_CORETYPE", kernel, 1);
    if (current && strcasecmp(current, kernel) == 0) {
        // The library already runs the rule's kernel; the variable is set only for child processes.
        source = "nnexp";
        return;
    }
    if (argv && argv[0]) execv("/proc/self/exe", argv);
    // The re-execution failed (no /proc?): the library's choice stands; say so through the source.
    unsetenv("OPENBLAS_CORETYPE");
    unsetenv(RULE_VARIABLE);
}
#endif
