"""PyTorch twin of dev.kindling.bench.NnBench (same shapes, 2 threads, median of N after warmup).

Run: OMP_WAIT_POLICY=PASSIVE /usr/bin/python3 bench/python/nn_bench.py [runs] [threads, default 2]
"""
import sys
import time

import torch
import torch.nn as nn


def median_ms(step, warmup, runs):
    for _ in range(warmup):
        step()
    ts = []
    for _ in range(runs):
        t0 = time.perf_counter()
        step()
        ts.append((time.perf_counter() - t0) * 1e3)
    ts.sort()
    return ts[runs // 2]


def main():
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    torch.set_num_threads(int(sys.argv[2]) if len(sys.argv) > 2 else 2)
    torch.manual_seed(0)
    print("torch", torch.__version__, "threads", torch.get_num_threads())
    conv = nn.Conv2d(32, 64, 3, padding=1)
    x = torch.randn(64, 32, 28, 28, requires_grad=True)

    def conv_step():
        conv.zero_grad(set_to_none=True)
        x.grad = None
        conv(x).sum().backward()

    def conv_fwd():
        with torch.no_grad():
            conv(x)

    print("conv2d 64x32x28x28 -> 64 ch, 3x3 pad 1: forward+backward %.2f ms (forward alone %.2f ms)"
          % (median_ms(conv_step, 8, runs), median_ms(conv_fwd, 8, runs)))
    mlp = nn.Sequential(nn.Linear(784, 512), nn.ReLU(), nn.Linear(512, 256), nn.ReLU(), nn.Linear(256, 10))
    xb = torch.randn(64, 784)
    yb = torch.randint(0, 10, (64,))
    ce = nn.CrossEntropyLoss()

    def mlp_step():
        mlp.zero_grad(set_to_none=True)
        ce(mlp(xb), yb).backward()

    print("mlp 784-512-256-10, batch 64, cross entropy: forward+backward %.3f ms" % median_ms(mlp_step, 10, runs * 5))


if __name__ == "__main__":
    main()
