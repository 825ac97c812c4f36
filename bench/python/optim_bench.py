"""PyTorch twin of OptimBench.java: Adam step time for 1M and 10M float32 parameters.

Run: OMP_WAIT_POLICY=PASSIVE /usr/bin/python3 bench/python/optim_bench.py [threads]
"""
import os
import statistics
import sys
import time

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
import torch  # noqa: E402

threads = int(sys.argv[1]) if len(sys.argv) > 1 else 2
torch.set_num_threads(threads)
torch.manual_seed(0)


def run(label, shapes, warmup, reps, foreach):
    params = [torch.zeros(*s, requires_grad=True) for s in shapes]
    for p in params:
        p.grad = torch.randn(p.shape) * 0.01
    opt = torch.optim.Adam(params, lr=1e-3, foreach=foreach)
    for _ in range(warmup):
        opt.step()
    ms = []
    for _ in range(reps):
        t0 = time.perf_counter()
        opt.step()
        ms.append((time.perf_counter() - t0) * 1e3)
    n = sum(p.numel() for p in params)
    print(f"{label:<28} foreach={foreach!s:<5} params={n:,} tensors={len(params)}  median {statistics.median(ms):.2f} ms  (min {min(ms):.2f})")


print(f"PyTorch {torch.__version__} Adam step, float32, threads={threads}")
mlp = [(784, 1000), (1000,), (256, 1000), (256,), (10, 256), (10,), (100, 100), (100,)]
for fe in (False, True):
    run("Adam 1M (1 tensor)", [(1000, 1000)], 10, 31, fe)
    run("Adam ~1M (8 tensors)", mlp, 10, 31, fe)
    run("Adam 10M (1 tensor)", [(10, 1000, 1000)], 3, 11, fe)
