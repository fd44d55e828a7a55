#!/usr/bin/python3
"""PyTorch reference for the training benchmark: the same two autoencoders, data, batch size, warm-up
and timed epochs as bench/training.bench.ts, trained on the CPU; prints one JSON line.

    /usr/bin/python3 bench/torch_reference.py [--threads N] [--data images.gz] [--warmup 20] [--epochs-dense 2] [--epochs-conv 1] [--budget 600]
    TORCH_REFERENCE_DEVICE=cuda /usr/bin/python3 bench/torch_reference.py   # on a GPU: the webgpu rows' reference

--threads defaults to 1. The data defaults to the MNIST test set beside the project
(../shared/data/mnist/t10k-images-idx3-ubyte.gz), else 10,000 random images; the benchmark passes
the file both sides train on. Each model trains --warmup batches, then whole epochs timed on the wall
clock, with the process's CPU time (all threads) beside it. The JSON also names the BLAS library
loaded (see blas_in_use).
"""

import argparse
import gzip
import json
import os
import time

import numpy as np
import torch
from torch import nn

BATCH = 128


def load_images(path):
    """MNIST IDX (gzip): a 16-byte header (magic, count, rows, cols), then one byte per pixel."""
    if path and os.path.exists(path):
        with gzip.open(path, "rb") as f:
            raw = f.read()
        count, rows, cols = (int.from_bytes(raw[i : i + 4], "big") for i in (4, 8, 12))
        pixels = np.frombuffer(raw, dtype=np.uint8, offset=16, count=count * rows * cols)
        return pixels.reshape(count, rows * cols).astype(np.float32) / 255.0, os.path.basename(path)
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


def train_timed(model, data, warmup, epochs, budget, device):
    """Samples per second over whole epochs after `warmup` batches; the loss is read every step, as ours is.
    Past `budget` seconds the epoch in progress stops and the figures say "partial": on a busy machine
    PyTorch on all cores can slow down tenfold, and the benchmark must still end."""
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.MSELoss()
    n = data.shape[0]

    def step(batch):
        optimizer.zero_grad()
        loss = loss_fn(model(batch), batch)
        loss.backward()
        optimizer.step()
        value = loss.item()
        if not np.isfinite(value):
            raise RuntimeError(f"the loss diverged ({value})")

    for b in range(warmup):
        start = (b * BATCH) % n
        step(data[start : start + BATCH])
    synchronize(device)
    generator = torch.Generator().manual_seed(1)
    cpu_began = time.process_time()
    began = time.perf_counter()
    done = 0
    partial = False
    for _ in range(epochs):
        order = torch.randperm(n, generator=generator).to(device)
        shuffled = data[order]
        for start in range(0, n, BATCH):
            batch = shuffled[start : start + BATCH]
            step(batch)
            done += batch.shape[0]
            if time.perf_counter() - began > budget:
                partial = True
                break
        if partial:
            break
    synchronize(device)
    wall = time.perf_counter() - began
    figures = {
        "samplesPerSecond": round(done / wall, 1),
        "wallSeconds": round(wall, 4),
        "cpuSeconds": round(time.process_time() - cpu_began, 4),
        "samples": done,
    }
    return {**figures, "partial": True} if partial else figures


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
    default_path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared", "data", "mnist", "t10k-images-idx3-ubyte.gz")
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--data", default=default_path)
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--epochs-dense", type=int, default=2)
    parser.add_argument("--epochs-conv", type=int, default=1)
    parser.add_argument("--budget", type=float, default=600.0, help="seconds of timed training per model at most")
    args = parser.parse_args()
    images, source = load_images(args.data)
    torch.set_num_threads(args.threads)
    torch.manual_seed(1)
    device = torch.device(os.environ.get("TORCH_REFERENCE_DEVICE", "cpu"))
    data = torch.from_numpy(images).to(device)
    figures = {}
    for kind, build, epochs in (("dense", dense_autoencoder, args.epochs_dense), ("conv", conv_autoencoder, args.epochs_conv)):
        if epochs > 0:
            figures[kind] = train_timed(build().to(device), data, args.warmup, epochs, args.budget, device)
    print(json.dumps({
        **figures,
        "threads": torch.get_num_threads(),
        "device": str(device) if device.type != "cuda" else torch.cuda.get_device_name(device),
        "torch": torch.__version__,
        "blas": blas_in_use(),
        "data": source,
        "samples": int(images.shape[0]),
    }))


if __name__ == "__main__":
    main()
