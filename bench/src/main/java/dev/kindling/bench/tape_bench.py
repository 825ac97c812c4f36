"""PyTorch counterpart of TapeBench.java: a chain of small elementwise ops with and without autograd.

Run: OMP_WAIT_POLICY=PASSIVE /usr/bin/python3 bench/src/main/java/dev/kindling/bench/tape_bench.py [ops] [reps]
"""
import sys
import time

import torch

ops = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
reps = int(sys.argv[2]) if len(sys.argv) > 2 else 31
torch.set_num_threads(2)
torch.manual_seed(0)
x = torch.randn(16, requires_grad=True)
a = torch.rand(16) * 0.01 + 1.0
b = torch.rand(16) * 0.01


def chain():
    y = x
    for i in range(ops):
        y = y * a if i % 2 == 0 else y + b
    return y


def forward(grad):
    with torch.set_grad_enabled(grad):
        t0 = time.perf_counter()
        chain()
        return time.perf_counter() - t0


def backward():
    loss = chain().sum()
    t0 = time.perf_counter()
    loss.backward()
    t = time.perf_counter() - t0
    x.grad = None
    return t


for _ in range(5):
    forward(False), forward(True), backward()
off, on, back = [], [], []
for _ in range(reps):
    off.append(forward(False))
    on.append(forward(True))
    back.append(backward())
med = lambda v: sorted(v)[len(v) // 2]
t_off, t_on, t_back = med(off), med(on), med(back)
print(f"tape_bench.py (torch {torch.__version__}): chain of {ops} elementwise ops on a [16] float32 tensor, median of {reps}")
print(f"  forward, no_grad            {t_off / ops * 1e6:8.1f} us/op  {ops / t_off:10.0f} ops/s")
print(f"  forward, recording tape     {t_on / ops * 1e6:8.1f} us/op  {ops / t_on:10.0f} ops/s  (tape overhead {(t_on - t_off) / ops * 1e6:.1f} us/op)")
print(f"  backward through the chain  {t_back / ops * 1e6:8.1f} us/op  {ops / t_back:10.0f} ops/s")
