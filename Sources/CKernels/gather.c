// The minibatch gather from byte features: rows of a shuffled permutation copied from the training
// set (far larger than the caches) into one contiguous Float/Double batch for GEMM.
//
// Why bytes: when every feature is an integer in 0…255 (raw or binarised pixels), the engine keeps a
// byte copy of the features next to the float ones (Samples.bytes). A random row then costs 784 bytes
// of memory traffic instead of 3 136 (Float) or 6 272 (Double); measured on a Raschka MNIST epoch, the
// gather went from ~0.023 s to ~0.007 s per epoch (Float32). The conversion is exact.
//
// Why prefetch: each row starts at a random place, so a plain loop waits on a cache miss per row;
// asking for the row AHEAD places in advance keeps several misses in flight while earlier rows convert.
#include "kernels.h"
#include <stdint.h>

enum { AHEAD = 4 };

static inline void prefetch_row(const uint8_t *row, ptrdiff_t bytes) {
    for (ptrdiff_t off = 0; off < bytes; off += 64) __builtin_prefetch(row + off, 0, 3);
}

// With `targets` (else NULL), row r's one-hot target is written beside its features: targets[r][c] = 0
// for c < nclass except targets[r][classes[idx[r]]] = 1 (classes checked in range by Samples). Why here:
// the class of a random row is one more random read; looked up after the gather, whose 3.7 MB of new
// features (a Raschka minibatch) had evicted the labels, each lookup waited on memory (~0.6 ms of a
// Raschka Float32 epoch in `perf`); prefetched with the row, it arrives with it.
static inline __attribute__((always_inline)) void prefetch_class(const int32_t *classes, const ptrdiff_t *idx,
                                                                 ptrdiff_t r, ptrdiff_t n) {
    if (classes && r < n) __builtin_prefetch(classes + idx[r], 0, 3);
}

#define ONE_HOT_ROW(T, classes, nclass, targets, idx, r)                                            \
    if (targets) {                                                                                   \
        T *restrict t = (targets) + (r) * (nclass);                                                  \
        for (ptrdiff_t c = 0; c < (nclass); c++) t[c] = 0;                                           \
        t[(classes)[(idx)[r]]] = 1;                                                                  \
    }

// The one row loop of every byte gather: rows prefetched AHEAD places ahead (with their classes), each
// row's bytes converted by CONVERT (an expression of the byte s[c] and column c), its target written
// beside it. The three gathers below differ only in CONVERT.
#define GATHER_ROWS(T, CONVERT)                                                                      \
    for (ptrdiff_t r = 0; r < n && r < AHEAD; r++) {                                                 \
        prefetch_row(src + idx[r] * cols, cols);                                                     \
        prefetch_class(classes, idx, r, n);                                                          \
    }                                                                                                \
    for (ptrdiff_t r = 0; r < n; r++) {                                                              \
        if (r + AHEAD < n) prefetch_row(src + idx[r + AHEAD] * cols, cols);                           \
        prefetch_class(classes, idx, r + AHEAD, n);                                                  \
        const uint8_t *restrict s = src + idx[r] * cols;                                             \
        T *restrict d = dst + r * cols;                                                              \
        for (ptrdiff_t c = 0; c < cols; c++) d[c] = (CONVERT);                                       \
        ONE_HOT_ROW(T, classes, nclass, targets, idx, r)                                             \
    }

#define GATHER_BODY(NAME, T)                                                                       \
    static inline __attribute__((always_inline)) void NAME##_body(                                  \
        const uint8_t *src, ptrdiff_t cols, const ptrdiff_t *idx, ptrdiff_t n, T *dst,               \
        const int32_t *classes, ptrdiff_t nclass, T *targets) {                                      \
        GATHER_ROWS(T, (T)s[c])                                                                      \
    }

GATHER_BODY(nn_gather_u8_f32, float)
GATHER_BODY(nn_gather_u8_f64, double)

NN_VARIANTS(nn_gather_u8_f32,
            (const uint8_t *src, ptrdiff_t cols, const ptrdiff_t *idx, ptrdiff_t n, float *dst,
             const int32_t *classes, ptrdiff_t nclass, float *targets),
            (src, cols, idx, n, dst, classes, nclass, targets))
NN_VARIANTS(nn_gather_u8_f64,
            (const uint8_t *src, ptrdiff_t cols, const ptrdiff_t *idx, ptrdiff_t n, double *dst,
             const int32_t *classes, ptrdiff_t nclass, double *targets),
            (src, cols, idx, n, dst, classes, nclass, targets))

// The same gather through the reciprocal: dst[r][c] ← (float)(((double)src[idx[r]][c] − shift[c]) ·
// scale[c]), scale[c] = 1/divisor[c] rounded to double. Why: the division bounded the affine gather
// (vdivpd retires a vector every ~16 cycles; 10–14 ms of a 60 000-row Float32 epoch of standardised
// Fashion-MNIST, the largest cost beside the products of the MLP grids' small networks); the multiply
// leaves it bound by memory. Why it keeps the bits: in double the two formulas differ by a few units in
// the last place, so their float roundings differ only when the quotient lies within ~2⁻⁵⁰ of a midpoint
// between floats — 2 of 5.1 billion random (byte, mean, deviation) triples. A byte column has only 256
// values, so ByteDecoding compares both roundings for every value of every column once and uses this
// kernel only when all agree (else the division kernel above): the same bits by exhaustive check, not by
// probability. Float only: a double result keeps those last-place differences.
#define GATHER_SCALED_BODY(NAME, T)                                                                \
    static inline __attribute__((always_inline)) void NAME##_body(                                  \
        const uint8_t *src, ptrdiff_t cols, const ptrdiff_t *idx, ptrdiff_t n, const double *shift,  \
        const double *scale, T *dst, const int32_t *classes, ptrdiff_t nclass, T *targets) {         \
        GATHER_ROWS(T, (T)(((double)s[c] - shift[c]) * scale[c]))                                    \
    }

GATHER_SCALED_BODY(nn_gather_u8_scaled_f32, float)

NN_VARIANTS(nn_gather_u8_scaled_f32,
            (const uint8_t *src, ptrdiff_t cols, const ptrdiff_t *idx, ptrdiff_t n, const double *shift,
             const double *scale, float *dst, const int32_t *classes, ptrdiff_t nclass, float *targets),
            (src, cols, idx, n, shift, scale, dst, classes, nclass, targets))

// Rows idx[0..<min(n, AHEAD)] requested ahead of their gather: the trainer calls this for the next
// minibatch before computing the current one, so at batch size 1 (per-sample SGD, where the gather
// above has no later rows to prefetch) the next sample is on its way while this one trains.
void nn_prefetch_rows_u8(const uint8_t *src, ptrdiff_t cols, const ptrdiff_t *idx, ptrdiff_t n) {
    for (ptrdiff_t r = 0; r < n && r < AHEAD; r++) prefetch_row(src + idx[r] * cols, cols);
}

// The gather from byte features read through a per-column affine step (standardised or scaled
// pixels): dst[r][c] ← (T)(((double)src[idx[r]][c] − shift[c]) / divisor[c]), the very operations
// of the preprocessing (FeatureStep.affine/divide: Float64 subtraction, Float64 division, one rounding
// to T), so the batch is bit for bit the rows of the materialised features. Why: such features are
// not bytes, so the float gather read 3 136 bytes per random MNIST row; reading the 784 pixel bytes
// and redoing the division (vectorised, nearly free next to the cache misses) measured 7 ms against
// 12–17 ms per 60 000-row Float32 epoch on Zen 5.
#define GATHER_AFFINE_BODY(NAME, T)                                                                \
    static inline __attribute__((always_inline)) void NAME##_body(                                  \
        const uint8_t *src, ptrdiff_t cols, const ptrdiff_t *idx, ptrdiff_t n, const double *shift,  \
        const double *divisor, T *dst, const int32_t *classes, ptrdiff_t nclass, T *targets) {       \
        GATHER_ROWS(T, (T)(((double)s[c] - shift[c]) / divisor[c]))                                  \
    }

GATHER_AFFINE_BODY(nn_gather_u8_affine_f32, float)
GATHER_AFFINE_BODY(nn_gather_u8_affine_f64, double)

NN_VARIANTS(nn_gather_u8_affine_f32,
            (const uint8_t *src, ptrdiff_t cols, const ptrdiff_t *idx, ptrdiff_t n, const double *shift,
             const double *divisor, float *dst, const int32_t *classes, ptrdiff_t nclass, float *targets),
            (src, cols, idx, n, shift, divisor, dst, classes, nclass, targets))
NN_VARIANTS(nn_gather_u8_affine_f64,
            (const uint8_t *src, ptrdiff_t cols, const ptrdiff_t *idx, ptrdiff_t n, const double *shift,
             const double *divisor, double *dst, const int32_t *classes, ptrdiff_t nclass, double *targets),
            (src, cols, idx, n, shift, divisor, dst, classes, nclass, targets))
