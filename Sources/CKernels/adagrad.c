// Adagrad's update over a parameter range (Adagrad.swift).
//
// Why C: the Swift loop (a division and a square root per parameter) stayed scalar, as Adam's did
// before adam.c (~28 % of a 784-100-10 epoch there). Division and square root are correctly rounded
// at every width and FMA contraction is off, so every variant gives the bits of the Swift formula
// (KernelTests):
//
//     s ← s + g·g;   p ← p − η·(g / (√s + ε))
#include "kernels.h"
#include <math.h>

#define ADAGRAD_BODY(NAME, T)                                                                        \
    static inline __attribute__((always_inline)) void NAME##_body(                                   \
        T *restrict p, const T *restrict g, T *restrict s, ptrdiff_t n, T eta, T eps) {              \
        for (ptrdiff_t i = 0; i < n; i++) {                                                          \
            T si = s[i] + g[i] * g[i];                                                               \
            s[i] = si;                                                                               \
            p[i] = p[i] - eta * (g[i] / (NN_SQRT(si) + eps));                                        \
        }                                                                                            \
    }

ADAGRAD_BODY(nn_adagrad_f32, float)
ADAGRAD_BODY(nn_adagrad_f64, double)

NN_VARIANTS(nn_adagrad_f32, (float *p, const float *g, float *s, ptrdiff_t n, float eta, float eps), (p, g, s, n, eta, eps))
NN_VARIANTS(nn_adagrad_f64, (double *p, const double *g, double *s, ptrdiff_t n, double eta, double eps), (p, g, s, n, eta, eps))
