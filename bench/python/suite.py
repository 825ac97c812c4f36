#!/usr/bin/python3
"""PyTorch twin of dev.kindling.bench.Suite: the same workloads, the same JSON lines (impl "pytorch").

Run: OMP_WAIT_POLICY=PASSIVE /usr/bin/python3 bench/python/suite.py <group> [--threads N] [--quick]
Groups: mlp_train, memory (mlp_train, keeping only the peak RSS line), tiny, inference, optim, ops, cnn, cnn_epoch.
bench/run.sh runs it next to the Java side and bench/python/aggregate.py makes the table; see bench/README.md.
torchvision is not needed: Fashion-MNIST is read from Debian's IDX files with gzip and numpy.
"""
import argparse
import gzip
import json
import os
import statistics
import sys
import time

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
import numpy as np  # noqa: E402
import torch  # noqa: E402
from torch import nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402
from torch.utils.data import DataLoader, TensorDataset  # noqa: E402

FASHION = "/usr/share/datasets/fashion-mnist"
QUICK = False
GROUP = ""


def emit(workload, unit, value):
    print(json.dumps({"impl": "pytorch", "group": GROUP, "workload": workload, "unit": unit,
                      "value": float("%.6g" % value) if value == value else None}), flush=True)


def meta(key, value):
    print(json.dumps({"impl": "pytorch", "meta": key, "value": value}), flush=True)


def peak_rss_mib():
    """Peak resident set size of this process (VmHWM in /proc/self/status), in MiB."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024.0
    except OSError:
        pass
    return float("nan")


def loaded_blas():
    """The BLAS library this process has mapped after a matmul (Debian's torch uses the system libblas.so.3)."""
    torch.randn(8, 8) @ torch.randn(8, 8)
    try:
        with open("/proc/self/maps") as f:
            libs = sorted({line.split()[-1] for line in f if "blas" in line.lower() and "/" in line})
        return os.path.realpath(libs[0]) if libs else "none mapped (torch's own kernels)"
    except OSError:
        return "unknown"


def openblas_core(blas):
    """The kernels OpenBLAS chose on this CPU (openblas_get_corename), or None where the BLAS is not OpenBLAS."""
    import ctypes
    try:
        get = ctypes.CDLL(blas).openblas_get_corename
    except (OSError, AttributeError):
        return None
    get.restype = ctypes.c_char_p
    return get().decode()


def mlp():
    """The MLP of workloads mlp_train and inference: 784-512-256-10 with ReLU and LogSoftmax."""
    return nn.Sequential(nn.Flatten(), nn.Linear(784, 512), nn.ReLU(), nn.Linear(512, 256), nn.ReLU(),
                         nn.Linear(256, 10), nn.LogSoftmax(1))


def read_idx(name, offset):
    with gzip.open(os.path.join(FASHION, name)) as f:
        return np.frombuffer(f.read(), dtype=np.uint8, offset=offset)


def mlp_train(rss_only):
    """One epoch over Fashion-MNIST (batch 64, shuffled, Adam 1e-3, NLLLoss), timed from the first batch
    fetch to the end of the last optimizer step; decoding into a [N, 1, 28, 28] tensor in [0, 1] is not timed."""
    n = 6400 if QUICK else 60_000
    x, y = fashion_train(n)   # ToTensor for the whole set at once
    loader = DataLoader(TensorDataset(x, y), batch_size=64, shuffle=True)
    model = mlp()
    loss_fn = nn.NLLLoss()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    model.train()
    batches, b, last_loss = len(loader), 0, float("nan")
    t0 = time.perf_counter()
    for xb, yb in loader:
        optimizer.zero_grad(set_to_none=True)   # Kindling's zeroGrad() sets grads to null, like PyTorch 2
        loss = loss_fn(model(xb), yb)
        loss.backward()
        optimizer.step()
        b += 1
        if b == batches:
            last_loss = loss.item()
    seconds = time.perf_counter() - t0
    if not rss_only:
        emit("mlp_train", "samples/s", n / seconds)
        emit("mlp_train_final_loss", "loss", last_loss)
    emit("mlp_train_peak_rss_mib", "MiB", peak_rss_mib())


def tiny():
    """The seed model (10-5-2, Adam 0.01) on slices of 10 rows of a [100, 10] tensor; steps/s, median of blocks."""
    model = nn.Sequential(nn.Linear(10, 5), nn.ReLU(), nn.Linear(5, 2), nn.LogSoftmax(1))
    x = torch.randn(100, 10)
    y = torch.randint(0, 2, (100,))
    loss_fn = nn.NLLLoss()
    optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
    block, blocks = (200, 3) if QUICK else (2000, 5)

    def steps(first, count):
        for s in range(first, first + count):
            i = s % 10
            xb, yb = x[i * 10:i * 10 + 10], y[i * 10:i * 10 + 10]
            optimizer.zero_grad(set_to_none=True)
            loss = loss_fn(model(xb), yb)
            loss.backward()
            optimizer.step()

    steps(0, block)
    rates = []
    for k in range(blocks):
        t0 = time.perf_counter()
        steps((k + 1) * block, block)
        rates.append(block / (time.perf_counter() - t0))
    emit("tiny_train_step", "steps/s", statistics.median(rates))


def inference():
    """The MLP in eval mode under no_grad over 10 batches of 1000 random inputs; samples per second."""
    model = mlp()
    model.eval()
    batches = [torch.randn(1000, 784) for _ in range(10)]
    warmup, passes = (1, 3) if QUICK else (3, 10)
    rates = []
    with torch.no_grad():
        for p in range(-warmup, passes):
            t0 = time.perf_counter()
            for xb in batches:
                model(xb)
            if p >= 0:
                rates.append(10_000 / (time.perf_counter() - t0))
    emit("inference_mlp_batch1000", "samples/s", statistics.median(rates))


# 784,000 + 1,000 + 256,000 + 256 + 2,560 + 10 + 10,000 + 100 = 1,053,926 parameters
EIGHT = [(784, 1000), (1000,), (256, 1000), (256,), (10, 256), (10,), (100, 100), (100,)]


def optim():
    """Adam, AdamW, SGD with momentum and RMSprop steps over ~1M float32 parameters in 1 and in 8 tensors,
    fixed random grads; ms per step, median of 50 after 10 warm-up steps. foreach=True is the figure compared;
    the single-tensor implementation (foreach=False) is printed as an extra line."""
    makers = {
        "adam": lambda p, fe: torch.optim.Adam(p, lr=1e-3, foreach=fe),
        "adamw": lambda p, fe: torch.optim.AdamW(p, lr=1e-3, weight_decay=1e-2, foreach=fe),
        "sgd": lambda p, fe: torch.optim.SGD(p, lr=0.01, momentum=0.9, foreach=fe),
        "rmsprop": lambda p, fe: torch.optim.RMSprop(p, lr=1e-2, foreach=fe),
    }
    warmup, steps = (2, 5) if QUICK else (10, 50)
    for layout, shapes in (("1tensor", [(1000, 1000)]), ("8tensors", EIGHT)):
        for name, make in makers.items():
            for foreach in (True, False):
                torch.manual_seed(0)
                params = []
                for s in shapes:
                    p = torch.randn(*s, requires_grad=True)
                    p.grad = torch.randn(*s).mul_(0.01)
                    params.append(p)
                opt = make(params, foreach)
                for _ in range(warmup):
                    opt.step()
                ms = []
                for _ in range(steps):
                    t0 = time.perf_counter()
                    opt.step()
                    ms.append((time.perf_counter() - t0) * 1e3)
                emit(f"{name}_{layout}" + ("" if foreach else "_torch_single_tensor"), "ms", statistics.median(ms))


def measure(body):
    """Median milliseconds of one call, over about 0.2 s of calls after at least 0.5 s of warm-up, then 0.1 s windows
    while one runs more than 10% faster than the one before, up to 3 s (as OpWorkloads.java)."""
    warm_s, run_s = (0.02, 0.04) if QUICK else (0.5, 0.2)
    start = time.perf_counter()
    warm = 0
    while warm < 5 or time.perf_counter() - start < warm_s:
        body()
        warm += 1
    per_call = (time.perf_counter() - start) / warm
    previous = float("inf")
    while not QUICK and time.perf_counter() - start < 3.0:
        w0, n = time.perf_counter(), 0
        while n < 3 or time.perf_counter() - w0 < 0.1:
            body()
            n += 1
        per_call = (time.perf_counter() - w0) / n
        if per_call > 0.9 * previous:
            break
        previous = per_call
    calls = int(max(5, min(1_000_000, run_s / per_call)))
    ms = []
    for _ in range(calls):
        t0 = time.perf_counter()
        body()
        ms.append((time.perf_counter() - t0) * 1e3)
    return statistics.median(ms)


def time_op(name, body):
    emit(name, "ms", measure(body))


def ops():
    """Single ops without autograd, each call allocating its result; median ms of one call."""
    torch.set_grad_enabled(False)
    shapes = [
        ("matmul_64x784@784x512", (64, 784), False, (784, 512)),
        ("matmul_1024x1024@1024x1024", (1024, 1024), False, (1024, 1024)),
        # backward of Linear(784, 512) on a batch of 64: grad_input = grad_out @ W, grad_weight = grad_out^T @ x
        ("matmul_64x512@512x784", (64, 512), False, (512, 784)),
        ("matmul_(64x512)T@64x784", (64, 512), True, (64, 784)),
        # backward of Linear(512, 256)
        ("matmul_64x256@256x512", (64, 256), False, (256, 512)),
        ("matmul_(64x256)T@64x512", (64, 256), True, (64, 512)),
    ]
    for name, sa, trans_a, sb in shapes:
        stored, b = torch.randn(*sa), torch.randn(*sb)
        a = stored.t() if trans_a else stored
        time_op(name, lambda: torch.matmul(a, b))
    for n, size in ((4 << 20, "4M"), (640, "640")):
        a, b = torch.randn(n), torch.randn(n)
        time_op("add_" + size, lambda: torch.add(a, b))
        time_op("mul_" + size, lambda: torch.mul(a, b))
        time_op("relu_" + size, lambda: torch.relu(a))
        time_op("sigmoid_" + size, lambda: torch.sigmoid(a))
        time_op("exp_" + size, lambda: torch.exp(a))
        if n != 640:
            time_op("sum_" + size, lambda: torch.sum(a))
            time_op("mean_" + size, lambda: torch.mean(a))
    logits = torch.randn(64, 1000)
    time_op("softmax_64x1000_dim1", lambda: torch.softmax(logits, 1))
    time_op("log_softmax_64x1000_dim1", lambda: torch.log_softmax(logits, 1))
    table, rows = torch.randn(10000, 784), torch.randint(0, 10000, (64,))
    time_op("index_select_64_of_10000x784", lambda: torch.index_select(table, 0, rows))


def more_ops():
    """Single ops that training scripts use beyond issue 12's list; as ops() times them."""
    torch.set_grad_enabled(False)
    a, b, row = torch.randn(1024, 1024), torch.randn(1024, 1024), torch.randn(1024)
    positive, mask, picks = a.abs() + 0.1, a > 0, torch.randint(0, 1024, (1024, 64))
    logits = torch.randn(64, 1000)
    time_op("gt_1024x1024", lambda: torch.gt(a, 0))
    time_op("bool_to_float_1024x1024", lambda: mask.float())
    time_op("where_1024x1024", lambda: torch.where(mask, a, b))
    time_op("clamp_1024x1024", lambda: torch.clamp(a, -0.5, 0.5))
    time_op("add_row_1024x1024", lambda: torch.add(a, row))
    time_op("mul_scalar_1024x1024", lambda: torch.mul(a, 3))
    time_op("sum_dim1_1024x1024", lambda: torch.sum(a, 1))
    time_op("sum_dim0_1024x1024", lambda: torch.sum(a, 0))
    time_op("max_dim1_1024x1024", lambda: torch.max(a, 1))
    time_op("to_int64_1024x1024", lambda: a.long())
    time_op("log_1024x1024", lambda: torch.log(positive))
    time_op("gather_1024x64_of_1024x1024", lambda: torch.gather(a, 1, picks))
    time_op("sort_64x1000", lambda: torch.sort(logits, 1))
    time_op("topk5_64x1000", lambda: torch.topk(logits, 5, 1))
    h, target = torch.randn(64, 512), torch.randn(64, 512)
    time_op("amax_dim1_1024x1024", lambda: torch.amax(a, 1))
    time_op("sign_1024x1024", lambda: torch.sign(a))
    time_op("pow3_1024x1024", lambda: torch.pow(a, 3))
    time_op("flip_dim1_1024x1024", lambda: torch.flip(a, [1]))
    time_op("gelu_64x512", lambda: F.gelu(h))
    time_op("dropout_64x512", lambda: F.dropout(h, 0.5, True))
    time_op("mse_loss_64x512", lambda: F.mse_loss(h, target))
    probs, ln_w, ln_b = torch.rand(64, 512), torch.randn(512), torch.randn(512)
    time_op("tanh_64x512", lambda: torch.tanh(h))
    time_op("elu_64x512", lambda: F.elu(h))
    time_op("layer_norm_64x512", lambda: F.layer_norm(h, [512], ln_w, ln_b))
    time_op("bce_with_logits_64x512", lambda: F.binary_cross_entropy_with_logits(h, probs))
    time_op("rsqrt_1024x1024", lambda: torch.rsqrt(positive))
    time_op("clamp_min0_1024x1024", lambda: torch.clamp_min(a, 0))
    ce_x, ce_y = torch.randn(64, 1000, requires_grad=True), torch.randint(0, 1000, (64,))

    def ce_step():
        with torch.enable_grad():
            F.cross_entropy(ce_x, ce_y).backward()
        ce_x.grad = None
    time_op("cross_entropy_64x1000_fwd_bwd", ce_step)
    act_x, act_g = torch.randn(64, 512, requires_grad=True), torch.randn(64, 512)
    for name, act in (("relu", torch.relu), ("gelu", F.gelu), ("elu", F.elu), ("sigmoid", torch.sigmoid), ("silu", F.silu)):
        def act_step(act=act):
            with torch.enable_grad():
                act(act_x).backward(act_g)
            act_x.grad = None
        time_op(name + "_64x512_fwd_bwd", act_step)


def cnn_model():
    """The seed CNN: Conv(1,32,3,p1) ReLU MaxPool2 Conv(32,64,3,p1) ReLU MaxPool2 Flatten Linear(3136,128) ReLU Linear(128,10)."""
    return nn.Sequential(nn.Conv2d(1, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Flatten(), nn.Linear(3136, 128), nn.ReLU(), nn.Linear(128, 10))


def fashion_train(n):
    images = read_idx("train-images-idx3-ubyte.gz", 16).reshape(-1, 1, 28, 28)
    labels = read_idx("train-labels-idx1-ubyte.gz", 8)
    return (torch.from_numpy(images[:n].copy()).float().div_(255),
            torch.from_numpy(labels[:n].astype(np.int64)))


def cnn_trainer(n):
    """The CNN, CrossEntropyLoss and Adam (lr 1e-3) over the first n images in shuffled batches of 64:
    (loader, model, step), the twin of CnnWorkloads.Trainer."""
    x, y = fashion_train(n)
    loader = DataLoader(TensorDataset(x, y), batch_size=64, shuffle=True)
    model = cnn_model()
    loss_fn = nn.CrossEntropyLoss()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    model.train()

    def step(xb, yb):
        optimizer.zero_grad(set_to_none=True)
        loss_fn(model(xb), yb).backward()
        optimizer.step()
    return loader, model, step


def cnn():
    """Group cnn (issue 13): CNN training over the first 10,000 shuffled images after 20 uncounted warm-up batches,
    the conv/pool/batchnorm layers forward + backward, and CNN inference in batches of 1000."""
    n = 1280 if QUICK else 10_000
    loader, _, step = cnn_trainer(n)
    for i, (xb, yb) in enumerate(loader):
        if i == 20:
            break
        step(xb, yb)
    t0 = time.perf_counter()
    for xb, yb in loader:
        step(xb, yb)
    emit("cnn_train_10k", "samples/s", n / (time.perf_counter() - t0))

    batch = 8 if QUICK else 64
    xin = torch.randn(batch, 32, 28, 28, requires_grad=True)
    act = torch.randn(batch, 64, 28, 28, requires_grad=True)

    def fwd_bwd_ms(m, t):
        reps = 3 if QUICK else 20

        def once():
            m.zero_grad(set_to_none=True)
            t.grad = None
            m(t).sum().backward()
        for _ in range(5):
            once()
        ms = []
        for _ in range(reps):
            t0 = time.perf_counter()
            once()
            ms.append((time.perf_counter() - t0) * 1e3)
        return statistics.median(ms)
    emit("conv2d_fwd_bwd", "ms", fwd_bwd_ms(nn.Conv2d(32, 64, 3, padding=1), xin))
    emit("maxpool2d_fwd_bwd", "ms", fwd_bwd_ms(nn.MaxPool2d(2), act))
    emit("batchnorm2d_fwd_bwd", "ms", fwd_bwd_ms(nn.BatchNorm2d(64), act))

    model = cnn_model()
    model.eval()
    size = 100 if QUICK else 1000
    images, _ = fashion_train(10 * size)
    passes = 2 if QUICK else 5
    rates = []
    with torch.no_grad():
        for p in range(-1, passes):
            t0 = time.perf_counter()
            for i in range(10):
                model(images[i * size:(i + 1) * size])
            if p >= 0:
                rates.append(10 * size / (time.perf_counter() - t0))
    emit("cnn_inference_batch1000", "samples/s", statistics.median(rates))


def cnn_epoch():
    """Group cnn_epoch: one full epoch of the CNN over the 60,000 shuffled images, then the test accuracy."""
    n = 1280 if QUICK else 60_000
    loader, model, step = cnn_trainer(n)
    t0 = time.perf_counter()
    for xb, yb in loader:
        step(xb, yb)
    emit("cnn_epoch", "samples/s", n / (time.perf_counter() - t0))
    images = read_idx("t10k-images-idx3-ubyte.gz", 16).reshape(-1, 1, 28, 28)
    labels = read_idx("t10k-labels-idx1-ubyte.gz", 8)
    m = 1000 if QUICK else len(labels)
    xt = torch.from_numpy(images[:m].copy()).float().div_(255)
    yt = torch.from_numpy(labels[:m].astype(np.int64))
    model.eval()
    correct = 0
    with torch.no_grad():
        for i in range(0, m, 1000):
            correct += int((model(xt[i:i + 1000]).argmax(1) == yt[i:i + 1000]).sum())
    emit("cnn_epoch_test_accuracy", "%", 100.0 * correct / m)


def main():
    global QUICK, GROUP
    groups = {"mlp_train": lambda: mlp_train(False), "memory": lambda: mlp_train(True), "tiny": tiny,
              "inference": inference, "optim": optim, "ops": ops, "more_ops": more_ops, "cnn": cnn,
              "cnn_epoch": cnn_epoch}
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("group", choices=sorted(groups))
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--quick", action="store_true", help="small sizes: checks the harness, figures not comparable")
    args = ap.parse_args()
    QUICK, GROUP = args.quick, args.group
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    meta("torch", torch.__version__)
    blas = loaded_blas()
    meta("torch_blas", blas)
    core = openblas_core(blas)
    meta("torch_openblas_core", core)
    if core in ("Prescott", "Katmai", "Core2") and not os.environ.get("OPENBLAS_CORETYPE"):
        # OpenBLAS did not know this CPU model and took generic SSE3 kernels (5-7x slower products); bench/run.sh
        # names the right ones, a run by hand must too
        print(f"suite.py: PyTorch's OpenBLAS chose generic {core} kernels: set OPENBLAS_CORETYPE=SkylakeX (AVX-512)"
              " or Haswell (AVX2), or run through bench/run.sh, which does", file=sys.stderr)
    groups[args.group]()


if __name__ == "__main__":
    main()
