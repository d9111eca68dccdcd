// Adam's update over a parameter range (Adam.swift, AdamW.swift): the optimizer of most MNIST and
// Fashion-MNIST experiments.
//
// Why C: the Swift loop (four pointers, a division and a square root per parameter) stayed scalar,
// and for the narrow networks of `make reproduce` (784-10-10, 784-100-10 with Adam) it took as long
// as the network's products (perf: ~28 % of a 784-100-10 epoch). Here it runs 16 floats wide under
// AVX-512. Division and square root are correctly rounded in every width and FMA contraction is off,
// so every variant gives the bits of the Swift formula (KernelTests):
//
//     m ← b1·m + (1 − b1)·g;   v ← b2·v + ((1 − b2)·g)·g;   p ← p − (step·m) / (√v + ε̂)
#include "kernels.h"
#include <math.h>

#define ADAM_BODY(NAME, T)                                                                           \
    static inline __attribute__((always_inline)) void NAME##_body(                                   \
        T *restrict p, const T *restrict g, T *restrict m, T *restrict v, ptrdiff_t n, T b1, T b2,    \
        T step, T epsHat) {                                                                          \
        const T c1 = (T)1 - b1, c2 = (T)1 - b2;                                                      \
        for (ptrdiff_t i = 0; i < n; i++) {                                                          \
            T mi = b1 * m[i] + c1 * g[i];                                                            \
            T vi = b2 * v[i] + c2 * g[i] * g[i];                                                     \
            m[i] = mi;                                                                               \
            v[i] = vi;                                                                               \
            p[i] = p[i] - step * mi / (NN_SQRT(vi) + epsHat);                                        \
        }                                                                                            \
    }

ADAM_BODY(nn_adam_f32, float)
ADAM_BODY(nn_adam_f64, double)

NN_VARIANTS(nn_adam_f32, (float *p, const float *g, float *m, float *v, ptrdiff_t n, float b1, float b2, float step, float epsHat),
            (p, g, m, v, n, b1, b2, step, epsHat))
NN_VARIANTS(nn_adam_f64, (double *p, const double *g, double *m, double *v, ptrdiff_t n, double b1, double b2, double step, double epsHat),
            (p, g, m, v, n, b1, b2, step, epsHat))
