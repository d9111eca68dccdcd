// Every float through the softmax kernel's exp (Sources/CKernels/softmax.c, `nn_expf_f32_isa`) against
// the C library's expf: the bits must agree on all 2³² inputs, for each variant that computes the vector
// exp and that this CPU runs (AVX2 with FMA, AVX-512). Run by `make test` (scripts/expf-exhaustive.sh;
// ~35 s per variant at -O2 on Zen 5, ~110 s on Zen 3); KernelTests samples the same in the debug build,
// where a full sweep would take too long. Exits 1 on a difference.
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "CKernels.h"

static uint64_t check(int isa, float *x, float *y, ptrdiff_t chunk) {
    uint64_t differ = 0;
    // Every float in order, so chunks mix the main path's inputs with the rest (|x| ≥ 88, ±∞, NaN),
    // as softmax blocks do: the rest must take the library's expf without disturbing their neighbours.
    ptrdiff_t n = 0;
    for (uint64_t u = 0; u <= UINT32_MAX; u++) {
        uint32_t b = (uint32_t)u;
        memcpy(&x[n++], &b, sizeof b);
        if (n == chunk || u == UINT32_MAX) {
            nn_expf_f32_isa((nn_isa)isa, x, y, n);
            for (ptrdiff_t i = 0; i < n; i++) {
                float e = expf(x[i]);
                if (memcmp(&e, &y[i], sizeof e) != 0 && !(isnan(e) && isnan(y[i]))) {
                    if (differ < 5) printf("isa %d: expf(%a) = %a, kernel %a\n", isa, x[i], e, y[i]);
                    differ++;
                }
            }
            n = 0;
        }
    }
    printf("expf, instruction-set variant %d: %llu of 4294967296 floats differ from the C library\n", isa,
           (unsigned long long)differ);
    return differ;
}

int main(void) {
    enum { CHUNK = 1 << 16 };
    float *x = malloc(CHUNK * sizeof *x), *y = malloc(CHUNK * sizeof *y);
    if (!x || !y) return 2;
    int best = (int)nn_best_isa();
    if (best < NN_ISA_AVX2) {
        // The baseline variant calls expf itself: nothing to prove.
        printf("expf: this CPU runs no vector-exp variant (AVX2 with FMA, or AVX-512); nothing to check\n");
        return 0;
    }
    uint64_t differ = 0;
    for (int isa = NN_ISA_AVX2; isa <= best; isa++) differ += check(isa, x, y, CHUNK);
    return differ != 0;
}
