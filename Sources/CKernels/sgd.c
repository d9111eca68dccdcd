// SGD's update over a parameter range (SGD.swift): the optimizer of Raschka's chapter and of the
// classic seeds, applied to every parameter after every minibatch.
//
// Why C: Swift vectorised these loops only 4 floats wide (baseline x86-64), ~1 % of a Raschka epoch's
// samples (39 760 parameters, 50 steps per epoch). Here they run at the CPU's widest vectors. The
// operations and their order are the Swift formulas' and FMA contraction is off, so every variant
// gives their bits (KernelTests). `rule`: 0 plain, 1 previous-step momentum, 2 heavy ball, 3 Nesterov.
//
//     plain:          p ← p − η·g
//     previous-step:  δ ← η·g;  p ← p − (δ + μ·s);  s ← δ
//     heavy ball:     s ← μ·s − η·g;  p ← p + s
//     Nesterov:       s ← μ·s + g;  p ← p − η·(g + μ·s)
#include "kernels.h"

#define SGD_BODY(NAME, T)                                                                            \
    static inline __attribute__((always_inline)) void NAME##_body(                                   \
        T *restrict p, const T *restrict g, T *restrict s, ptrdiff_t n, T eta, T mu, int rule) {     \
        switch (rule) {                                                                              \
        case 1:                                                                                      \
            for (ptrdiff_t i = 0; i < n; i++) {                                                      \
                T delta = eta * g[i];                                                                \
                p[i] = p[i] - (delta + mu * s[i]);                                                   \
                s[i] = delta;                                                                        \
            }                                                                                        \
            break;                                                                                   \
        case 2:                                                                                      \
            for (ptrdiff_t i = 0; i < n; i++) {                                                      \
                T si = mu * s[i] - eta * g[i];                                                       \
                s[i] = si;                                                                           \
                p[i] = p[i] + si;                                                                    \
            }                                                                                        \
            break;                                                                                   \
        case 3:                                                                                      \
            for (ptrdiff_t i = 0; i < n; i++) {                                                      \
                T si = mu * s[i] + g[i];                                                             \
                s[i] = si;                                                                           \
                p[i] = p[i] - eta * (g[i] + mu * si);                                                \
            }                                                                                        \
            break;                                                                                   \
        default:                                                                                     \
            for (ptrdiff_t i = 0; i < n; i++) p[i] = p[i] - eta * g[i];                              \
        }                                                                                            \
    }

SGD_BODY(nn_sgd_f32, float)
SGD_BODY(nn_sgd_f64, double)

NN_VARIANTS(nn_sgd_f32, (float *p, const float *g, float *s, ptrdiff_t n, float eta, float mu, int rule),
            (p, g, s, n, eta, mu, rule))
NN_VARIANTS(nn_sgd_f64, (double *p, const double *g, double *s, ptrdiff_t n, double eta, double mu, int rule),
            (p, g, s, n, eta, mu, rule))
