#!/usr/bin/python3
"""Reference values for the tensor core, computed by PyTorch.

Regenerate (Debian's torch, not the python3 on PATH):
    cd engine-java && /usr/bin/python3 src/test/python/gen_tensor_fixtures.py

Writes src/test/resources/fixtures/tensor/ops.json (read by dev.kindling.TensorOpTableTest) and
src/test/resources/fixtures/tensor/repr.json (read by dev.kindling.TensorFormatTest).

ops.json is a table, one row per case:
    {"id": unique name, "op": name the Java runner dispatches on,
     "inputs": [{"dtype", "shape", "data" (flat, row-major), "view": [[step, args...], ...]}],
     "args": positional arguments (numbers, booleans, int lists),
     "out": {"dtype", "shape", "data"} or a list of them (values/indices, split pieces),
     "rtol", "atol": tolerances for floating outputs}
An input's "view" steps (transpose, slice, expand, select, permute, t) are applied after the tensor is built
from its data, on both sides, so the op sees a non-contiguous input.
"""
import json
import math
import os

import torch

torch.manual_seed(0)
HERE = os.path.dirname(os.path.abspath(__file__))
OUT_DIR = os.path.join(HERE, "..", "resources", "fixtures", "tensor")

DTYPES = {torch.float32: "float32", torch.float64: "float64", torch.int64: "int64",
          torch.int32: "int32", torch.bool: "bool"}

cases = []
ids = set()


def data_of(t):
    flat = t.detach().contiguous().reshape(-1)
    if t.dtype == torch.bool:
        return [bool(v) for v in flat.tolist()]
    if t.dtype.is_floating_point:
        return [float(v) for v in flat.tolist()]
    return [int(v) for v in flat.tolist()]


def enc(t):
    return {"dtype": DTYPES[t.dtype], "shape": list(t.shape), "data": data_of(t)}


def apply_view(t, steps):
    for s in steps:
        k, a = s[0], s[1:]
        if k == "t":
            t = t.t()
        elif k == "transpose":
            t = t.transpose(a[0], a[1])
        elif k == "permute":
            t = t.permute(*a)
        elif k == "slice":
            dim, start, end, step = a
            idx = [slice(None)] * t.dim()
            idx[dim] = slice(start, end, step)
            t = t[tuple(idx)]
        elif k == "select":
            t = t.select(a[0], a[1])
        elif k == "expand":
            t = t.expand(*a)
        else:
            raise ValueError(k)
    return t


class In:
    """An input: a base tensor and view steps applied to it."""

    def __init__(self, base, view=()):
        self.base = base
        self.view = [list(v) for v in view]

    def tensor(self):
        return apply_view(self.base.clone(), self.view)

    def json(self):
        d = enc(self.base)
        if self.view:
            d["view"] = self.view
        return d


def as_in(x):
    return x if isinstance(x, In) else In(x)


def case(id_, op, inputs, args, fn, rtol=1e-5, atol=1e-6):
    """Adds one row; fn receives fresh torch tensors (views applied) and the args."""
    assert id_ not in ids, id_
    ids.add(id_)
    ins = [as_in(x) for x in inputs]
    out = fn(*[i.tensor() for i in ins], *args)
    if isinstance(out, (tuple, list)):
        out_json = [enc(o) for o in out]
    else:
        out_json = enc(out)
    cases.append({"id": id_, "op": op, "inputs": [i.json() for i in ins], "args": list(args),
                  "out": out_json, "rtol": rtol, "atol": atol})


def rnd(*shape, dtype=torch.float32, lo=-2.0, hi=2.0):
    t = torch.rand(*shape, dtype=torch.float64) * (hi - lo) + lo
    return t.to(dtype)


def rint(*shape, lo=-5, hi=5, dtype=torch.int64):
    return torch.randint(lo, hi, shape, dtype=dtype)


def distinct(*shape, dtype=torch.float32):
    """Values without ties (max/sort/topk indices are then unambiguous)."""
    n = math.prod(shape)
    return (torch.randperm(n).to(torch.float64) * 0.37 - n * 0.15).reshape(shape).to(dtype)


# ------------------------------------------------------------------ creation
case("zeros", "zeros", [], [[2, 3]], lambda s: torch.zeros(*s))
case("zeros/empty", "zeros", [], [[0, 3]], lambda s: torch.zeros(*s))
case("zeros/0d", "zeros", [], [[]], lambda s: torch.zeros(s))
case("ones", "ones", [], [[3, 1, 2]], lambda s: torch.ones(*s))
case("full", "full", [], [[2, 2], 3.5], lambda s, v: torch.full(s, v))
case("full/int64", "fullInt64", [], [[3], 7], lambda s, v: torch.full(s, v, dtype=torch.int64))
case("eye", "eye", [], [3], lambda n: torch.eye(n))
case("eye/rect", "eye2", [], [2, 4], lambda n, m: torch.eye(n, m))
case("arange", "arange", [], [5], lambda e: torch.arange(e))
case("arange/step", "arange3", [], [2, 11, 3], lambda s, e, st: torch.arange(s, e, st))
case("arange/negstep", "arange3", [], [5, -4, -2], lambda s, e, st: torch.arange(s, e, st))
case("arange/float", "arangeFloat", [], [0.0, 1.0, 0.3], lambda s, e, st: torch.arange(s, e, st))
case("linspace", "linspace", [], [-1.0, 1.0, 5], lambda s, e, n: torch.linspace(s, e, n))
case("linspace/one", "linspace", [], [2.0, 3.0, 1], lambda s, e, n: torch.linspace(s, e, n))
case("zerosLike", "zerosLike", [rint(2, 3)], [], lambda x: torch.zeros_like(x))
case("onesLike", "onesLike", [rnd(2, dtype=torch.float64)], [], lambda x: torch.ones_like(x))
case("fullLike", "fullLike", [rnd(2, 2)], [-1.5], lambda x, v: torch.full_like(x, v))

# ------------------------------------------------------------------ unary pointwise
pos = rnd(2, 3, lo=0.1, hi=3.0)
unit = rnd(2, 3, lo=-0.9, hi=0.9)
general = rnd(2, 3, lo=-3, hi=3)
halves = torch.tensor([-2.5, -1.5, -0.5, 0.5, 1.5, 2.5, -0.0, 3.7, -3.2])
unary = {
    "neg": (general, torch.neg), "abs": (general, torch.abs), "exp": (general, torch.exp),
    "expm1": (unit, torch.expm1), "log": (pos, torch.log), "log1p": (unit, torch.log1p),
    "sqrt": (pos, torch.sqrt), "rsqrt": (pos, torch.rsqrt), "sin": (general, torch.sin),
    "cos": (general, torch.cos), "tan": (unit, torch.tan), "tanh": (general, torch.tanh),
    "sigmoid": (general, torch.sigmoid), "relu": (general, torch.relu), "sign": (general, torch.sign),
    "floor": (halves, torch.floor), "ceil": (halves, torch.ceil), "round": (halves, torch.round),
    "trunc": (halves, torch.trunc), "reciprocal": (pos, torch.reciprocal), "square": (general, torch.square),
    "erf": (general, torch.erf),
}
for name, (x, f) in unary.items():
    case(name, name, [x], [], f)
    case(name + "/float64", name, [x.double()], [], f, rtol=1e-12, atol=1e-12)
    case(name + "/transposed", name, [In(x, [["t"]])], [], f)
for name in ["neg", "abs", "sign", "relu", "square"]:
    case(name + "/int64", name, [rint(7)], [], getattr(torch, name))
for name in ["exp", "sqrt", "sin", "sigmoid"]:
    # integer inputs of floating functions give FLOAT32
    case(name + "/int64", name, [rint(5, lo=0, hi=4)], [], getattr(torch, name))
case("relu/empty", "relu", [torch.zeros(0, 3)], [], torch.relu)
case("exp/0d", "exp", [torch.tensor(0.5)], [], torch.exp)
case("relu/sliced", "relu", [In(general, [["slice", 1, 0, 3, 2]])], [], torch.relu)
case("sigmoid/large", "sigmoid", [torch.tensor([-100.0, -20.0, 0.0, 20.0, 100.0])], [], torch.sigmoid)
case("tanh/large", "tanh", [torch.tensor([-50.0, -10.0, 10.0, 50.0])], [], torch.tanh)
case("log/special", "log", [torch.tensor([0.0, -1.0, 1.0, math.inf])], [], torch.log)
case("sqrt/neg", "sqrt", [torch.tensor([-1.0, 4.0])], [], torch.sqrt)
special = torch.tensor([1.0, math.nan, math.inf, -math.inf, 0.0])
case("relu/special", "relu", [torch.tensor([math.nan, -0.0, -1.0, 2.0, math.inf, -math.inf])], [], torch.relu)
case("relu/special-float64", "relu", [torch.tensor([math.nan, -0.0, -1.0, 2.0], dtype=torch.float64)], [], torch.relu)
case("maximum/nan", "maximum", [torch.tensor([math.nan, 1.0, 2.0, -0.0]), torch.tensor([1.0, math.nan, 1.0, 0.0])], [], torch.maximum)
case("minimum/nan", "minimum", [torch.tensor([math.nan, 1.0, 2.0, -0.0]), torch.tensor([1.0, math.nan, 1.0, 0.0])], [], torch.minimum)
case("isnan", "isnan", [special], [], torch.isnan)
case("isinf", "isinf", [special], [], torch.isinf)
case("isfinite", "isfinite", [special], [], torch.isfinite)
case("isnan/int64", "isnan", [rint(3)], [], torch.isnan)
case("logicalNot", "logicalNot", [torch.tensor([True, False, True])], [], torch.logical_not)
case("logicalNot/float", "logicalNot", [torch.tensor([0.0, 2.0, -1.0])], [], torch.logical_not)
case("clamp", "clamp", [general], [-1.0, 0.5], lambda x, lo, hi: torch.clamp(x, lo, hi))
case("clamp/int64", "clamp", [rint(6)], [-2, 3], lambda x, lo, hi: torch.clamp(x, lo, hi))
case("clampMin", "clampMin", [general], [0.25], lambda x, lo: torch.clamp(x, min=lo))
case("clampMax", "clampMax", [general], [0.25], lambda x, hi: torch.clamp(x, max=hi))
case("clamp/nan", "clamp", [torch.tensor([math.nan, 5.0, -5.0])], [-1.0, 1.0], lambda x, lo, hi: torch.clamp(x, lo, hi))

# ------------------------------------------------------------------ binary pointwise
a23, b23 = rnd(2, 3), rnd(2, 3, lo=0.5, hi=2.5)
binary = {
    "add": torch.add, "sub": torch.sub, "mul": torch.mul, "div": torch.div, "maximum": torch.maximum,
    "minimum": torch.minimum, "atan2": torch.atan2, "remainder": torch.remainder,
    "floorDivide": lambda a, b: torch.div(a, b, rounding_mode="floor"),
    "eq": torch.eq, "ne": torch.ne, "lt": torch.lt, "le": torch.le, "gt": torch.gt, "ge": torch.ge,
}
for name, f in binary.items():
    case(name, name, [a23, b23], [], f)
    case(name + "/broadcast", name, [rnd(2, 1, 3), b23], [], f)
    case(name + "/int64", name, [rint(6), rint(6, lo=1, hi=6)], [], f)
case("eq/equal-values", "eq", [torch.tensor([1.0, 2.0, 3.0]), torch.tensor([1.0, 5.0, 3.0])], [], torch.eq)
case("pow", "pow", [pos, rnd(2, 3)], [], torch.pow)
case("pow/int64", "pow", [rint(5, lo=0, hi=5), rint(5, lo=0, hi=4)], [], torch.pow)
case("remainder/neg", "remainder", [torch.tensor([-7.0, 7.0, -7.0, 7.0]), torch.tensor([3.0, -3.0, -3.0, 3.0])], [], torch.remainder)
case("remainder/int64neg", "remainder", [torch.tensor([-7, 7, -7, 7]), torch.tensor([3, -3, -3, 3])], [], torch.remainder)
case("floorDivide/int64neg", "floorDivide", [torch.tensor([-7, 7, -7, 7]), torch.tensor([2, -2, -2, 2])], [],
     lambda a, b: torch.div(a, b, rounding_mode="floor"))
case("div/int64-trunc", "div", [torch.tensor([7, -7, 1]), torch.tensor([2, 2, 3])], [], torch.div)
case("div/byzero", "div", [torch.tensor([1.0, -1.0, 0.0]), torch.tensor([0.0, 0.0, 0.0])], [], torch.div)
case("logicalAnd", "logicalAnd", [torch.tensor([True, True, False, False]), torch.tensor([True, False, True, False])], [], torch.logical_and)
case("logicalOr", "logicalOr", [torch.tensor([True, True, False, False]), torch.tensor([True, False, True, False])], [], torch.logical_or)
case("logicalXor", "logicalXor", [torch.tensor([True, True, False, False]), torch.tensor([True, False, True, False])], [], torch.logical_xor)
case("logicalAnd/float", "logicalAnd", [torch.tensor([0.0, 1.5, 2.0]), torch.tensor([3.0, 0.0, -1.0])], [], torch.logical_and)
case("add/alpha", "addAlpha", [a23, b23], [2.5], lambda a, b, al: torch.add(a, b, alpha=al))
case("sub/alpha", "subAlpha", [a23, b23], [0.5], lambda a, b, al: torch.sub(a, b, alpha=al))

# broadcasting corners
case("add/bcast-row-col", "add", [rnd(3, 1), rnd(1, 4)], [], torch.add)
case("add/bcast-rank", "add", [rnd(2, 3, 4), rnd(4)], [], torch.add)
case("add/bcast-0d", "add", [rnd(2, 3), torch.tensor(1.5)], [], torch.add)
case("add/bcast-0d-left", "add", [torch.tensor(1.5), rnd(2, 3)], [], torch.add)
case("add/bcast-empty", "add", [torch.zeros(0, 3), rnd(1, 3)], [], torch.add)
case("add/bcast-both1", "mul", [rnd(1, 1, 5), rnd(4, 1, 1)], [], torch.mul)
case("add/0d-0d", "add", [torch.tensor(1.25), torch.tensor(-3.0)], [], torch.add)
# non-contiguous operands
case("add/transposed", "add", [In(rnd(3, 2), [["t"]]), a23], [], torch.add)
case("mul/permuted", "mul", [In(rnd(4, 2, 3), [["permute", 1, 2, 0]]), rnd(2, 3, 4)], [], torch.mul)
case("sub/sliced-step", "sub", [In(rnd(4, 6), [["slice", 0, 1, 4, 2], ["slice", 1, 0, 6, 3]]), rnd(2, 2)], [], torch.sub)
case("add/expanded", "add", [In(rnd(3, 1), [["expand", 3, 4]]), rnd(3, 4)], [], torch.add)
case("div/selected", "div", [In(rnd(3, 4), [["select", 1, 2]]), rnd(3, lo=1, hi=2)], [], torch.div)
case("maximum/transposed-both", "maximum", [In(rnd(3, 2), [["t"]]), In(rnd(3, 2), [["t"]])], [], torch.maximum)

# type promotion
case("promote/int64+float32", "add", [rint(3), rnd(3)], [], torch.add)
case("promote/float32+float64", "add", [rnd(3), rnd(3, dtype=torch.float64)], [], torch.add)
case("promote/int32+int64", "add", [rint(3, dtype=torch.int32), rint(3)], [], torch.add)
case("promote/bool+int64", "add", [torch.tensor([True, False, True]), rint(3)], [], torch.add)
case("promote/bool+float32", "mul", [torch.tensor([True, False, True]), rnd(3)], [], torch.mul)
case("promote/bool+bool", "add", [torch.tensor([True, False, False]), torch.tensor([True, True, False])], [], torch.add)
case("promote/0d-float64+float32", "add", [torch.tensor(2.5, dtype=torch.float64), rnd(3)], [], torch.add)
case("promote/0d-float32+int64", "mul", [torch.tensor(0.5), rint(3)], [], torch.mul)
case("promote/0d-int64+int32", "add", [torch.tensor(3), rint(3, dtype=torch.int32)], [], torch.add)
case("promote/0d-float64+int64", "add", [torch.tensor(2.5, dtype=torch.float64), rint(3)], [], torch.add)
case("promote/int64/int64", "div", [rint(4, lo=1, hi=9), rint(4, lo=1, hi=4)], [], torch.div)
case("promote/cmp-int-float", "lt", [rint(4), rnd(4, lo=-5, hi=5)], [], torch.lt)
case("promote/where", "where", [torch.tensor([True, False, True]), rint(3), rnd(3, dtype=torch.float64)], [], torch.where)

# scalar variants
scalar_ops = {
    "addScalar": lambda x, s: x + s, "subScalar": lambda x, s: x - s, "rsubScalar": lambda x, s: s - x,
    "mulScalar": lambda x, s: x * s, "divScalar": lambda x, s: x / s, "rdivScalar": lambda x, s: s / x,
    "powScalar": lambda x, s: x ** s, "remainderScalar": lambda x, s: torch.remainder(x, s),
    "fmodScalar": lambda x, s: torch.fmod(x, s),
    "floorDivideScalar": lambda x, s: torch.div(x, s, rounding_mode="floor"),
    "eqScalar": lambda x, s: x == s, "neScalar": lambda x, s: x != s, "ltScalar": lambda x, s: x < s,
    "leScalar": lambda x, s: x <= s, "gtScalar": lambda x, s: x > s, "geScalar": lambda x, s: x >= s,
}
for name, f in scalar_ops.items():
    x = pos if name in ("powScalar", "rdivScalar") else general
    case(name, name, [x], [1.5], f)
    case(name + "/int64-intscalar", name, [rint(6, lo=1, hi=6)], [2], f)
case("mulScalar/int64-floatscalar", "mulScalar", [rint(4)], [0.5], lambda x, s: x * s)
case("addScalar/int64-floatscalar", "addScalar", [rint(4)], [2.5], lambda x, s: x + s)
case("addScalar/bool", "addScalar", [torch.tensor([True, False])], [1], lambda x, s: x + s)
case("powScalar/square", "powScalar", [general], [2.0], lambda x, s: x ** s)
case("powScalar/half", "powScalar", [pos], [0.5], lambda x, s: x ** s)
case("powScalar/neg", "powScalar", [pos], [-1.0], lambda x, s: x ** s)
case("powScalar/zero", "powScalar", [general], [0.0], lambda x, s: x ** s)
case("powScalar/float64", "powScalar", [pos.double()], [3.0], lambda x, s: x ** s, rtol=1e-12)
case("mulScalar/float64", "mulScalar", [general.double()], [0.1], lambda x, s: x * s, rtol=1e-14, atol=0)
case("where", "where", [torch.tensor([[True, False, True], [False, False, True]]), a23, b23], [], torch.where)
case("where/broadcast", "where", [torch.tensor([True, False, True]), rnd(2, 1), rnd(1, 3)], [], torch.where)
case("whereScalarB", "whereScalarB", [torch.tensor([True, False, True]), rnd(3)], [-1.0], lambda c, a, b: torch.where(c, a, torch.tensor(b)))

# in-place variants: the runner applies the op to a clone of input 0 and compares input 0 afterwards
inplace_scalar = {"add_": lambda x, s: x.add_(s), "sub_": lambda x, s: x.sub_(s), "mul_": lambda x, s: x.mul_(s),
                  "div_": lambda x, s: x.div_(s), "pow_": lambda x, s: x.pow_(s), "fill_": lambda x, s: x.fill_(s)}
for name, f in inplace_scalar.items():
    case(name + "/scalar", name + "Scalar", [pos.clone()], [2.0], f)
inplace_tensor = {"add_": lambda x, y: x.add_(y), "sub_": lambda x, y: x.sub_(y), "mul_": lambda x, y: x.mul_(y),
                  "div_": lambda x, y: x.div_(y), "maximum_": lambda x, y: torch.maximum(x, y, out=x),
                  "copy_": lambda x, y: x.copy_(y)}
for name, f in inplace_tensor.items():
    case(name, name, [a23.clone(), b23], [], f)
    case(name + "/broadcast", name, [a23.clone(), rnd(3)], [], f)
case("add_/alpha", "add_Alpha", [a23.clone(), b23], [-2.0], lambda x, y, al: x.add_(y, alpha=al))
case("add_/int-into-float", "add_", [a23.clone(), rint(2, 3)], [], lambda x, y: x.add_(y))
case("copy_/cast", "copy_", [rnd(3), rint(3)], [], lambda x, y: x.copy_(y))
case("add_/transposed-self", "add_", [In(rnd(3, 2), [["t"]]), a23], [], lambda x, y: x.add_(y))
for name in ["neg", "abs", "exp", "log", "sqrt", "sigmoid", "tanh", "relu", "floor", "ceil", "round", "sign"]:
    x = pos if name in ("log", "sqrt") else (halves if name in ("floor", "ceil", "round") else general)
    case(name + "_", name + "_", [x.clone()], [], lambda t, n=name: getattr(t, n + "_")())
case("relu_/sliced", "relu_", [In(rnd(4, 4), [["slice", 1, 1, 3, 1]])], [], lambda t: t.relu_())
case("clamp_", "clamp_", [general.clone()], [-0.5, 0.5], lambda t, lo, hi: t.clamp_(lo, hi))
case("clampMin_", "clampMin_", [general.clone()], [0.0], lambda t, lo: t.clamp_(min=lo))
case("clampMax_", "clampMax_", [general.clone()], [0.0], lambda t, hi: t.clamp_(max=hi))
case("zero_", "zero_", [general.clone()], [], lambda t: t.zero_())
case("addcmul_", "addcmul_", [a23.clone(), b23, rnd(2, 3)], [0.5], lambda x, a, b, v: x.addcmul_(a, b, value=v))
case("addcdiv_", "addcdiv_", [a23.clone(), b23, b23 + 1], [-0.5], lambda x, a, b, v: x.addcdiv_(a, b, value=v))
case("lerp_", "lerp_", [a23.clone(), b23], [0.25], lambda x, e, w: x.lerp_(e, w))
case("maskedFill_", "maskedFill_", [a23.clone(), torch.tensor([True, False, True])], [9.0], lambda x, m, v: x.masked_fill_(m, v))
case("mul_/int64", "mul_Scalar", [rint(4)], [3], lambda x, s: x.mul_(s))

# ------------------------------------------------------------------ reductions
r234 = rnd(2, 3, 4)
case("sum", "sum", [r234], [], torch.sum)
case("sum/int64", "sum", [rint(3, 4)], [], torch.sum)
case("sum/bool", "sum", [torch.tensor([True, False, True, True])], [], torch.sum)
case("sum/empty", "sum", [torch.zeros(0, 3)], [], torch.sum)
case("sum/0d", "sum", [torch.tensor(2.5)], [], torch.sum)
case("sum/dim", "sumDim", [r234], [1, False], lambda x, d, k: x.sum(d, keepdim=k))
case("sum/dim-keep", "sumDim", [r234], [1, True], lambda x, d, k: x.sum(d, keepdim=k))
case("sum/negdim", "sumDim", [r234], [-1, False], lambda x, d, k: x.sum(d, keepdim=k))
case("sum/dims", "sumDims", [r234], [[0, 2], False], lambda x, d, k: x.sum(d, keepdim=k))
case("sum/dims-keep", "sumDims", [r234], [[0, -1], True], lambda x, d, k: x.sum(d, keepdim=k))
case("sum/empty-dim", "sumDim", [torch.zeros(0, 3)], [0, False], lambda x, d, k: x.sum(d, keepdim=k))
case("sum/transposed", "sumDim", [In(rnd(4, 3), [["t"]])], [1, False], lambda x, d, k: x.sum(d, keepdim=k))
case("sum/expanded", "sumDim", [In(rnd(3, 1), [["expand", 3, 5]])], [1, False], lambda x, d, k: x.sum(d, keepdim=k))
case("sum/float64", "sum", [rnd(100, dtype=torch.float64)], [], torch.sum, rtol=1e-12)
case("sum/large", "sum", [rnd(20000)], [], torch.sum, rtol=1e-4, atol=1e-3)
case("mean", "mean", [r234], [], torch.mean)
case("mean/dim", "meanDim", [r234], [2, True], lambda x, d, k: x.mean(d, keepdim=k))
case("mean/dims", "meanDims", [r234], [[1, 2], False], lambda x, d, k: x.mean(d, keepdim=k))
case("mean/empty", "mean", [torch.zeros(0)], [], torch.mean)
case("prod", "prod", [rnd(5, lo=0.5, hi=1.5)], [], torch.prod)
case("prod/dim", "prodDim", [rnd(3, 4, lo=0.5, hi=1.5)], [0, False], lambda x, d, k: x.prod(d, keepdim=k))
case("prod/int64", "prod", [rint(5, lo=1, hi=4)], [], torch.prod)
dis = distinct(3, 4)
case("max", "max", [dis], [], torch.max)
case("min", "min", [dis], [], torch.min)
case("max/int64", "max", [rint(6)], [], torch.max)
case("max/dim", "maxDim", [dis], [1, False], lambda x, d, k: tuple(torch.max(x, d, keepdim=k)))
case("max/dim-keep", "maxDim", [dis], [0, True], lambda x, d, k: tuple(torch.max(x, d, keepdim=k)))
case("min/dim", "minDim", [dis], [-1, False], lambda x, d, k: tuple(torch.min(x, d, keepdim=k)))
case("max/dim-transposed", "maxDim", [In(distinct(4, 3), [["t"]])], [1, False], lambda x, d, k: tuple(torch.max(x, d, keepdim=k)))
case("max/nan", "max", [torch.tensor([1.0, math.nan, 3.0])], [], torch.max)
case("amax", "amax", [distinct(2, 3, 4)], [[0, 2], False], lambda x, d, k: torch.amax(x, d, keepdim=k))
case("amin", "amin", [distinct(2, 3, 4)], [[1], True], lambda x, d, k: torch.amin(x, d, keepdim=k))
case("argmax", "argmax", [dis], [], torch.argmax)
case("argmax/dim", "argmaxDim", [dis], [0, False], lambda x, d, k: torch.argmax(x, d, keepdim=k))
case("argmax/dim-keep", "argmaxDim", [dis], [1, True], lambda x, d, k: torch.argmax(x, d, keepdim=k))
case("argmin", "argmin", [dis], [], torch.argmin)
case("argmin/dim", "argminDim", [dis], [-1, False], lambda x, d, k: torch.argmin(x, d, keepdim=k))
case("argmax/ties-first", "argmax", [torch.tensor([1.0, 3.0, 3.0, 2.0])], [], torch.argmax)
v = rnd(3, 5)
case("var", "var", [v], [], torch.var)
case("var/biased", "varUnbiased", [v], [False], lambda x, u: torch.var(x, unbiased=u))
case("var/dim", "varDim", [v], [1, True, False], lambda x, d, u, k: torch.var(x, d, unbiased=u, keepdim=k))
case("var/dim-biased-keep", "varDim", [v], [0, False, True], lambda x, d, u, k: torch.var(x, d, unbiased=u, keepdim=k))
case("var/dims", "varDims", [r234], [[0, 2], True, False], lambda x, d, u, k: torch.var(x, d, unbiased=u, keepdim=k))
case("var/offset", "var", [rnd(50, lo=1000.0, hi=1001.0)], [], torch.var, rtol=1e-3, atol=1e-4)
case("std", "std", [v], [], torch.std)
case("std/biased", "stdUnbiased", [v], [False], lambda x, u: torch.std(x, unbiased=u))
case("std/dim", "stdDim", [v], [-1, True, True], lambda x, d, u, k: torch.std(x, d, unbiased=u, keepdim=k))
case("var/single", "varDim", [rnd(3, 1)], [1, True, False], lambda x, d, u, k: torch.var(x, d, unbiased=u, keepdim=k))
case("logsumexp", "logsumexp", [r234], [1, False], lambda x, d, k: torch.logsumexp(x, d, keepdim=k))
case("logsumexp/keep", "logsumexp", [r234], [-1, True], lambda x, d, k: torch.logsumexp(x, d, keepdim=k))
big = torch.tensor([[1000.0, 1001.0, 999.0], [-1000.0, -1002.0, -1001.0]])
case("logsumexp/large", "logsumexp", [big], [1, False], lambda x, d, k: torch.logsumexp(x, d, keepdim=k))
case("logsumexp/-inf", "logsumexp", [torch.tensor([[-math.inf, -math.inf], [0.0, -math.inf]])], [1, False],
     lambda x, d, k: torch.logsumexp(x, d, keepdim=k))
case("softmax", "softmax", [r234], [1], lambda x, d: torch.softmax(x, d))
case("softmax/last", "softmax", [r234], [-1], lambda x, d: torch.softmax(x, d))
case("softmax/large", "softmax", [big], [1], lambda x, d: torch.softmax(x, d))
case("softmax/transposed", "softmax", [In(rnd(4, 3), [["t"]])], [1], lambda x, d: torch.softmax(x, d))
case("softmax/float64", "softmax", [rnd(3, 4, dtype=torch.float64)], [0], lambda x, d: torch.softmax(x, d), rtol=1e-12)
case("logSoftmax", "logSoftmax", [r234], [2], lambda x, d: torch.log_softmax(x, d))
case("logSoftmax/large", "logSoftmax", [big], [1], lambda x, d: torch.log_softmax(x, d))
case("logSoftmax/dim0", "logSoftmax", [big], [0], lambda x, d: torch.log_softmax(x, d))
case("softmax/0d", "softmax", [torch.tensor(3.0)], [0], lambda x, d: torch.softmax(x, d))
bools = torch.tensor([[True, False, True], [True, True, True]])
case("all", "all", [bools], [], torch.all)
case("any", "any", [bools], [], torch.any)
case("all/dim", "allDim", [bools], [1], lambda x, d: torch.all(x, d))
case("any/dim", "anyDim", [torch.tensor([[False, False], [True, False]])], [0], lambda x, d: torch.any(x, d))
case("all/float", "all", [torch.tensor([1.0, 2.0, 0.0])], [], torch.all)
case("any/float", "any", [torch.tensor([0.0, 0.0, -0.5])], [], torch.any)
case("all/empty", "all", [torch.zeros(0, dtype=torch.bool)], [], torch.all)
case("any/empty", "any", [torch.zeros(0, dtype=torch.bool)], [], torch.any)
case("norm", "norm", [v], [2.0], lambda x, p: torch.linalg.vector_norm(x, p))
case("norm/1", "norm", [v], [1.0], lambda x, p: torch.linalg.vector_norm(x, p))
case("norm/inf", "norm", [v], [math.inf], lambda x, p: torch.linalg.vector_norm(x, p))

# ------------------------------------------------------------------ linear algebra
mm_tol = dict(rtol=1e-5, atol=1e-5)
case("matmul/2d", "matmul", [rnd(3, 4), rnd(4, 5)], [], torch.matmul, **mm_tol)
case("matmul/1d-2d", "matmul", [rnd(4), rnd(4, 5)], [], torch.matmul, **mm_tol)
case("matmul/2d-1d", "matmul", [rnd(3, 4), rnd(4)], [], torch.matmul, **mm_tol)
case("matmul/1d-1d", "matmul", [rnd(4), rnd(4)], [], torch.matmul, **mm_tol)
case("matmul/batch", "matmul", [rnd(2, 3, 4), rnd(2, 4, 5)], [], torch.matmul, **mm_tol)
case("matmul/batch-bcast", "matmul", [rnd(2, 1, 3, 4), rnd(5, 4, 2)], [], torch.matmul, **mm_tol)
case("matmul/2d-3d", "matmul", [rnd(3, 4), rnd(2, 4, 5)], [], torch.matmul, **mm_tol)
case("matmul/3d-1d", "matmul", [rnd(2, 3, 4), rnd(4)], [], torch.matmul, **mm_tol)
case("matmul/1d-3d", "matmul", [rnd(4), rnd(2, 4, 5)], [], torch.matmul, **mm_tol)
case("matmul/transposed", "matmul", [In(rnd(4, 3), [["t"]]), In(rnd(5, 4), [["t"]])], [], torch.matmul, **mm_tol)
case("matmul/sliced", "matmul", [In(rnd(6, 4), [["slice", 0, 0, 6, 2]]), In(rnd(4, 8), [["slice", 1, 1, 8, 3]])], [],
     torch.matmul, **mm_tol)
case("matmul/expanded-batch", "matmul", [In(rnd(1, 3, 4), [["expand", 3, 3, 4]]), rnd(3, 4, 2)], [], torch.matmul, **mm_tol)
case("matmul/float64", "matmul", [rnd(5, 6, dtype=torch.float64), rnd(6, 3, dtype=torch.float64)], [], torch.matmul, rtol=1e-12, atol=1e-12)
case("matmul/int64", "matmul", [rint(2, 3), rint(3, 2)], [], torch.matmul)
case("matmul/empty-k", "matmul", [torch.zeros(3, 0), torch.zeros(0, 2)], [], torch.matmul)
case("matmul/empty-m", "matmul", [torch.zeros(0, 4), rnd(4, 2)], [], torch.matmul)
case("matmul/large", "matmul", [rnd(70, 90), rnd(90, 65)], [], torch.matmul, rtol=1e-4, atol=1e-4)
case("mm", "mm", [rnd(3, 2), rnd(2, 4)], [], torch.mm, **mm_tol)
case("addmm", "addmm", [rnd(4), rnd(3, 5), rnd(5, 4)], [], torch.addmm, **mm_tol)
case("addmm/matrix-input", "addmm", [rnd(3, 4), rnd(3, 5), In(rnd(4, 5), [["t"]])], [], torch.addmm, **mm_tol)
case("addmm/large-k", "addmm", [rnd(65), rnd(64, 784), In(rnd(65, 784), [["t"]])], [], torch.addmm, rtol=1e-4, atol=1e-4)
case("addmm/float64", "addmm", [rnd(2, dtype=torch.float64), rnd(3, 5, dtype=torch.float64), rnd(5, 2, dtype=torch.float64)], [],
     torch.addmm, rtol=1e-12, atol=1e-12)
case("bmm", "bmm", [rnd(3, 2, 5), rnd(3, 5, 4)], [], torch.bmm, **mm_tol)
case("bmm/permuted", "bmm", [In(rnd(2, 5, 3), [["permute", 2, 0, 1]]), rnd(3, 5, 4)], [], torch.bmm, **mm_tol)
case("dot", "dot", [rnd(7), rnd(7)], [], torch.dot, **mm_tol)
case("dot/sliced", "dot", [In(rnd(14), [["slice", 0, 0, 14, 2]]), rnd(7)], [], torch.dot, **mm_tol)
case("dot/int64", "dot", [rint(4), rint(4)], [], torch.dot)
case("outer", "outer", [rnd(3), rnd(4)], [], torch.outer)
case("t", "t", [rnd(2, 3)], [], lambda x: x.t().contiguous())
case("t/1d", "t", [rnd(3)], [], lambda x: x.t())

# ------------------------------------------------------------------ shapes and views
s = rnd(2, 3, 4)
case("view", "view", [s], [[4, -1]], lambda x, sh: x.view(*sh))
case("view/0d", "view", [torch.tensor([5.0])], [[]], lambda x, sh: x.view(sh))
case("reshape/transposed", "reshape", [In(s, [["transpose", 0, 2]])], [[-1, 2]], lambda x, sh: x.reshape(*sh))
case("reshape/empty", "reshape", [torch.zeros(0, 4)], [[2, 0, 4]], lambda x, sh: x.reshape(*sh))
case("slice", "slice", [s], [1, 1, 3, 1], lambda x, d, a, b, st: x[:, a:b:st])
case("slice/neg", "slice", [s], [-1, -3, -1, 1], lambda x, d, a, b, st: x[..., a:b:st])
case("slice/step", "slice", [s], [2, 0, 4, 3], lambda x, d, a, b, st: x[..., a:b:st])
case("slice/clamped", "slice", [s], [0, 1, 100, 1], lambda x, d, a, b, st: x[a:b:st])
case("slice/empty", "slice", [s], [1, 2, 1, 1], lambda x, d, a, b, st: x[:, a:b:st])
case("select", "select", [s], [1, 2], lambda x, d, i: x.select(d, i))
case("select/neg", "select", [s], [-1, -1], lambda x, d, i: x.select(d, i))
case("narrow", "narrow", [s], [2, 1, 2], lambda x, d, a, n: x.narrow(d, a, n))
case("transpose", "transpose", [s], [0, -1], lambda x, a, b: x.transpose(a, b))
case("permute", "permute", [s], [[2, 0, 1]], lambda x, p: x.permute(*p))
case("permute/neg", "permute", [s], [[-1, 0, -2]], lambda x, p: x.permute(*p))
case("expand", "expand", [rnd(3, 1)], [[2, 3, 4]], lambda x, sh: x.expand(*sh))
case("expand/keep", "expand", [rnd(3, 1)], [[-1, 5]], lambda x, sh: x.expand(*sh))
case("expand/0d", "expand", [torch.tensor(2.0)], [[2, 2]], lambda x, sh: x.expand(*sh))
case("squeeze", "squeeze", [rnd(1, 3, 1, 2)], [], lambda x: x.squeeze())
case("squeeze/dim", "squeezeDim", [rnd(1, 3, 1, 2)], [2], lambda x, d: x.squeeze(d))
case("squeeze/dim-not1", "squeezeDim", [rnd(1, 3, 1, 2)], [1], lambda x, d: x.squeeze(d))
case("unsqueeze", "unsqueeze", [rnd(3, 2)], [1], lambda x, d: x.unsqueeze(d))
case("unsqueeze/neg", "unsqueeze", [rnd(3, 2)], [-1], lambda x, d: x.unsqueeze(d))
case("unsqueeze/0d", "unsqueeze", [torch.tensor(1.0)], [0], lambda x, d: x.unsqueeze(d))
case("flatten", "flatten", [s], [], lambda x: x.flatten())
case("flatten/from1", "flattenFrom", [s], [1], lambda x, d: x.flatten(d))
case("flatten/0d", "flatten", [torch.tensor(4.0)], [], lambda x: x.flatten())
case("unflatten", "unflatten", [rnd(2, 12)], [1, [3, -1]], lambda x, d, sh: x.unflatten(d, sh))
case("contiguous", "contiguous", [In(s, [["permute", 2, 0, 1]])], [], lambda x: x.contiguous())
case("repeat", "repeat", [rnd(2, 3)], [[2, 1, 2]], lambda x, r: x.repeat(*r))
case("flip", "flip", [s], [[0, 2]], lambda x, d: x.flip(d))
case("cat", "cat", [rnd(2, 3), rnd(1, 3), rnd(4, 3)], [0], lambda *a: torch.cat(a[:-1], a[-1]))
case("cat/dim1", "cat", [rnd(2, 3), rnd(2, 1)], [1], lambda *a: torch.cat(a[:-1], a[-1]))
case("cat/negdim", "cat", [rnd(2, 3), In(rnd(2, 2), [["t"]])], [-1], lambda *a: torch.cat(a[:-1], a[-1]))
case("cat/empty-piece", "cat", [rnd(2, 3), torch.zeros(0, 3)], [0], lambda *a: torch.cat(a[:-1], a[-1]))
case("cat/promote", "cat", [rint(2), rnd(2)], [0], lambda *a: torch.cat(a[:-1], a[-1]))
case("stack", "stack", [rnd(2, 3), rnd(2, 3)], [0], lambda *a: torch.stack(a[:-1], a[-1]))
case("stack/last", "stack", [rnd(2, 3), rnd(2, 3), rnd(2, 3)], [-1], lambda *a: torch.stack(a[:-1], a[-1]))
case("stack/0d", "stack", [torch.tensor(1.0), torch.tensor(2.0)], [0], lambda *a: torch.stack(a[:-1], a[-1]))
sp = rnd(5, 4)
case("split", "split", [sp], [2, 0], lambda x, n, d: x.split(n, d))
case("split/sizes", "splitSizes", [sp], [[1, 3], 1], lambda x, n, d: x.split(n, d))
case("split/neg", "split", [sp], [3, -1], lambda x, n, d: x.split(n, d))
case("chunk", "chunk", [sp], [3, 0], lambda x, n, d: x.chunk(n, d))
case("chunk/even", "chunk", [sp], [2, 1], lambda x, n, d: x.chunk(n, d))
case("chunk/more-than-size", "chunk", [rnd(2, 3)], [5, 0], lambda x, n, d: x.chunk(n, d))
case("unbind", "unbind", [sp], [1], lambda x, d: x.unbind(d))

# ------------------------------------------------------------------ indexing
ix = rnd(4, 3)
case("indexSelect", "indexSelect", [ix, torch.tensor([2, 0, 2])], [0], lambda x, i, d: x.index_select(d, i))
case("indexSelect/dim1", "indexSelect", [ix, torch.tensor([1])], [1], lambda x, i, d: x.index_select(d, i))
case("indexSelect/neg", "indexSelect", [ix, torch.tensor([2, 1])], [-1], lambda x, i, d: x.index_select(d, i))
case("indexSelect/empty", "indexSelect", [ix, torch.zeros(0, dtype=torch.int64)], [0], lambda x, i, d: x.index_select(d, i))
case("indexSelect/int32", "indexSelect", [ix, torch.tensor([3, 1], dtype=torch.int32)], [0], lambda x, i, d: x.index_select(d, i))
case("indexSelect/transposed", "indexSelect", [In(rnd(3, 4), [["t"]]), torch.tensor([0, 3])], [0], lambda x, i, d: x.index_select(d, i))
g_idx = torch.tensor([[0, 0, 2], [1, 2, 1], [2, 1, 0], [0, 1, 2]])
case("gather", "gather", [ix, g_idx], [1], lambda x, i, d: x.gather(d, i))
case("gather/dim0", "gather", [ix, torch.tensor([[3, 0, 1]])], [0], lambda x, i, d: x.gather(d, i))
case("gather/small", "gather", [ix, torch.tensor([[1], [0]])], [1], lambda x, i, d: x.gather(d, i))
case("gather/neg", "gather", [ix, g_idx], [-1], lambda x, i, d: x.gather(d, i))
sc_idx = torch.tensor([[0, 1, 2], [2, 0, 1]])
case("scatter", "scatter", [torch.zeros(3, 3), sc_idx, rnd(2, 3)], [0], lambda x, i, s, d: x.scatter(d, i, s))
case("scatter/dim1", "scatter", [torch.zeros(2, 4), torch.tensor([[3, 0], [1, 2]]), rnd(2, 2)], [1], lambda x, i, s, d: x.scatter(d, i, s))
case("scatter/value", "scatterValue", [torch.zeros(3, 3), sc_idx], [0, 7.0], lambda x, i, d, v: x.scatter(d, i, v))
case("scatterAdd", "scatterAdd", [torch.ones(3, 3), torch.tensor([[0, 0, 0], [0, 2, 0]]), rnd(2, 3)], [0],
     lambda x, i, s, d: x.scatter_add(d, i, s))
case("scatterAdd/dim1", "scatterAdd", [torch.zeros(2, 3), torch.tensor([[0, 0, 1, 1], [2, 2, 2, 0]]), rnd(2, 4)], [1],
     lambda x, i, s, d: x.scatter_add(d, i, s))
case("scatter_", "scatter_", [torch.zeros(3, 3), sc_idx, rnd(2, 3)], [0], lambda x, i, s, d: x.scatter_(d, i, s))
case("scatterAdd_", "scatterAdd_", [torch.ones(3, 3), sc_idx, rnd(2, 3)], [0], lambda x, i, s, d: x.scatter_add_(d, i, s))
case("indexAdd", "indexAdd", [torch.zeros(4, 2), torch.tensor([0, 3, 0]), rnd(3, 2)], [0], lambda x, i, s, d: x.index_add(d, i, s))
case("maskedFill", "maskedFill", [a23, torch.tensor([[True, False, False], [False, True, True]])], [-9.5], lambda x, m, v: x.masked_fill(m, v))
case("maskedFill/bcast", "maskedFill", [a23, torch.tensor([False, True, False])], [0.0], lambda x, m, v: x.masked_fill(m, v))
case("maskedFill/int64", "maskedFill", [rint(4), torch.tensor([True, False, True, False])], [3], lambda x, m, v: x.masked_fill(m, v))
case("maskedFill/-inf", "maskedFill", [a23, torch.tensor([True, False, True])], [-math.inf], lambda x, m, v: x.masked_fill(m, v))
case("maskedSelect", "maskedSelect", [a23, torch.tensor([[True, False, False], [False, True, True]])], [], torch.masked_select)
case("maskedSelect/bcast", "maskedSelect", [a23, torch.tensor([True, False, True])], [], torch.masked_select)
case("maskedSelect/none", "maskedSelect", [a23, torch.zeros(2, 3, dtype=torch.bool)], [], torch.masked_select)
case("maskedSelect/transposed", "maskedSelect", [In(rnd(3, 2), [["t"]]), torch.tensor([[True, False, True], [False, True, False]])], [], torch.masked_select)
case("nonzero", "nonzero", [torch.tensor([[0.0, 1.5, 0.0], [2.0, 0.0, -1.0]])], [], torch.nonzero)
case("nonzero/1d", "nonzero", [torch.tensor([0, 3, 0, 4])], [], torch.nonzero)
case("nonzero/bool", "nonzero", [torch.tensor([[True, False], [False, True]])], [], torch.nonzero)
case("nonzero/none", "nonzero", [torch.zeros(2, 2)], [], torch.nonzero)
case("nonzero/transposed", "nonzero", [In(torch.tensor([[0.0, 1.0], [2.0, 0.0], [3.0, 0.0]]), [["t"]])], [], torch.nonzero)
case("oneHot", "oneHot", [torch.tensor([0, 2, 1, 2])], [-1], lambda x, n: torch.nn.functional.one_hot(x, n))
case("oneHot/n", "oneHot", [torch.tensor([[0, 2], [1, 0]])], [4], lambda x, n: torch.nn.functional.one_hot(x, n))
tk = distinct(3, 5)
case("topk", "topk", [tk], [2, -1, True, True], lambda x, k, d, l, s: tuple(torch.topk(x, k, d, l, s)))
case("topk/smallest", "topk", [tk], [3, 1, False, True], lambda x, k, d, l, s: tuple(torch.topk(x, k, d, l, s)))
case("topk/dim0", "topk", [tk], [2, 0, True, True], lambda x, k, d, l, s: tuple(torch.topk(x, k, d, l, s)))
case("topk/1d", "topk", [distinct(8)], [3, 0, True, True], lambda x, k, d, l, s: tuple(torch.topk(x, k, d, l, s)))
case("topk/k0", "topk", [distinct(5)], [0, 0, True, True], lambda x, k, d, l, s: tuple(torch.topk(x, k, d, l, s)))
case("sort", "sort", [tk], [-1, False], lambda x, d, desc: tuple(torch.sort(x, d, desc)))
case("sort/desc", "sort", [tk], [1, True], lambda x, d, desc: tuple(torch.sort(x, d, desc)))
case("sort/dim0", "sort", [tk], [0, False], lambda x, d, desc: tuple(torch.sort(x, d, desc)))
case("sort/int64", "sort", [torch.tensor([5, -2, 9, 0])], [0, False], lambda x, d, desc: tuple(torch.sort(x, d, desc)))
case("sort/transposed", "sort", [In(distinct(5, 3), [["t"]])], [1, False], lambda x, d, desc: tuple(torch.sort(x, d, desc)))
case("argsort", "argsort", [tk], [1, True], lambda x, d, desc: torch.argsort(x, d, desc))

# ------------------------------------------------------------------ NaN, infinities, zeros and odd dtypes
nanv = torch.tensor([[1.0, math.nan, 3.0], [2.0, 0.5, -1.0]])
case("sign/nan", "sign", [torch.tensor([math.nan, -0.0, 0.0, -2.0, math.inf])], [], torch.sign)
case("abs/negzero", "abs", [torch.tensor([-0.0, -1.5])], [], torch.abs)
case("argmax/nan", "argmax", [torch.tensor([1.0, math.nan, 3.0])], [], torch.argmax)
case("argmin/nan", "argmin", [torch.tensor([1.0, math.nan, -3.0])], [], torch.argmin)
case("max/dim-nan", "maxDim", [nanv], [1, False], lambda x, d, k: tuple(torch.max(x, d, keepdim=k)))
case("min/dim-nan", "minDim", [nanv], [1, False], lambda x, d, k: tuple(torch.min(x, d, keepdim=k)))
case("amax/nan", "amax", [nanv], [[1], False], lambda x, d, k: torch.amax(x, d, keepdim=k))
case("sort/nan", "sort", [torch.tensor([3.0, math.nan, -1.0, 2.0])], [0, False], lambda x, d, desc: tuple(torch.sort(x, d, desc)))
case("sort/nan-desc", "sort", [torch.tensor([3.0, math.nan, -1.0, 2.0])], [0, True], lambda x, d, desc: tuple(torch.sort(x, d, desc)))
case("topk/nan", "topk", [torch.tensor([3.0, math.nan, -1.0, 2.0])], [2, 0, True, True], lambda x, k, d, l, s: tuple(torch.topk(x, k, d, l, s)))
case("logsumexp/inf", "logsumexp", [torch.tensor([[math.inf, 1.0], [2.0, 3.0]])], [1, False], lambda x, d, k: torch.logsumexp(x, d, keepdim=k))
case("softmax/-inf", "softmax", [torch.tensor([[-math.inf, 0.0, 1.0], [-math.inf, -math.inf, 5.0]])], [1], lambda x, d: torch.softmax(x, d))
case("logSoftmax/-inf", "logSoftmax", [torch.tensor([[-math.inf, 0.0, 1.0]])], [1], lambda x, d: torch.log_softmax(x, d))
case("sum/nan", "sum", [nanv], [], torch.sum)
case("sum/int32", "sum", [rint(3, 2, dtype=torch.int32)], [], torch.sum)
case("sum/int32-dim", "sumDim", [rint(3, 2, dtype=torch.int32)], [0, False], lambda x, d, k: x.sum(d, keepdim=k))
case("sum/bool-dim", "sumDim", [torch.tensor([[True, False], [True, True]])], [1, False], lambda x, d, k: x.sum(d, keepdim=k))
case("prod/empty", "prod", [torch.zeros(0)], [], torch.prod)
case("max/int32-dim", "maxDim", [torch.tensor([[3, -1], [0, 7]], dtype=torch.int32)], [1, False], lambda x, d, k: tuple(torch.max(x, d, keepdim=k)))
case("div/int-byzero", "div", [torch.tensor([1, 0, -1]), torch.tensor([0, 0, 0])], [], torch.div)
case("floorDivide/float-byzero", "floorDivide", [torch.tensor([1.0, -1.0, 0.0]), torch.tensor([0.0, 0.0, 0.0])], [],
     lambda a, b: torch.div(a, b, rounding_mode="floor"))
case("remainder/float-byzero", "remainder", [torch.tensor([1.0, -1.0]), torch.tensor([0.0, 0.0])], [], torch.remainder)
case("pow/neg-base-frac", "pow", [torch.tensor([-2.0, 2.0, 0.0, 0.0]), torch.tensor([0.5, 0.5, 0.0, -1.0])], [], torch.pow)
case("powScalar/int-frac", "powScalar", [torch.tensor([1, 4, 9])], [0.5], lambda x, s: x ** s)
case("clamp/min>max", "clamp", [general], [1.0, -1.0], lambda x, lo, hi: torch.clamp(x, lo, hi))
case("maskedSelect/bcast-mask-larger", "maskedSelect", [torch.tensor([1.0, 2.0, 3.0]), torch.tensor([[True, False, True], [False, True, False]])], [], torch.masked_select)
case("where/scalar-0d-float64", "where", [torch.tensor([True, False]), torch.tensor(1.5, dtype=torch.float64), rnd(2)], [], torch.where)
case("eq/int-float", "eq", [torch.tensor([1, 2, 3]), torch.tensor([1.0, 2.5, 3.0])], [], torch.eq)
case("mulScalar/inf", "mulScalar", [torch.tensor([0.0, 1.0, -1.0])], [math.inf], lambda x, s: x * s)
case("divScalar/zero", "divScalar", [torch.tensor([0.0, 1.0, -1.0])], [0.0], lambda x, s: x / s)
case("sigmoid/float64-large", "sigmoid", [torch.tensor([-800.0, 800.0, 0.0], dtype=torch.float64)], [], torch.sigmoid, rtol=1e-12)
case("exp/overflow", "exp", [torch.tensor([100.0, -200.0])], [], torch.exp)
case("matmul/nan", "matmul", [torch.tensor([[math.nan, 1.0], [1.0, 1.0]]), torch.tensor([[1.0], [1.0]])], [], torch.matmul)
case("gather/int64-src", "gather", [rint(3, 3), torch.tensor([[2, 1, 0]])], [0], lambda x, i, d: x.gather(d, i))
case("indexSelect/bool", "indexSelect", [torch.tensor([True, False, True]), torch.tensor([2, 1])], [0], lambda x, i, d: x.index_select(d, i))
case("cat/bool", "cat", [torch.tensor([True]), torch.tensor([False, True])], [0], lambda *a: torch.cat(a[:-1], a[-1]))
case("stack/int64", "stack", [rint(2), rint(2)], [1], lambda *a: torch.stack(a[:-1], a[-1]))
case("flip/transposed", "flip", [In(rnd(3, 2), [["t"]])], [[1]], lambda x, d: x.flip(d))
case("repeat/expanded", "repeat", [In(rnd(2, 1), [["expand", 2, 3]])], [[1, 2]], lambda x, r: x.repeat(*r))

# ------------------------------------------------------------------ reductions on non-contiguous inputs
perm = In(rnd(3, 4, 5), [["permute", 2, 0, 1]])
case("var/transposed", "varDim", [In(rnd(5, 3), [["t"]])], [1, True, False], lambda x, d, u, k: torch.var(x, d, unbiased=u, keepdim=k))
case("mean/dims-permuted", "meanDims", [perm], [[0, 2], True], lambda x, d, k: x.mean(d, keepdim=k))
case("sum/dims-permuted", "sumDims", [perm], [[1], False], lambda x, d, k: x.sum(d, keepdim=k))
case("logsumexp/transposed", "logsumexp", [In(rnd(4, 3), [["t"]])], [0, True], lambda x, d, k: torch.logsumexp(x, d, keepdim=k))
case("softmax/dim0-3d", "softmax", [perm], [0], lambda x, d: torch.softmax(x, d))
case("logSoftmax/permuted", "logSoftmax", [perm], [1], lambda x, d: torch.log_softmax(x, d))
case("argmax/dim-permuted", "argmaxDim", [In(distinct(3, 4, 5), [["permute", 2, 0, 1]])], [2, False], lambda x, d, k: torch.argmax(x, d, keepdim=k))
case("amax/expanded", "amax", [In(rnd(3, 1), [["expand", 3, 4]])], [[1], True], lambda x, d, k: torch.amax(x, d, keepdim=k))
case("prod/dim-keep-transposed", "prodDim", [In(rnd(4, 3, lo=0.5, hi=1.5), [["t"]])], [1, True], lambda x, d, k: x.prod(d, keepdim=k))
case("all/dim-transposed", "allDim", [In(torch.tensor([[True, False], [True, True], [True, True]]), [["t"]])], [1], lambda x, d: torch.all(x, d))
case("max/dim-sliced", "maxDim", [In(distinct(6, 5), [["slice", 0, 1, 6, 2]])], [0, True], lambda x, d, k: tuple(torch.max(x, d, keepdim=k)))
case("std/dims-permuted", "varDims", [perm], [[0, 1], False, True], lambda x, d, u, k: torch.var(x, d, unbiased=u, keepdim=k))
case("sum/0d-dim", "sumDim", [torch.tensor(2.5)], [0, False], lambda x, d, k: x.sum(d, keepdim=k))
case("sum/0d-negdim-keep", "sumDim", [torch.tensor(2.5)], [-1, True], lambda x, d, k: x.sum(d, keepdim=k))
case("max/dim-0d", "maxDim", [torch.tensor(2.5)], [0, False], lambda x, d, k: tuple(torch.max(x, d, keepdim=k)))
case("sum/tall-dim", "sumDim", [rnd(40, 257)], [0, False], lambda x, d, k: x.sum(d, keepdim=k), rtol=1e-4, atol=1e-4)
case("sum/wide-lastdim", "sumDim", [rnd(257, 40)], [1, False], lambda x, d, k: x.sum(d, keepdim=k), rtol=1e-4, atol=1e-4)

# ------------------------------------------------------------------ conversion
case("to/float32-int64", "toInt64", [torch.tensor([1.7, -1.7, 2.5, -0.2])], [], lambda x: x.to(torch.int64))
case("to/int64-float64", "toFloat64", [rint(3)], [], lambda x: x.to(torch.float64))
case("to/float-bool", "toBool", [torch.tensor([0.0, 0.1, -2.0])], [], lambda x: x.to(torch.bool))
case("to/bool-float", "toFloat32", [torch.tensor([True, False])], [], lambda x: x.to(torch.float32))
case("to/float64-float32", "toFloat32", [torch.tensor([1.0 / 3.0, 1e-50], dtype=torch.float64)], [], lambda x: x.to(torch.float32))
case("to/int64-int32", "toInt32", [torch.tensor([3, -4])], [], lambda x: x.to(torch.int32))
case("to/transposed", "toFloat64", [In(rnd(3, 2), [["t"]])], [], lambda x: x.to(torch.float64))


# ------------------------------------------------------------------ repr
def repr_case(name, t):
    return {"id": name, "tensor": enc(t.detach()), "requiresGrad": t.requires_grad, "repr": repr(t)}


reprs = [
    repr_case("floats", torch.tensor([[0.1234, -1.5, 3.0], [2.25, 0.0, -0.001]])),
    repr_case("whole-floats", torch.tensor([1.0, 2.0, -3.0])),
    repr_case("ints", torch.tensor([[1, -20, 300], [4, 5, 6]])),
    repr_case("bools", torch.tensor([True, False, True])),
    repr_case("float64", torch.tensor([1.5, -2.25], dtype=torch.float64)),
    repr_case("int32", torch.tensor([1, 2], dtype=torch.int32)),
    repr_case("sci-large", torch.tensor([1e-5, 1.0, 12345678.0])),
    repr_case("sci-small", torch.tensor([1e-5, 2e-6])),
    repr_case("scalar", torch.tensor(3.5)),
    repr_case("int-scalar", torch.tensor(7)),
    repr_case("empty", torch.zeros(0)),
    repr_case("empty-2d", torch.zeros(0, 3)),
    repr_case("requires-grad", torch.tensor([[0.5, 1.0]], requires_grad=True)),
    repr_case("3d", torch.arange(12.0).reshape(2, 2, 3)),
    repr_case("nan-inf", torch.tensor([1.0, math.nan, math.inf, -math.inf])),
    repr_case("summarized-1d", torch.arange(2000.0)),
    repr_case("summarized-2d", torch.arange(40 * 50).reshape(40, 50).float() / 7),
    repr_case("negative-zero", torch.tensor([-0.0, 1.0])),
    repr_case("zeros", torch.zeros(2, 2)),
    repr_case("zero-and-sci", torch.tensor([0.0, 1e-6, 1.0])),
    repr_case("rounding-float64", torch.tensor([0.12345, 2.00005, -1.99995, 1e-3], dtype=torch.float64)),
    repr_case("ints-summarized", torch.arange(1500)),
    repr_case("bools-summarized", torch.arange(1200).reshape(30, 40) % 3 == 0),
    repr_case("wide-row-wraps", torch.arange(30.0) / 3),
    repr_case("empty-int64", torch.zeros(0, dtype=torch.int64)),
    repr_case("empty-float64-2d", torch.zeros(2, 0, dtype=torch.float64)),
    repr_case("0d-requires-grad", torch.tensor(2.0, requires_grad=True)),
]

os.makedirs(OUT_DIR, exist_ok=True)
with open(os.path.join(OUT_DIR, "ops.json"), "w") as f:
    json.dump({"generator": "gen_tensor_fixtures.py", "torch": torch.__version__, "cases": cases}, f, indent=None)
    f.write("\n")
with open(os.path.join(OUT_DIR, "repr.json"), "w") as f:
    json.dump({"generator": "gen_tensor_fixtures.py", "torch": torch.__version__, "cases": reprs}, f, indent=1)
    f.write("\n")
print(f"{len(cases)} op cases, {len(reprs)} repr cases -> {os.path.normpath(OUT_DIR)}")
