"""Reference trajectories for dev.kindling.amp.GradScaler, from PyTorch 1.13's torch.cuda.amp.GradScaler.

Regenerate (from the repository root, with Debian's torch):
    OMP_WAIT_POLICY=PASSIVE /usr/bin/python3 engine-java/src/test/python/gen_amp_fixtures.py
Writes engine-java/src/test/resources/fixtures/amp/grad_scaler.json.

PyTorch 1.13's GradScaler only runs on CUDA: it disables itself when CUDA is unavailable, asserts that every
scaled tensor is a CUDA tensor, and its two kernels (torch._amp_foreach_non_finite_check_and_unscale_ and
torch._amp_update_scale_) have no CPU implementation in 1.13 (checked: "Could not run ... with arguments from
the 'CPU' backend"). To run PyTorch's own GradScaler code anyway, this script
  1. re-runs itself under `python3 -O`, which strips the `assert outputs.is_cuda` checks of grad_scaler.py,
  2. makes grad_scaler.amp_definitely_not_available() return False, so the scaler stays enabled, and
  3. installs CPU ports of the two CUDA kernels (aten/src/ATen/native/cuda/AmpKernels.cu of 1.13) in place of
     the missing ones: the same checks on the same values, the same float32/float64 arithmetic.
Everything else (lazy scale creation, the per-optimizer READY/UNSCALED/STEPPED stages, found_inf per device,
skipping the step, combining found_inf over optimizers in update()) is PyTorch's unmodified code.

Each case trains the seed's 10-5-2 MLP (Linear, ReLU, Linear; cross-entropy) from fixed weights on a fixed
batch. Some steps get an Inf or NaN written into one gradient after backward(), so that steps are skipped and
the scale backs off; the small growth_interval makes it grow in between. Per step the fixture records the
scaled loss, the scaled gradients after the injection (so a test can feed them and compare bit for bit), the
gradients after unscale_, whether each optimizer stepped, the scale and growth tracker after update() and the
parameters after the step.
"""
import json
import os
import sys

if __debug__ and __name__ == "__main__":
    # step 1 above: PyTorch's CUDA-only asserts go away under -O
    os.execv(sys.executable, [sys.executable, "-O"] + sys.argv)

import torch  # noqa: E402
import torch.cuda.amp.grad_scaler as grad_scaler  # noqa: E402
import torch.nn as nn  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "fixtures", "amp")


def amp_foreach_non_finite_check_and_unscale_(grads, found_inf, inv_scale):
    """_amp_foreach_non_finite_check_and_unscale_cuda_: flags a non-finite value of the scaled gradient, then
    multiplies in place by the float32 inverse scale (in the gradient's opmath type: float64 for float64)."""
    inv = inv_scale.item()
    for g in grads:
        if not torch.isfinite(g).all():
            found_inf.fill_(1.0)
        if inv != 1.0:
            g.mul_(inv_scale)


def amp_update_scale_(scale, growth_tracker, found_inf, growth_factor, backoff_factor, growth_interval):
    """_amp_update_scale_cuda_ of 1.13: float scale times a double factor, rounded back to float32 by fill_.
    (1.13 has no cap at the float32 maximum; PyTorch 2.1 added one. No case here comes near it.)"""
    if found_inf.item():
        scale.fill_(scale.item() * backoff_factor)
        growth_tracker.fill_(0)
    else:
        successful = growth_tracker.item() + 1
        if successful == growth_interval:
            scale.fill_(scale.item() * growth_factor)
            growth_tracker.fill_(0)
        else:
            growth_tracker.fill_(successful)
    return scale


grad_scaler.amp_definitely_not_available = lambda: False
torch._amp_foreach_non_finite_check_and_unscale_ = amp_foreach_non_finite_check_and_unscale_
torch._amp_update_scale_ = amp_update_scale_


def flat(ts):
    return [t.detach().reshape(-1).tolist() for t in ts]


def model(dtype):
    g = torch.Generator().manual_seed(11)
    net = nn.Sequential(nn.Linear(10, 5), nn.ReLU(), nn.Linear(5, 2)).to(dtype)
    with torch.no_grad():
        for p in net.parameters():
            p.copy_(torch.randn(p.shape, generator=g, dtype=torch.float64) * 0.5)
    return net


def batch(dtype):
    g = torch.Generator().manual_seed(12)
    x = torch.randn(8, 10, generator=g, dtype=torch.float64).to(dtype)
    y = torch.randint(0, 2, (8,), generator=g)
    return x, y


CASES = [
    {"name": "sgd_momentum_float32", "dtype": "float32", "steps": 16,
     "optimizers": [{"type": "SGD", "lr": 0.1, "momentum": 0.9, "params": [0, 1, 2, 3]}],
     "scaler": {"init_scale": 65536.0, "growth_factor": 2.0, "backoff_factor": 0.5, "growth_interval": 3},
     "clip": None,
     # step -> [param, flat index, value]
     "inject": {1: [0, 7, "inf"], 2: [3, 1, "nan"], 8: [2, 4, "-inf"], 13: [1, 0, "inf"]}},
    {"name": "adam_clip_float64", "dtype": "float64", "steps": 16,
     "optimizers": [{"type": "Adam", "lr": 0.01, "params": [0, 1, 2, 3]}],
     # neither 1000.1 nor its products with 1.5 are float32 numbers: the scale's rounding is exercised
     "scaler": {"init_scale": 1000.1, "growth_factor": 1.5, "backoff_factor": 0.25, "growth_interval": 2},
     "clip": 0.5,
     "inject": {3: [2, 0, "nan"], 4: [0, 12, "inf"], 9: [1, 2, "inf"]}},
    {"name": "two_optimizers_float32", "dtype": "float32", "steps": 14,
     "optimizers": [{"type": "SGD", "lr": 0.05, "momentum": 0.0, "params": [0, 1]},
                    {"type": "Adam", "lr": 0.01, "params": [2, 3]}],
     "scaler": {"init_scale": 256.0, "growth_factor": 2.0, "backoff_factor": 0.5, "growth_interval": 2},
     "clip": None,
     # only the second optimizer's gradients at steps 2 and 6: the first still steps, the scale still backs off
     "inject": {2: [3, 0, "inf"], 6: [2, 9, "nan"], 10: [0, 3, "inf"]}},
]


def run(case):
    dtype = {"float32": torch.float32, "float64": torch.float64}[case["dtype"]]
    net = model(dtype)
    params = list(net.parameters())
    x, y = batch(dtype)
    opts = []
    for o in case["optimizers"]:
        ps = [params[i] for i in o["params"]]
        if o["type"] == "SGD":
            opts.append(torch.optim.SGD(ps, lr=o["lr"], momentum=o["momentum"], foreach=False))
        else:
            opts.append(torch.optim.Adam(ps, lr=o["lr"], foreach=False))
    s = case["scaler"]
    scaler = torch.cuda.amp.GradScaler(init_scale=s["init_scale"], growth_factor=s["growth_factor"],
                                       backoff_factor=s["backoff_factor"], growth_interval=s["growth_interval"])
    if not scaler.is_enabled():
        raise SystemExit("the GradScaler disabled itself: the CUDA check was not patched")
    loss_fn = nn.CrossEntropyLoss()
    steps = []
    for k in range(case["steps"]):
        for o in opts:
            o.zero_grad()
        scale_before = scaler.get_scale()
        loss = loss_fn(net(x), y)
        scaled = scaler.scale(loss)
        scaled.backward()
        inj = case["inject"].get(k)
        if inj is not None:
            with torch.no_grad():
                params[inj[0]].grad.view(-1)[inj[1]] = float(inj[2])
        scaled_grads = flat(p.grad for p in params)
        unscaled = None
        if case["clip"] is not None:
            for o in opts:
                scaler.unscale_(o)
            unscaled = flat(p.grad for p in params)
            torch.nn.utils.clip_grad_norm_(params, case["clip"])
        for o in opts:
            scaler.step(o)
        if unscaled is None:
            # step() unscaled in place: the gradients now hold the unscaled values
            unscaled = flat(p.grad for p in params)
        # PyTorch's own record of each optimizer's check; step() skipped exactly those with a non-finite gradient
        found = [bool(sum(v.item() for v in scaler._found_inf_per_device(o).values())) for o in opts]
        scaler.update()
        steps.append({"scale_before": scale_before, "loss": loss.item(), "scaled_loss": scaled.item(),
                      "scaled_shape": list(scaled.shape), "scaled_dtype": str(scaled.dtype).replace("torch.", ""),
                      "scaled_grads": scaled_grads,
                      "unscaled_grads": unscaled, "stepped": [not f for f in found],
                      "scale": scaler.get_scale(), "growth_tracker": scaler._get_growth_tracker(),
                      "state_dict": scaler.state_dict(), "params": flat(params)})
    return steps


def main():
    os.makedirs(OUT, exist_ok=True)
    dtype = torch.float64
    net = model(dtype)
    x, y = batch(dtype)
    out = {"model": {"shapes": [list(p.shape) for p in net.parameters()], "params": flat(net.parameters()),
                     "keys": [k for k, _ in net.named_parameters()]},
           "x": x.reshape(-1).tolist(), "x_shape": list(x.shape), "y": y.tolist(), "cases": []}
    for case in CASES:
        c = {k: v for k, v in case.items() if k != "inject"}
        c["inject"] = {str(k): v for k, v in case["inject"].items()}
        c["trajectory"] = run(case)
        out["cases"].append(c)
    with open(os.path.join(OUT, "grad_scaler.json"), "w") as f:
        json.dump(out, f)


if __name__ == "__main__":
    main()
