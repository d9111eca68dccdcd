// Column sums of a row-major matrix: the bias gradient, Σ over the batch's rows of δ, for each output
// column (Propagation.swift's backwardLayer, on column ranges split among the run's threads).
//
// Why C: Swift vectorised the row-after-row accumulation only 4 floats wide (~0.6 % of a Raschka epoch's
// samples). Each column is still summed over the rows in order, out[j] = ((d₀ⱼ + d₁ⱼ) + d₂ⱼ) + …, and
// vectorising across columns changes no column's operations, so every variant gives the Swift bits
// (KernelTests).
#include "kernels.h"

#define COLSUM_BODY(NAME, T)                                                                         \
    static inline __attribute__((always_inline)) void NAME##_body(const T *restrict d, ptrdiff_t rows,  \
                                                                  ptrdiff_t stride, ptrdiff_t cols,     \
                                                                  T *restrict out) {                    \
        if (rows <= 0) return;                                                                       \
        for (ptrdiff_t j = 0; j < cols; j++) out[j] = d[j];                                          \
        for (ptrdiff_t r = 1; r < rows; r++) {                                                       \
            const T *restrict dr = d + r * stride;                                                   \
            for (ptrdiff_t j = 0; j < cols; j++) out[j] = out[j] + dr[j];                            \
        }                                                                                            \
    }

COLSUM_BODY(nn_column_sums_f32, float)
COLSUM_BODY(nn_column_sums_f64, double)

NN_VARIANTS(nn_column_sums_f32, (const float *d, ptrdiff_t rows, ptrdiff_t stride, ptrdiff_t cols, float *out),
            (d, rows, stride, cols, out))
NN_VARIANTS(nn_column_sums_f64, (const double *d, ptrdiff_t rows, ptrdiff_t stride, ptrdiff_t cols, double *out),
            (d, rows, stride, cols, out))
