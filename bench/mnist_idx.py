"""Reads MNIST's gzip IDX files with NumPy alone (the baselines need nothing from nnexp)."""
import gzip
import os

import numpy as np


def data_root(explicit=None):
    return explicit or os.environ.get("NNEXP_DATA") or "data"


def load(kind="train", count=None, root=None):
    """Images as a float64 (n, 784) array of raw 0..255 pixels, labels as int64."""
    folder = os.path.join(data_root(root), "mnist")
    prefix = "train" if kind == "train" else "t10k"
    with gzip.open(os.path.join(folder, f"{prefix}-labels-idx1-ubyte.gz"), "rb") as f:
        labels = np.frombuffer(f.read(), dtype=np.uint8, offset=8).astype(np.int64)
    with gzip.open(os.path.join(folder, f"{prefix}-images-idx3-ubyte.gz"), "rb") as f:
        images = np.frombuffer(f.read(), dtype=np.uint8, offset=16).reshape(len(labels), 784)
    if count is not None:
        images, labels = images[:count], labels[:count]
    return images.astype(np.float64), labels


def pin_blas_threads():
    """One BLAS thread: the environment variables are set by run.py before NumPy loads; threadpoolctl,
    when installed, also limits an already-loaded BLAS. Returns how the limit was applied."""
    try:
        from threadpoolctl import threadpool_limits
        threadpool_limits(limits=1)
        return "env+threadpoolctl"
    except ImportError:
        return "env"
