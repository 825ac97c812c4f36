#!/usr/bin/python3
"""Interchange fixtures for dev.kindling.io (Safetensors, PyTorchFiles), made with Debian's torch.

Regenerate (from the repository root):
    /usr/bin/python3 engine-java/src/test/python/gen_io_fixtures.py
Check a file written by Kindling (the test InteropTest writes it) with torch:
    mvn -B -q -pl engine-java test -Dtest=InteropTest
    /usr/bin/python3 engine-java/src/test/python/gen_io_fixtures.py --verify engine-java/target/io-roundtrip/kindling.safetensors

Debian has no python3-safetensors, so this script carries a small writer and a strict reader of the format
(8-byte little-endian header length, JSON header padded with spaces to 8 bytes, tensors sorted by dtype
alignment then name, little-endian data), following huggingface/safetensors' reference implementation.
"""
import collections
import io
import json
import os
import pickle
import struct
import sys
import zipfile

import torch

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "fixtures", "io")

# dtype name, torch dtype, bytes per element; listed in the reference implementation's alignment order
ST_DTYPES = [("BOOL", torch.bool, 1), ("U8", torch.uint8, 1), ("I8", torch.int8, 1), ("I16", torch.int16, 2),
             ("F16", torch.float16, 2), ("BF16", torch.bfloat16, 2), ("I32", torch.int32, 4),
             ("F32", torch.float32, 4), ("F64", torch.float64, 8), ("I64", torch.int64, 8)]
RANK = {"BOOL": 0, "U8": 1, "I8": 2, "F8_E5M2": 3, "F8_E4M3": 4, "I16": 5, "U16": 6, "F16": 7, "BF16": 8,
        "I32": 9, "U32": 10, "F32": 11, "F64": 12, "I64": 13, "U64": 14}
TO_NAME = {t: n for n, t, _ in ST_DTYPES}
FROM_NAME = {n: (t, s) for n, t, s in ST_DTYPES}


def tensor_bytes(t):
    t = t.detach().contiguous().cpu()
    if t.numel() == 0:
        return b""
    # reinterpret as bytes without numpy (numpy has no bfloat16); x86 is little-endian like the format
    return bytes(t.reshape(-1).view(torch.uint8).tolist()) if t.dtype != torch.bool else bytes(t.reshape(-1).to(torch.uint8).tolist())


def st_save(tensors, path, metadata=None):
    items = sorted(tensors.items(), key=lambda kv: (-RANK[TO_NAME[kv[1].dtype]], kv[0].encode("utf-8")))
    header = {}
    if metadata is not None:
        header["__metadata__"] = metadata
    offset = 0
    blobs = []
    for name, t in items:
        b = tensor_bytes(t)
        header[name] = {"dtype": TO_NAME[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(b)]}
        offset += len(b)
        blobs.append(b)
    h = json.dumps(header, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    h += b" " * ((8 - len(h) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)))
        f.write(h)
        for b in blobs:
            f.write(b)


def st_load(path, strict_layout=False):
    """Reads a safetensors file; with strict_layout also checks what the reference writer guarantees."""
    data = open(path, "rb").read()
    (n,) = struct.unpack("<Q", data[:8])
    assert 8 + n <= len(data), "header length past the end of the file"
    text = data[8:8 + n].decode("utf-8")
    header = json.loads(text, object_pairs_hook=collections.OrderedDict)
    metadata = header.pop("__metadata__", None)
    body = data[8 + n:]
    entries = sorted(header.items(), key=lambda kv: kv[1]["data_offsets"])
    pos = 0
    out = collections.OrderedDict()
    for name, info in entries:
        b, e = info["data_offsets"]
        assert b == pos, "gap or overlap at %s" % name
        dt, size = FROM_NAME[info["dtype"]]
        numel = 1
        for s in info["shape"]:
            numel *= s
        assert e - b == numel * size, "size mismatch for %s" % name
        raw = bytearray(body[b:e])
        if numel == 0:
            t = torch.empty(info["shape"], dtype=dt)
        else:
            t = torch.frombuffer(raw, dtype=torch.uint8).view(dt).reshape(info["shape"]).clone()
        out[name] = t
        pos = e
    assert pos == len(body), "data section has %d bytes, header covers %d" % (len(body), pos)
    if strict_layout:
        assert n % 8 == 0, "header not padded to 8 bytes"
        pad = len(text) - len(text.rstrip(" "))
        assert pad < 8 and text.rstrip(" ").endswith("}"), "padding must be fewer than 8 spaces after the JSON"
        names = [k for k, _ in entries]
        expect = [k for k, _ in sorted(header.items(), key=lambda kv: (-RANK[kv[1]["dtype"]], kv[0].encode("utf-8")))]
        assert names == expect, "tensors not in reference order: %s vs %s" % (names, expect)
        assert list(header.keys()) == names, "header entries not in data order"
    return out, metadata


def values(t):
    t = t.detach()
    # half values written as floats (exact), under their own dtype name
    return {"dtype": str(t.dtype), "shape": list(t.shape), "data": t.float().reshape(-1).tolist()}


def make_mlp():
    torch.manual_seed(0)
    net = torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.BatchNorm1d(8), torch.nn.ReLU(), torch.nn.Linear(8, 3))
    net.train()
    for _ in range(3):  # move the running statistics away from their defaults
        net(torch.randn(16, 4) * 2 + 0.5)
    net.eval()
    return net


def evil_pickle_global(module, name, stack_global):
    """A pickle calling module.name('echo pwned'): what a hostile .pt file does."""
    if stack_global:  # protocol 4 style: STACK_GLOBAL takes module and name from the stack
        body = b"\x80\x04" + b"\x8c" + bytes([len(module)]) + module.encode() + b"\x8c" + bytes([len(name)]) + name.encode() + b"\x93"
    else:
        body = b"\x80\x02c" + module.encode() + b"\n" + name.encode() + b"\n"
    arg = b"echo pwned"
    return body + b"X" + struct.pack("<I", len(arg)) + arg + b"\x85R."


def zip_with(path, entries):
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_STORED) as z:
        for name, data in entries.items():
            z.writestr(zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0)), data)   # fixed time: reproducible bytes


class Hostile:
    def __reduce__(self):
        return (os.system, ("echo pwned",))


def generate():
    os.makedirs(OUT, exist_ok=True)
    net = make_mlp()
    sd = net.state_dict()
    st_save(dict(sd), os.path.join(OUT, "mlp.safetensors"), {"format": "pt", "source": "gen_io_fixtures.py"})
    torch.save(sd, os.path.join(OUT, "mlp.pt"))
    torch.manual_seed(1)
    x = torch.randn(5, 4)
    with torch.no_grad():
        y = net(x)
    json.dump({"tensors": {k: values(v) for k, v in sd.items()}, "input": values(x), "output": values(y),
               "bn_eps": net[1].eps}, open(os.path.join(OUT, "mlp.json"), "w"), indent=1)

    # a whole training checkpoint as the seed tutorials write it: epoch, model, Adam state, loss
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    net.train()
    for _ in range(2):
        opt.zero_grad()
        net(torch.randn(8, 4)).pow(2).mean().backward()
        opt.step()
    net.eval()
    ckpt = {"epoch": 3, "model": net.state_dict(), "optimizer": opt.state_dict(), "loss": 0.25}
    torch.save(ckpt, os.path.join(OUT, "checkpoint.pt"))
    ostate = opt.state_dict()
    json.dump({"exp_avg_0": values(ostate["state"][0]["exp_avg"]), "step_0": values(ostate["state"][0]["step"]),
               "betas": list(ostate["param_groups"][0]["betas"]), "params": ostate["param_groups"][0]["params"],
               "fc_weight": values(net.state_dict()["0.weight"])},
              open(os.path.join(OUT, "checkpoint.json"), "w"), indent=1)

    # every dtype, 0-d and empty tensors
    torch.manual_seed(2)
    d = collections.OrderedDict()
    d["f32"] = torch.randn(2, 3)
    d["f64"] = torch.randn(3, dtype=torch.float64)
    d["i64"] = torch.tensor([[-(2 ** 40), 7], [3, 2 ** 62]])
    d["i32"] = torch.tensor([-5, 0, 2 ** 30], dtype=torch.int32)
    d["bool"] = torch.tensor([True, False, True])
    d["f16"] = torch.tensor([1.5, -2.25, 65504.0, 6.0e-8, float("inf")], dtype=torch.float16)
    d["bf16"] = torch.tensor([1.5, -3.0e38, 1.0e-3], dtype=torch.bfloat16)
    d["scalar"] = torch.tensor(3.25)
    d["empty"] = torch.zeros(0, 4)
    st_save(d, os.path.join(OUT, "dtypes.safetensors"), {"note": "all dtypes"})
    json.dump({k: values(v) for k, v in d.items()}, open(os.path.join(OUT, "dtypes.json"), "w"), indent=1)

    # torch.save with views sharing one storage (offsets, strides), plus every storage type
    base = torch.arange(24, dtype=torch.float32).reshape(4, 6)
    v = collections.OrderedDict()
    v["base"] = base
    v["t"] = base.t()
    v["slice"] = base[1:3, ::2]
    v["row"] = base[2]
    v["elem"] = base[3, 5]
    v.update((k, t) for k, t in d.items())
    torch.save(v, os.path.join(OUT, "views.pt"))
    json.dump({k: values(t) for k, t in v.items()}, open(os.path.join(OUT, "views.json"), "w"), indent=1)

    # hostile pickles: they must be refused by name, never run
    torch.save({"x": Hostile()}, os.path.join(OUT, "evil_reduce.pt"))  # os.system pickles as posix.system
    zip_with(os.path.join(OUT, "evil_os_system.pt"), {"archive/data.pkl": evil_pickle_global("os", "system", False),
                                                      "archive/version": b"3\n"})
    zip_with(os.path.join(OUT, "evil_eval.pt"), {"archive/data.pkl": evil_pickle_global("builtins", "eval", True),
                                                 "archive/version": b"3\n"})
    zip_with(os.path.join(OUT, "no_data_pkl.pt"), {"archive/version": b"3\n", "archive/data/0": b"\0" * 8})
    print("wrote fixtures to", os.path.normpath(OUT))


def verify(path):
    tensors, metadata = st_load(path, strict_layout=True)
    print("read %d tensors from %s, metadata %s" % (len(tensors), path, metadata))
    net = make_mlp()
    ref = net.state_dict()
    fresh = make_mlp()
    fresh.load_state_dict({k: tensors["mlp." + k] for k in ref})
    for k in ref:
        assert torch.equal(tensors["mlp." + k], ref[k]), k
    torch.manual_seed(1)
    x = torch.randn(5, 4)
    with torch.no_grad():
        assert torch.equal(fresh(x), net(x))
    expect = {
        "f64": torch.arange(6, dtype=torch.float64).reshape(2, 3) / 4,
        "transposed": torch.arange(6, dtype=torch.float32).reshape(2, 3).t(),
        "ids": torch.tensor([1, -2, 3], dtype=torch.int32),
        "mask": torch.tensor([True, False, True, True]),
        "big": torch.tensor([2 ** 62, -(2 ** 40)]),
        "scalar": torch.tensor(2.5),
        "empty": torch.zeros(0, 3),
    }
    for k, t in expect.items():
        got = tensors[k]
        assert got.dtype == t.dtype and got.shape == t.shape and torch.equal(got, t), (k, got, t)
    assert metadata == {"written_by": "kindling", "epoch": "3"}, metadata
    print("OK: layout is the reference one, %d tensors match torch, MLP output identical" % len(tensors))


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--verify":
        verify(sys.argv[2])
    elif len(sys.argv) == 1:
        generate()
    else:
        sys.exit(__doc__)
