"""Raschka's configuration for the bench baselines, read from its one source of truth:
experiments/raschka-mnist.yaml, the spec `nnexp run` trains and `nnexp-bench raschka` loads (through nnexp's
own spec decoder). The baselines (numpy_raschka.py, sklearn_mlp.py, torch_mlp.py) and run.py's sweep spec take
their layers, learning rate, momentum, decay, L2 and minibatch count from here, so changing the experiment
changes every contender alike. The baselines implement one algorithm (sigmoid layers, summed logistic cost,
previous-step momentum, compounding decay, uniform initialisation); a spec that asks for anything else is
refused with the key at fault rather than benchmarked as something it is not."""
import os

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SPEC = os.path.join(ROOT, "experiments", "raschka-mnist.yaml")

# What the baselines implement: spec key -> the one value they can follow.
FIXED = {("model", "activation"): "sigmoid", ("model", "output"): "sigmoid", ("model", "loss"): "logistic",
         ("model", "reduction"): "sum", ("model", "init_biases"): True, ("optimizer", "type"): "sgd", ("optimizer", "momentum_rule"): "previous-step",
         ("optimizer", "decay_rule"): "compounding"}


def settings(path=SPEC):
    """The spec's settings as plain numbers: layers, learning_rate, momentum, decay, l2, minibatches, init."""
    with open(path, encoding="utf-8") as f:
        spec = yaml.safe_load(f)
    for (section, key), want in FIXED.items():
        got = spec.get(section, {}).get(key)
        if got != want:
            raise SystemExit(f"bench: {path}: {section}.{key} is {got!r}; the baselines implement only {want!r}")
    m, o, t, r = spec["model"], spec["optimizer"], spec["training"], spec.get("regularization", {})
    if float(r.get("l1", 0)) != 0:
        raise SystemExit(f"bench: {path}: regularization.l1 must be 0 for the baselines (they implement L2 only)")
    low, high = m["init"]["uniform"]
    return {"layers": [int(n) for n in m["layers"]], "learning_rate": float(o["learning_rate"]),
            "momentum": float(o["momentum"]), "decay": float(o["decay"]), "l2": float(r.get("l2", 0)),
            "minibatches": int(t["minibatches"]), "init": (float(low), float(high))}


if __name__ == "__main__":
    print(settings())
