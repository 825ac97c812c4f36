"""Reference gradients from PyTorch for Kindling's autograd tests.

Regenerate (from the repository root) with Debian's torch:
    /usr/bin/python3 engine-java/src/test/python/gen_autograd_fixtures.py
It writes engine-java/src/test/resources/fixtures/autograd/gradients.json. Every tensor is stored as
{"shape": [...], "data": [flat row-major values]}; inputs are fixed numbers (seeded), so the Java tests
rebuild exactly the same tensors.
"""
import json
import math
import os

import torch
import torch.nn.functional as F

torch.manual_seed(0)
OUT = os.path.join(os.path.dirname(__file__), "..", "resources", "fixtures", "autograd", "gradients.json")


def t(x):
    """A tensor as shape + flat data (floats, with inf/nan spelled as strings for JSON)."""
    x = x.detach()
    flat = x.reshape(-1).tolist()

    def num(v):
        if isinstance(v, bool):
            return int(v)
        if isinstance(v, float) and (math.isnan(v) or math.isinf(v)):
            return "nan" if math.isnan(v) else ("inf" if v > 0 else "-inf")
        return v

    return {"shape": list(x.shape), "data": [num(v) for v in flat]}


def rnd(*shape, dtype=torch.float32):
    # rounded to 4 decimals so that the JSON holds the exact input values
    return torch.round(torch.randn(*shape, dtype=torch.float64) * 1e4) / 1e4


cases = {}

# --- seed 1: manual gradient descent on y = 2x (the classic tutorial loop)
X = torch.tensor([1, 2, 3, 4], dtype=torch.float32)
Y = torch.tensor([2, 4, 6, 8], dtype=torch.float32)
w = torch.tensor(0.0, dtype=torch.float32, requires_grad=True)
ws, losses, grads = [], [], []
for epoch in range(10):
    y_pred = w * X
    loss = ((y_pred - Y) ** 2).mean()
    loss.backward()
    grads.append(w.grad.item())
    w.data = w.data - 0.01 * w.grad.data
    w.grad.data.zero_()
    ws.append(w.item())
    losses.append(loss.item())
cases["seed_gradient_descent"] = {"X": t(X), "Y": t(Y), "lr": 0.01, "w": ws, "loss": losses, "grad": grads}

# --- seed 2: z = x*y + x**2; z.sum().backward() gives y + 2x and x
x = rnd(3, 4).float().requires_grad_()
y = rnd(3, 4).float().requires_grad_()
z = x * y + x ** 2
z.sum().backward()
cases["seed_xy_plus_x2"] = {"x": t(x), "y": t(y), "z": t(z), "x_grad": t(x.grad), "y_grad": t(y.grad)}

# --- a 3-layer MLP (Linear 4-5, tanh, Linear 5-6, relu, Linear 6-3) with cross entropy, float32
inp = rnd(6, 4).float()
target = torch.tensor([0, 2, 1, 1, 0, 2])
layers = [(5, 4), (6, 5), (3, 6)]
params = {}
for i, (o, n) in enumerate(layers):
    params[f"w{i}"] = (rnd(o, n) * 0.5).float().requires_grad_()
    params[f"b{i}"] = (rnd(o) * 0.1).float().requires_grad_()
h = torch.tanh(inp @ params["w0"].t() + params["b0"])
h = torch.relu(h @ params["w1"].t() + params["b1"])
logits = h @ params["w2"].t() + params["b2"]
loss = F.cross_entropy(logits, target)
loss.backward()
cases["mlp"] = {
    "input": t(inp), "target": target.tolist(), "loss": loss.item(), "logits": t(logits),
    "params": {k: t(v) for k, v in params.items()},
    "grads": {k: t(v.grad) for k, v in params.items()},
}

# --- softmax + NLL, float64: fused (log_softmax) and composed (softmax then log), mean and sum
logits = (rnd(4, 5) * 3).requires_grad_()
target = torch.tensor([1, 0, 4, 2])
loss = F.nll_loss(F.log_softmax(logits, dim=1), target)
loss.backward()
g_mean = logits.grad.clone()
logits.grad = None
loss_sum = F.nll_loss(torch.log(torch.softmax(logits, dim=1)), target, reduction="sum")
loss_sum.backward()
cases["softmax_nll"] = {"logits": t(logits), "target": target.tolist(), "loss_mean": loss.item(),
                        "grad_mean": t(g_mean), "loss_sum": loss_sum.item(), "grad_sum": t(logits.grad)}

# --- extreme logits: the gradients must stay finite
big = torch.tensor([[1000.0, 0.0, -1000.0], [-50.0, 50.0, 0.0]], dtype=torch.float64, requires_grad=True)
v = torch.tensor([[1.0, 2.0, 3.0], [0.5, -1.0, 2.0]], dtype=torch.float64)
(torch.log_softmax(big, 1) * v).sum().backward()
g_ls = big.grad.clone()
big.grad = None
(torch.softmax(big, 1) * v).sum().backward()
g_s = big.grad.clone()
big.grad = None
torch.logsumexp(big, 1).sum().backward()
cases["extreme_logits"] = {"x": t(big), "v": t(v), "log_softmax_grad": t(g_ls), "softmax_grad": t(g_s),
                           "logsumexp_grad": t(big.grad)}

# --- double backward
x = rnd(5).requires_grad_()
y = (x ** 3).sum()
(g,) = torch.autograd.grad(y, x, create_graph=True)
(gg,) = torch.autograd.grad(g.sum(), x)
xt = rnd(2, 3).requires_grad_()
vt = rnd(2, 3)
(g1,) = torch.autograd.grad(torch.tanh(xt).sum(), xt, create_graph=True)
(g2,) = torch.autograd.grad((g1 * vt).sum(), xt)
# gradient penalty: d/dx || d/dw sum(sigmoid(x @ w)) ||^2
xp = rnd(3, 4).requires_grad_()
wp = rnd(4, 2).requires_grad_()
(gw,) = torch.autograd.grad(torch.sigmoid(xp @ wp).sum(), wp, create_graph=True)
penalty = (gw ** 2).sum()
penalty.backward()
cases["double_backward"] = {
    "x": t(x), "grad": t(g), "grad_of_grad": t(gg),
    "tanh_x": t(xt), "tanh_v": t(vt), "tanh_grad": t(g1), "tanh_grad_of_grad": t(g2),
    "penalty_x": t(xp), "penalty_w": t(wp), "penalty": penalty.item(),
    "penalty_x_grad": t(xp.grad), "penalty_w_grad": t(wp.grad),
}


# --- PyTorch's conventions at non-differentiable points and ties (gradcheck cannot decide these)
def grad_of(fn, *xs):
    xs = [torch.tensor(v, dtype=torch.float64, requires_grad=True) for v in xs]
    out = fn(*xs)
    out.backward(torch.ones_like(out))
    return {"inputs": [t(v) for v in xs], "grads": [t(v.grad) if v.grad is not None else None for v in xs],
            "grad_fn": type(out.grad_fn).__name__}


conv = {}
conv["abs_at_0"] = grad_of(lambda a: a.abs(), [-1.0, 0.0, 2.0])
conv["relu_at_0"] = grad_of(lambda a: a.relu(), [-1.0, 0.0, 2.0])
conv["clamp_at_bounds"] = grad_of(lambda a: a.clamp(-1, 1), [-2.0, -1.0, 0.0, 1.0, 2.0])
conv["amax_ties"] = grad_of(lambda a: a.amax(1), [[1.0, 3.0, 3.0], [2.0, 2.0, 2.0]])
conv["max_all_ties"] = grad_of(lambda a: a.max(), [[1.0, 3.0], [3.0, 0.0]])
conv["max_dim_ties"] = grad_of(lambda a: a.max(1).values, [[1.0, 3.0, 3.0], [2.0, 2.0, 2.0]])
conv["min_dim_ties"] = grad_of(lambda a: a.min(0).values, [[1.0, 3.0], [1.0, 0.0]])
conv["maximum_ties"] = grad_of(lambda a, b: torch.maximum(a, b), [1.0, 2.0, 3.0], [1.0, 0.0, 3.0])
conv["prod_zeros"] = grad_of(lambda a: a.prod(1), [[2.0, 0.0, 3.0], [0.0, 0.0, 4.0], [1.0, 2.0, 3.0]])
conv["sqrt_at_0"] = grad_of(lambda a: a.sqrt(), [0.0, 4.0])
conv["norm_at_0"] = grad_of(lambda a: a.norm(), [0.0, 0.0, 0.0])
conv["pow_scalar_0_at_0"] = grad_of(lambda a: a.pow(0), [0.0, 2.0])
conv["pow_tensor_at_0"] = grad_of(lambda a, b: a.pow(b), [0.0, 0.0, 2.0], [0.0, 2.0, 0.5])
conv["std_constant"] = grad_of(lambda a: a.std(), [1.5, 1.5, 1.5])
conv["sort_ties"] = grad_of(lambda a: a.sort().values * torch.tensor([1.0, 2.0, 3.0], dtype=torch.float64), [2.0, 1.0, 2.0])
conv["where_nan_branch"] = grad_of(lambda a: torch.where(a > 0, a.sqrt(), torch.zeros_like(a)), [4.0, 1.0])
conv["sign_floor_round"] = grad_of(lambda a: a.sign() + a.floor() + a.round(), [-1.5, 0.0, 2.5])
cases["conventions"] = conv

# --- in-place changes through views: the base takes them, views taken before are rebased
x = torch.tensor([1.0, 2.0, 3.0], dtype=torch.float64, requires_grad=True)
a = x * 1
v = a[:2]
a.mul_(torch.tensor([2.0, 3.0, 4.0], dtype=torch.float64))
v.sum().backward()
stale = x.grad.clone()
h = torch.tensor([1.0, 2.0, 3.0], dtype=torch.float64, requires_grad=True)
out = torch.zeros(2, 3, dtype=torch.float64)
column = out[:, 0]
out[1] = 2 * h
m = torch.tensor([[5.0, 5.0, 5.0], [1.0, 10.0, 100.0]], dtype=torch.float64)
((out * m).sum() + (column * torch.tensor([5.0, 7.0], dtype=torch.float64)).sum()).backward()
cases["inplace_views"] = {"stale_view_grad": t(stale), "buffer_grad": t(h.grad), "buffer": t(out),
                          "buffer_grad_fn": type(out.grad_fn).__name__}

with open(OUT, "w") as f:
    json.dump({"generator": "engine-java/src/test/python/gen_autograd_fixtures.py", "torch": torch.__version__,
               "cases": cases}, f, indent=1)
print("wrote", os.path.normpath(OUT))
for k, v in conv.items():
    print(k, v["grad_fn"], [g["data"] if g else None for g in v["grads"]])
