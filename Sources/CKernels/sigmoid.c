// The logistic function over a buffer: the hidden and output activation of sigmoid networks, applied
// to every pre-activation of every minibatch (3.6 M values per Raschka MNIST epoch).
//
// e = exp(−|z|) by `nn_fast_exp_f32`/`_f64` (include/nn_fast_exp.h, the one definition of the fast exp,
// which NNEngine's `Real.fastExp` calls too): inputs below ln(least normal) give 0 (no subnormal ever
// reaches a multiply), NaN propagates. σ(z) = 1/(1+e) for z ≥ 0 and
// e/(1+e) otherwise, with e = exp(−|z|) ≤ 1, so exp never overflows. No branches: the loops vectorise.
#include "kernels.h"
#include <math.h>

static inline __attribute__((always_inline)) void nn_sigmoid_f32_body(float *z, ptrdiff_t n) {
    for (ptrdiff_t i = 0; i < n; i++) {
        float zi = z[i];
        float e = nn_fast_exp_f32(-fabsf(zi));
        float s = 1.0f / (1.0f + e);
        z[i] = zi >= 0 ? s : e * s;
    }
}

static inline __attribute__((always_inline)) void nn_sigmoid_f64_body(double *z, ptrdiff_t n) {
    for (ptrdiff_t i = 0; i < n; i++) {
        double zi = z[i];
        double e = nn_fast_exp_f64(-fabs(zi));
        double s = 1.0 / (1.0 + e);
        z[i] = zi >= 0 ? s : e * s;
    }
}

// Its derivative in backpropagation, from the layer's outputs: g ← g·(a·(1 − a)), the Swift formula's
// operations in its order (Activation.multiplyDerivative), which Swift compiled 4 floats wide; every
// hidden δ of a sigmoid network passes through it (3 M values per Raschka MNIST epoch).
#define SIGMOID_GRAD_BODY(NAME, T)                                                                   \
    static inline __attribute__((always_inline)) void NAME##_body(T *restrict g, const T *restrict a, \
                                                                  ptrdiff_t n) {                      \
        for (ptrdiff_t i = 0; i < n; i++) g[i] = g[i] * (a[i] * ((T)1 - a[i]));                      \
    }
SIGMOID_GRAD_BODY(nn_sigmoid_grad_f32, float)
SIGMOID_GRAD_BODY(nn_sigmoid_grad_f64, double)

NN_VARIANTS(nn_sigmoid_f32, (float *z, ptrdiff_t n), (z, n))
NN_VARIANTS(nn_sigmoid_f64, (double *z, ptrdiff_t n), (z, n))
NN_VARIANTS(nn_sigmoid_grad_f32, (float *g, const float *a, ptrdiff_t n), (g, a, n))
NN_VARIANTS(nn_sigmoid_grad_f64, (double *g, const double *a, ptrdiff_t n), (g, a, n))
