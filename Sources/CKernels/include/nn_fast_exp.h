// eˣ for the elementwise hot loops: the one definition, used by the sigmoid kernel (sigmoid.c) and, through
// Swift's C import, by NNEngine's `Real.fastExp` (the softplus of the logistic loss), so both run the same
// operations in the same order and give the same bits.
//
// Why not libm: `expf`/`exp` are opaque calls, so a loop over them stays scalar, and their subnormal
// results (exp(x) for x below about −87 in float, −708 in double) make every later multiply take a slow
// microcode assist: with Raschka's raw 0…255 pixels most hidden units saturate there, and the profile
// showed the sigmoid loop spending most of its time in that multiply.
//
// Method (Cephes-style): n = round(x·log₂e) with the 1.5·2^p "magic number" trick (no rounding instruction
// needed on baseline x86-64), r = x − n·ln2 with ln2 split into an exactly multipliable high part and a
// low correction, eʳ by its Taylor polynomial on |r| ≤ ln2/2 (degree 7 for float, truncation error
// < 0.1 ulp; degree 13 for double, < 0.05 ulp), times 2ⁿ built from its bits in two factors (so that
// n = 128 or 1024, x just below `highest`, does not overflow the exponent). Measured against a
// higher-precision exp, normal results are within 2 ulp (FastExpTests), i.e. within the type's rounding;
// results below the smallest normal number are flushed to zero (even clamped lanes never compute a
// subnormal, which would cost the very assist this avoids), +∞ and NaN propagate. No branches: loops
// over it vectorise.
#ifndef NN_FAST_EXP_H
#define NN_FAST_EXP_H

#include <stdint.h>

/// eˣ in float, within 2 ulp; 0 below ln(least normal) = −87.336544…, +∞ above ln(FLT_MAX), NaN kept.
static inline __attribute__((always_inline)) float nn_fast_exp_f32(float x) {
    // a*b + c stays two roundings wherever this is compiled (C kernels, Swift's C import, any CPU).
#pragma clang fp contract(off)
    const float lowest = -87.33654f;     // just above ln(least normal), so no lane computes a subnormal
    const float highest = 88.72283f;     // ln(FLT_MAX)
    const float magic = 12582912.0f;     // 1.5·2²³: adding it rounds to an integer kept in the low bits
    float xc = x < lowest ? lowest : (x > highest ? highest : x);
    float shifted = xc * 1.442695040888963f + magic;
    float n = shifted - magic;
    float r = xc - n * 0.693359375f;     // ln2 high part: few significant bits, so n·hi is exact
    r = r - n * -2.12194440e-4f;         // ln2 − hi
    float p = 1.0f / 5040.0f;
    p = p * r + 1.0f / 720.0f;
    p = p * r + 1.0f / 120.0f;
    p = p * r + 1.0f / 24.0f;
    p = p * r + 1.0f / 6.0f;
    p = p * r + 0.5f;
    p = p * r + 1.0f;
    p = p * r + 1.0f;
    uint32_t shiftedBits, magicBits;
    __builtin_memcpy(&shiftedBits, &shifted, 4);
    __builtin_memcpy(&magicBits, &magic, 4);
    int32_t k = (int32_t)(shiftedBits - magicBits);
    int32_t half = k >> 1;
    uint32_t b1 = (uint32_t)(half + 127) << 23, b2 = (uint32_t)(k - half + 127) << 23;
    float s1, s2;
    __builtin_memcpy(&s1, &b1, 4);
    __builtin_memcpy(&s2, &b2, 4);
    float y = p * s1 * s2;
    y = x < lowest ? 0.0f : y;
    y = x > highest ? __builtin_inff() : y;
    return x != x ? x : y;
}

/// eˣ in double, within 2 ulp; 0 below ln(least normal) = −708.39641853…, +∞ above ln(DBL_MAX), NaN kept.
static inline __attribute__((always_inline)) double nn_fast_exp_f64(double x) {
#pragma clang fp contract(off)
    const double lowest = -708.3964185;          // just above ln(least normal) = −708.39641853226…
    const double highest = 709.782712893384;     // ln(DBL_MAX)
    const double magic = 6755399441055744.0;     // 1.5·2⁵²
    double xc = x < lowest ? lowest : (x > highest ? highest : x);
    double shifted = xc * 1.4426950408889634 + magic;
    double n = shifted - magic;
    double r = xc - n * 0.693145751953125;       // ln2 high part (exact products for |n| < 2¹¹)
    r = r - n * 1.4286068203094172321e-6;        // ln2 − hi
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
    uint64_t shiftedBits, magicBits;
    __builtin_memcpy(&shiftedBits, &shifted, 8);
    __builtin_memcpy(&magicBits, &magic, 8);
    int64_t k = (int64_t)(shiftedBits - magicBits);
    int64_t half = k >> 1;
    uint64_t b1 = (uint64_t)(half + 1023) << 52, b2 = (uint64_t)(k - half + 1023) << 52;
    double s1, s2;
    __builtin_memcpy(&s1, &b1, 8);
    __builtin_memcpy(&s2, &b2, 8);
    double y = p * s1 * s2;
    y = x < lowest ? 0.0 : y;
    y = x > highest ? __builtin_inf() : y;
    return x != x ? x : y;
}

#endif
