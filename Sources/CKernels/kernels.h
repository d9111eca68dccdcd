// Private to the C kernels: how each is compiled and dispatched.
#ifndef NN_KERNELS_PRIVATE_H
#define NN_KERNELS_PRIVATE_H

#include "CKernels.h"

// a*b + c must stay two roundings in every variant, or the AVX2/AVX-512 builds (whose CPUs have FMA)
// would differ from the baseline build and from the Swift reference in the last bit.
#pragma clang fp contract(off)

// NN_VARIANTS(name, (params), (args)) turns `static inline void name_body(params)` into one compiled
// copy per instruction set, `name_isa(isa, params)` that runs a chosen copy (tests run each one the
// CPU has and compare bits), and `name(params)` that runs the widest copy. NN_VARIANTS_OF(name, vector,
// other, ...) does the same with the body `vector` for AVX-512 and AVX2 (both with FMA: nn_best_isa) and
// `other` for the baseline, for a kernel whose method needs fused multiply-adds (softmax.c). The AVX2
// copies are compiled for AVX2 and FMA because nn_best_isa only picks them on CPUs with both (every
// x86-64-v3 CPU); `fp contract(off)` above keeps FMA out of the others' arithmetic, as for AVX-512.
#define NN_VARIANTS(NAME, PARAMS, ARGS) NN_VARIANTS_OF(NAME, NAME##_body, NAME##_body, PARAMS, ARGS)
#if defined(__x86_64__) && defined(__clang__)
#define NN_VARIANTS_OF(NAME, VECTOR, OTHER, PARAMS, ARGS)                                           \
    __attribute__((target("avx512f"))) static void NAME##_avx512 PARAMS { VECTOR ARGS; }            \
    __attribute__((target("avx2,fma"))) static void NAME##_avx2 PARAMS { VECTOR ARGS; }             \
    static void NAME##_baseline PARAMS { OTHER ARGS; }                                              \
    void NAME##_isa(nn_isa isa, NN_UNPAREN PARAMS) {                                                \
        if (isa >= NN_ISA_AVX512) NAME##_avx512 ARGS;                                               \
        else if (isa >= NN_ISA_AVX2) NAME##_avx2 ARGS;                                              \
        else NAME##_baseline ARGS;                                                                  \
    }                                                                                               \
    void NAME PARAMS { NAME##_isa(nn_best_isa(), NN_UNPAREN ARGS); }
#else
#define NN_VARIANTS_OF(NAME, VECTOR, OTHER, PARAMS, ARGS)                                           \
    void NAME##_isa(nn_isa isa, NN_UNPAREN PARAMS) { (void)isa; OTHER ARGS; }                       \
    void NAME PARAMS { OTHER ARGS; }
#endif
#define NN_UNPAREN(...) __VA_ARGS__

// The square root of the optimizer kernels (Adam, Adagrad, RMSprop): clang's elementwise builtin sets no
// errno, so the loops vectorise; it rounds exactly as sqrt does (IEEE 754 square root).
#include <math.h>
#if defined(__has_builtin)
#if __has_builtin(__builtin_elementwise_sqrt)
#define NN_SQRT(x) __builtin_elementwise_sqrt(x)
#endif
#endif
#ifndef NN_SQRT
#define NN_SQRT(x) sqrt(x)
#endif

#endif
