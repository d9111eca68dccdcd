#!/usr/bin/env python3
"""Writes Tests/NNEngineTests/Fixtures/raschka-trajectory.npz: a short training trajectory of the Raschka
seed's own NumPy class (NeuralNetMLP, Python Machine Learning ch. 12), the independent implementation
that RaschkaTrajectoryTests checks nnexp's engine against in Float64.

The class is not copied into the project: this script reads it from the seed document in ../shared
(the leads' material beside the repository) and executes it as written. Only the fixture is committed;
the tests never need ../shared or NumPy. Rerun after changing the hyperparameters below, which
RaschkaTrajectoryTests repeats.

Pixels are scaled to [0, 1]: on raw 0-255 pixels the seed's saturated sigmoids make a(1 - a) cancel
catastrophically and last-bit differences grow about 100x per step in any implementation.

usage: python3 scripts/raschka-fixture.py [SEED_DOCUMENT]   (needs numpy, scipy and data/mnist)
"""
import glob
import gzip
import os
import struct
import sys

import numpy as np
from scipy.special import expit

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SAMPLES, HIDDEN, EPOCHS, MINIBATCHES = 300, 30, 3, 5
ETA, ALPHA, DECREASE, L2, SEED = 0.001, 0.001, 0.00001, 0.1, 1


def seed_class(path):
    """The source of `class NeuralNetMLP` (its first definition) from the seed document."""
    lines = open(path, encoding="utf-8").read().split("\n")
    start = next(i for i, l in enumerate(lines) if l.startswith("class NeuralNetMLP("))
    end = start + 1
    while end < len(lines) and (lines[end] == "" or lines[end][0] in " \t"):
        end += 1
    return "\n".join(lines[start:end])


def idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = struct.unpack(">" + "I" * dims, data[4:4 + 4 * dims])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def main():
    seed_doc = sys.argv[1] if len(sys.argv) > 1 else sorted(glob.glob(os.path.join(ROOT, "..", "shared", "seeds", "000_*.txt")))[0]
    namespace = {"np": np, "expit": expit, "sys": sys}
    exec(seed_class(seed_doc), namespace)
    pixels = idx(os.path.join(ROOT, "data/mnist/train-images-idx3-ubyte.gz"))[:SAMPLES].reshape(SAMPLES, -1)
    labels = idx(os.path.join(ROOT, "data/mnist/train-labels-idx1-ubyte.gz"))[:SAMPLES]
    X = pixels.astype(np.float64) / 255.0
    nn = namespace["NeuralNetMLP"](n_output=10, n_features=X.shape[1], n_hidden=HIDDEN, l1=0.0, l2=L2,
                                   epochs=EPOCHS, eta=ETA, alpha=ALPHA, decrease_const=DECREASE,
                                   shuffle=False, minibatches=MINIBATCHES, random_state=SEED)
    w1, w2 = nn.w1.copy(), nn.w2.copy()
    nn.fit(X, labels.astype(np.int64))
    out = os.path.join(ROOT, "Tests/NNEngineTests/Fixtures/raschka-trajectory.npz")
    os.makedirs(os.path.dirname(out), exist_ok=True)
    np.savez_compressed(out, pixels=pixels.astype(np.float64), labels=labels.astype(np.float64),
                        w1_initial=w1, w2_initial=w2, batch_costs=np.array(nn.cost_, dtype=np.float64),
                        w1_final=nn.w1, w2_final=nn.w2)
    print(f"wrote {out}: {len(nn.cost_)} minibatch costs, first {nn.cost_[0]!r}, last {nn.cost_[-1]!r}")


if __name__ == "__main__":
    main()
