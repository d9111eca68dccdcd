#!/usr/bin/env bash
# Part of `make test`: the softmax kernel's exp (Sources/CKernels/softmax.c) against the C library's
# expf on every one of the 2³² floats, for each vector variant the CPU runs, compiled at -O2 with the
# toolchain's clang (~35 s per variant on Zen 5, ~110 s on Zen 3); see scripts/expf-exhaustive.c. Fails
# the target on any difference.
set -euo pipefail
cd "$(dirname "$0")/.."
# clang, as SwiftPM builds the kernels (kernels.h's variants and `fp contract(off)` are clang's), not $CC.
out=.build/expf-exhaustive
mkdir -p .build
clang -O2 -I Sources/CKernels/include -I Sources/CKernels scripts/expf-exhaustive.c \
  Sources/CKernels/softmax.c Sources/CKernels/isa.c -lm -o "$out"
"$out"
