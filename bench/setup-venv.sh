#!/usr/bin/env bash
# Creates .venv-bench/ with scikit-learn (and the NumPy, SciPy and threadpoolctl it brings) for the
# Python baselines of `make bench`. A quiet no-op once they import.
set -euo pipefail
venv=.venv-bench
python="${PYTHON:-python3}"
if [ -x "$venv/bin/python" ] && "$venv/bin/python" -c "import sklearn, threadpoolctl, numpy" 2>/dev/null; then
    exit 0
fi
command -v "$python" >/dev/null || { echo "bench: python3 is needed (apt-get install python3 python3-venv)" >&2; exit 1; }
"$python" -m venv "$venv" || { echo "bench: cannot create $venv (apt-get install python3-venv)" >&2; exit 1; }
"$venv/bin/python" -m pip install --quiet --upgrade pip
"$venv/bin/python" -m pip install --quiet scikit-learn threadpoolctl numpy
