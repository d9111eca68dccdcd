#!/usr/bin/env bash
# Renders report pages in headless Chromium and checks the rendering: a real xor sweep run through
# `nnexp run` + `nnexp report`, and the 2-D, image and regression pages the report tests generate.
# For each page: the PNG screenshot exists and is not trivially small, and the DOM Chromium parsed
# holds one <svg> per file in charts/. Screenshots are kept in .build/check-report/ for a human look.
set -euo pipefail
cd "$(dirname "$0")/.."
SWIFT=${SWIFT:-swift}
bash scripts/install-deps.sh chromium fonts-dejavu-core
BROWSER=$(command -v chromium || command -v chromium-browser)

out=.build/check-report
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
rm -rf "$out"; mkdir -p "$out"

$SWIFT build --product nnexp >/dev/null
NNEXP=.build/debug/nnexp
sed -e 's/^experiment: xor$/experiment: xor-sweep/' -e 's/^training: .*/training: {epochs: 300}/' experiments/xor.yaml > "$tmp/xor-sweep.yaml"
cat >> "$tmp/xor-sweep.yaml" <<'YAML'
outputs: {cost: minibatch}
sweep: {optimizer.learning_rate: [0.1, 0.5, 1.0], seed: [1, 2]}
YAML
$NNEXP run "$tmp/xor-sweep.yaml" --results "$tmp/results" --jobs 2 2>/dev/null
$NNEXP report "$tmp/results/xor-sweep"

# The report tests write their synthetic experiments here instead of a temporary folder.
NNEXP_REPORT_SAMPLES="$tmp/samples" $SWIFT test --filter ReportTests >/dev/null

failed=0
for dir in "$tmp/results/xor-sweep" "$tmp/samples/moons" "$tmp/samples/digits" "$tmp/samples/housing"; do
  name=$(basename "$dir")
  png="$out/$name.png"
  "$BROWSER" --headless --no-sandbox --disable-gpu --hide-scrollbars --screenshot="$png" \
    --window-size=1200,3000 "file://$dir/report.html" >/dev/null 2>&1 || true
  dom=$("$BROWSER" --headless --no-sandbox --disable-gpu --dump-dom "file://$dir/report.html" 2>/dev/null || true)
  charts=$(find "$dir/charts" -name '*.svg' | wc -l)
  svgs=$(grep -o '<svg ' <<<"$dom" | wc -l)
  size=$(stat -c %s "$png" 2>/dev/null || echo 0)
  if [ "$size" -lt 20000 ] || [ "$svgs" -ne "$charts" ] || [ "$charts" -eq 0 ]; then
    echo "FAIL $name: screenshot $size bytes, $svgs <svg> in the rendered page, $charts chart files" >&2
    failed=1
  else
    echo "ok   $name: screenshot $size bytes ($png), $svgs charts rendered"
  fi
done
exit $failed
