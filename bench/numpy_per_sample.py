"""Baseline for case 3: the "classic feedforward" seed's per-sample SGD — 784-32-10, ReLU hidden,
softmax output, cross-entropy gradient, learning rate 0.05, N(0, 0.1) weights, binarised MNIST —
as a lean NumPy loop over one sample at a time (1-D vectors, np.outer, in-place updates; Float64).
Prints one JSON line: samples per second over one timed epoch after a warm-up epoch."""
import argparse
import json
import time

from mnist_idx import load, pin_blas_threads

import numpy as np


def epoch(x, y, order, w1, b1, w2, b2, lr):
    for i in order:
        a0 = x[i]
        z1 = w1 @ a0 + b1
        a1 = np.maximum(z1, 0.0)
        z2 = w2 @ a1 + b2
        e = np.exp(z2 - z2.max())
        p = e / e.sum()
        d2 = p
        d2[y[i]] -= 1.0
        d1 = (w2.T @ d2) * (z1 > 0)
        w2 -= lr * np.outer(d2, a1)
        b2 -= lr * d2
        w1 -= lr * np.outer(d1, a0)
        b1 -= lr * d1


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--samples", type=int, default=5000)
    p.add_argument("--epochs", type=int, default=1)
    p.add_argument("--data", default=None)
    a = p.parse_args()
    pinning = pin_blas_threads()
    x, labels = load("train", a.samples, a.data)
    x = (x > 0).astype(np.float64)
    rng = np.random.default_rng(1)
    w1, b1 = rng.normal(0.0, 0.1, (32, 784)), np.zeros(32)
    w2, b2 = rng.normal(0.0, 0.1, (10, 32)), np.zeros(10)
    times = []
    for k in range(a.epochs + 1):
        order = rng.permutation(len(labels))
        t = time.perf_counter()
        epoch(x, labels, order, w1, b1, w2, b2, 0.05)
        times.append(time.perf_counter() - t)
    per_epoch = float(np.median(times[1:]))
    print(json.dumps({"case": "per-sample", "contender": "numpy", "precision": "float64", "samples": len(labels),
                      "samples_per_second": len(labels) / per_epoch, "seconds_per_epoch": per_epoch,
                      "blas_pinning": pinning}))


if __name__ == "__main__":
    main()
