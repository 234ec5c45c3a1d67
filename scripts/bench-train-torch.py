#!/usr/bin/python3
"""PyTorch peer for `npm run bench:train -- --peer torch`.

Trains the conv family's architecture (nas/train/model.ts, described again here in PyTorch: conv
"same" -> optional batch-norm -> activation -> 2x2 pool, blocks of equal width, optional dense head
and dropout, softmax output; glorot-uniform kernels, zero biases, Adam) on the images, labels and
per-epoch batch order that bench-train.ts wrote, so both backends see the same data in the same
order. It is a timing peer, not a second implementation of the recipe: its weights are not
compared with the engine's.

Protocol: one JSON request per stdin line, one JSON answer per stdout line ({"error": "..."}
when a request fails, so the bench reports it instead of waiting).
  {"load": {"images": path, "labels": path, "count": n}}          -> {"ok": true}
  {"train": {"arch": {...}, "order": path, "epochs": e, "batch": b,
             "lr": x, "threads": t, "seed": s}}                   -> {"epochSeconds": [...], "steps": k, "loss": [...]}
images: float32 little-endian, count x 28 x 28; labels: int32; order: int32, epochs x count.
"""
import json
import sys
import time

import numpy as np
import torch
from torch import nn

torch.use_deterministic_algorithms(True)

ACTIVATIONS = {"relu": nn.ReLU, "elu": nn.ELU, "tanh": nn.Tanh, "sigmoid": nn.Sigmoid, "selu": nn.SELU, "linear": nn.Identity}


def build(arch, size=28, classes=10):
    layers, channels = [], 1
    act = ACTIVATIONS[arch["activation"]]
    batch_norm = arch["norm"] == "batch"
    for _ in range(int(arch["depth"])):
        k = int(arch["kernel"])
        # tfjs "same" with an odd kernel pads (k-1)/2 on each side, as here
        layers.append(nn.Conv2d(channels, int(arch["filters"]), k, padding=k // 2, bias=not batch_norm))
        channels = int(arch["filters"])
        if batch_norm:
            # Keras momentum 0.9 is PyTorch momentum 0.1; Keras epsilon 1e-3
            layers.append(nn.BatchNorm2d(channels, eps=1e-3, momentum=0.1))
        layers.append(act())
        layers.append(nn.MaxPool2d(2) if arch["pool"] == "max" else nn.AvgPool2d(2))
        size //= 2
    layers.append(nn.Flatten())
    features = channels * size * size
    if int(arch["head"]) > 0:
        layers += [nn.Linear(features, int(arch["head"])), act()]
        features = int(arch["head"])
    if float(arch["dropout"]) > 0:
        layers.append(nn.Dropout(float(arch["dropout"])))
    layers.append(nn.Linear(features, classes))  # softmax lives in the loss
    model = nn.Sequential(*layers)
    for m in model.modules():
        if isinstance(m, (nn.Conv2d, nn.Linear)):
            nn.init.xavier_uniform_(m.weight)
            if m.bias is not None:
                nn.init.zeros_(m.bias)
    return model


def main():
    for line in sys.stdin:
        try:
            out = answer(json.loads(line))
        except Exception as e:  # one line back, so the bench reports it instead of waiting
            out = {"error": f"{type(e).__name__}: {e}"}
        sys.stdout.write(json.dumps(out) + "\n")
        sys.stdout.flush()


state = {}  # the loaded images and labels


def answer(req):
    if "load" in req:
        r = req["load"]
        n = int(r["count"])
        state["images"] = torch.from_numpy(np.fromfile(r["images"], dtype="<f4").reshape(n, 1, 28, 28).copy())
        state["labels"] = torch.from_numpy(np.fromfile(r["labels"], dtype="<i4").astype(np.int64))
        return {"ok": True}
    r = req["train"]
    images, labels = state["images"], state["labels"]
    torch.set_num_threads(int(r["threads"]))
    torch.manual_seed(int(r["seed"]))
    epochs, batch = int(r["epochs"]), int(r["batch"])
    n = images.shape[0]
    order = torch.from_numpy(np.fromfile(r["order"], dtype="<i4").astype(np.int64).reshape(epochs, n))
    model = build(r["arch"])
    opt = torch.optim.Adam(model.parameters(), lr=float(r["lr"]), eps=1e-7)  # tfjs Adam's epsilon
    loss_fn = nn.CrossEntropyLoss()
    model.train()
    seconds, losses, steps = [], [], 0
    for e in range(epochs):
        # timed from the epoch's gathered copy, as the engine times from its shuffle
        t0 = time.perf_counter()
        xs, ys = images[order[e]], labels[order[e]]
        total = torch.zeros(())
        for i in range(0, n, batch):
            opt.zero_grad(set_to_none=True)
            loss = loss_fn(model(xs[i : i + batch]), ys[i : i + batch])
            loss.backward()
            opt.step()
            total += loss.detach() * min(batch, n - i)
            steps += 1
        losses.append(float(total) / n)
        seconds.append(time.perf_counter() - t0)
    return {"epochSeconds": seconds, "steps": steps, "loss": losses}


if __name__ == "__main__":
    main()
