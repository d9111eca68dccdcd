// The logistic function over a buffer: the hidden and output activation of sigmoid networks, applied
// to every pre-activation of every minibatch (3.6 M values per Raschka MNIST epoch).
//
// Same method and constants as NNEngine's `branchFreeExp` (FastExp.swift): n = round(x·log₂e) with
// the 1.5·2^p magic-number trick, r = x − n·ln2 in two parts, a Taylor polynomial for eʳ (degree 7 in
// float, 13 in double), times 2ⁿ built from its bits in two factors; inputs below ln(least normal)
// give 0 (no subnormal ever reaches a multiply), NaN propagates. σ(z) = 1/(1+e) for z ≥ 0 and
// e/(1+e) otherwise, with e = exp(−|z|) ≤ 1, so exp never overflows. No branches: the loops vectorise.
#include "kernels.h"
#include <math.h>
#include <stdint.h>
#include <string.h>

static inline uint32_t bits_f32(float x) { uint32_t u; memcpy(&u, &x, 4); return u; }
static inline float from_bits_f32(uint32_t u) { float x; memcpy(&x, &u, 4); return x; }
static inline uint64_t bits_f64(double x) { uint64_t u; memcpy(&u, &x, 8); return u; }
static inline double from_bits_f64(uint64_t u) { double x; memcpy(&x, &u, 8); return x; }

static inline float exp_f32(float x) {
    const float lowest = -87.33654f, highest = 88.72283f, magic = 12582912.0f;
    float xc = x < lowest ? lowest : (x > highest ? highest : x);
    float shifted = xc * 1.442695040888963f + magic;
    float n = shifted - magic;
    float r = xc - n * 0.693359375f;
    r = r - n * -2.12194440e-4f;
    float p = 1.0f / 5040.0f;
    p = p * r + 1.0f / 720.0f;
    p = p * r + 1.0f / 120.0f;
    p = p * r + 1.0f / 24.0f;
    p = p * r + 1.0f / 6.0f;
    p = p * r + 0.5f;
    p = p * r + 1.0f;
    p = p * r + 1.0f;
    int32_t k = (int32_t)(bits_f32(shifted) - bits_f32(magic));
    int32_t half = k >> 1;
    float s1 = from_bits_f32((uint32_t)(half + 127) << 23);
    float s2 = from_bits_f32((uint32_t)(k - half + 127) << 23);
    float y = p * s1 * s2;
    y = x < lowest ? 0.0f : y;
    y = x > highest ? INFINITY : y;
    return x != x ? x : y;
}

static inline double exp_f64(double x) {
    const double lowest = -708.3964185, highest = 709.782712893384, magic = 6755399441055744.0;
    double xc = x < lowest ? lowest : (x > highest ? highest : x);
    double shifted = xc * 1.4426950408889634 + magic;
    double n = shifted - magic;
    double r = xc - n * 0.693145751953125;
    r = r - n * 1.4286068203094172321e-6;
    double p = 1.0 / 6227020800.0;
    p = p * r + 1.0 / 479001600.0;
    p = p * r + 1.0 / 39916800.0;
    p = p * r + 1.0 / 3628800.0;
    p = p * r + 1.0 / 362880.0;
    p = p * r + 1.0 / 40320.0;
    p = p * r + 1.0 / 5040.0;
    p = p * r + 1.0 / 720.0;
    p = p * r + 1.0 / 120.0;
    p = p * r + 1.0 / 24.0;
    p = p * r + 1.0 / 6.0;
    p = p * r + 0.5;
    p = p * r + 1.0;
    p = p * r + 1.0;
    int64_t k = (int64_t)(bits_f64(shifted) - bits_f64(magic));
    int64_t half = k >> 1;
    double s1 = from_bits_f64((uint64_t)(half + 1023) << 52);
    double s2 = from_bits_f64((uint64_t)(k - half + 1023) << 52);
    double y = p * s1 * s2;
    y = x < lowest ? 0.0 : y;
    y = x > highest ? INFINITY : y;
    return x != x ? x : y;
}

static inline __attribute__((always_inline)) void nn_sigmoid_f32_body(float *z, ptrdiff_t n) {
    for (ptrdiff_t i = 0; i < n; i++) {
        float zi = z[i];
        float e = exp_f32(-fabsf(zi));
        float s = 1.0f / (1.0f + e);
        z[i] = zi >= 0 ? s : e * s;
    }
}

static inline __attribute__((always_inline)) void nn_sigmoid_f64_body(double *z, ptrdiff_t n) {
    for (ptrdiff_t i = 0; i < n; i++) {
        double zi = z[i];
        double e = exp_f64(-fabs(zi));
        double s = 1.0 / (1.0 + e);
        z[i] = zi >= 0 ? s : e * s;
    }
}

NN_VARIANTS(nn_sigmoid_f32, (float *z, ptrdiff_t n), (z, n))
NN_VARIANTS(nn_sigmoid_f64, (double *z, ptrdiff_t n), (z, n))
