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


def median(warmup, reps, body):
    for _ in range(warmup):
        body()
    t = []
    for _ in range(reps):
        s = time.perf_counter()
        body()
        t.append(time.perf_counter() - s)
    return statistics.median(t)


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
    print("  op      ms     GB/s")
    t_add = min(median(10, 50, lambda: torch.add(x, y)) for _ in range(3))
    t_relu = min(median(10, 50, lambda: torch.relu(x)) for _ in range(3))
    t_mul = min(median(10, 50, lambda: y.mul_(1.0)) for _ in range(3))
    mb = n * 4.0
    print(f"  add   {t_add * 1e3:6.3f}  {3 * mb / t_add / 1e9:6.1f}")
    print(f"  relu  {t_relu * 1e3:6.3f}  {2 * mb / t_relu / 1e9:6.1f}")
    print(f"  mul_  {t_mul * 1e3:6.3f}  {2 * mb / t_mul / 1e9:6.1f}   (in place, by a scalar)")


if WHAT != "elementwise":
    matmul()
if WHAT != "matmul":
    elementwise()
