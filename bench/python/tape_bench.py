"""PyTorch counterpart of TapeBench.java: a chain of small elementwise ops with and without autograd.

Run: OMP_WAIT_POLICY=PASSIVE /usr/bin/python3 bench/python/tape_bench.py [ops] [reps]
Figures are medians in thread CPU time and in wall time, as in TapeBench.
"""
import sys
import time

import torch

ops = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
reps = int(sys.argv[2]) if len(sys.argv) > 2 else 101
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


def clock():
    return time.thread_time(), time.perf_counter()


def since(t0):
    c, w = clock()
    return c - t0[0], w - t0[1]


def forward(grad):
    with torch.set_grad_enabled(grad):
        t0 = clock()
        chain()
        return since(t0)


def backward():
    loss = chain().sum()
    t0 = clock()
    loss.backward()
    t = since(t0)
    x.grad = None
    return t


for _ in range(10):
    forward(False), forward(True), backward()
off, on, back = [], [], []
for _ in range(reps):
    off.append(forward(False))
    on.append(forward(True))
    back.append(backward())


def med(v, k):
    return sorted(t[k] for t in v)[len(v) // 2]


print(f"tape_bench.py (torch {torch.__version__}): chain of {ops} elementwise ops (mul, add) on a [16] float32 tensor, median of {reps}")
print(f"  {'':28} {'cpu us/op':>14} {'wall us/op':>14} {'ops/s (cpu)':>14}")
for name, v in (("forward, no_grad", off), ("forward, recording the tape", on), ("backward through the chain", back)):
    print(f"  {name:28} {med(v, 0) / ops * 1e6:14.2f} {med(v, 1) / ops * 1e6:14.2f} {ops / med(v, 0):14.0f}")
print(f"  tape overhead: {(med(on, 0) - med(off, 0)) / ops * 1e6:.2f} us/op cpu, {(med(on, 1) - med(off, 1)) / ops * 1e6:.2f} us/op wall")

seq = torch.randn(100, 64, 128, requires_grad=True)


def unbind_backward():
    loss = sum(step.sum() for step in seq.unbind(0))
    t0 = clock()
    loss.backward()
    t = since(t0)
    seq.grad = None
    return t


for _ in range(3):
    unbind_backward()
ub = [unbind_backward() for _ in range(max(5, reps // 10))]
print(f"  backward of unbind(0) of a [100, 64, 128] tensor, every step used: {med(ub, 0) * 1e3:.2f} ms cpu, {med(ub, 1) * 1e3:.2f} ms wall")
