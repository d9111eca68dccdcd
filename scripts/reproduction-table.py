#!/usr/bin/env python3
"""Prints the README's reproduction figures from the committed results (results/*/summary.csv and
metrics.csv), so the numbers in README.md can be checked against the files they come from:

    python3 scripts/reproduction-table.py [results]
"""
import csv
import statistics
import sys
from pathlib import Path

root = Path(sys.argv[1] if len(sys.argv) > 1 else "results")


def summary(experiment):
    path = root / experiment / "summary.csv"
    return list(csv.DictReader(path.open())) if path.exists() else []


def metrics(experiment, run):
    path = root / experiment / run / "metrics.csv"
    return dict(csv.reader(path.open())) if path.exists() else {}


def pct(x):
    return f"{100 * float(x):.2f} %" if x not in (None, "") else "—"


def grid(experiment):
    """Mean ± standard deviation of test accuracy over seeds, per (activation, hidden) cell."""
    cells = {}
    for row in summary(experiment):
        if row["status"] != "completed":
            continue
        key = (row["model.activation"], row["model.hidden"])
        cells.setdefault(key, []).append(float(row["test_accuracy"]))
    return {k: (statistics.mean(v), statistics.stdev(v) if len(v) > 1 else 0.0, len(v)) for k, v in cells.items()}


print("## Single runs\n")
print("| experiment | run | final cost | iterations/epochs | train | validation | test |")
print("| --- | --- | --- | --- | --- | --- | --- |")
for exp in ["raschka-mnist", "welch-bfgs", "welch-bfgs-iris", "gradient-check"]:
    for row in summary(exp):
        m = metrics(exp, row["run"])
        print(f"| {exp} | {row['run']} | {float(row['final_cost']):.6g} | {m.get('iterations', '')} / {row['epochs']} | "
              f"{pct(row['train_accuracy'])} | {pct(row['validation_accuracy'])} | {pct(row['test_accuracy'])} |")

for exp in ["circles-tanh", "moons-cg", "classic-relu-softmax", "mnist-l2-sweep"]:
    rows = summary(exp)
    if not rows:
        continue
    print(f"\n## {exp}\n")
    print("| run | status | epochs | final cost | train | validation | test |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for row in rows:
        print(f"| {row['run']} | {row['status']} | {row['epochs']} | {float(row['final_cost']):.6g} | "
              f"{pct(row['train_accuracy'])} | {pct(row['validation_accuracy'])} | {pct(row['test_accuracy'])} |")

paper = {  # Xiao et al. 2017, Table 3: (Fashion, MNIST) test accuracy, mean of 5 runs
    ("relu", "[100]"): (0.871, 0.972), ("relu", "[100, 10]"): (0.870, 0.972), ("tanh", "[100]"): (0.868, 0.962),
    ("tanh", "[100, 10]"): (0.863, 0.957), ("relu", "[10, 10]"): (0.850, 0.936), ("relu", "[10]"): (0.848, 0.933),
    ("tanh", "[10, 10]"): (0.841, 0.921), ("tanh", "[10]"): (0.840, 0.921),
}
fashion, mnist = grid("fashion-mnist-mlp"), grid("mnist-mlp")
if fashion or mnist:
    print("\n## Benchmark grid (test accuracy, mean ± std over seeds)\n")
    print("| activation | hidden | Fashion paper | Fashion nnexp | MNIST paper | MNIST nnexp |")
    print("| --- | --- | --- | --- | --- | --- |")
    for (act, hidden), (pf, pm) in paper.items():
        f = fashion.get((act, hidden)); m = mnist.get((act, hidden))
        fs = f"{f[0]:.3f} ± {f[1]:.3f} (n={f[2]})" if f else "—"
        ms = f"{m[0]:.3f} ± {m[1]:.3f} (n={m[2]})" if m else "—"
        print(f"| {act} | {hidden} | {pf:.3f} | {fs} | {pm:.3f} | {ms} |")
