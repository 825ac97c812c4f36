"""Reference values for convolution and max pooling with indices (issue 13), computed with PyTorch.

Regenerate (from the repository root, with Debian's torch):
    /usr/bin/python3 engine-java/src/test/python/gen_conv_fixtures.py

Writes engine-java/src/test/resources/fixtures/nn/conv.json: float32 conv2d cases over strides, paddings,
dilations, groups and odd sizes (output and the gradients of x, weight and bias for a given upstream gradient),
conv_transpose2d cases (output padding, groups, dilation), max_pool2d_with_indices cases and avg_pool2d cases (with and without count_include_pad) (values, indices, input gradient) including ties, -inf and NaN.
"""
import json
import os

import torch
import torch.nn.functional as F

OUT = os.path.join(os.path.dirname(__file__), "..", "resources", "fixtures", "nn", "conv.json")


def enc(t):
    t = t.detach()
    dt = {torch.float64: "float64", torch.float32: "float32", torch.int64: "int64"}[t.dtype]
    vals = t.reshape(-1).tolist()
    if dt != "int64":
        # JSON has no NaN or infinities: strings that Jackson's asDouble parses
        vals = [v if v == v and abs(v) != float("inf") else str(v).replace("inf", "Infinity").replace("nan", "NaN")
                for v in vals]
    return {"shape": list(t.shape), "dtype": dt, "data": vals}


def conv_case(name, n, c, h, w, o, k, stride=1, padding=0, dilation=1, groups=1, bias=True, seed=0):
    g = torch.Generator().manual_seed(seed)
    kh, kw = (k, k) if isinstance(k, int) else k
    x = torch.randn(n, c, h, w, generator=g).requires_grad_()
    wt = (torch.randn(o, c // groups, kh, kw, generator=g) * 0.3).requires_grad_()
    b = torch.randn(o, generator=g).requires_grad_() if bias else None
    y = F.conv2d(x, wt, b, stride, padding, dilation, groups)
    gy = torch.randn(y.shape, generator=g)
    y.backward(gy)
    case = {"name": name, "stride": list(_pair(stride)), "padding": list(_pair(padding)),
            "dilation": list(_pair(dilation)), "groups": groups, "x": enc(x), "weight": enc(wt), "gy": enc(gy),
            "y": enc(y), "gx": enc(x.grad), "gw": enc(wt.grad)}
    if bias:
        case["bias"] = enc(b)
        case["gb"] = enc(b.grad)
    return case


def convt_case(name, n, c, h, w, o, k, stride=1, padding=0, output_padding=0, groups=1, dilation=1, bias=True, seed=0):
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(n, c, h, w, generator=g).requires_grad_()
    wt = (torch.randn(c, o // groups, k, k, generator=g) * 0.3).requires_grad_()
    b = torch.randn(o, generator=g).requires_grad_() if bias else None
    y = F.conv_transpose2d(x, wt, b, stride, padding, output_padding, groups, dilation)
    gy = torch.randn(y.shape, generator=g)
    y.backward(gy)
    case = {"name": name, "stride": list(_pair(stride)), "padding": list(_pair(padding)),
            "output_padding": list(_pair(output_padding)), "dilation": list(_pair(dilation)), "groups": groups,
            "x": enc(x), "weight": enc(wt), "gy": enc(gy), "y": enc(y), "gx": enc(x.grad), "gw": enc(wt.grad)}
    if bias:
        case["bias"] = enc(b)
        case["gb"] = enc(b.grad)
    return case


def avg_case(name, x, k, stride=None, padding=0, count_include_pad=True, seed=0):
    g = torch.Generator().manual_seed(seed)
    x = x.clone().requires_grad_()
    y = F.avg_pool2d(x, k, stride, padding, False, count_include_pad)
    gy = torch.randn(y.shape, generator=g)
    y.backward(gy)
    return {"name": name, "kernel": list(_pair(k)), "stride": list(_pair(stride if stride is not None else k)),
            "padding": list(_pair(padding)), "count_include_pad": count_include_pad, "x": enc(x), "gy": enc(gy),
            "y": enc(y), "gx": enc(x.grad)}


def _pair(v):
    return (v, v) if isinstance(v, int) else tuple(v)


def pool_case(name, x, k, stride=None, padding=0, dilation=1, seed=0):
    g = torch.Generator().manual_seed(seed)
    x = x.clone().requires_grad_()
    vals, idx = F.max_pool2d(x, k, stride, padding, dilation, return_indices=True)
    gy = torch.randn(vals.shape, generator=g)
    vals.backward(gy)
    return {"name": name, "kernel": list(_pair(k)), "stride": list(_pair(stride if stride is not None else k)),
            "padding": list(_pair(padding)), "dilation": list(_pair(dilation)), "x": enc(x), "gy": enc(gy),
            "values": enc(vals), "indices": enc(idx), "gx": enc(x.grad)}


def main():
    torch.manual_seed(0)
    conv = [
        conv_case("basic_3x3_pad1", 2, 3, 7, 6, 4, 3, padding=1),
        conv_case("no_bias_stride2_odd", 2, 3, 9, 8, 5, 3, stride=2, bias=False),
        conv_case("stride2_pad1_odd", 1, 4, 7, 7, 6, 3, stride=2, padding=1),
        conv_case("stride3_uneven_right_pad", 2, 2, 10, 11, 3, 4, stride=3, padding=1),
        conv_case("dilation2", 2, 3, 9, 9, 4, 3, padding=2, dilation=2),
        conv_case("rect_kernel_3x1", 2, 3, 6, 5, 4, (3, 1), padding=(1, 0)),
        conv_case("groups2", 2, 4, 6, 6, 6, 3, padding=1, groups=2),
        conv_case("depthwise", 2, 5, 6, 7, 5, 3, padding=1, groups=5),
        conv_case("pointwise_1x1", 3, 8, 4, 4, 16, 1),
        conv_case("wide_channels", 1, 16, 6, 6, 32, 3, padding=1),
        conv_case("kernel_equals_input", 2, 3, 5, 5, 2, 5),
        conv_case("single_channel_like_mnist", 4, 1, 12, 12, 8, 3, padding=1),
    ]
    convt = [
        convt_case("t_basic", 2, 3, 5, 4, 4, 3, padding=1),
        convt_case("t_stride2_outpad1", 2, 4, 4, 5, 3, 3, stride=2, padding=1, output_padding=1),
        convt_case("t_groups2_no_bias", 1, 4, 3, 3, 6, 2, stride=2, groups=2, bias=False),
        convt_case("t_dilation2", 1, 2, 4, 4, 3, 3, dilation=2, padding=1),
    ]
    g = torch.Generator().manual_seed(5)
    ties = torch.tensor([[[[1.0, 1.0, 0.5, 2.0], [1.0, 0.0, 2.0, 2.0], [3.0, 3.0, -1.0, -1.0], [3.0, 3.0, -1.0, -1.0]]]])
    special = torch.randn(1, 2, 5, 5, generator=g)
    special[0, 0, 0, 1] = float("nan")
    special[0, 0, 3, 3] = float("nan")
    special[0, 0, 4, 4] = float("nan")
    special[0, 1, :2, :2] = float("-inf")
    avg = [
        avg_case("avg_k2", torch.randn(2, 3, 6, 6, generator=g), 2),
        avg_case("avg_k3_s2_p1_include", torch.randn(2, 2, 7, 7, generator=g), 3, 2, 1, True),
        avg_case("avg_k3_s2_p1_exclude", torch.randn(2, 2, 7, 7, generator=g), 3, 2, 1, False),
        avg_case("avg_k2_s1_odd", torch.randn(1, 3, 5, 4, generator=g), 2, 1),
        avg_case("avg_rect_k3x2_p1x0_exclude", torch.randn(1, 2, 6, 5, generator=g), (3, 2), (2, 1), (1, 0), False),
    ]
    pool = [
        pool_case("k2", torch.randn(2, 3, 6, 6, generator=g), 2),
        pool_case("k3_s2_p1", torch.randn(2, 2, 7, 7, generator=g), 3, 2, 1),
        pool_case("k3_s1_dil2", torch.randn(1, 2, 8, 7, generator=g), 3, 1, 1, 2),
        pool_case("k2_s1_odd", torch.randn(1, 3, 5, 4, generator=g), 2, 1),
        pool_case("ties_first_wins", ties, 2),
        pool_case("nan_and_neg_inf", special, 2, 2, 1),
    ]
    with open(OUT, "w") as f:
        json.dump({"torch": torch.__version__, "conv": conv, "conv_transpose": convt, "pool": pool, "avg_pool": avg}, f)
    print("wrote", OUT, len(conv), "conv cases,", len(pool), "pool cases")


if __name__ == "__main__":
    main()
