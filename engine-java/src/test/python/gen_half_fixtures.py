"""Reference values for FLOAT16 / BFLOAT16 tensors and CPU autocast (issue 15), computed with PyTorch 1.13.

Regenerate (from the repository root, with Debian's torch):
    OMP_WAIT_POLICY=PASSIVE /usr/bin/python3 engine-java/src/test/python/gen_half_fixtures.py

Writes engine-java/src/test/resources/fixtures/half/half.json:
- "conversions": float32 values (every special value, the edges of both formats, ties, subnormals and a random
  sweep over all exponents) with the bits of x.half() and x.bfloat16(), and float64 values with the bits of their
  conversion (which goes through float32 in PyTorch);
- "ops": elementwise ops, reductions, softmax and matmul in both dtypes. PyTorch 1.13 has no CPU kernels for most
  float16 ops ("not implemented for 'Half'"), so every reference is the op computed in float32 on the exactly
  widened inputs and rounded once, which is how PyTorch's CPU kernels compute both types (and what its bfloat16
  kernels give, checked below for the bfloat16 ops that exist);
- "models": the seed MLP and CNN with bfloat16 weights and inputs, forward and backward run by PyTorch itself, and
  a float32 reference for the same models on float16 values (PyTorch 1.13 cannot run them in float16 on the CPU);
- "autocast": the output dtype of each op under torch.autocast("cpu", torch.bfloat16) for float32 and bfloat16
  inputs, and the seed MLP and CNN trained one step under autocast (layer output dtypes, loss, float32 gradients).
"""
import json
import math
import os
import random

import torch
import torch.nn as nn
import torch.nn.functional as F

OUT = os.path.join(os.path.dirname(__file__), "..", "resources", "fixtures", "half", "half.json")
NAMES = {torch.float64: "float64", torch.float32: "float32", torch.float16: "float16", torch.bfloat16: "bfloat16",
         torch.int64: "int64", torch.bool: "bool"}


def jnum(v):
    if isinstance(v, float) and (v != v or abs(v) == float("inf")):
        return str(v).replace("inf", "Infinity").replace("nan", "NaN")
    return v


def enc(t):
    t = t.detach()
    vals = t.reshape(-1).tolist() if t.dtype in (torch.int64, torch.bool) else t.float().reshape(-1).tolist()
    if t.dtype == torch.float64:
        vals = t.reshape(-1).tolist()
    return {"shape": list(t.shape), "dtype": NAMES[t.dtype], "data": [jnum(v) for v in vals]}


def bits16(t):
    return [v & 0xFFFF for v in t.view(torch.int16).tolist()]


def conversions():
    f32 = [0.0, -0.0, 1.0, -1.0, float("inf"), float("-inf"), float("nan"), -float("nan"),
           65504.0, 65505.0, 65519.0, 65520.0, 65536.0, -65520.0, 1e10, -1e10, 3.4028234663852886e38,
           6.103515625e-05, 6.097555160522461e-05, 5.960464477539063e-08, 2.9802322387695312e-08, 2.980232594040899e-08,
           8.940696716308594e-08, 1e-8, 1.401298464324817e-45, 1.1754943508222875e-38, 1.1754942106924411e-38,
           9.183549615799121e-41, 0.1, 0.2, 0.3, 1 / 3, 2 / 3, math.pi, math.e, 1.00048828125, 1.0009765625, 1.00146484375,
           1.00390625, 1.0078125, 1.01171875, 2049.0, 2051.0, 4097.0, 257.0, 259.0, 3.0e38, -3.0e38]
    rng = random.Random(0)
    for _ in range(3000):
        e = rng.uniform(-45, 40)
        f32.append(rng.choice((-1, 1)) * rng.random() * 2.0 ** e)
    # exact ties of both formats at random exponents
    for _ in range(300):
        m = rng.randrange(1 << 10, 1 << 11)
        e = rng.randrange(-24, 15)
        f32.append((m + 0.5) * 2.0 ** (e - 10))
        mb = rng.randrange(1 << 7, 1 << 8)
        eb = rng.randrange(-126, 127)
        f32.append((mb + 0.5) * 2.0 ** (eb - 7))
    x = torch.tensor(f32, dtype=torch.float32)
    f64 = [1.0000000596046448, 1.0004882812500002, 0.1, 65519.99999999999, 1e-300, -1e300, 1.00048828125 + 1e-12]
    xd = torch.tensor(f64, dtype=torch.float64)
    return {"float32_bits": [v & 0xFFFFFFFF for v in x.view(torch.int32).tolist()],
            "float16": bits16(x.half()), "bfloat16": bits16(x.bfloat16()),
            "float64": f64, "float64_float16": bits16(xd.half()), "float64_bfloat16": bits16(xd.bfloat16())}


def ops():
    g = torch.Generator().manual_seed(1)
    a32 = torch.randn(4, 6, generator=g) * 3
    b32 = torch.randn(4, 6, generator=g) * 3
    row32 = torch.randn(6, generator=g)
    m32 = torch.randn(6, 5, generator=g)
    pos32 = torch.rand(4, 6, generator=g) * 10 + 0.01
    cases = []
    for dt in (torch.float16, torch.bfloat16):
        a, b, row, m, pos = (t.to(dt) for t in (a32, b32, row32, m32, pos32))
        # every reference: the float32 op on the widened inputs, rounded once
        def r(fn, *ts):
            return fn(*[t.float() for t in ts]).to(dt)
        entries = {
            "add": r(torch.add, a, b), "sub": r(torch.sub, a, b), "mul": r(torch.mul, a, b), "div": r(torch.div, a, b),
            "add_row": r(torch.add, a, row), "mul_scalar": r(lambda x: x * 2.5, a), "exp": r(torch.exp, a),
            "log": r(torch.log, pos), "sqrt": r(torch.sqrt, pos), "sigmoid": r(torch.sigmoid, a), "tanh": r(torch.tanh, a),
            "relu": r(torch.relu, a), "square": r(torch.square, a), "neg": r(torch.neg, a), "abs": r(torch.abs, a),
            "sum": r(torch.sum, a), "mean": r(torch.mean, a), "sum_dim1": r(lambda x: x.sum(1), a),
            "mean_dim0": r(lambda x: x.mean(0), a), "amax_dim1": r(lambda x: x.amax(1), a),
            "softmax": r(lambda x: x.softmax(1), a), "log_softmax": r(lambda x: x.log_softmax(1), a),
            "matmul": r(torch.matmul, a, m), "clamp": r(lambda x: x.clamp(-1, 1), a), "pow2": r(lambda x: x.pow(2), a),
        }
        if dt == torch.bfloat16:
            # PyTorch's own bfloat16 kernels agree with "float32 then round" (up to the float32 op's last bit)
            for k, fn in (("exp", torch.exp), ("sigmoid", torch.sigmoid), ("tanh", torch.tanh)):
                assert torch.equal(fn(a), entries[k]), k
            assert torch.equal(torch.add(a, b), entries["add"])
        cases.append({"dtype": NAMES[dt], "a": enc(a), "b": enc(b), "row": enc(row), "m": enc(m), "pos": enc(pos),
                      "results": {k: enc(v) for k, v in entries.items()}})
    return cases


class Mlp(nn.Module):
    """The seed's Fashion-MNIST MLP, smaller."""

    def __init__(self):
        super().__init__()
        self.fc1, self.fc2, self.fc3 = nn.Linear(20, 16), nn.Linear(16, 12), nn.Linear(12, 3)

    def forward(self, x):
        return self.fc3(torch.relu(self.fc2(torch.relu(self.fc1(x)))))


class Cnn(nn.Module):
    """The seed's CNN shape, smaller: conv, relu, pool, conv, relu, pool, linear."""

    def __init__(self):
        super().__init__()
        self.conv1, self.conv2 = nn.Conv2d(1, 4, 3, padding=1), nn.Conv2d(4, 6, 3, padding=1)
        self.fc = nn.Linear(6 * 2 * 2, 3)

    def forward(self, x):
        x = F.max_pool2d(torch.relu(self.conv1(x)), 2)
        x = F.max_pool2d(torch.relu(self.conv2(x)), 2)
        return self.fc(x.flatten(1))


def params(model):
    return {k: enc(v) for k, v in model.state_dict().items()}


def grads(model):
    return {k: enc(p.grad) for k, p in model.named_parameters()}


def models():
    out = {}
    for name, cls, shape in (("mlp", Mlp, (5, 20)), ("cnn", Cnn, (3, 1, 8, 8))):
        torch.manual_seed(3)
        model = cls()
        x = torch.randn(*shape)
        y = torch.tensor([0, 2, 1, 1, 0][:shape[0]])
        m16 = cls()
        m16.load_state_dict(model.state_dict())
        m16 = m16.to(torch.bfloat16)
        logits = m16(x.bfloat16())
        loss = F.cross_entropy(logits, y)
        loss.backward()
        out[name + "_bfloat16"] = {"params": params(model), "x": enc(x), "y": enc(y), "logits": enc(logits),
                                   "loss": enc(loss), "grads": grads(m16)}
        # float16: PyTorch 1.13 has no CPU kernels for it, so the reference is the model in float32 on the float16
        # values of the weights and inputs (a float16 run rounds each op's output on top: compare within 1e-2)
        mh = cls()
        mh.load_state_dict({k: v.half().float() for k, v in model.state_dict().items()})
        logits = mh(x.half().float())
        loss = F.cross_entropy(logits, y)
        loss.backward()
        out[name + "_float16"] = {"logits": enc(logits), "loss": enc(loss), "grads": grads(mh)}
        # autocast: float32 model, bfloat16 compute where PyTorch's CPU list says
        am = cls()
        am.load_state_dict(model.state_dict())
        dtypes = {}
        hooks = [mod.register_forward_hook(lambda mod, i, o, n=n: dtypes.__setitem__(n, NAMES[o.dtype]))
                 for n, mod in am.named_modules() if n]
        with torch.autocast("cpu", dtype=torch.bfloat16):
            logits = am(x)
            loss = F.cross_entropy(logits, y)
        for h in hooks:
            h.remove()
        loss.backward()
        out[name + "_autocast"] = {"layer_dtypes": dtypes, "logits": enc(logits), "loss": enc(loss), "grads": grads(am)}
    return out


def autocast_ops():
    g = torch.Generator().manual_seed(2)
    res = {}
    for src in (torch.float32, torch.bfloat16):
        x = torch.randn(4, 6, generator=g).to(src)
        w = torch.randn(5, 6, generator=g).to(src)
        bias = torch.randn(5, generator=g).to(src)
        img = torch.randn(2, 3, 6, 6, generator=g).to(src)
        k = torch.randn(4, 3, 3, 3, generator=g).to(src)
        seq = torch.randn(2, 3, 8, generator=g).to(src)
        k1 = torch.randn(4, 3, 3, generator=g).to(src)
        kt = torch.randn(3, 4, 3, 3, generator=g).to(src)
        p = torch.rand(4, 6, generator=g).to(src)
        t = torch.rand(4, 6, generator=g).to(src)
        lbl = torch.tensor([0, 1, 2, 3])
        b3 = torch.randn(2, 4, 6, generator=g).to(src)
        c3 = torch.randn(2, 6, 3, generator=g).to(src)
        other = torch.randn(4, 6, generator=g)  # always float32
        fns = {
            "mm": lambda: x.mm(w.t()), "matmul": lambda: x.matmul(w.t()), "addmm": lambda: torch.addmm(bias, x, w.t()),
            "bmm": lambda: b3.bmm(c3), "linear": lambda: F.linear(x, w, bias), "conv2d": lambda: F.conv2d(img, k),
            "conv1d": lambda: F.conv1d(seq, k1), "conv_transpose2d": lambda: F.conv_transpose2d(img, kt),
            "mse_loss": lambda: F.mse_loss(x, t), "l1_loss": lambda: F.l1_loss(x, t),
            "smooth_l1_loss": lambda: F.smooth_l1_loss(x, t), "binary_cross_entropy": lambda: F.binary_cross_entropy(p, t),
            "binary_cross_entropy_with_logits": lambda: F.binary_cross_entropy_with_logits(x, t),
            "nll_loss": lambda: F.nll_loss(x, lbl), "cross_entropy": lambda: F.cross_entropy(x, lbl),
            "kl_div": lambda: F.kl_div(x, p, reduction="batchmean"), "prod": lambda: x.prod(),
            "softmax": lambda: x.softmax(1), "log_softmax": lambda: x.log_softmax(1), "exp": lambda: x.exp(),
            "log": lambda: p.log(), "sum": lambda: x.sum(), "mean": lambda: x.mean(), "relu": lambda: x.relu(),
            "sigmoid": lambda: x.sigmoid(), "tanh": lambda: x.tanh(), "add_float32": lambda: x + other,
            "mul_float32": lambda: x * other, "cat_float32": lambda: torch.cat([x, other]),
            "stack_float32": lambda: torch.stack([x, other]), "max_pool2d": lambda: F.max_pool2d(img, 2),
            "avg_pool2d": lambda: F.avg_pool2d(img, 2),
            "batch_norm": lambda: F.batch_norm(img, None, None, training=True),
            "layer_norm": lambda: F.layer_norm(x, (6,)), "dropout_eval": lambda: F.dropout(x, 0.5, training=False),
            "pow": lambda: x.pow(2), "norm": lambda: x.norm(),
        }
        got = {}
        with torch.autocast("cpu", dtype=torch.bfloat16):
            for name, fn in fns.items():
                got[name] = NAMES[fn().dtype]
        res[NAMES[src]] = got
    return res


def main():
    data = {"conversions": conversions(), "ops": ops(), "models": models(), "autocast_ops": autocast_ops()}
    with open(OUT, "w") as f:
        json.dump(data, f, separators=(",", ":"))
    print("wrote", OUT, os.path.getsize(OUT), "bytes")


if __name__ == "__main__":
    main()
