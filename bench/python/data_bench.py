"""PyTorch peer of DataBench.java: Fashion-MNIST, batches of 64, shuffle, ToTensor + Normalize.

torchvision is not packaged in Debian, so ToTensor and Normalize are written out with torch ops as
torchvision does them (uint8 HWC -> float CHW / 255, then (x - mean) / std). Run:

    OMP_WAIT_POLICY=PASSIVE /usr/bin/python3 bench/python/data_bench.py
"""
import gzip
import statistics
import time

import numpy as np
import torch
from torch.utils.data import DataLoader, Dataset

torch.set_num_threads(2)
ROOT = "/usr/share/datasets/fashion-mnist/"


def read_idx(name):
    with gzip.open(ROOT + name, "rb") as f:
        data = f.read()
    ndim = data[3]
    shape = [int.from_bytes(data[4 + 4 * i: 8 + 4 * i], "big") for i in range(ndim)]
    return torch.from_numpy(np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(shape).copy())


class FashionMNIST(Dataset):
    def __init__(self):
        self.data = read_idx("train-images-idx3-ubyte.gz")
        self.targets = read_idx("train-labels-idx1-ubyte.gz").long()

    def __len__(self):
        return len(self.data)

    def __getitem__(self, i):
        x = self.data[i].unsqueeze(0).float().div(255)      # ToTensor
        x = (x - 0.2860) / 0.3530                            # Normalize
        return x, int(self.targets[i])


def main():
    loads = []
    for _ in range(3):
        t0 = time.perf_counter()
        ds = FashionMNIST()
        loads.append((time.perf_counter() - t0) * 1e3)
    print(f"load 60,000 Fashion-MNIST training images: median {statistics.median(loads):.0f} ms")
    for workers in (0, 2):
        loader = DataLoader(ds, batch_size=64, shuffle=True, num_workers=workers,
                            generator=torch.Generator().manual_seed(0), persistent_workers=workers > 0)
        for _ in loader:   # warm-up
            pass
        rates, cpu = [], []
        for _ in range(3):
            t0, c0 = time.perf_counter(), time.thread_time()
            n = sum(1 for _ in loader)
            rates.append(n / (time.perf_counter() - t0))
            cpu.append((time.thread_time() - c0) * 1e6 / n)
        med = statistics.median(rates)
        print(f"num_workers={workers}: median {med:.0f} batches/s ({med * 64:.0f} images/s), epochs {[round(r) for r in rates]}")
        # CPU time of the calling thread per batch (all of the work with 0 workers; steady on a busy machine)
        print(f"num_workers={workers}: caller thread CPU per batch: median {statistics.median(cpu):.0f} us")


if __name__ == "__main__":
    main()
