"""Puts Kindling's and PyTorch's JSON lines (CudaBench, torch_bench.py) side by side as a Markdown table."""
import json
import sys


def read(path):
    rows = {}
    try:
        with open(path) as f:
            for line in f:
                line = line.strip()
                if line.startswith("{"):
                    r = json.loads(line)
                    rows[r["workload"]] = r
    except OSError:
        pass
    return rows


def cell(r):
    if r is None:
        return "not run"
    return f"{r['value']:.3f} {r['unit']}" if "value" in r else "error: " + r["error"]


def main(kindling_path, torch_path):
    k, t = read(kindling_path), read(torch_path)
    print("| workload | Kindling | PyTorch | Kindling / PyTorch |")
    print("|---|---|---|---|")
    for name in list(dict.fromkeys(list(k) + list(t))):
        a, b = k.get(name), t.get(name)
        ratio = ""
        if a and b and "value" in a and "value" in b and b["value"]:
            ratio = f"{a['value'] / b['value']:.2f}"
        print(f"| {name} | {cell(a)} | {cell(b)} | {ratio} |")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
