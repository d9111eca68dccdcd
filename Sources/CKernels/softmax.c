// The softmax of a Float32 output layer, in blocks of rows, with the C library's expf bits at vector width.
//
// Why: the softmax called libm's `expf` once per output (Activation.softmax), an opaque call that kept
// the loop scalar: a 784-10-10 Fashion-MNIST cell trains 11 % faster with this kernel (the MLP grids of
// `make reproduce` run 4 600 such epochs; docs/performance.md round 11). Any other exp would change every softmax
// network's result bits, since glibc's expf is not correctly rounded (a different accurate exp rounds
// differently on some inputs). So this file computes glibc's own algorithm (sysdeps/ieee754/flt-32/
// e_expf.c, Szabolcs Nagy's, in glibc since 2.27) as glibc compiles it for CPUs with FMA (`__expf_fma`,
// which glibc's ifunc picks on every CPU with AVX2 and FMA): with N = 32,
//   k = round(x·N/ln 2) (by adding and subtracting 1.5·2⁵²), r = x·N/ln 2 − k (one FMA),
//   2^(k/N) = T[k mod 32] with k/N added to its exponent,
//   e^x ≈ 2^(k/N)·((C0·r + C1)·r² + (C2·r + 1))  (three FMAs, one product, rounded to float once).
// The constants and the 32-entry table are glibc's (__exp2f_data), copied here bit for bit. Checked
// exhaustively on Debian's glibc 2.36: all 2³² floats give expf's bits (`make test` runs that check,
// scripts/expf-exhaustive.sh); KernelTests compares a sweep of them, and softmax rows, with the
// library's expf.
// Inputs with |x| ≥ 88, ±∞ or NaN (glibc's slow path: overflow, underflow, errno) are computed by the
// library's expf itself, value by value, so those stay the library's bits by definition. They are not
// rare in a trained classifier (x = z − max ≤ −88 for a logit 88 below its row's maximum): when a whole
// block went to the library for one such value, 784-10-10 Fashion-MNIST cells spent as long in `expf`
// as in this kernel; now the block's other values keep the vector path.
//
// The AVX-512 and AVX2 variants compute the vector exp: both run only on CPUs with FMA (AVX-512F implies
// it; nn_best_isa picks the AVX2 copies only with FMA), where glibc's ifunc runs `__expf_fma` (it asks
// for FMA and AVX2). The baseline variant calls `expf` per output as the Swift loop did, so its bits
// are the library's too, whichever glibc variant the CPU gets. Until round 14 the AVX2 variant called
// `expf` too (it was compiled without FMA); on a Zen 3 the vector path takes the softmax of a 784-10-10
// Fashion-MNIST cell from 3.8 % to 1.7 % of its samples (docs/performance.md round 14).
#include "kernels.h"
#include <math.h>
#include <string.h>

static const uint64_t nn_expf_table[32] = {
    0x3ff0000000000000, 0x3fefd9b0d3158574, 0x3fefb5586cf9890f, 0x3fef9301d0125b51, 0x3fef72b83c7d517b,
    0x3fef54873168b9aa, 0x3fef387a6e756238, 0x3fef1e9df51fdee1, 0x3fef06fe0a31b715, 0x3feef1a7373aa9cb,
    0x3feedea64c123422, 0x3feece086061892d, 0x3feebfdad5362a27, 0x3feeb42b569d4f82, 0x3feeab07dd485429,
    0x3feea47eb03a5585, 0x3feea09e667f3bcd, 0x3fee9f75e8ec5f74, 0x3feea11473eb0187, 0x3feea589994cce13,
    0x3feeace5422aa0db, 0x3feeb737b0cdc5e5, 0x3feec49182a3f090, 0x3feed503b23e255d, 0x3feee89f995ad3ad,
    0x3feeff76f2fb5e47, 0x3fef199bdd85529c, 0x3fef3720dcef9069, 0x3fef5818dcfba487, 0x3fef7c97337b9b5f,
    0x3fefa4afa2a490da, 0x3fefd0765b6e4540,
};

static inline __attribute__((always_inline)) double nn_as_double(uint64_t u) {
    double d;
    memcpy(&d, &u, sizeof d);
    return d;
}

static inline __attribute__((always_inline)) uint64_t nn_as_bits(double d) {
    uint64_t u;
    memcpy(&u, &d, sizeof u);
    return u;
}

/// True when expf(x) leaves glibc's main path (|x| ≥ 88 by its top 12 bits, ±∞, NaN).
static inline __attribute__((always_inline)) int nn_expf_is_special(float x) {
    uint32_t u;
    memcpy(&u, &x, sizeof u);
    return ((u >> 20) & 0x7ff) > 0x42a;
}

/// glibc's expf main path as compiled with FMA (see above); valid where !nn_expf_is_special(x).
static inline __attribute__((always_inline)) float nn_expf_main_path(float x) {
    const double inv_ln2_n = nn_as_double(0x40471547652b82feull);  // 32/ln 2
    const double shift = nn_as_double(0x4338000000000000ull);      // 1.5·2⁵²
    const double c0 = nn_as_double(0x3ebc6af84b912394ull);
    const double c1 = nn_as_double(0x3f2ebfce50fac4f3ull);
    const double c2 = nn_as_double(0x3f962e42ff0c52d6ull);
    double xd = (double)x;
    double kd = __builtin_fma(inv_ln2_n, xd, shift);
    uint64_t ki = nn_as_bits(kd);
    kd -= shift;
    double r = __builtin_fma(inv_ln2_n, xd, -kd);
    double s = nn_as_double(nn_expf_table[ki & 31] + (ki << 47));
    double p = __builtin_fma(r, c0, c1);
    double r2 = r * r;
    double y = __builtin_fma(r, c2, 1.0);
    y = __builtin_fma(p, r2, y);
    return (float)(y * s);
}

// y[i] ← expf(x[i]) for any n (y may be x), NN_SOFTMAX_BLOCK values at a time: with `vector`, glibc's
// main path for every value at vector width (a value off it gives meaningless bits there, computed
// without undefined behaviour), then the library's expf for each value off the main path, found by a
// vectorised test first (none, nearly always); without, the library's expf throughout.
enum { NN_SOFTMAX_BLOCK = 256 };  // values per block, at least one row

static inline __attribute__((always_inline)) void nn_expf_block(const float *x, float *y, ptrdiff_t n, int vector) {
    if (!vector) {
        for (ptrdiff_t i = 0; i < n; i++) y[i] = expf(x[i]);
        return;
    }
    float e[NN_SOFTMAX_BLOCK];
    for (ptrdiff_t i0 = 0; i0 < n; i0 += NN_SOFTMAX_BLOCK) {
        const float *xb = x + i0;
        ptrdiff_t nb = n - i0 < NN_SOFTMAX_BLOCK ? n - i0 : NN_SOFTMAX_BLOCK;
        int special = 0;
        for (ptrdiff_t i = 0; i < nb; i++) special |= nn_expf_is_special(xb[i]);
        for (ptrdiff_t i = 0; i < nb; i++) e[i] = nn_expf_main_path(xb[i]);
        if (special) {
            for (ptrdiff_t i = 0; i < nb; i++)
                if (nn_expf_is_special(xb[i])) e[i] = expf(xb[i]);
        }
        for (ptrdiff_t i = 0; i < nb; i++) y[i0 + i] = e[i];
    }
}

// Rows of `cols` values, a block of them at a time: mᵣ = the row's maximum (first of equals), xⱼ = zⱼ − mᵣ
// written in place, eⱼ = exp(xⱼ) over the whole block at once (a 10-wide row alone would leave most of
// a 16-float vector empty), s = Σ eⱼ in order, aⱼ = eⱼ·(1/s): the values, operations and order of
// Activation.softmax. `vector` chooses the vector exp (AVX-512 and AVX2 variants; nn_expf_block).
static inline __attribute__((always_inline)) void nn_softmax_rows_f32(float *z, ptrdiff_t rows, ptrdiff_t cols,
                                                                      float *maxima, float *sums, int vector) {
    if (cols < 1) return;
    ptrdiff_t per_block = cols >= NN_SOFTMAX_BLOCK ? 1 : NN_SOFTMAX_BLOCK / cols;
    float m[NN_SOFTMAX_BLOCK];
    for (ptrdiff_t r0 = 0; r0 < rows; r0 += per_block) {
        ptrdiff_t nr = rows - r0 < per_block ? rows - r0 : per_block;
        float *block = z + r0 * cols;
        for (ptrdiff_t r = 0; r < nr; r++) {
            float *row = block + r * cols;
            float mr = row[0];
            for (ptrdiff_t j = 1; j < cols; j++)
                if (row[j] > mr) mr = row[j];
            m[r] = mr;
            for (ptrdiff_t j = 0; j < cols; j++) row[j] = row[j] - mr;
        }
        nn_expf_block(block, block, nr * cols, vector);
        for (ptrdiff_t r = 0; r < nr; r++) {
            float *row = block + r * cols;
            float s = 0;
            for (ptrdiff_t j = 0; j < cols; j++) s += row[j];
            if (maxima) maxima[r0 + r] = m[r];
            if (sums) sums[r0 + r] = s;
            float inv = 1 / s;
            for (ptrdiff_t j = 0; j < cols; j++) row[j] *= inv;
        }
    }
}

#define SOFTMAX_BODY(NAME, VECTOR)                                                                        \
    static inline __attribute__((always_inline)) void NAME##_body(float *z, ptrdiff_t rows, ptrdiff_t cols, \
                                                                  float *maxima, float *sums) {             \
        nn_softmax_rows_f32(z, rows, cols, maxima, sums, VECTOR);                                         \
    }

#define EXPF_BODY(NAME, VECTOR)                                                                          \
    static inline __attribute__((always_inline)) void NAME##_body(const float *x, float *y, ptrdiff_t n) { \
        nn_expf_block(x, y, n, VECTOR);                                                                  \
    }

SOFTMAX_BODY(nn_softmax_f32_vector, 1)
SOFTMAX_BODY(nn_softmax_f32_library, 0)
EXPF_BODY(nn_expf_f32_vector, 1)
EXPF_BODY(nn_expf_f32_library, 0)

// The variants differ in method (the vector exp with FMA, or the library's per value), not only in width.
NN_VARIANTS_OF(nn_softmax_f32, nn_softmax_f32_vector_body, nn_softmax_f32_library_body,
               (float *z, ptrdiff_t rows, ptrdiff_t cols, float *maxima, float *sums), (z, rows, cols, maxima, sums))
NN_VARIANTS_OF(nn_expf_f32, nn_expf_f32_vector_body, nn_expf_f32_library_body, (const float *x, float *y, ptrdiff_t n),
               (x, y, n))
