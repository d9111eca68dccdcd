// Which instruction-set variant of the kernels this CPU can run (see kernels.h).
#include "kernels.h"

nn_isa nn_best_isa(void) {
#if defined(__x86_64__) && defined(__clang__)
    // Computed once; threads that race here all compute and store the same value (relaxed atomics
    // make that well-defined). __builtin_cpu_supports also checks that the OS saves the wide registers.
    static int best = -1;
    int b = __atomic_load_n(&best, __ATOMIC_RELAXED);
    if (b < 0) {
        __builtin_cpu_init();
        // The AVX2 level is x86-64-v3's vector units, AVX2 and FMA (its copies are compiled for both).
        b = __builtin_cpu_supports("avx512f") ? NN_ISA_AVX512
          : __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") ? NN_ISA_AVX2 : NN_ISA_BASELINE;
        __atomic_store_n(&best, b, __ATOMIC_RELAXED);
    }
    return (nn_isa)b;
#else
    return NN_ISA_BASELINE;
#endif
}
