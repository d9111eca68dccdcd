"""PyTorch baselines for `make bench`, written as a PyTorch user would: nn.Sequential, a loss module,
torch.optim, a DataLoader-free loop over shuffled index minibatches (no tricks either side). CPU only.

Cases (each prints one JSON line):
  raschka     the settings of experiments/raschka-mnist.yaml (raschka_settings.py): 784-50-10 sigmoid,
              BCEWithLogitsLoss(reduction='sum') + l2/2·Σw² (weights, not biases), torch.optim.SGD(lr,
              momentum) with its learning rate and momentum, its minibatch count over the training set,
              reshuffled each epoch; raw 0..255 pixels; --precision float32|float64.
  per-sample  784-32-10 ReLU/softmax (CrossEntropyLoss on logits), batch 1, SGD lr 0.05, binarised pixels.
  large       --layers 784,800,10 (Simard et al.) or 784,500,300,10 (Hinton), ReLU/softmax,
              CrossEntropyLoss, batch 100, SGD lr 0.01, pixels ÷ 255, float32.
--threads T sets torch.set_num_threads(T) (intra-op threads). One warm-up epoch, then --epochs timed.
"""
import argparse
import json
import time

import torch
from torch import nn

from mnist_idx import load
from raschka_settings import settings


def sequential(sizes, hidden, dtype):
    layers = []
    for i in range(len(sizes) - 1):
        layers.append(nn.Linear(sizes[i], sizes[i + 1], dtype=dtype))
        if i < len(sizes) - 2:
            layers.append(hidden())
    return nn.Sequential(*layers)


def epochs_timed(step_epoch, epochs):
    step_epoch()  # warm-up
    times = []
    for _ in range(epochs):
        t = time.perf_counter()
        step_epoch()
        times.append(time.perf_counter() - t)
    return sorted(times)[len(times) // 2], times


def raschka(a):
    dtype = torch.float32 if a.precision == "float32" else torch.float64
    x, y = load("train", a.samples, a.data)
    x = torch.tensor(x, dtype=dtype)
    cfg = settings()
    y = nn.functional.one_hot(torch.tensor(y), cfg["layers"][-1]).to(dtype)
    torch.manual_seed(1)
    model = sequential(cfg["layers"], nn.Sigmoid, dtype)
    for p in model.parameters():
        nn.init.uniform_(p, *cfg["init"])
    loss_fn = nn.BCEWithLogitsLoss(reduction="sum")
    opt = torch.optim.SGD(model.parameters(), lr=cfg["learning_rate"], momentum=cfg["momentum"])
    weights = [m.weight for m in model if isinstance(m, nn.Linear)]
    batches, half_l2 = cfg["minibatches"], cfg["l2"] / 2

    def epoch():
        order = torch.randperm(x.shape[0])
        for idx in torch.tensor_split(order, batches):
            opt.zero_grad()
            loss = loss_fn(model(x[idx]), y[idx]) + half_l2 * sum((w * w).sum() for w in weights)
            loss.backward()
            opt.step()

    med, times = epochs_timed(epoch, a.epochs)
    return {"case": "raschka", "precision": a.precision, "samples": int(x.shape[0]), "seconds_per_epoch": med, "epochs": times}


def per_sample(a):
    x, y = load("train", a.samples, a.data)
    x = torch.tensor((x > 0).astype("float32"))
    y = torch.tensor(y)
    torch.manual_seed(1)
    model = sequential([784, 32, 10], nn.ReLU, torch.float32)
    loss_fn = nn.CrossEntropyLoss()
    opt = torch.optim.SGD(model.parameters(), lr=0.05)

    def epoch():
        for i in torch.randperm(x.shape[0]).tolist():
            opt.zero_grad()
            loss_fn(model(x[i:i + 1]), y[i:i + 1]).backward()
            opt.step()

    med, times = epochs_timed(epoch, a.epochs)
    return {"case": "per-sample", "samples_per_second": x.shape[0] / med, "epochs": times}


def large(a):
    sizes = [int(s) for s in a.layers.split(",")]
    x, y = load("train", a.samples, a.data)
    x = torch.tensor(x / 255.0, dtype=torch.float32)
    y = torch.tensor(y)
    torch.manual_seed(1)
    model = sequential(sizes, nn.ReLU, torch.float32)
    loss_fn = nn.CrossEntropyLoss()
    opt = torch.optim.SGD(model.parameters(), lr=0.01)

    def epoch():
        for idx in torch.randperm(x.shape[0]).split(100):
            opt.zero_grad()
            loss_fn(model(x[idx]), y[idx]).backward()
            opt.step()

    med, times = epochs_timed(epoch, a.epochs)
    return {"case": "large", "layers": a.layers, "samples": int(x.shape[0]), "seconds_per_epoch": med, "epochs": times}


def main():
    p = argparse.ArgumentParser()
    p.add_argument("case", choices=["raschka", "per-sample", "large"])
    p.add_argument("--precision", default="float32")
    p.add_argument("--samples", type=int, default=None)
    p.add_argument("--epochs", type=int, default=3)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--layers", default="784,800,10")
    p.add_argument("--data", default=None)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    out = {"raschka": raschka, "per-sample": per_sample, "large": large}[a.case](a)
    out["threads"] = a.threads
    out["torch"] = torch.__version__
    print(json.dumps(out))


if __name__ == "__main__":
    main()
