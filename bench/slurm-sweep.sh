#!/usr/bin/env bash
# Times bench/run.py's 16-run MNIST sweep (L2 × seed, 10 000 train / 2 000 test, 20 epochs, Float32)
# through the local single-node Slurm cluster as 1, 2 and 4 array tasks (`nnexp slurm … --wait`)
# against `nnexp run --jobs 2`, each into a fresh results folder, and checks that every result file
# is byte-identical. Needs root (the cluster), a release build and the data: make build data.
# Prints a Markdown table (docs/performance.md, "Slurm").
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
NNEXP="$ROOT/.build/release/nnexp"
[ -x "$NNEXP" ] || { echo "error: build first: make build" >&2; exit 1; }
export NNEXP_DATA="${NNEXP_DATA:-$ROOT/data}"
was_running=0; bash "$ROOT/scripts/slurm-local.sh" status >/dev/null 2>&1 && was_running=1
eval "$(bash "$ROOT/scripts/slurm-local.sh" start | sed 's/^/export /')"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"; [ $was_running = 1 ] || bash "$ROOT/scripts/slurm-local.sh" stop >/dev/null 2>&1' EXIT
python3 -c "import sys; sys.path.insert(0, '$ROOT/bench'); import run; print(run.sweep_spec(10000, 2000, 20, 16), end='')" >"$WORK/sweep.yaml"
cd "$WORK"
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { print b - a }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { print a / b }'; }
t0=$(now); "$NNEXP" run sweep.yaml --jobs 2 --results local --quiet; local_s=$(since "$t0")
echo "| 16-run MNIST sweep on 2 cores | wall s | vs nnexp run --jobs 2 |"
echo "| --- | ---: | ---: |"
printf '| nnexp run --jobs 2 | %.2f | 1 |\n' "$local_s"
for spec in "1 2" "2 1" "4 1"; do
  set -- $spec
  t0=$(now); "$NNEXP" slurm sweep.yaml --tasks "$1" --cpus-per-task "$2" --results "slurm$1" --wait >/dev/null 2>&1; s=$(since "$t0")
  diff -r -x '.slurm' -x '*.log' local "slurm$1" >/dev/null || { echo "error: slurm$1 differs from the local run" >&2; exit 1; }
  printf '| nnexp slurm --tasks %s --cpus-per-task %s --wait | %.2f | %.2f× |\n' "$1" "$2" "$s" "$(ratio "$s" "$local_s")"
done
# Slurm's own cost per task: 16 tasks that train nothing (every run already complete).
t0=$(now); "$NNEXP" slurm sweep.yaml --tasks 16 --results slurm1 --wait >/dev/null 2>&1; s=$(since "$t0")
printf '| 16 tasks with nothing to train (all runs kept) | %.2f | %.2f s per task |\n' "$s" "$(ratio "$s" 16)"
