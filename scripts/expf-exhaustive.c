// Every float through the softmax kernel's exp (Sources/CKernels/softmax.c, `nn_expf_f32_isa`, the
// instruction-set variant this CPU runs) against the C library's expf: the bits must agree on all
// 2³² inputs. Run by `make test` (scripts/expf-exhaustive.sh; ~35 s at -O2); KernelTests samples the
// same in the debug build, where a full sweep would take too long. Exits 1 on a difference.
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "CKernels.h"

int main(void) {
    enum { CHUNK = 1 << 16 };
    float *x = malloc(CHUNK * sizeof *x), *y = malloc(CHUNK * sizeof *y);
    if (!x || !y) return 2;
    int isa = (int)nn_best_isa();
    uint64_t differ = 0;
    // Every float in order, so chunks mix the main path's inputs with the rest (|x| ≥ 88, ±∞, NaN),
    // as softmax blocks do: the rest must take the library's expf without disturbing their neighbours.
    ptrdiff_t n = 0;
    for (uint64_t u = 0; u <= UINT32_MAX; u++) {
        uint32_t b = (uint32_t)u;
        memcpy(&x[n++], &b, sizeof b);
        if (n == CHUNK || u == UINT32_MAX) {
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
    return differ != 0;
}
