// Column sums of a row-major matrix: the bias gradient, Σ over the batch's rows of δ, for each output
// column (Propagation.swift's backwardLayer, on column ranges split among the run's threads).
//
// Why C: Swift vectorised the row-after-row accumulation only 4 floats wide (~0.6 % of a Raschka epoch's
// samples). Each column is still summed over the rows in order, out[j] = ((d₀ⱼ + d₁ⱼ) + d₂ⱼ) + …, and
// vectorising across columns changes no column's operations, so every variant gives the Swift bits
// (KernelTests).
//
// Why two loops: a narrow δ (a layer of 10 or 50 units over a batch of 1200 rows) has only a few vectors
// per row, so accumulating into `out` in memory waits on a store-to-load round trip per row. Such
// matrices are summed in column blocks of fixed width (64, 32, …, 1) whose sums stay in registers over
// all the rows: 1200×50 went from 5.5 to 3.2 µs, 1200×10 from 4.0 to 1.3 µs on Zen 5 (AVX-512). A wide δ
// keeps the row-by-row loop, which streams each row once and is bound by its loads, not by latency.
#include "kernels.h"

enum { COLSUM_WIDE = 256 };

#define COLSUM_BLOCK(NAME, T, W)                                                                     \
    static inline __attribute__((always_inline)) void NAME##_block##W(                                \
        const T *restrict d, ptrdiff_t rows, ptrdiff_t stride, T *restrict out) {                    \
        T acc[W];                                                                                    \
        for (int j = 0; j < W; j++) acc[j] = d[j];                                                   \
        for (ptrdiff_t r = 1; r < rows; r++) {                                                       \
            const T *restrict dr = d + r * stride;                                                   \
            for (int j = 0; j < W; j++) acc[j] = acc[j] + dr[j];                                     \
        }                                                                                            \
        for (int j = 0; j < W; j++) out[j] = acc[j];                                                 \
    }

#define COLSUM_BODY(NAME, T)                                                                         \
    COLSUM_BLOCK(NAME, T, 64)                                                                        \
    COLSUM_BLOCK(NAME, T, 32)                                                                        \
    COLSUM_BLOCK(NAME, T, 16)                                                                        \
    COLSUM_BLOCK(NAME, T, 8)                                                                         \
    COLSUM_BLOCK(NAME, T, 4)                                                                         \
    COLSUM_BLOCK(NAME, T, 2)                                                                         \
    COLSUM_BLOCK(NAME, T, 1)                                                                         \
    static inline __attribute__((always_inline)) void NAME##_body(const T *restrict d, ptrdiff_t rows,  \
                                                                  ptrdiff_t stride, ptrdiff_t cols,     \
                                                                  T *restrict out) {                    \
        if (rows <= 0) return;                                                                       \
        if (cols >= COLSUM_WIDE) {                                                                   \
            for (ptrdiff_t j = 0; j < cols; j++) out[j] = d[j];                                      \
            for (ptrdiff_t r = 1; r < rows; r++) {                                                   \
                const T *restrict dr = d + r * stride;                                               \
                for (ptrdiff_t j = 0; j < cols; j++) out[j] = out[j] + dr[j];                        \
            }                                                                                        \
            return;                                                                                  \
        }                                                                                            \
        ptrdiff_t j = 0;                                                                             \
        for (; j + 64 <= cols; j += 64) NAME##_block64(d + j, rows, stride, out + j);                \
        if (j + 32 <= cols) { NAME##_block32(d + j, rows, stride, out + j); j += 32; }               \
        if (j + 16 <= cols) { NAME##_block16(d + j, rows, stride, out + j); j += 16; }               \
        if (j + 8 <= cols) { NAME##_block8(d + j, rows, stride, out + j); j += 8; }                  \
        if (j + 4 <= cols) { NAME##_block4(d + j, rows, stride, out + j); j += 4; }                  \
        if (j + 2 <= cols) { NAME##_block2(d + j, rows, stride, out + j); j += 2; }                  \
        if (j < cols) NAME##_block1(d + j, rows, stride, out + j);                                   \
    }

COLSUM_BODY(nn_column_sums_f32, float)
COLSUM_BODY(nn_column_sums_f64, double)

NN_VARIANTS(nn_column_sums_f32, (const float *d, ptrdiff_t rows, ptrdiff_t stride, ptrdiff_t cols, float *out),
            (d, rows, stride, cols, out))
NN_VARIANTS(nn_column_sums_f64, (const double *d, ptrdiff_t rows, ptrdiff_t stride, ptrdiff_t cols, double *out),
            (d, rows, stride, cols, out))
