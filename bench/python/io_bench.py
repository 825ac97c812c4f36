#!/usr/bin/python3
"""PyTorch's side of IoBench: torch.save / torch.load of the same 128 MiB float32 state dict.

Run: OMP_WAIT_POLICY=PASSIVE /usr/bin/python3 bench/python/io_bench.py [dir]
It leaves <dir>/bench.pt for IoBench's PyTorchFiles measurement.
"""
import os
import statistics
import sys
import tempfile
import time

import torch

torch.set_num_threads(2)


def median_ms(fn, warmup=2, reps=7):
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(reps):
        s = time.perf_counter()
        fn()
        times.append((time.perf_counter() - s) * 1e3)
    return statistics.median(times)


def main():
    d = sys.argv[1] if len(sys.argv) > 1 else tempfile.mkdtemp()
    sd = {"layer%d.weight" % i: torch.randn(1024, 1024) for i in range(32)}
    path = os.path.join(d, "bench.pt")
    mib = 32 * 4.0

    def save():
        torch.save(sd, path)

    def save_fsync():
        with open(path, "wb") as f:
            torch.save(sd, f)
            f.flush()
            os.fsync(f.fileno())

    s = median_ms(save)
    sf = median_ms(save_fsync)
    l = median_ms(lambda: torch.load(path))
    print("torch.save          %8.1f ms  %6.0f MiB/s" % (s, mib / s * 1e3))
    print("torch.save + fsync  %8.1f ms  %6.0f MiB/s" % (sf, mib / sf * 1e3))
    print("torch.load          %8.1f ms  %6.0f MiB/s" % (l, mib / l * 1e3))
    print("left", path)


if __name__ == "__main__":
    main()
