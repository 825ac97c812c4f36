#!/usr/bin/python3
"""PyTorch's figures for the same work as dev.kindling.bench.TensorBench, on the same machine.

Run (Debian's torch):  OMP_WAIT_POLICY=PASSIVE /usr/bin/python3 bench/python/tensor_bench.py [all|matmul|elementwise]
"""
import os
import statistics
import sys
import time

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
import torch  # noqa: E402

torch.set_num_threads(2)


FASTEST = [float("inf")]


def median(warmup, reps, body):
    for _ in range(warmup):
        body()
    t = []
    for _ in range(reps):
        s = time.perf_counter()
        body()
        t.append(time.perf_counter() - s)
    FASTEST[0] = min(FASTEST[0], min(t))
    return statistics.median(t)


def timed(warmup, reps, body):
    """Best median of three rounds, and the fastest single run (the uncontended speed on a shared machine)."""
    FASTEST[0] = float("inf")
    m = min(median(warmup, reps, body) for _ in range(3))
    return m, FASTEST[0]


print(f"PyTorch {torch.__version__}: {torch.get_num_threads()} threads, OMP_WAIT_POLICY={os.environ['OMP_WAIT_POLICY']}")
WHAT = sys.argv[1] if len(sys.argv) > 1 else "all"


def matmul():
    print("\nfloat32 matmul (n x n @ n x n), median")
    print("    n   torch.matmul GFLOP/s")
    torch.manual_seed(0)
    for n in (256, 512, 1024, 2048):
        a, b = torch.randn(n, n), torch.randn(n, n)
        flop = 2.0 * n ** 3
        reps = max(5, int(2e10 / flop / 4))
        # one round: this machine's Debian torch multiplies at a few GFLOP/s, so n=2048 takes seconds per call
        t = median(1, reps, lambda: torch.matmul(a, b))
        print(f"{n:5d}   {flop / t / 1e9:20.1f}")


def elementwise():
    n = 4 << 20
    x, y = torch.randn(n), torch.randn(n)
    print("\nelementwise on 4M float32 (16 MiB per tensor), median, result allocated each call")
    print("  op  median ms  GB/s")
    add = timed(10, 50, lambda: torch.add(x, y))
    relu = timed(10, 50, lambda: torch.relu(x))
    mul = timed(10, 50, lambda: y.mul_(1.0))
    mb = n * 4.0
    print(f"  add   {add[0] * 1e3:6.3f}  {3 * mb / add[0] / 1e9:6.1f}   fastest {add[1] * 1e3:6.3f} ms")
    print(f"  relu  {relu[0] * 1e3:6.3f}  {2 * mb / relu[0] / 1e9:6.1f}   fastest {relu[1] * 1e3:6.3f} ms")
    print(f"  mul_  {mul[0] * 1e3:6.3f}  {2 * mb / mul[0] / 1e9:6.1f}   fastest {mul[1] * 1e3:6.3f} ms   (in place, by a scalar)")

if WHAT != "elementwise":
    matmul()
if WHAT != "matmul":
    elementwise()
