"""Reference values for dev.kindling.nn, computed with PyTorch.

Regenerate (from the repository root, with Debian's torch):
    /usr/bin/python3 engine-java/src/test/python/gen_nn_fixtures.py

Writes engine-java/src/test/resources/fixtures/nn/{layers,losses,bce,functional,models}.json.
Layer cases run in float64: the Java test loads the same state dict, feeds the same input and upstream
gradient, and compares the output, the input gradient, every parameter gradient and the state after the step.
"""
import json
import math
import os

import torch
import torch.nn as nn
import torch.nn.functional as F

OUT = os.path.join(os.path.dirname(__file__), "..", "resources", "fixtures", "nn")


def enc(t):
    t = t.detach()
    dt = {torch.float64: "float64", torch.float32: "float32", torch.int64: "int64"}[t.dtype]
    return {"shape": list(t.shape), "dtype": dt, "data": t.reshape(-1).tolist()}


def layer_case(name, make, in_shape, train=True, steps=1, int_input=None, seed=0):
    torch.manual_seed(seed)
    m = make().double()
    # non-trivial affine parameters for the norm layers (their init is ones/zeros)
    with torch.no_grad():
        for pname, p in m.named_parameters():
            if pname in ("weight", "bias") and isinstance(m, (nn.BatchNorm1d, nn.BatchNorm2d, nn.LayerNorm, nn.GroupNorm)):
                p.copy_(torch.randn_like(p) * 0.5 + (1.0 if pname == "weight" else 0.0))
    state = {k: enc(v) for k, v in m.state_dict().items()}
    m.train(train)
    torch.manual_seed(seed + 1)
    if int_input is not None:
        x = torch.randint(0, int_input, in_shape)
        xin = x
    else:
        x = torch.randn(*in_shape, dtype=torch.float64)
        xin = x.clone().requires_grad_(True)
    out = None
    for _ in range(steps):
        out = m(xin)
    g = torch.randn_like(out)
    out.backward(g)
    case = {
        "name": name, "train": train, "steps": steps, "state": state, "input": enc(x), "gradOutput": enc(g),
        "output": enc(out), "stateAfter": {k: enc(v) for k, v in m.state_dict().items()},
        "paramGrads": {k: enc(p.grad) for k, p in m.named_parameters() if p.grad is not None},
        "repr": repr(m),
    }
    if int_input is None:
        case["inputGrad"] = enc(xin.grad)
    return case


class Bilinear(nn.Bilinear):
    """Java's one-input Bilinear.forward(x) is forward(x, x)."""

    def forward(self, x):
        return super().forward(x, x)


def layers():
    c = []
    c.append(layer_case("linear", lambda: nn.Linear(5, 3), (4, 5)))
    c.append(layer_case("linear_nobias_3d", lambda: nn.Linear(5, 3, bias=False), (2, 4, 5)))
    c.append(layer_case("bilinear", lambda: Bilinear(4, 4, 3), (5, 4)))
    c.append(layer_case("conv2d", lambda: nn.Conv2d(3, 4, 3, padding=1), (2, 3, 6, 5)))
    c.append(layer_case("conv2d_stride_dil", lambda: nn.Conv2d(2, 4, (3, 2), stride=(2, 1), padding=(1, 0), dilation=(1, 2)), (2, 2, 7, 6)))
    c.append(layer_case("conv2d_groups_nobias", lambda: nn.Conv2d(4, 6, 3, groups=2, bias=False), (2, 4, 5, 5)))
    c.append(layer_case("conv2d_same", lambda: nn.Conv2d(2, 3, 4, padding="same"), (1, 2, 6, 6)))
    c.append(layer_case("conv1d", lambda: nn.Conv1d(3, 4, 3, stride=2, padding=1), (2, 3, 9)))
    c.append(layer_case("convtranspose2d", lambda: nn.ConvTranspose2d(3, 2, 3, stride=2, padding=1, output_padding=1), (2, 3, 4, 4)))
    c.append(layer_case("maxpool2d", lambda: nn.MaxPool2d(2), (2, 3, 6, 6)))
    c.append(layer_case("maxpool2d_pad", lambda: nn.MaxPool2d(3, stride=2, padding=1), (2, 2, 7, 7)))
    c.append(layer_case("avgpool2d", lambda: nn.AvgPool2d(2), (2, 3, 6, 6)))
    c.append(layer_case("avgpool2d_pad", lambda: nn.AvgPool2d(3, stride=2, padding=1), (1, 2, 7, 7)))
    c.append(layer_case("adaptiveavgpool2d", lambda: nn.AdaptiveAvgPool2d((1, 1)), (2, 3, 5, 5)))
    c.append(layer_case("adaptiveavgpool2d_uneven", lambda: nn.AdaptiveAvgPool2d((3, 2)), (2, 2, 7, 5)))
    c.append(layer_case("batchnorm1d_train", lambda: nn.BatchNorm1d(4), (8, 4), train=True, steps=3))
    c.append(layer_case("batchnorm1d_eval", lambda: nn.BatchNorm1d(4), (8, 4), train=False))
    c.append(layer_case("batchnorm1d_3d", lambda: nn.BatchNorm1d(3, momentum=0.3), (4, 3, 5), train=True, steps=2))
    c.append(layer_case("batchnorm2d_train", lambda: nn.BatchNorm2d(3), (4, 3, 5, 5), train=True, steps=2))
    c.append(layer_case("batchnorm2d_eval", lambda: nn.BatchNorm2d(3), (4, 3, 5, 5), train=False))
    c.append(layer_case("batchnorm2d_noaffine", lambda: nn.BatchNorm2d(3, affine=False, track_running_stats=False), (4, 3, 3, 3)))
    c.append(layer_case("layernorm", lambda: nn.LayerNorm(6), (3, 4, 6)))
    c.append(layer_case("layernorm_2d", lambda: nn.LayerNorm([4, 6], eps=1e-3), (3, 4, 6)))
    c.append(layer_case("groupnorm", lambda: nn.GroupNorm(2, 4), (3, 4, 3, 3)))
    c.append(layer_case("dropout_eval", lambda: nn.Dropout(0.5), (4, 5), train=False))
    c.append(layer_case("dropout2d_eval", lambda: nn.Dropout2d(0.5), (2, 3, 4, 4), train=False))
    c.append(layer_case("flatten", lambda: nn.Flatten(), (2, 3, 4)))
    c.append(layer_case("unflatten", lambda: nn.Unflatten(1, (2, 3)), (4, 6)))
    c.append(layer_case("embedding", lambda: nn.Embedding(10, 3), (4, 5), int_input=10))
    c.append(layer_case("embedding_pad", lambda: nn.Embedding(6, 3, padding_idx=0), (4, 5), int_input=6))
    c.append(layer_case("identity", lambda: nn.Identity(), (3, 4)))
    c.append(layer_case("relu", lambda: nn.ReLU(), (4, 5)))
    c.append(layer_case("leakyrelu", lambda: nn.LeakyReLU(0.2), (4, 5)))
    c.append(layer_case("elu", lambda: nn.ELU(0.7), (4, 5)))
    c.append(layer_case("gelu", lambda: nn.GELU(), (4, 5)))
    c.append(layer_case("gelu_tanh", lambda: nn.GELU(approximate="tanh"), (4, 5)))
    c.append(layer_case("silu", lambda: nn.SiLU(), (4, 5)))
    c.append(layer_case("sigmoid", lambda: nn.Sigmoid(), (4, 5)))
    c.append(layer_case("tanh", lambda: nn.Tanh(), (4, 5)))
    c.append(layer_case("softplus", lambda: nn.Softplus(beta=2, threshold=3), (4, 5)))
    c.append(layer_case("softmax", lambda: nn.Softmax(dim=1), (4, 5)))
    c.append(layer_case("logsoftmax", lambda: nn.LogSoftmax(dim=1), (4, 5)))
    return c


def loss_case(name, fn, x, target, **extra):
    x = x.clone().requires_grad_(True)
    out = fn(x, target)
    g = torch.ones_like(out) if out.dim() == 0 else torch.randn_like(out)
    out.backward(g)
    case = {"name": name, "input": enc(x), "target": enc(target), "output": enc(out), "gradOutput": enc(g), "inputGrad": enc(x.grad)}
    case.update({k: enc(v) for k, v in extra.items()})
    return case


def losses():
    torch.manual_seed(3)
    c = []
    x = torch.randn(6, 4, dtype=torch.float64)
    y = torch.randn(6, 4, dtype=torch.float64)
    for red in ["mean", "sum", "none"]:
        c.append(loss_case("mse_" + red, lambda a, b: F.mse_loss(a, b, reduction=red), x, y))
        c.append(loss_case("l1_" + red, lambda a, b: F.l1_loss(a, b, reduction=red), x, y))
    c.append(loss_case("smoothl1_mean", lambda a, b: F.smooth_l1_loss(a, b, beta=0.5), x, y))
    c.append(loss_case("smoothl1_sum_beta2", lambda a, b: F.smooth_l1_loss(a, b, reduction="sum", beta=2.0), x, y))
    p = torch.rand(6, 4, dtype=torch.float64) * 0.98 + 0.01
    t = (torch.rand(6, 4) > 0.5).double()
    w = torch.rand(6, 4, dtype=torch.float64)
    c.append(loss_case("bce_mean", lambda a, b: F.binary_cross_entropy(a, b), p, t))
    c.append(loss_case("bce_weight_sum", lambda a, b: F.binary_cross_entropy(a, b, weight=w, reduction="sum"), p, t, weight=w))
    c.append(loss_case("bce_clamp", lambda a, b: F.binary_cross_entropy(a, b, reduction="none"),
                       torch.tensor([0.0, 1.0, 0.5, 1e-50], dtype=torch.float64), torch.tensor([1.0, 0.0, 1.0, 1.0], dtype=torch.float64)))
    logits = torch.randn(6, 4, dtype=torch.float64) * 3
    pw = torch.tensor([1.0, 2.0, 0.5, 3.0], dtype=torch.float64)
    c.append(loss_case("bcelogits_mean", lambda a, b: F.binary_cross_entropy_with_logits(a, b), logits, t))
    c.append(loss_case("bcelogits_posweight", lambda a, b: F.binary_cross_entropy_with_logits(a, b, weight=w, pos_weight=pw, reduction="none"), logits, t, weight=w, posWeight=pw))
    c.append(loss_case("bcelogits_extreme", lambda a, b: F.binary_cross_entropy_with_logits(a, b, reduction="sum"),
                       torch.tensor([-200.0, 200.0, 0.0], dtype=torch.float64), torch.tensor([1.0, 0.0, 1.0], dtype=torch.float64)))
    cls = torch.tensor([0, 3, 1, 2, 3, 0])
    cw = torch.tensor([0.5, 1.0, 2.0, 1.5], dtype=torch.float64)
    logp = F.log_softmax(torch.randn(6, 4, dtype=torch.float64), 1)
    c.append(loss_case("nll_mean", lambda a, b: F.nll_loss(a, b), logp, cls))
    c.append(loss_case("nll_weight_ignore", lambda a, b: F.nll_loss(a, b, weight=cw, ignore_index=3), logp, cls, weight=cw))
    c.append(loss_case("nll_none", lambda a, b: F.nll_loss(a, b, reduction="none"), logp, cls))
    logp4 = F.log_softmax(torch.randn(2, 4, 3, 2, dtype=torch.float64), 1)
    cls4 = torch.randint(0, 4, (2, 3, 2))
    c.append(loss_case("nll_spatial", lambda a, b: F.nll_loss(a, b), logp4, cls4))
    c.append(loss_case("ce_mean", lambda a, b: F.cross_entropy(a, b), logits, cls))
    c.append(loss_case("ce_sum", lambda a, b: F.cross_entropy(a, b, reduction="sum"), logits, cls))
    c.append(loss_case("ce_weight_ignore", lambda a, b: F.cross_entropy(a, b, weight=cw, ignore_index=0), logits, cls, weight=cw))
    c.append(loss_case("ce_smoothing", lambda a, b: F.cross_entropy(a, b, label_smoothing=0.1), logits, cls))
    c.append(loss_case("ce_smoothing_weight_ignore", lambda a, b: F.cross_entropy(a, b, weight=cw, ignore_index=1, label_smoothing=0.2), logits, cls, weight=cw))
    c.append(loss_case("ce_smoothing_none", lambda a, b: F.cross_entropy(a, b, label_smoothing=0.3, reduction="none"), logits, cls))
    probs = torch.softmax(torch.randn(6, 4, dtype=torch.float64), 1)
    c.append(loss_case("ce_probs", lambda a, b: F.cross_entropy(a, b), logits, probs))
    c.append(loss_case("ce_probs_weight_smoothing", lambda a, b: F.cross_entropy(a, b, weight=cw, label_smoothing=0.1), logits, probs, weight=cw))
    c.append(loss_case("ce_spatial", lambda a, b: F.cross_entropy(a, b), torch.randn(2, 4, 3, 2, dtype=torch.float64), cls4))
    q = torch.softmax(torch.randn(6, 4, dtype=torch.float64), 1)
    q[0, 0] = 0.0
    c.append(loss_case("kldiv_batchmean", lambda a, b: F.kl_div(a, b, reduction="batchmean"), logp, q))
    c.append(loss_case("kldiv_mean", lambda a, b: F.kl_div(a, b, reduction="mean"), logp, q))
    c.append(loss_case("kldiv_logtarget_sum", lambda a, b: F.kl_div(a, b, reduction="sum", log_target=True), logp, torch.log_softmax(torch.randn(6, 4, dtype=torch.float64), 1)))
    return c


def bce():
    """BCE at and near the clamps, in float32 and float64: every reduction, weighted, with input gradients.

    p = 1 with t = 0 (and p = 0 with t = 1) is -log clamped at 100; the gradient there is PyTorch's
    (p - t) / max(p (1 - p), 1e-12), EPSILON in the input's dtype (issue 14, item 5).
    """
    torch.manual_seed(13)
    c = []
    issue_p, issue_t = [0.0, 1.0, 0.5, 1.0, 0.0, 1e-12], [0.0, 0.0, 1.0, 1.0, 1.0, 0.0]
    # soft targets and points just inside and outside x (1 - x) >= 1e-12 in each dtype
    near_p = {torch.float32: [1e-30, 1.0 - 2.0 ** -24, 1e-13, 2e-12, 0.3, 0.7, 1e-7, 1.0 - 2.0 ** -23],
              torch.float64: [1e-30, 1.0 - 2.0 ** -53, 1e-13, 2e-12, 0.3, 0.7, 1e-7, 1.0 - 1e-11]}
    near_t = [0.25, 0.5, 1.0, 0.0, 0.3, 1.0, 0.9, 0.0]
    for dt, tag in [(torch.float32, "f32"), (torch.float64, "f64")]:
        p, t = torch.tensor(issue_p, dtype=dt), torch.tensor(issue_t, dtype=dt)
        w = torch.tensor([0.5, 2.0, 1.0, 0.25, 3.0, 1.5], dtype=dt)
        for red in ["mean", "sum", "none"]:
            c.append(loss_case("bce_issue_%s_%s" % (tag, red), lambda a, b: F.binary_cross_entropy(a, b, reduction=red), p, t))
            c.append(loss_case("bce_issue_%s_weight_%s" % (tag, red),
                               lambda a, b: F.binary_cross_entropy(a, b, weight=w, reduction=red), p, t, weight=w))
        q, u = torch.tensor(near_p[dt], dtype=dt), torch.tensor(near_t, dtype=dt)
        c.append(loss_case("bce_near_%s_none" % tag, lambda a, b: F.binary_cross_entropy(a, b, reduction="none"), q, u))
        c.append(loss_case("bce_near_%s_mean" % tag, lambda a, b: F.binary_cross_entropy(a, b), q, u))
    return c


def fn_case(name, fn, x):
    x = x.clone().requires_grad_(True)
    out = fn(x)
    g = torch.randn_like(out)
    out.backward(g)
    return {"name": name, "input": enc(x), "output": enc(out), "gradOutput": enc(g), "inputGrad": enc(x.grad)}


def functional():
    torch.manual_seed(5)
    x4 = torch.randn(2, 3, 4, 5, dtype=torch.float64)
    c = []
    c.append(fn_case("pad_constant", lambda a: F.pad(a, (1, 2, 0, 1), value=0.5), x4))
    c.append(fn_case("pad_reflect", lambda a: F.pad(a, (2, 1, 1, 2), mode="reflect"), x4))
    c.append(fn_case("pad_replicate", lambda a: F.pad(a, (1, 1, 2, 0), mode="replicate"), x4))
    c.append(fn_case("pad_circular", lambda a: F.pad(a, (1, 2, 1, 1), mode="circular"), x4))
    c.append(fn_case("pad_negative", lambda a: F.pad(a, (-1, 1)), x4))
    c.append(fn_case("interp_nearest_size", lambda a: F.interpolate(a, size=(7, 3), mode="nearest"), x4))
    c.append(fn_case("interp_nearest_scale", lambda a: F.interpolate(a, scale_factor=2, mode="nearest"), x4))
    c.append(fn_case("interp_bilinear", lambda a: F.interpolate(a, size=(7, 8), mode="bilinear", align_corners=False), x4))
    c.append(fn_case("interp_bilinear_ac", lambda a: F.interpolate(a, size=(7, 8), mode="bilinear", align_corners=True), x4))
    c.append(fn_case("interp_bilinear_down", lambda a: F.interpolate(a, size=(3, 2), mode="bilinear"), x4))
    c.append(fn_case("normalize", lambda a: F.normalize(a, dim=1), x4))
    c.append(fn_case("normalize_p1", lambda a: F.normalize(a, p=1.0, dim=-1), x4))
    c.append(fn_case("maxpool_func", lambda a: F.max_pool2d(a, 2), x4))
    c.append(fn_case("dropout_eval_func", lambda a: F.dropout(a, 0.3, training=False), x4))
    return c


class MNISTNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(28 * 28, 512)
        self.fc2 = nn.Linear(512, 256)
        self.fc3 = nn.Linear(256, 10)

    def forward(self, x):
        x = x.view(-1, 28 * 28)
        x = F.relu(self.fc1(x))
        x = F.relu(self.fc2(x))
        return F.log_softmax(self.fc3(x), dim=1)


class NeuralNetwork(nn.Module):
    def __init__(self):
        super().__init__()
        self.flatten = nn.Flatten()
        self.linear_relu_stack = nn.Sequential(nn.Linear(28 * 28, 512), nn.ReLU(), nn.Linear(512, 512), nn.ReLU(), nn.Linear(512, 10))

    def forward(self, x):
        return self.linear_relu_stack(self.flatten(x))


class CNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 32, 3, padding=1)
        self.conv2 = nn.Conv2d(32, 64, 3, padding=1)
        self.conv3 = nn.Conv2d(64, 128, 3, padding=1)
        self.fc1 = nn.Linear(128 * 8 * 8, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        x = F.max_pool2d(F.relu(self.conv3(x)), 2)
        return F.relu(self.fc1(x.view(x.size(0), -1)))


class Model(nn.Module):
    def __init__(self):
        super().__init__()
        self.linear1 = nn.Linear(8, 6)
        self.linear2 = nn.Linear(6, 4)
        self.linear3 = nn.Linear(4, 1)
        self.sigmoid = nn.Sigmoid()

    def forward(self, x):
        x = self.sigmoid(self.linear1(x))
        x = self.sigmoid(self.linear2(x))
        return self.sigmoid(self.linear3(x))


class LogisticRegressionModel(nn.Module):
    def __init__(self):
        super().__init__()
        self.linear = nn.Linear(1, 1)

    def forward(self, x):
        return torch.sigmoid(self.linear(x))


class Classifier(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(20, 64), nn.BatchNorm1d(64), nn.ReLU(), nn.Dropout(0.3),
                                 nn.Linear(64, 32), nn.BatchNorm1d(32), nn.ReLU(), nn.Dropout(0.3), nn.Linear(32, 3))

    def forward(self, x):
        return self.net(x)


class Blocks(nn.Module):
    def __init__(self):
        super().__init__()
        self.blocks = nn.ModuleList([nn.Linear(4, 4), nn.LayerNorm(4)])
        self.heads = nn.ModuleDict({"cls": nn.Linear(4, 2), "reg": nn.Linear(4, 1)})
        self.emb = nn.Embedding(10, 4, padding_idx=0)
        self.gn = nn.GroupNorm(2, 4)
        self.up = nn.ConvTranspose2d(4, 2, 2, stride=2)
        self.c1 = nn.Conv1d(4, 4, 3, groups=2, bias=False)
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.mp = nn.MaxPool2d(3, stride=2, padding=1)
        self.ap = nn.AvgPool2d(2)
        self.acts = nn.Sequential(nn.LeakyReLU(0.2), nn.ELU(), nn.GELU(), nn.GELU(approximate="tanh"), nn.SiLU(), nn.Tanh(),
                                  nn.Softplus(), nn.Softmax(dim=1), nn.LogSoftmax(dim=-1), nn.Identity(), nn.Dropout2d(0.1),
                                  nn.Unflatten(1, (2, 2)), nn.BatchNorm2d(2), nn.Bilinear(3, 4, 5), nn.Conv2d(2, 4, 3, padding="same", dilation=2))


def models():
    out = []
    seeds = [("logistic", LogisticRegressionModel()), ("diabetes", Model()), ("mnistnet", MNISTNet()), ("neuralnetwork", NeuralNetwork()),
             ("cnn", CNN()), ("classifier", Classifier()), ("blocks", Blocks()),
             ("sequential_simple", nn.Sequential(nn.Linear(10, 5), nn.ReLU(), nn.Linear(5, 2), nn.LogSoftmax(dim=1)))]
    inputs = {"logistic": (5, 1), "diabetes": (7, 8), "classifier": (6, 20), "sequential_simple": (4, 10)}
    for name, m in seeds:
        torch.manual_seed(11)
        sd = m.state_dict()
        case = {"name": name, "repr": repr(m), "numParameters": sum(p.numel() for p in m.parameters()),
                "stateDictKeys": list(sd.keys()), "stateDictShapes": [list(v.shape) for v in sd.values()],
                "stateDictDtypes": [str(v.dtype).replace("torch.", "") for v in sd.values()]}
        if name in inputs:
            # small seeds end to end in float32 and eval mode: PyTorch's weights in, the same output and gradients out
            m.eval()
            x = torch.randn(*inputs[name])
            y = m(x)
            y.sum().backward()
            case["forward"] = {"state": {k: enc(v) for k, v in sd.items()}, "input": enc(x), "output": enc(y),
                               "paramGrads": {k: enc(p.grad) for k, p in m.named_parameters()}}
        out.append(case)
    # default init statistics: the bound of PyTorch's kaiming_uniform_(a=sqrt(5)) on a Linear(784, 512)
    return out


def main():
    os.makedirs(OUT, exist_ok=True)
    for fname, data in [("layers", layers()), ("losses", losses()), ("bce", bce()), ("functional", functional()), ("models", models())]:
        with open(os.path.join(OUT, fname + ".json"), "w") as f:
            json.dump({"torch": torch.__version__, "cases": data}, f)
        print(fname, len(data))


if __name__ == "__main__":
    main()
