#!/usr/bin/env bash
# Part of `make test`: a report rendered and driven in a real browser (Debian's headless Chromium,
# installed when missing; skipped with a message when it cannot be installed).
#  1. render: a seed sweep through `nnexp run`; the screenshot is written and not trivially small,
#     and the DOM Chromium built holds one <svg> per file in charts/;
#  2. interaction: a copy of the page with one line appended that clicks the cells table's
#     "final cost" header once (then twice) through the page's own handler; the row order Chromium
#     ends with must be the order of cells.csv sorted by final_cost_mean (ascending, then
#     descending), computed here with sort(1), not by the page.
# Screenshots are kept in .build/browser-test/ for a human look.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! bash scripts/install-deps.sh chromium fonts-dejavu-core >/dev/null 2>&1; then
  echo "SKIP browser test: Debian's chromium is not installed and cannot be installed here (needs root or sudo and apt)"
  exit 0
fi
BROWSER=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$BROWSER" ]; then echo "SKIP browser test: no chromium binary after installing the package"; exit 0; fi
NNEXP=${NNEXP:-.build/debug/nnexp}
[ -x "$NNEXP" ] || swift build --product nnexp >/dev/null

out=.build/browser-test
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
rm -rf "$out"; mkdir -p "$out"
chrome() { timeout 120 "$BROWSER" --headless --no-sandbox --disable-gpu --hide-scrollbars --user-data-dir="$tmp/profile" "$@" 2>/dev/null; }

cat > "$tmp/sweep.yaml" <<'YAML'
experiment: browser
description: xor, two activations × three learning rates × two seeds
dataset: {name: xor, repeats: 10}
model: {hidden: [4], activation: tanh, output: sigmoid, loss: logistic}
optimizer: {type: sgd, learning_rate: 0.1}
training: {epochs: 60, batch_size: 8, shuffle: true}
outputs: {cost: minibatch}
sweep:
  model.activation: [tanh, relu]
  optimizer.learning_rate: [0.05, 0.5, 5.0]
  seed: [1, 2]
YAML
"$NNEXP" run "$tmp/sweep.yaml" --results "$tmp/results" --jobs 2 --quiet || true
dir="$tmp/results/browser"
failed=0

# 1. Render.
png="$out/browser.png"
chrome --screenshot="$png" --window-size=1280,4000 "file://$dir/report.html" >/dev/null || true
dom=$(chrome --dump-dom "file://$dir/report.html" || true)
charts=$(find "$dir/charts" -name '*.svg' | wc -l)
svgs=$(grep -o '<svg ' <<<"$dom" | wc -l)
size=$(stat -c %s "$png" 2>/dev/null || echo 0)
if [ "$size" -lt 20000 ] || [ "$svgs" -ne "$charts" ] || [ "$charts" -eq 0 ]; then
  echo "FAIL browser render: screenshot $size bytes, $svgs <svg> in the rendered page, $charts chart files" >&2; failed=1
else
  echo "ok   browser render: screenshot $size bytes ($png), $svgs charts rendered"
fi

# 2. Click the "final cost" header of the cells table, once and twice.
header=$(head -1 "$dir/cells.csv")
col=$(tr ',' '\n' <<<"$header" | grep -nx 'final_cost_mean' | cut -d: -f1)
expected_up=$(tail -n +2 "$dir/cells.csv" | sort -t, -k"$col","$col" -g | cut -d, -f1,2 | tr ',' ' ')
expected_down=$(tail -n +2 "$dir/cells.csv" | sort -t, -k"$col","$col" -g -r | cut -d, -f1,2 | tr ',' ' ')
for clicks in 1 2; do
  sed "s#</body>#<script>(function () { var ths = document.querySelectorAll('table.cells thead th'); var th = Array.prototype.filter.call(ths, function (h) { return h.textContent === 'final cost'; })[0]; for (var i = 0; i !== $clicks; i++) th.click(); var rows = document.querySelectorAll('table.cells tbody tr'); document.body.setAttribute('data-order', Array.prototype.map.call(rows, function (r) { return r.cells[1].textContent + ' ' + r.cells[2].textContent; }).join('|')); document.body.setAttribute('data-sort', th.getAttribute('aria-sort')); })();</script></body>#" \
    "$dir/report.html" > "$dir/click.html"
  dom=$(chrome --dump-dom "file://$dir/click.html" || true)
  got=$(grep -o 'data-order="[^"]*"' <<<"$dom" | head -1 | sed -e 's/^data-order="//' -e 's/"$//' | tr '|' '\n')
  state=$(grep -o 'data-sort="[^"]*"' <<<"$dom" | head -1)
  want=$([ $clicks = 1 ] && echo "$expected_up" || echo "$expected_down")
  if [ "$got" != "$want" ]; then
    echo "FAIL browser click ($clicks): rows after sorting by final cost" >&2
    echo "  got:      $(tr '\n' '|' <<<"$got")" >&2
    echo "  expected: $(tr '\n' '|' <<<"$want")" >&2
    failed=1
  else
    echo "ok   browser click ($clicks): cells sorted by final cost, $state"
  fi
done
chrome --screenshot="$out/browser-sorted.png" --window-size=1280,1600 "file://$dir/click.html" >/dev/null || true
exit $failed
