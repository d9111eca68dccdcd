// Which instruction-set variant of the kernels this CPU can run (see kernels.h).
#include "kernels.h"

nn_isa nn_best_isa(void) {
#if defined(__x86_64__) && defined(__clang__)
    static int best = -1;   // a benign race: every thread computes the same value
    if (best < 0) {
        __builtin_cpu_init();
        best = __builtin_cpu_supports("avx512f") ? NN_ISA_AVX512
             : __builtin_cpu_supports("avx2") ? NN_ISA_AVX2 : NN_ISA_BASELINE;
    }
    return (nn_isa)best;
#else
    return NN_ISA_BASELINE;
#endif
}
