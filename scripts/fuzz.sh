#!/usr/bin/env bash
# `make fuzz`: builds the libFuzzer targets (swift build --sanitize=fuzzer --sanitize=address, in
# .build/fuzz so the normal build is untouched) and runs each for FUZZ_SECONDS (default 60) from the
# committed seed corpus and dictionary. A crash, leak or hang is written into
# FuzzTesting/Regressions/<target>/ (commit it: `make test` replays that folder). Prints the
# executions of each target. FUZZ_TARGETS="spec idx" picks targets; FUZZ_JOBS runs parallel jobs.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_EACH=${FUZZ_SECONDS:-60}
TARGETS=${FUZZ_TARGETS:-spec idx csv npy}
SWIFT=${SWIFT:-swift}
# SwiftPM passes `-sanitize=fuzzer -sanitize=address` as two flags, and swiftc (6.3) keeps only the
# last one, so Swift code got AddressSanitizer but no coverage (libFuzzer then saw only the C code's
# few hundred counters). Appending the combined flag restores both; --sanitize still does the linking.
BUILD=("$SWIFT" build -c release --build-path .build/fuzz --sanitize=fuzzer --sanitize=address -Xswiftc -sanitize=fuzzer,address)
declare -A PRODUCT=([spec]=FuzzSpec [idx]=FuzzIDX [csv]=FuzzCSV [npy]=FuzzNPY)
for t in $TARGETS; do
    "${BUILD[@]}" --product "${PRODUCT[$t]}"
done
bin=$("${BUILD[@]}" --show-bin-path)
summary=()
for t in $TARGETS; do
    work=.build/fuzz-corpus/$t
    mkdir -p "$work" "FuzzTesting/Regressions/$t"
    log=.build/fuzz-$t.log
    set +e
    "$bin/${PRODUCT[$t]}" "$work" "FuzzTesting/Corpus/$t" \
        -dict="FuzzTesting/Dictionaries/$t.dict" -max_total_time="$SECONDS_EACH" -timeout=10 \
        -rss_limit_mb=4096 -max_len=65536 -print_final_stats=1 \
        -artifact_prefix="FuzzTesting/Regressions/$t/" 2>&1 | tee "$log" | grep -E "^#[0-9]+ +(INITED|DONE)|ERROR|SUMMARY|Done"
    status=${PIPESTATUS[0]}
    set -e
    runs=$(grep -Eo 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -Eo '[0-9]+$' || echo 0)
    summary+=("$t: $runs executions, exit $status")
done
printf '%s\n' "fuzzing summary (${SECONDS_EACH} s each):" "${summary[@]}"
