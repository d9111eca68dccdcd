// The tanh activation over a layer's values, in place, at the CPU's full width (nn_fast_tanh.h has the
// method and why it replaced libm).
#include "kernels.h"
#include "nn_fast_tanh.h"

static inline __attribute__((always_inline)) void nn_tanh_f32_body(float *z, ptrdiff_t n) {
    for (ptrdiff_t i = 0; i < n; i++) z[i] = nn_fast_tanh_f32(z[i]);
}

static inline __attribute__((always_inline)) void nn_tanh_f64_body(double *z, ptrdiff_t n) {
    for (ptrdiff_t i = 0; i < n; i++) z[i] = nn_fast_tanh_f64(z[i]);
}

// Its derivative in backpropagation, from the layer's outputs: g ← g·(1 − a·a), the Swift formula's
// operations in its order (Activation.multiplyDerivative), at the CPU's widest vectors.
#define TANH_GRAD_BODY(NAME, T)                                                                      \
    static inline __attribute__((always_inline)) void NAME##_body(T *restrict g, const T *restrict a, \
                                                                  ptrdiff_t n) {                      \
        for (ptrdiff_t i = 0; i < n; i++) g[i] = g[i] * ((T)1 - a[i] * a[i]);                        \
    }
TANH_GRAD_BODY(nn_tanh_grad_f32, float)
TANH_GRAD_BODY(nn_tanh_grad_f64, double)

NN_VARIANTS(nn_tanh_f32, (float *z, ptrdiff_t n), (z, n))
NN_VARIANTS(nn_tanh_f64, (double *z, ptrdiff_t n), (z, n))
NN_VARIANTS(nn_tanh_grad_f32, (float *g, const float *a, ptrdiff_t n), (g, a, n))
NN_VARIANTS(nn_tanh_grad_f64, (double *g, const double *a, ptrdiff_t n), (g, a, n))
