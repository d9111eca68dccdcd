// RMSprop's update over a parameter range (RMSprop.swift), plain, centred, with momentum or both.
//
// Why C: the Swift loop (a division and a square root per parameter, and two optional arrays tested
// inside it) stayed scalar, as Adam's did before adam.c. Each of the four forms is its own loop here
// (the choice is made once per call), division and square root are correctly rounded at every width
// and FMA contraction is off, so every variant gives the bits of the Swift formula (KernelTests):
//
//     v ← α·v + (1 − α)·(g·g)
//     centred:  ḡ ← α·ḡ + (1 − α)·g;   ṽ = v − ḡ·ḡ      else ṽ = v
//     q = g / (√ṽ + ε)
//     momentum: b ← μ·b + q;   p ← p − η·b                else p ← p − η·q
#include "kernels.h"
#include <math.h>

// One loop per form: CENTRED and MOMENTUM are constants in each expansion, so no test stays inside.
#define RMSPROP_LOOP(T, CENTRED, MOMENTUM)                                                           \
    for (ptrdiff_t i = 0; i < n; i++) {                                                              \
        T gi = g[i];                                                                                 \
        T vi = a * v[i] + c * (gi * gi);                                                             \
        v[i] = vi;                                                                                   \
        T vt = vi;                                                                                   \
        if (CENTRED) {                                                                               \
            T mi = a * mean[i] + c * gi;                                                             \
            mean[i] = mi;                                                                            \
            vt = vi - mi * mi;                                                                       \
        }                                                                                            \
        T q = gi / (NN_SQRT(vt) + eps);                                                              \
        if (MOMENTUM) {                                                                              \
            T bi = mu * buf[i] + q;                                                                  \
            buf[i] = bi;                                                                             \
            p[i] = p[i] - eta * bi;                                                                  \
        } else {                                                                                     \
            p[i] = p[i] - eta * q;                                                                   \
        }                                                                                            \
    }

#define RMSPROP_BODY(NAME, T)                                                                        \
    static inline __attribute__((always_inline)) void NAME##_body(                                   \
        T *restrict p, const T *restrict g, T *restrict v, T *restrict mean, T *restrict buf,        \
        ptrdiff_t n, T a, T eps, T mu, T eta) {                                                      \
        const T c = (T)1 - a;                                                                        \
        if (mean && buf) { RMSPROP_LOOP(T, 1, 1) }                                                   \
        else if (mean) { RMSPROP_LOOP(T, 1, 0) }                                                     \
        else if (buf) { RMSPROP_LOOP(T, 0, 1) }                                                      \
        else { RMSPROP_LOOP(T, 0, 0) }                                                               \
    }

RMSPROP_BODY(nn_rmsprop_f32, float)
RMSPROP_BODY(nn_rmsprop_f64, double)

NN_VARIANTS(nn_rmsprop_f32, (float *p, const float *g, float *v, float *mean, float *buf, ptrdiff_t n, float a, float eps, float mu, float eta),
            (p, g, v, mean, buf, n, a, eps, mu, eta))
NN_VARIANTS(nn_rmsprop_f64, (double *p, const double *g, double *v, double *mean, double *buf, ptrdiff_t n, double a, double eps, double mu, double eta),
            (p, g, v, mean, buf, n, a, eps, mu, eta))
