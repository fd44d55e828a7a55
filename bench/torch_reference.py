#!/usr/bin/python3
"""PyTorch reference for the training benchmark: the same two autoencoders, data and batch size as
bench/training.bench.ts, trained on the CPU; prints one JSON line of samples per second.

    /usr/bin/python3 bench/torch_reference.py [threads] [mnist-images.gz]
    TORCH_REFERENCE_DEVICE=cuda /usr/bin/python3 bench/torch_reference.py   # on a GPU: the webgpu rows' reference

threads defaults to 1. The data is the MNIST test set beside the project
(../shared/data/mnist/t10k-images-idx3-ubyte.gz) when it is there, else 10,000 random images.
The JSON also names the BLAS library loaded (see blas_in_use). Each model gets a warm-up, then
timed epochs within a time budget, so the whole run stays under about a minute on a slow machine.
"""

import gzip
import json
import os
import sys
import time

import numpy as np
import torch
from torch import nn

BATCH = 128
WARMUP_BATCHES = 10
# Seconds of timed training per model at most; an epoch in progress stops at the budget.
BUDGET = {"dense": 12.0, "conv": 20.0}
EPOCHS = {"dense": 2, "conv": 1}


def load_images(path):
    """MNIST IDX (gzip): a 16-byte header (magic, count, rows, cols), then one byte per pixel."""
    if path and os.path.exists(path):
        with gzip.open(path, "rb") as f:
            raw = f.read()
        count, rows, cols = (int.from_bytes(raw[i : i + 4], "big") for i in (4, 8, 12))
        pixels = np.frombuffer(raw, dtype=np.uint8, offset=16, count=count * rows * cols)
        return pixels.reshape(count, rows * cols).astype(np.float32) / 255.0, "mnist"
    rng = np.random.default_rng(1)
    return rng.random((10_000, 784), dtype=np.float32), "random"


def dense_autoencoder():
    return nn.Sequential(
        nn.Linear(784, 512), nn.ReLU(),
        nn.Linear(512, 128), nn.ReLU(),
        nn.Linear(128, 32),
        nn.Linear(32, 128), nn.ReLU(),
        nn.Linear(128, 512), nn.ReLU(),
        nn.Linear(512, 784), nn.Sigmoid(),
    )


def conv_autoencoder():
    # Mirrors src/engine/models/conv.ts for filters 32,64 and a 16-d code: 28 → 14 → 7 and back.
    return nn.Sequential(
        nn.Unflatten(1, (1, 28, 28)),
        nn.Conv2d(1, 32, 3, stride=2, padding=1), nn.ReLU(),
        nn.Conv2d(32, 64, 3, stride=2, padding=1), nn.ReLU(),
        nn.Flatten(),
        nn.Linear(64 * 7 * 7, 16),
        nn.Linear(16, 64 * 7 * 7), nn.ReLU(),
        nn.Unflatten(1, (64, 7, 7)),
        nn.ConvTranspose2d(64, 32, 3, stride=2, padding=1, output_padding=1), nn.ReLU(),
        nn.ConvTranspose2d(32, 1, 3, stride=2, padding=1, output_padding=1), nn.Sigmoid(),
        nn.Flatten(),
    )


def synchronize(device):
    """A GPU runs asynchronously: time only work that has finished."""
    if device.type == "cuda":
        torch.cuda.synchronize()


def samples_per_second(model, data, kind, device):
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.MSELoss()
    n = data.shape[0]

    def train_batch(start):
        batch = data[start : start + BATCH]
        optimizer.zero_grad()
        loss = loss_fn(model(batch), batch)
        loss.backward()
        optimizer.step()
        return batch.shape[0]

    for b in range(WARMUP_BATCHES):
        train_batch((b * BATCH) % n)
    synchronize(device)
    done = 0
    began = time.perf_counter()
    generator = torch.Generator().manual_seed(1)
    for _ in range(EPOCHS[kind]):
        order = torch.randperm(n, generator=generator).to(device)
        shuffled = data[order]
        for start in range(0, n, BATCH):
            batch = shuffled[start : start + BATCH]
            optimizer.zero_grad()
            loss = loss_fn(model(batch), batch)
            loss.backward()
            optimizer.step()
            done += batch.shape[0]
            if time.perf_counter() - began > BUDGET[kind]:
                synchronize(device)
                return done / (time.perf_counter() - began)
    synchronize(device)
    return done / (time.perf_counter() - began)


def blas_in_use():
    """The BLAS library this process loaded: Debian's python3-torch links the system libblas.so.3,
    the slow reference BLAS unless an optimised one (OpenBLAS, BLIS) is installed as the
    alternative, and that changes the dense figures several times over."""
    try:
        with open("/proc/self/maps") as f:
            paths = {line.split()[-1] for line in f if "blas" in line.lower() and "/" in line}
    except OSError:
        return "unknown"
    return ", ".join(sorted(paths)) or "built in"


def main():
    threads = int(sys.argv[1]) if len(sys.argv) > 1 else 1
    default_path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared", "data", "mnist", "t10k-images-idx3-ubyte.gz")
    images, source = load_images(sys.argv[2] if len(sys.argv) > 2 else default_path)
    torch.set_num_threads(threads)
    torch.manual_seed(1)
    device = torch.device(os.environ.get("TORCH_REFERENCE_DEVICE", "cpu"))
    data = torch.from_numpy(images).to(device)
    dense = samples_per_second(dense_autoencoder().to(device), data, "dense", device)
    conv = samples_per_second(conv_autoencoder().to(device), data, "conv", device)
    print(json.dumps({
        "dense_samples_per_s": round(dense, 1),
        "conv_samples_per_s": round(conv, 1),
        "threads": threads,
        "device": str(device) if device.type != "cuda" else torch.cuda.get_device_name(device),
        "torch": torch.__version__,
        "blas": blas_in_use(),
        "data": source,
        "samples": int(images.shape[0]),
    }))


if __name__ == "__main__":
    main()
