// log1p on [0, 1] for the elementwise hot loops: the one definition, used by the logistic cost's kernel
// (softplus.c) and, through Swift's C import, by NNEngine's `Real.fastLog1pUnit`, so both run the same
// operations in the same order and give the same bits.
//
// Why not libm: `log1pf`/`log1p` are opaque calls that keep a loop scalar, and the softplus of the
// logistic cost, softplus(z) = max(z, 0) + log1p(e) with e = exp(−|z|) ∈ [0, 1], is evaluated for every
// output of every sample (600 000 times in a Raschka epoch).
//
// Method: with s = x/(2+x) ∈ [0, 1/3], log1p(x) = 2·atanh(s) = 2s·(1 + s²/3 + s⁴/5 + …). On s ≤ 1/3 the
// series converges by a factor 1/9 per term: 8 terms leave a truncation error below 2⁻²⁶ relative
// (float), 17 terms below 2⁻⁵⁵ (double). The remaining error is the rounding of 2+x and of the
// division: within 2 ulp of libm over [0, 1] (FastLog1pTests). Outside [0, 1] the result is not
// guaranteed; callers only pass exp(−|z|). No branches: loops over it vectorise.
#ifndef NN_FAST_LOG1P_H
#define NN_FAST_LOG1P_H

/// ln(1 + x) for x ∈ [0, 1] in float, within 2 ulp.
static inline __attribute__((always_inline)) float nn_fast_log1p_unit_f32(float x) {
    // a*b + c stays two roundings wherever this is compiled (C kernels, Swift's C import, any CPU).
#pragma clang fp contract(off)
    float s = x / (2.0f + x);
    float t = s * s;
    float p = 1.0f / 15.0f;
    p = p * t + 1.0f / 13.0f;
    p = p * t + 1.0f / 11.0f;
    p = p * t + 1.0f / 9.0f;
    p = p * t + 1.0f / 7.0f;
    p = p * t + 1.0f / 5.0f;
    p = p * t + 1.0f / 3.0f;
    return 2.0f * s + 2.0f * s * (t * p);
}

/// ln(1 + x) for x ∈ [0, 1] in double, within 2 ulp.
static inline __attribute__((always_inline)) double nn_fast_log1p_unit_f64(double x) {
#pragma clang fp contract(off)
    double s = x / (2.0 + x);
    double t = s * s;
    double p = 1.0 / 33.0;
    p = p * t + 1.0 / 31.0;
    p = p * t + 1.0 / 29.0;
    p = p * t + 1.0 / 27.0;
    p = p * t + 1.0 / 25.0;
    p = p * t + 1.0 / 23.0;
    p = p * t + 1.0 / 21.0;
    p = p * t + 1.0 / 19.0;
    p = p * t + 1.0 / 17.0;
    p = p * t + 1.0 / 15.0;
    p = p * t + 1.0 / 13.0;
    p = p * t + 1.0 / 11.0;
    p = p * t + 1.0 / 9.0;
    p = p * t + 1.0 / 7.0;
    p = p * t + 1.0 / 5.0;
    p = p * t + 1.0 / 3.0;
    return 2.0 * s + 2.0 * s * (t * p);
}

#endif
