#!/usr/bin/env bash
# Lists the Swift files that `make format` would change (swift-format with .swift-format) and exits 1
# when there is any; changes nothing in the working tree.
set -euo pipefail
SWIFT=${SWIFT:-swift}
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
changed=0
while IFS= read -r -d '' f; do
    mkdir -p "$scratch/$(dirname "$f")"
    if ! "$SWIFT" format format --configuration .swift-format "$f" > "$scratch/$f"; then
        echo "$f: swift-format failed" >&2; changed=1; continue
    fi
    if ! cmp -s "$f" "$scratch/$f"; then echo "$f"; changed=1; fi
done < <(find "$@" -name '*.swift' -print0 | sort -z)
if [ "$changed" -ne 0 ]; then echo "format-check: the files above are not formatted (make format)" >&2; fi
exit "$changed"
