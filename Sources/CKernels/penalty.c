// The L2 penalty's gradient added to a weight block's gradient after every minibatch (Regularization's
// addPenalty): g ← g + λ·w, the Swift formula's two roundings (FMA contraction is off), so every
// variant gives its bits (KernelTests).
//
// Why C: Swift vectorised the loop only 4 floats wide; in the Fashion-MNIST/MNIST grids (scikit-learn's
// alpha = 1e-4 on every run) it was the largest Swift loop of a 784-100-10 step, ~3 ms of a 60 000-row
// Float32 epoch in `perf` (79 400 weights, 300 steps).
#include "kernels.h"

#define L2_GRAD_BODY(NAME, T)                                                                          \
    static inline __attribute__((always_inline)) void NAME##_body(T *restrict g, const T *restrict w,  \
                                                                  ptrdiff_t n, T lambda) {             \
        for (ptrdiff_t i = 0; i < n; i++) g[i] = g[i] + lambda * w[i];                                 \
    }

L2_GRAD_BODY(nn_l2_grad_f32, float)
L2_GRAD_BODY(nn_l2_grad_f64, double)

NN_VARIANTS(nn_l2_grad_f32, (float *g, const float *w, ptrdiff_t n, float lambda), (g, w, n, lambda))
NN_VARIANTS(nn_l2_grad_f64, (double *g, const double *w, ptrdiff_t n, double lambda), (g, w, n, lambda))
