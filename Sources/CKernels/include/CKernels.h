// Hand-written C kernels for the engine's few elementwise hot loops (sigmoid, byte features and their gather).
//
// Why C: Swift compiles for baseline x86-64 (SSE2, 4 floats a vector), and a package cannot ask for
// more without breaking older CPUs. Each kernel is compiled once per instruction set (AVX-512, AVX2,
// baseline) and runs the widest the CPU has. Every variant does the same IEEE operations in the same
// order (FMA contraction is off), so results are bit-identical on every CPU and to the Swift formulas
// they replace (KernelTests runs each variant this CPU has and compares bits). One exception in method,
// not in bits: the softmax's AVX-512 variant computes the C library's expf algorithm itself (with its
// FMAs) where the others call expf (softmax.c; all 2³² inputs checked by scripts/expf-exhaustive.sh).
#ifndef NN_KERNELS_H
#define NN_KERNELS_H

#include <stddef.h>
#include <stdint.h>

#include "nn_fast_exp.h"
#include "nn_fast_log1p.h"
#include "nn_fast_tanh.h"

/// Instruction-set variants, narrowest first: x86-64's baseline (SSE2), AVX2 with FMA, AVX-512F.
typedef enum { NN_ISA_BASELINE = 0, NN_ISA_AVX2 = 1, NN_ISA_AVX512 = 2 } nn_isa;
/// The widest variant this CPU runs (always NN_ISA_BASELINE off x86-64).
nn_isa nn_best_isa(void);

/// z[i] ← σ(z[i]) = 1/(1+e^−z), in place, stable and branch-free (see sigmoid.c).
void nn_sigmoid_f32(float *z, ptrdiff_t n);
void nn_sigmoid_f64(double *z, ptrdiff_t n);
void nn_sigmoid_f32_isa(nn_isa isa, float *z, ptrdiff_t n);
void nn_sigmoid_f64_isa(nn_isa isa, double *z, ptrdiff_t n);
/// g[i] ← g[i]·(a[i]·(1 − a[i])): the sigmoid's derivative from its output a, times the gradient g.
void nn_sigmoid_grad_f32(float *g, const float *a, ptrdiff_t n);
void nn_sigmoid_grad_f64(double *g, const double *a, ptrdiff_t n);
void nn_sigmoid_grad_f32_isa(nn_isa isa, float *g, const float *a, ptrdiff_t n);
void nn_sigmoid_grad_f64_isa(nn_isa isa, double *g, const double *a, ptrdiff_t n);

/// Softmax of each of `rows` rows of `cols` floats in place (m = the row's maximum, eⱼ = exp(zⱼ − m),
/// s = Σ eⱼ in order, aⱼ = eⱼ·(1/s)), storing m and s of row r at maxima[r] and sums[r] when those are
/// not NULL; exp is the C library's expf to the bit (softmax.c: glibc's algorithm at vector width).
void nn_softmax_f32(float *z, ptrdiff_t rows, ptrdiff_t cols, float *maxima, float *sums);
void nn_softmax_f32_isa(nn_isa isa, float *z, ptrdiff_t rows, ptrdiff_t cols, float *maxima, float *sums);
/// y[i] ← expf(x[i]) for `n` floats, the C library's bits (softmax.c's exp; for tests).
void nn_expf_f32(const float *x, float *y, ptrdiff_t n);
void nn_expf_f32_isa(nn_isa isa, const float *x, float *y, ptrdiff_t n);
/// z[i] ← tanh(z[i]) in place, by nn_fast_tanh.h (double within 4 ulp, float within 1 ulp; tanh.c).
void nn_tanh_f32(float *z, ptrdiff_t n);
void nn_tanh_f64(double *z, ptrdiff_t n);
void nn_tanh_f32_isa(nn_isa isa, float *z, ptrdiff_t n);
void nn_tanh_f64_isa(nn_isa isa, double *z, ptrdiff_t n);
/// g[i] ← g[i]·(1 − a[i]·a[i]): tanh's derivative from its output a, times the gradient g.
void nn_tanh_grad_f32(float *g, const float *a, ptrdiff_t n);
void nn_tanh_grad_f64(double *g, const double *a, ptrdiff_t n);
void nn_tanh_grad_f32_isa(nn_isa isa, float *g, const float *a, ptrdiff_t n);
void nn_tanh_grad_f64_isa(nn_isa isa, double *g, const double *a, ptrdiff_t n);

/// z[i] ← z[i] > 0 ? z[i] : +0, in place (relu.c).
void nn_relu_f32(float *z, ptrdiff_t n);
void nn_relu_f64(double *z, ptrdiff_t n);
void nn_relu_f32_isa(nn_isa isa, float *z, ptrdiff_t n);
void nn_relu_f64_isa(nn_isa isa, double *z, ptrdiff_t n);
/// g[i] ← a[i] > 0 ? g[i] : +0, in place: the rectifier's derivative from its output a (relu.c).
void nn_relu_grad_f32(float *g, const float *a, ptrdiff_t n);
void nn_relu_grad_f64(double *g, const double *a, ptrdiff_t n);
void nn_relu_grad_f32_isa(nn_isa isa, float *g, const float *a, ptrdiff_t n);
void nn_relu_grad_f64_isa(nn_isa isa, double *g, const double *a, ptrdiff_t n);

/// Adam's update of n parameters (adam.c): m ← b1·m + (1−b1)·g; v ← b2·v + ((1−b2)·g)·g;
/// p ← p − (step·m)/(√v + epsHat), each operation rounded as written.
void nn_adam_f32(float *p, const float *g, float *m, float *v, ptrdiff_t n, float b1, float b2, float step, float epsHat);
void nn_adam_f64(double *p, const double *g, double *m, double *v, ptrdiff_t n, double b1, double b2, double step, double epsHat);
void nn_adam_f32_isa(nn_isa isa, float *p, const float *g, float *m, float *v, ptrdiff_t n, float b1, float b2, float step, float epsHat);
void nn_adam_f64_isa(nn_isa isa, double *p, const double *g, double *m, double *v, ptrdiff_t n, double b1, double b2, double step, double epsHat);

/// Adagrad's update of n parameters (adagrad.c): s ← s + g·g; p ← p − eta·(g/(√s + eps)), each
/// operation rounded as written.
void nn_adagrad_f32(float *p, const float *g, float *s, ptrdiff_t n, float eta, float eps);
void nn_adagrad_f64(double *p, const double *g, double *s, ptrdiff_t n, double eta, double eps);
void nn_adagrad_f32_isa(nn_isa isa, float *p, const float *g, float *s, ptrdiff_t n, float eta, float eps);
void nn_adagrad_f64_isa(nn_isa isa, double *p, const double *g, double *s, ptrdiff_t n, double eta, double eps);

/// RMSprop's update of n parameters (rmsprop.c): v ← a·v + (1−a)·(g·g); with `mean` (centred, else NULL)
/// m ← a·m + (1−a)·g and ṽ = v − m·m, else ṽ = v; q = g/(√ṽ + eps); with `buf` (momentum, else NULL)
/// b ← mu·b + q and p ← p − eta·b, else p ← p − eta·q; each operation rounded as written.
void nn_rmsprop_f32(float *p, const float *g, float *v, float *mean, float *buf, ptrdiff_t n, float a, float eps, float mu, float eta);
void nn_rmsprop_f64(double *p, const double *g, double *v, double *mean, double *buf, ptrdiff_t n, double a, double eps, double mu, double eta);
void nn_rmsprop_f32_isa(nn_isa isa, float *p, const float *g, float *v, float *mean, float *buf, ptrdiff_t n, float a, float eps, float mu, float eta);
void nn_rmsprop_f64_isa(nn_isa isa, double *p, const double *g, double *v, double *mean, double *buf, ptrdiff_t n, double a, double eps, double mu, double eta);

/// g[i] ← g[i] + lambda·w[i] for i < n, two roundings: the L2 penalty's gradient (penalty.c).
void nn_l2_grad_f32(float *g, const float *w, ptrdiff_t n, float lambda);
void nn_l2_grad_f64(double *g, const double *w, ptrdiff_t n, double lambda);
void nn_l2_grad_f32_isa(nn_isa isa, float *g, const float *w, ptrdiff_t n, float lambda);
void nn_l2_grad_f64_isa(nn_isa isa, double *g, const double *w, ptrdiff_t n, double lambda);

/// SGD's update of n parameters (sgd.c), each operation rounded as written. rule 0: p ← p − eta·g;
/// 1 (previous-step momentum): d ← eta·g, p ← p − (d + mu·s), s ← d; 2 (heavy ball): s ← mu·s − eta·g,
/// p ← p + s; 3 (Nesterov): s ← mu·s + g, p ← p − eta·(g + mu·s). `s` is not read for rule 0.
void nn_sgd_f32(float *p, const float *g, float *s, ptrdiff_t n, float eta, float mu, int rule);
void nn_sgd_f64(double *p, const double *g, double *s, ptrdiff_t n, double eta, double mu, int rule);
void nn_sgd_f32_isa(nn_isa isa, float *p, const float *g, float *s, ptrdiff_t n, float eta, float mu, int rule);
void nn_sgd_f64_isa(nn_isa isa, double *p, const double *g, double *s, ptrdiff_t n, double eta, double mu, int rule);

/// out[i] ← max(z[i], +0) + log1p(exp(−|z[i]|)) − y[i]·z[i], the logistic cost's per-element terms, with
/// the fast exp and log1p of nn_fast_exp.h and nn_fast_log1p.h (softplus.c).
void nn_logistic_terms_f32(const float *z, const float *y, ptrdiff_t n, float *out);
void nn_logistic_terms_f64(const double *z, const double *y, ptrdiff_t n, double *out);
void nn_logistic_terms_f32_isa(nn_isa isa, const float *z, const float *y, ptrdiff_t n, float *out);
void nn_logistic_terms_f64_isa(nn_isa isa, const double *z, const double *y, ptrdiff_t n, double *out);

/// out[j] ← Σ_{r<rows} d[r·stride + j] for j < cols, each column summed over the rows in order (the
/// bias gradient; colsum.c). rows = 0 leaves `out` alone.
void nn_column_sums_f32(const float *d, ptrdiff_t rows, ptrdiff_t stride, ptrdiff_t cols, float *out);
void nn_column_sums_f64(const double *d, ptrdiff_t rows, ptrdiff_t stride, ptrdiff_t cols, double *out);
void nn_column_sums_f32_isa(nn_isa isa, const float *d, ptrdiff_t rows, ptrdiff_t stride, ptrdiff_t cols, float *out);
void nn_column_sums_f64_isa(nn_isa isa, const double *d, ptrdiff_t rows, ptrdiff_t stride, ptrdiff_t cols, double *out);

/// dst[r][c] ← src[idx[r]][c] for r < n, c < cols: rows of a byte matrix gathered into a float batch,
/// prefetching rows a few places ahead (the minibatch gather over byte-valued features; gather.c). With
/// `targets` (else NULL), also targets[r][c] ← (c == classes[idx[r]]) for c < nclass: the rows' one-hot
/// targets, each class in 0..<nclass.
void nn_gather_u8_f32(const uint8_t *src, ptrdiff_t cols, const ptrdiff_t *idx, ptrdiff_t n, float *dst,
                      const int32_t *classes, ptrdiff_t nclass, float *targets);
void nn_gather_u8_f64(const uint8_t *src, ptrdiff_t cols, const ptrdiff_t *idx, ptrdiff_t n, double *dst,
                      const int32_t *classes, ptrdiff_t nclass, double *targets);
void nn_gather_u8_f32_isa(nn_isa isa, const uint8_t *src, ptrdiff_t cols, const ptrdiff_t *idx, ptrdiff_t n,
                          float *dst, const int32_t *classes, ptrdiff_t nclass, float *targets);
void nn_gather_u8_f64_isa(nn_isa isa, const uint8_t *src, ptrdiff_t cols, const ptrdiff_t *idx, ptrdiff_t n,
                          double *dst, const int32_t *classes, ptrdiff_t nclass, double *targets);

/// dst[r][c] ← (T)(((double)src[idx[r]][c] − shift[c]) / divisor[c]) for r < n, c < cols: the gather of
/// byte features read through a per-column affine step (standardised or scaled pixels), with the
/// preprocessing's own Float64 subtraction and division and one rounding to T (gather.c); `targets` as
/// in nn_gather_u8_f32.
void nn_gather_u8_affine_f32(const uint8_t *src, ptrdiff_t cols, const ptrdiff_t *idx, ptrdiff_t n,
                             const double *shift, const double *divisor, float *dst,
                             const int32_t *classes, ptrdiff_t nclass, float *targets);
void nn_gather_u8_affine_f64(const uint8_t *src, ptrdiff_t cols, const ptrdiff_t *idx, ptrdiff_t n,
                             const double *shift, const double *divisor, double *dst,
                             const int32_t *classes, ptrdiff_t nclass, double *targets);
void nn_gather_u8_affine_f32_isa(nn_isa isa, const uint8_t *src, ptrdiff_t cols, const ptrdiff_t *idx, ptrdiff_t n,
                                 const double *shift, const double *divisor, float *dst,
                                 const int32_t *classes, ptrdiff_t nclass, float *targets);
void nn_gather_u8_affine_f64_isa(nn_isa isa, const uint8_t *src, ptrdiff_t cols, const ptrdiff_t *idx, ptrdiff_t n,
                                 const double *shift, const double *divisor, double *dst,
                                 const int32_t *classes, ptrdiff_t nclass, double *targets);

/// dst[r][c] ← (float)(((double)src[idx[r]][c] − shift[c]) · scale[c]): the affine gather with the
/// division replaced by a multiply by scale[c] = 1/divisor[c] — used only where ByteDecoding has checked,
/// for all 256 byte values of every column, that it rounds to the division's float (gather.c).
void nn_gather_u8_scaled_f32(const uint8_t *src, ptrdiff_t cols, const ptrdiff_t *idx, ptrdiff_t n,
                             const double *shift, const double *scale, float *dst,
                             const int32_t *classes, ptrdiff_t nclass, float *targets);
void nn_gather_u8_scaled_f32_isa(nn_isa isa, const uint8_t *src, ptrdiff_t cols, const ptrdiff_t *idx, ptrdiff_t n,
                                 const double *shift, const double *scale, float *dst,
                                 const int32_t *classes, ptrdiff_t nclass, float *targets);

/// Prefetches the first rows of the next minibatch (gather.c).
void nn_prefetch_rows_u8(const uint8_t *src, ptrdiff_t cols, const ptrdiff_t *idx, ptrdiff_t n);

/// out[i] ← x[i] as a byte; *exact ← 1 if every x[i] is an integer in 0…255 (not −0, not NaN), else 0
/// (then `out` holds nothing useful). The test behind Samples.bytes (bytes.c).
void nn_to_bytes_f32(const float *x, ptrdiff_t n, uint8_t *out, int *exact);
void nn_to_bytes_f64(const double *x, ptrdiff_t n, uint8_t *out, int *exact);
void nn_to_bytes_f32_isa(nn_isa isa, const float *x, ptrdiff_t n, uint8_t *out, int *exact);
void nn_to_bytes_f64_isa(nn_isa isa, const double *x, ptrdiff_t n, uint8_t *out, int *exact);

/// A team of persistent helper threads for one run (team.c): `nn_team_run` runs fn(ctx, 0…tasks−1) on the
/// calling thread and up to threads − 1 helpers, each task once, and returns when all are done. Tasks
/// are claimed in any order by any thread; callers give each task disjoint memory to write.
typedef struct nn_team nn_team;
typedef void (*nn_task_fn)(void *ctx, long task);
/// A team with `helpers` threads besides the caller (NULL if it cannot be allocated; fewer helpers if
/// threads cannot be started). A NULL team runs every task on the calling thread.
nn_team *nn_team_create(int helpers);
/// Helper threads actually running (0 for NULL).
int nn_team_helpers(const nn_team *team);
/// Stops and joins the helpers and frees the team (NULL: nothing).
void nn_team_destroy(nn_team *team);
/// Runs tasks 0…tasks−1 on up to `threads` threads (the caller among them). One caller at a time, and
/// a task must not run another job on the same team.
void nn_team_run(nn_team *team, int threads, long tasks, nn_task_fn fn, void *ctx);

#endif
