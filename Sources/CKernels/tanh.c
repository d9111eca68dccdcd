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

NN_VARIANTS(nn_tanh_f32, (float *z, ptrdiff_t n), (z, n))
NN_VARIANTS(nn_tanh_f64, (double *z, ptrdiff_t n), (z, n))
