"""The PyTorch twin of dev.kindling.backend.cuda.CudaBench: the same workloads on the same GPU, one JSON line each."""
import json
import sys
import time

import torch


def emit(name, unit, fn):
    try:
        print(json.dumps({"workload": name, "impl": "pytorch", "value": round(fn(), 4), "unit": unit}), flush=True)
    except Exception as e:  # report and go on, as the Java side does
        print(json.dumps({"workload": name, "impl": "pytorch", "error": f"{type(e).__name__}: {e}"[:300]}), flush=True)


def matmul(n, dtype, tf32, quick):
    torch.backends.cuda.matmul.allow_tf32 = tf32
    a = torch.randn(n, n, device="cuda", dtype=dtype)
    b = torch.randn(n, n, device="cuda", dtype=dtype)
    for _ in range(3):
        a @ b
    torch.cuda.synchronize()
    reps = 3 if quick else 10
    t0 = time.perf_counter()
    for _ in range(reps):
        c = a @ b
    torch.cuda.synchronize()
    torch.backends.cuda.matmul.allow_tf32 = False
    return 2.0 * n ** 3 / ((time.perf_counter() - t0) / reps) / 1e12


def train_step_ms(model, opt, x, y, warmup, reps):
    """Milliseconds per cross-entropy training step on fixed data, after `warmup` steps, synchronised at both ends."""
    def steps(count):
        for _ in range(count):
            loss = torch.nn.functional.cross_entropy(model(x), y)
            opt.zero_grad()
            loss.backward()
            opt.step()

    steps(warmup)
    torch.cuda.synchronize()
    t0 = time.perf_counter()
    steps(reps)
    torch.cuda.synchronize()
    return (time.perf_counter() - t0) * 1e3 / reps


def mlp_step(batch, quick):
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(784, 512), torch.nn.ReLU(), torch.nn.Linear(512, 512), torch.nn.ReLU(),
                                torch.nn.Linear(512, 10)).cuda()
    opt = torch.optim.Adam(model.parameters(), 1e-3, foreach=False)  # single-tensor Adam, as Kindling's composite step
    x, y = torch.randn(batch, 784, device="cuda"), torch.randint(0, 10, (batch,), device="cuda")
    return train_step_ms(model, opt, x, y, 3 if quick else 20, 5 if quick else 100)


def cnn_step(batch, quick):
    torch.manual_seed(0)
    nn = torch.nn
    model = nn.Sequential(nn.Conv2d(1, 32, 3, 1, 1), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(32, 64, 3, 1, 1), nn.ReLU(),
                          nn.MaxPool2d(2), nn.Flatten(), nn.Linear(3136, 128), nn.ReLU(), nn.Linear(128, 10)).cuda()
    opt = torch.optim.Adam(model.parameters(), 1e-3, foreach=False)
    x, y = torch.randn(batch, 1, 28, 28, device="cuda"), torch.randint(0, 10, (batch,), device="cuda")
    return train_step_ms(model, opt, x, y, 2 if quick else 10, 3 if quick else 50)


def adam_step(n, quick):
    p = torch.randn(n, device="cuda", requires_grad=True)
    (p * 2).sum().backward()
    opt = torch.optim.Adam([p], 1e-3, foreach=False)
    for _ in range(3):
        opt.step()
    torch.cuda.synchronize()
    reps = 3 if quick else 50
    t0 = time.perf_counter()
    for _ in range(reps):
        opt.step()
    torch.cuda.synchronize()
    return (time.perf_counter() - t0) * 1e3 / reps


def main():
    quick = "--quick" in sys.argv
    n = 1024 if quick else 8192
    emit(f"matmul_f32_{n}", "TFLOP/s", lambda: matmul(n, torch.float32, False, quick))
    emit(f"matmul_tf32_{n}", "TFLOP/s", lambda: matmul(n, torch.float32, True, quick))
    emit(f"matmul_bf16_{n}", "TFLOP/s", lambda: matmul(n, torch.bfloat16, False, quick))
    emit("mlp_step_b64", "ms", lambda: mlp_step(64, quick))
    emit("mlp_step_b1024", "ms", lambda: mlp_step(1024, quick))
    emit("cnn_step_b64", "ms", lambda: cnn_step(64, quick))
    emit("adam_step_10M", "ms", lambda: adam_step(1_000_000 if quick else 10_000_000, quick))


if __name__ == "__main__":
    main()
