"""Baseline for case 1: Raschka's NeuralNetMLP training loop on MNIST, written the way the chapter
writes it (samples as columns after the first product, a bias unit prepended as a row/column of
ones, one weight matrix per layer, fancy-indexed minibatches), in Float64. Same algorithm as nnexp's
raschka run, with its settings read from experiments/raschka-mnist.yaml (raschka_settings.py): 784-50-10
sigmoid, summed logistic cost, L2 on non-bias weights, minibatches by array_split, previous-step momentum,
compounding decay, reshuffle every epoch.

Prints one JSON line: median seconds per timed epoch (after one warm-up epoch)."""
import argparse
import json
import time

from mnist_idx import load, pin_blas_threads
from raschka_settings import settings

import numpy as np

try:  # the chapter's logistic function (overflow-safe); plain NumPy when SciPy is absent
    from scipy.special import expit as sigmoid
except ImportError:
    def sigmoid(z):
        with np.errstate(over="ignore"):
            return 1.0 / (1.0 + np.exp(-z))


def with_bias_column(x):
    out = np.ones((x.shape[0], x.shape[1] + 1))
    out[:, 1:] = x
    return out


def with_bias_row(x):
    out = np.ones((x.shape[0] + 1, x.shape[1]))
    out[1:, :] = x
    return out


def train(x, labels, epochs, rng, clock, cfg):
    n_in, n_hidden, n_out = cfg["layers"]
    assert n_in == x.shape[1], f"the spec's {n_in} inputs, the data's {x.shape[1]} features"
    l2, eta, alpha, decrease = cfg["l2"], cfg["learning_rate"], cfg["momentum"], cfg["decay"]
    low, high = cfg["init"]
    w1 = rng.uniform(low, high, size=(n_hidden, x.shape[1] + 1))
    w2 = rng.uniform(low, high, size=(n_out, n_hidden + 1))
    onehot = np.zeros((n_out, len(labels)))
    onehot[labels, np.arange(len(labels))] = 1.0
    step1_prev, step2_prev = np.zeros_like(w1), np.zeros_like(w2)
    cost = 0.0
    for epoch in range(epochs):
        eta /= 1 + decrease * epoch
        order = rng.permutation(len(labels))
        xs, ys = x[order], onehot[:, order]
        for idx in np.array_split(np.arange(len(labels)), cfg["minibatches"]):
            # forward
            a1 = with_bias_column(xs[idx])
            a2 = with_bias_row(sigmoid(w1.dot(a1.T)))
            a3 = sigmoid(w2.dot(a2))
            y = ys[:, idx]
            with np.errstate(divide="ignore", invalid="ignore"):
                cost = np.sum(-y * np.log(a3) - (1 - y) * np.log(1 - a3)) \
                    + l2 / 2 * (np.sum(w1[:, 1:] ** 2) + np.sum(w2[:, 1:] ** 2))
            # backward: σ' from the stored activations
            d3 = a3 - y
            d2 = (w2.T.dot(d3) * a2 * (1 - a2))[1:, :]
            g1, g2 = d2.dot(a1), d3.dot(a2.T)
            g1[:, 1:] += l2 * w1[:, 1:]
            g2[:, 1:] += l2 * w2[:, 1:]
            step1, step2 = eta * g1, eta * g2
            w1 -= step1 + alpha * step1_prev
            w2 -= step2 + alpha * step2_prev
            step1_prev, step2_prev = step1, step2
        clock.append(time.perf_counter())
    return float(cost)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--epochs", type=int, default=3)
    p.add_argument("--samples", type=int, default=None)
    p.add_argument("--data", default=None)
    a = p.parse_args()
    pinning = pin_blas_threads()
    x, labels = load("train", a.samples, a.data)
    clock = [time.perf_counter()]
    cost = train(x, labels, a.epochs + 1, np.random.default_rng(1), clock, settings())
    timed = [t1 - t0 for t0, t1 in zip(clock[1:], clock[2:])]
    print(json.dumps({"case": "raschka", "contender": "numpy", "precision": "float64", "samples": len(labels),
                      "seconds_per_epoch": float(np.median(timed)), "epochs": timed, "final_cost": cost,
                      "blas_pinning": pinning, "numpy": np.__version__}))


if __name__ == "__main__":
    main()
