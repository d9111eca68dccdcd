// The per-element terms of the logistic cost (Loss.swift), Raschka's cost over sigmoid outputs, from
// the logits z and targets y:
//
//     out[i] = max(z, +0) + log1p(exp(−|z|)) − y·z      (= −[y·log σ(z) + (1−y)·log(1−σ(z))])
//
// Why C: Swift vectorised this loop only 4 floats wide (baseline x86-64); here it runs 16 wide under
// AVX-512. The exp and log1p are the one definitions in nn_fast_exp.h and nn_fast_log1p.h, FMA
// contraction is off, so every variant gives the bits of the Swift formula (KernelTests). The terms'
// sum stays in Swift, in order.
#include "kernels.h"

#define SOFTPLUS_BODY(NAME, T, FABS, EXP, LOG1P)                                                         \
    static inline __attribute__((always_inline)) void NAME##_body(const T *restrict z, const T *restrict y, \
                                                                  ptrdiff_t n, T *restrict out) {     \
        for (ptrdiff_t i = 0; i < n; i++) {                                                          \
            T zi = z[i];                                                                             \
            out[i] = ((zi > 0 ? zi : (T)0) + LOG1P(EXP(-FABS(zi)))) - y[i] * zi;                           \
        }                                                                                            \
    }

SOFTPLUS_BODY(nn_logistic_terms_f32, float, __builtin_fabsf, nn_fast_exp_f32, nn_fast_log1p_unit_f32)
SOFTPLUS_BODY(nn_logistic_terms_f64, double, __builtin_fabs, nn_fast_exp_f64, nn_fast_log1p_unit_f64)

NN_VARIANTS(nn_logistic_terms_f32, (const float *z, const float *y, ptrdiff_t n, float *out), (z, y, n, out))
NN_VARIANTS(nn_logistic_terms_f64, (const double *z, const double *y, ptrdiff_t n, double *out), (z, y, n, out))
