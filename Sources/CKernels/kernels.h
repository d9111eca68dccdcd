// Private to the C kernels: how each is compiled and dispatched.
#ifndef NN_KERNELS_PRIVATE_H
#define NN_KERNELS_PRIVATE_H

#include "CKernels.h"

// a*b + c must stay two roundings in every variant, or the AVX2/AVX-512 builds (whose CPUs have FMA)
// would differ from the baseline build and from the Swift reference in the last bit.
#pragma clang fp contract(off)

// NN_VARIANTS(name, (params), (args)) turns `static inline void name_body(params)` into one compiled
// copy per instruction set, `name_isa(isa, params)` that runs a chosen copy (tests run each one the
// CPU has and compare bits), and `name(params)` that runs the widest copy.
#if defined(__x86_64__) && defined(__clang__)
#define NN_VARIANTS(NAME, PARAMS, ARGS)                                                             \
    __attribute__((target("avx512f"))) static void NAME##_avx512 PARAMS { NAME##_body ARGS; }       \
    __attribute__((target("avx2"))) static void NAME##_avx2 PARAMS { NAME##_body ARGS; }            \
    static void NAME##_baseline PARAMS { NAME##_body ARGS; }                                        \
    void NAME##_isa(nn_isa isa, NN_UNPAREN PARAMS) {                                                \
        if (isa >= NN_ISA_AVX512) NAME##_avx512 ARGS;                                               \
        else if (isa >= NN_ISA_AVX2) NAME##_avx2 ARGS;                                              \
        else NAME##_baseline ARGS;                                                                  \
    }                                                                                               \
    void NAME PARAMS { NAME##_isa(nn_best_isa(), NN_UNPAREN ARGS); }
#else
#define NN_VARIANTS(NAME, PARAMS, ARGS)                                                             \
    void NAME##_isa(nn_isa isa, NN_UNPAREN PARAMS) { (void)isa; NAME##_body ARGS; }                  \
    void NAME PARAMS { NAME##_body ARGS; }
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
