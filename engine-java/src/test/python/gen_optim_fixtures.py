"""Reference trajectories and learning-rate sequences for dev.kindling.optim, from PyTorch 1.13.

Regenerate (from engine-java/):
    /usr/bin/python3 src/test/python/gen_optim_fixtures.py
Writes src/test/resources/fixtures/optim/{trajectories,schedulers,seed_workflow,clipping,lbfgs}.json.

Trajectories: 20 steps on a fixed quadratic and on a small MLP, for each optimizer and option set, in
float64 and float32. Each step records the gradients PyTorch computed (so a test can feed them and compare
the update bit for bit) and the parameters after the step (the single-tensor "for loop" implementation).
"""
import json
import math
import os

import torch

torch.manual_seed(0)
OUT = os.path.join(os.path.dirname(__file__), "..", "resources", "fixtures", "optim")
STEPS = 20


def problems():
    g = torch.Generator().manual_seed(1)
    m = torch.randn(5, 5, generator=g, dtype=torch.float64)
    a = m @ m.T / 5 + torch.eye(5, dtype=torch.float64)
    b = torch.randn(5, generator=g, dtype=torch.float64)
    x0 = torch.randn(5, generator=g, dtype=torch.float64)
    quad = {"A": a.tolist(), "b": b.tolist(), "params": [x0.tolist()], "shapes": [[5]]}
    w1 = torch.randn(4, 3, generator=g, dtype=torch.float64) * 0.5
    b1 = torch.randn(4, generator=g, dtype=torch.float64) * 0.1
    w2 = torch.randn(2, 4, generator=g, dtype=torch.float64) * 0.5
    b2 = torch.randn(2, generator=g, dtype=torch.float64) * 0.1
    x = torch.randn(6, 3, generator=g, dtype=torch.float64)
    y = torch.randn(6, 2, generator=g, dtype=torch.float64)
    mlp = {"X": x.tolist(), "Y": y.tolist(),
           "params": [w1.flatten().tolist(), b1.tolist(), w2.flatten().tolist(), b2.tolist()],
           "shapes": [[4, 3], [4], [2, 4], [2]]}
    return {"quadratic": quad, "mlp": mlp}


def loss_fn(name, prob, params, dtype):
    if name == "quadratic":
        a = torch.tensor(prob["A"], dtype=dtype)
        b = torch.tensor(prob["b"], dtype=dtype)
        x = params[0]
        return 0.5 * (x @ (a @ x)) - b @ x
    x = torch.tensor(prob["X"], dtype=dtype)
    y = torch.tensor(prob["Y"], dtype=dtype)
    w1, b1, w2, b2 = params
    h = torch.tanh(x @ w1.T + b1)
    return ((h @ w2.T + b2 - y) ** 2).mean()


CASES = [
    ("SGD", {"lr": 0.1}),
    ("SGD", {"lr": 0.05, "momentum": 0.9}),
    ("SGD", {"lr": 0.05, "momentum": 0.9, "dampening": 0.1, "weight_decay": 0.01}),
    ("SGD", {"lr": 0.05, "momentum": 0.9, "nesterov": True, "weight_decay": 0.001}),
    ("SGD", {"lr": 0.01, "maximize": True, "weight_decay": 0.01}),
    ("Adam", {"lr": 0.01}),
    ("Adam", {"lr": 0.01, "weight_decay": 0.01, "amsgrad": True}),
    ("Adam", {"lr": 0.02, "betas": [0.8, 0.99], "eps": 1e-6, "maximize": True}),
    ("AdamW", {"lr": 0.01}),
    ("AdamW", {"lr": 0.01, "weight_decay": 0.1, "amsgrad": True}),
    ("RMSprop", {"lr": 0.01}),
    ("RMSprop", {"lr": 0.01, "alpha": 0.9, "momentum": 0.9, "centered": True, "weight_decay": 0.01}),
    ("RMSprop", {"lr": 0.01, "momentum": 0.5, "maximize": True}),
    ("Adagrad", {"lr": 0.1}),
    ("Adagrad", {"lr": 0.1, "lr_decay": 0.01, "weight_decay": 0.01, "initial_accumulator_value": 0.1, "eps": 1e-8}),
]


def make(name, params, opts):
    kw = dict(opts)
    if "betas" in kw:
        kw["betas"] = tuple(kw["betas"])
    if name in ("Adam", "AdamW", "RMSprop", "Adagrad", "SGD"):
        kw["foreach"] = False
    return getattr(torch.optim, name)(params, **kw)


def trajectories():
    probs = problems()
    cases = []
    for pname, prob in probs.items():
        for oname, opts in CASES:
            for dtype, dname in ((torch.float64, "float64"), (torch.float32, "float32")):
                params = [torch.tensor(p, dtype=dtype).reshape(s).requires_grad_()
                          for p, s in zip(prob["params"], prob["shapes"])]
                opt = make(oname, params, opts)
                grads, after, losses = [], [], []
                for _ in range(STEPS):
                    opt.zero_grad()
                    loss = loss_fn(pname, prob, params, dtype)
                    loss.backward()
                    losses.append(loss.item())
                    grads.append([p.grad.flatten().tolist() for p in params])
                    opt.step()
                    after.append([p.detach().flatten().tolist() for p in params])
                cases.append({"problem": pname, "optimizer": oname, "options": opts, "dtype": dname,
                              "losses": losses, "grads": grads, "params": after})
    return {"problems": probs, "steps": STEPS, "cases": cases}


def sched_run(make_sched, groups=(0.1,), momentum=0.0, steps=100, metrics=None, opt_name="SGD"):
    ps = [torch.zeros(1, requires_grad=True) for _ in groups]
    if opt_name == "SGD":
        opt = torch.optim.SGD([{"params": [p], "lr": lr} for p, lr in zip(ps, groups)], lr=groups[0], momentum=momentum)
    else:
        opt = torch.optim.Adam([{"params": [p], "lr": lr} for p, lr in zip(ps, groups)], lr=groups[0])
    s = make_sched(opt)
    lrs, moms = [[g["lr"] for g in opt.param_groups]], []
    for i in range(steps):
        opt.step()
        if metrics is None:
            s.step()
        else:
            s.step(metrics[i])
        lrs.append([g["lr"] for g in opt.param_groups])
        if "momentum" in opt.param_groups[0] and momentum:
            moms.append([g["momentum"] for g in opt.param_groups])
        if "betas" in opt.param_groups[0]:
            moms.append([g["betas"][0] for g in opt.param_groups])
    return lrs, moms


def plateau_metrics():
    # falls, then flattens with small wiggles: several reductions with patience 5
    return [1.0 / (1 + 0.3 * min(i, 25)) + 0.001 * ((i * 7) % 5) for i in range(100)]


def schedulers():
    S = torch.optim.lr_scheduler
    m = plateau_metrics()
    specs = [
        ("StepLR", {"step_size": 7, "gamma": 0.5}, lambda o: S.StepLR(o, 7, 0.5), {}),
        ("MultiStepLR", {"milestones": [10, 30, 60], "gamma": 0.3}, lambda o: S.MultiStepLR(o, [10, 30, 60], 0.3), {}),
        ("ExponentialLR", {"gamma": 0.97}, lambda o: S.ExponentialLR(o, 0.97), {}),
        ("CosineAnnealingLR", {"T_max": 30, "eta_min": 0.001}, lambda o: S.CosineAnnealingLR(o, 30, 0.001), {}),
        ("CosineAnnealingWarmRestarts", {"T_0": 10, "T_mult": 2, "eta_min": 0.01},
         lambda o: S.CosineAnnealingWarmRestarts(o, 10, 2, 0.01), {}),
        ("LambdaLR", {"lambda": "1/(1+0.1*e)"}, lambda o: S.LambdaLR(o, lambda e: 1 / (1 + 0.1 * e)), {}),
        ("LinearLR", {"start_factor": 0.1, "end_factor": 1.0, "total_iters": 10},
         lambda o: S.LinearLR(o, 0.1, 1.0, 10), {}),
        ("SequentialLR", {"warmup": 5, "gamma": 0.9},
         lambda o: S.SequentialLR(o, [S.LinearLR(o, 0.1, 1.0, 5), S.ExponentialLR(o, 0.9)], [5]), {}),
        ("OneCycleLR", {"max_lr": 0.5, "total_steps": 101},
         lambda o: S.OneCycleLR(o, 0.5, total_steps=101), {"momentum": 0.9}),
        ("OneCycleLR", {"max_lr": 0.5, "total_steps": 101, "anneal_strategy": "linear", "three_phase": True,
                        "pct_start": 0.25, "div_factor": 10.0, "final_div_factor": 100.0},
         lambda o: S.OneCycleLR(o, 0.5, total_steps=101, anneal_strategy="linear", three_phase=True,
                                pct_start=0.25, div_factor=10.0, final_div_factor=100.0), {"momentum": 0.9}),
        ("OneCycleLR", {"max_lr": 0.01, "total_steps": 101, "adam": True},
         lambda o: S.OneCycleLR(o, 0.01, total_steps=101), {"opt_name": "Adam"}),
        ("ReduceLROnPlateau", {"mode": "min", "factor": 0.5, "patience": 5, "threshold": 1e-4,
                               "threshold_mode": "rel", "cooldown": 2, "min_lr": 0.001},
         lambda o: S.ReduceLROnPlateau(o, "min", 0.5, 5, threshold=1e-4, cooldown=2, min_lr=0.001), {"metrics": m}),
        ("ReduceLROnPlateau", {"mode": "max", "factor": 0.2, "patience": 3, "threshold": 0.01,
                               "threshold_mode": "abs", "cooldown": 0, "min_lr": 0.0},
         lambda o: S.ReduceLROnPlateau(o, "max", 0.2, 3, threshold=0.01, threshold_mode="abs"),
         {"metrics": [-v for v in m]}),
    ]
    out = []
    # step(epoch): the closed forms (and CosineAnnealingWarmRestarts' fractional epochs)
    epochs = [0, 3, 7, 12, 20, 5, 33, 2.5, 14.25]
    jumps = []
    for name, args, mk in [
        ("StepLR", {"step_size": 7, "gamma": 0.5}, lambda o: S.StepLR(o, 7, 0.5)),
        ("MultiStepLR", {"milestones": [10, 30, 60], "gamma": 0.3}, lambda o: S.MultiStepLR(o, [10, 30, 60], 0.3)),
        ("ExponentialLR", {"gamma": 0.97}, lambda o: S.ExponentialLR(o, 0.97)),
        ("CosineAnnealingLR", {"T_max": 30, "eta_min": 0.001}, lambda o: S.CosineAnnealingLR(o, 30, 0.001)),
        ("LinearLR", {"start_factor": 0.1, "end_factor": 1.0, "total_iters": 10}, lambda o: S.LinearLR(o, 0.1, 1.0, 10)),
        ("CosineAnnealingWarmRestarts", {"T_0": 10, "T_mult": 2, "eta_min": 0.01},
         lambda o: S.CosineAnnealingWarmRestarts(o, 10, 2, 0.01)),
    ]:
        ps = [torch.zeros(1, requires_grad=True)]
        opt = torch.optim.SGD(ps, lr=0.1)
        sch = mk(opt)
        lrs = []
        for e in epochs:
            if name != "CosineAnnealingWarmRestarts" and e != int(e):
                continue
            sch.step(e)
            lrs.append([e, opt.param_groups[0]["lr"]])
        jumps.append({"scheduler": name, "args": args, "lrs": lrs})
    for name, args, mk, extra in specs:
        lrs, moms = sched_run(mk, groups=(0.1, 0.05), **extra)
        out.append({"scheduler": name, "args": args, "initial_lrs": [0.1, 0.05],
                    "momentum": extra.get("momentum", 0.0), "optimizer": extra.get("opt_name", "SGD"),
                    "metrics": extra.get("metrics"), "lrs": lrs, "momentums": moms})
    return {"steps": 100, "cases": out, "jumps": jumps}


def seed_workflow():
    """Adam(weight_decay=1e-4) + ReduceLROnPlateau(patience=5) on the MLP, driven by a validation loss."""
    prob = problems()["mlp"]
    dtype = torch.float64
    params = [torch.tensor(p, dtype=dtype).reshape(s).requires_grad_() for p, s in zip(prob["params"], prob["shapes"])]
    opt = torch.optim.Adam(params, lr=0.05, weight_decay=1e-4, foreach=False)
    sched = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, patience=5)
    # a validation set unlike the training set, so the validation loss soon stalls and the lr is cut
    gen = torch.Generator().manual_seed(7)
    xv = torch.randn(8, 3, generator=gen, dtype=dtype)
    yv = torch.randn(8, 2, generator=gen, dtype=dtype)
    grads, after, val, lrs = [], [], [], []
    for epoch in range(60):
        opt.zero_grad()
        loss = loss_fn("mlp", prob, params, dtype)
        loss.backward()
        grads.append([p.grad.flatten().tolist() for p in params])
        opt.step()
        after.append([p.detach().flatten().tolist() for p in params])
        with torch.no_grad():
            w1, b1, w2, b2 = params
            v = ((torch.tanh(xv @ w1.T + b1) @ w2.T + b2 - yv) ** 2).mean().item()
        val.append(v)
        sched.step(v)
        lrs.append(opt.param_groups[0]["lr"])
    return {"grads": grads, "params": after, "val_losses": val, "lrs": lrs,
            "X_val": xv.tolist(), "Y_val": yv.tolist()}


def clipping():
    """clip_grad_norm_ for several norm types and clip_grad_value_, on three float64 gradients."""
    g = torch.Generator().manual_seed(3)
    shapes = [[3, 4], [4], [2, 2]]
    grads = [torch.randn(*sh, generator=g, dtype=torch.float64) * 2 for sh in shapes]
    cases = []
    for norm_type in [2.0, 1.0, float("inf"), 3.0, 0.5]:
        for max_norm in [1.0, 100.0]:
            ps = [torch.zeros(*sh, dtype=torch.float64, requires_grad=True) for sh in shapes]
            for p, gr in zip(ps, grads):
                p.grad = gr.clone()
            total = torch.nn.utils.clip_grad_norm_(ps, max_norm, norm_type)
            cases.append({"norm_type": "inf" if math.isinf(norm_type) else norm_type, "max_norm": max_norm,
                          "total": total.item(), "clipped": [p.grad.flatten().tolist() for p in ps]})
    ps = [torch.zeros(*sh, dtype=torch.float64, requires_grad=True) for sh in shapes]
    for p, gr in zip(ps, grads):
        p.grad = gr.clone()
    torch.nn.utils.clip_grad_value_(ps, 0.5)
    return {"shapes": shapes, "grads": [x.flatten().tolist() for x in grads], "norm_cases": cases,
            "value_clip": 0.5, "value_clipped": [p.grad.flatten().tolist() for p in ps]}


def lbfgs():
    """LBFGS (no line search) on both problems, float64: params and returned loss after each of 5 steps."""
    probs = problems()
    cases = []
    for pname, prob in probs.items():
        for opts in ({"lr": 1.0, "max_iter": 5}, {"lr": 0.5, "max_iter": 4, "history_size": 3}):
            dtype = torch.float64
            params = [torch.tensor(p, dtype=dtype).reshape(s).requires_grad_()
                      for p, s in zip(prob["params"], prob["shapes"])]
            opt = torch.optim.LBFGS(params, **opts)

            def closure():
                opt.zero_grad()
                loss = loss_fn(pname, prob, params, dtype)
                loss.backward()
                return loss
            after, losses = [], []
            for _ in range(5):
                losses.append(opt.step(closure).item())
                after.append([p.detach().flatten().tolist() for p in params])
            cases.append({"problem": pname, "options": opts, "losses": losses, "params": after,
                          "func_evals": opt.state[params[0]]["func_evals"], "n_iter": opt.state[params[0]]["n_iter"]})
    return {"cases": cases}


def main():
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, "trajectories.json"), "w") as f:
        json.dump(trajectories(), f)
    with open(os.path.join(OUT, "schedulers.json"), "w") as f:
        json.dump(schedulers(), f)
    with open(os.path.join(OUT, "seed_workflow.json"), "w") as f:
        json.dump(seed_workflow(), f)
    with open(os.path.join(OUT, "clipping.json"), "w") as f:
        json.dump(clipping(), f)
    with open(os.path.join(OUT, "lbfgs.json"), "w") as f:
        json.dump(lbfgs(), f)


if __name__ == "__main__":
    main()
