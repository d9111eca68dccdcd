// Whether a training set's features are all bytes (integers 0…255), and those bytes: run once per
// dataset and precision when `Samples` is built (60 000 × 784 values for MNIST), so it must be fast
// whatever generic context calls it. The check is exact: −0 and NaN are rejected, since the bytes must
// convert back to the very same values.
#include "kernels.h"
#include <math.h>

#define TO_BYTES_BODY(NAME, T)                                                                     \
    static inline __attribute__((always_inline)) void NAME##_body(const T *x, ptrdiff_t n, uint8_t *out, int *exact) { \
        int ok = 1;                                                                                \
        for (ptrdiff_t i = 0; i < n; i++) {                                                        \
            T v = x[i];                                                                            \
            int inrange = v >= 0 && v <= 255; /* false for NaN */                                  \
            int k = (int)(inrange ? v : 0);                                                        \
            ok &= inrange & ((T)k == v) & !signbit(v);                                             \
            out[i] = (uint8_t)k;                                                                   \
        }                                                                                          \
        *exact = ok;                                                                               \
    }

TO_BYTES_BODY(nn_to_bytes_f32, float)
TO_BYTES_BODY(nn_to_bytes_f64, double)

NN_VARIANTS(nn_to_bytes_f32, (const float *x, ptrdiff_t n, uint8_t *out, int *exact), (x, n, out, exact))
NN_VARIANTS(nn_to_bytes_f64, (const double *x, ptrdiff_t n, uint8_t *out, int *exact), (x, n, out, exact))
