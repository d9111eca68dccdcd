"""Baseline for case 1: scikit-learn's MLPClassifier on the same problem as Raschka's network, with its
settings read from experiments/raschka-mnist.yaml (raschka_settings.py) — one hidden layer of logistic
units, SGD on the spec's number of minibatches (1 200 samples each on all of MNIST), its L2 as alpha, its
learning rate and momentum, shuffled, no early stopping — timed over a few epochs (partial_fit-free: max_iter epochs of one fit, with the
convergence check disabled). scikit-learn keeps float32 input in float32, so `--precision` picks the
dtype. Prints one JSON line: seconds per epoch (whole fit ÷ epochs, after a one-epoch warm-up fit)."""
import argparse
import json
import time
import warnings

from mnist_idx import load, pin_blas_threads
from raschka_settings import settings

import numpy as np


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--epochs", type=int, default=3)
    p.add_argument("--samples", type=int, default=None)
    p.add_argument("--precision", default="float32", choices=["float32", "float64"])
    p.add_argument("--data", default=None)
    a = p.parse_args()
    pinning = pin_blas_threads()
    import sklearn
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier

    x, labels = load("train", a.samples, a.data)
    x = x.astype(np.float32 if a.precision == "float32" else np.float64)

    cfg = settings()
    batch = -(-len(labels) // cfg["minibatches"])  # as many samples per step as nnexp's minibatches hold

    def fit(epochs):
        clf = MLPClassifier(hidden_layer_sizes=tuple(cfg["layers"][1:-1]), activation="logistic", solver="sgd",
                            batch_size=batch, learning_rate_init=cfg["learning_rate"], alpha=cfg["l2"],
                            momentum=cfg["momentum"], nesterovs_momentum=False,
                            max_iter=epochs, shuffle=True, early_stopping=False, tol=0.0,
                            n_iter_no_change=10 ** 9, random_state=1)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            t = time.perf_counter()
            clf.fit(x, labels)
            return time.perf_counter() - t, clf

    fit(1)  # warm-up: imports, first-touch of buffers
    seconds, clf = fit(a.epochs)
    print(json.dumps({"case": "raschka", "contender": "sklearn", "precision": a.precision, "samples": len(labels),
                      "seconds_per_epoch": seconds / a.epochs, "epochs_run": clf.n_iter_,
                      "blas_pinning": pinning, "sklearn": sklearn.__version__}))


if __name__ == "__main__":
    main()
