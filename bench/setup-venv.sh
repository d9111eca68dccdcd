#!/usr/bin/env bash
# Creates .venv-bench/ with the Python baselines of `make bench`: scikit-learn (and the NumPy, SciPy
# and threadpoolctl it brings), PyYAML and PyTorch (PyPI's Linux wheel, with its CUDA libraries: about 5 GB and a
# minute to install; only its CPU path is used). A quiet no-op once they import. PyTorch is optional:
# when it cannot be installed (no space, no registry), `make bench` runs without it and says so.
# BENCH_TORCH=0 skips it.
set -euo pipefail
venv=.venv-bench
python="${PYTHON:-python3}"
want_torch="${BENCH_TORCH:-1}"
if [ -x "$venv/bin/python" ] && "$venv/bin/python" -c "import sklearn, threadpoolctl, numpy, yaml" 2>/dev/null; then
    if [ "$want_torch" = 0 ] || "$venv/bin/python" -c "import torch" 2>/dev/null || [ -e "$venv/.torch-failed" ]; then
        exit 0
    fi
else
    command -v "$python" >/dev/null || { echo "bench: python3 is needed (apt-get install python3 python3-venv)" >&2; exit 1; }
    "$python" -m venv "$venv" || { echo "bench: cannot create $venv (apt-get install python3-venv)" >&2; exit 1; }
    "$venv/bin/python" -m pip install --quiet --upgrade pip
    # PyYAML: the baselines read Raschka's settings from experiments/raschka-mnist.yaml (bench/raschka_settings.py).
    "$venv/bin/python" -m pip install --quiet scikit-learn threadpoolctl numpy pyyaml
fi
if [ "$want_torch" != 0 ]; then
    echo "bench: installing PyTorch into $venv (about 5 GB, once; BENCH_TORCH=0 skips it)" >&2
    if "$venv/bin/python" -m pip install --quiet torch; then
        rm -f "$venv/.torch-failed"
    else
        # Remembered so that later runs do not retry a failing 5 GB download every time; delete the
        # marker (or the venv) to try again.
        echo "bench: PyTorch could not be installed; make bench runs without it" >&2
        touch "$venv/.torch-failed"
    fi
fi
