// tanh for the activation loops: the one definition, used by the tanh kernel (tanh.c) in both precisions,
// so every instruction-set variant and every machine runs the same operations and gets the same bits.
//
// Why not libm: `tanhf`/`tanh` are opaque calls (glibc's go through `expm1`), so the activation loop
// stayed scalar, and a profile of `make reproduce` found them at 13 % of all its samples (the tanh
// half of the Fashion-MNIST/MNIST MLP grids). libm's results may also differ between C libraries and
// their versions; these operations do not.
//
// Method, in double for both precisions (float inputs are widened, the result rounded once):
//   |x| < 0.4: the odd Taylor series of tanh to x³¹ (Bernoulli coefficients rounded to double; the
//              first term left out is below 1e-19 of the result), by Horner's rule in x²;
//   otherwise: 1 − 2/(e^{2|x|} + 1) with nn_fast_exp.h's exp (2|x| clamped to 44, where the result is
//              already 1 in double), sign restored.
// Measured against long double tanhl over 4 million inputs (KernelTests samples the same): double within
// 2.1 ulp, float correctly rounded in every case (within 1 ulp can be promised: the double result is
// within a few double ulp); glibc's tanhf was not correctly rounded for 19 % of those inputs.
// tanh(±0) = ±0, tanh(±∞) = ±1, NaN propagates. No branches: loops over it vectorise.
#ifndef NN_FAST_TANH_H
#define NN_FAST_TANH_H

#include "nn_fast_exp.h"

/// tanh(x) in double, within 4 ulp (2.1 measured; see above).
static inline __attribute__((always_inline)) double nn_fast_tanh_f64(double x) {
    // a*b + c stays two roundings wherever this is compiled (C kernels, any CPU).
#pragma clang fp contract(off)
    double a = x < 0 ? -x : x;
    double x2 = x * x;
    double p = -1.0597268320104654e-06;
    p = p * x2 + 2.6147711512907546e-06;
    p = p * x2 + -6.451689215655431e-06;
    p = p * x2 + 1.5918905069328964e-05;
    p = p * x2 + -3.927832388331683e-05;
    p = p * x2 + 9.691537956929451e-05;
    p = p * x2 + -0.00023912911424355248;
    p = p * x2 + 0.000590027440945586;
    p = p * x2 + -0.0014558343870513183;
    p = p * x2 + 0.003592128036572481;
    p = p * x2 + -0.008863235529902197;
    p = p * x2 + 0.021869488536155203;
    p = p * x2 + -0.05396825396825397;
    p = p * x2 + 0.13333333333333333;
    p = p * x2 + -0.3333333333333333;
    // x² = 0 (x = ±0 or tiny): x itself, which keeps the sign of −0 (x·(x²·p) would be +0 there).
    double small = x2 == 0 ? x : x + x * (x2 * p);
    double ac = a > 22.0 ? 22.0 : a;
    double e = nn_fast_exp_f64(ac + ac);
    double large = 1.0 - 2.0 / (e + 1.0);
    large = x < 0 ? -large : large;
    return a < 0.4 ? small : large;
}

/// tanh(x) in float: the double formula, rounded once; within 1 ulp.
static inline __attribute__((always_inline)) float nn_fast_tanh_f32(float x) {
    return (float)nn_fast_tanh_f64((double)x);
}

#endif
