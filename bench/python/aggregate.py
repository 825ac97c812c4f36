#!/usr/bin/env python3
"""Turns the JSON lines printed by Suite.java and suite.py into one markdown table of medians per workload.

Run: python3 bench/python/aggregate.py RAW.jsonl [...] [--threads N] [--reps R] [--quick] [--out FILE]
(bench/run.sh calls it). Python 3 standard library only: no torch needed.

Input lines: {"impl": "kindling"|"pytorch", "workload": ..., "unit": ..., "value": ...} (one per figure and
repetition; other lines, and lines with a "meta" key, are not compared). Output: the table, then one JSON line
per workload {workload, unit, kindling_median, pytorch_median, ratio, reps, threads, date, ...}, also written
to --out. The ratio is always "> 1 means Kindling is better": Kindling / PyTorch for throughputs
(samples/s, steps/s), PyTorch / Kindling for times and sizes (ms, MiB). Units that are not compared
(bytes/step, %, loss) get no ratio.
"""
import argparse
import datetime
import json
import statistics
import sys

HIGHER_IS_BETTER = {"samples/s", "steps/s"}
LOWER_IS_BETTER = {"ms", "MiB"}
GROUP_ORDER = ["mlp_train", "memory", "tiny", "inference", "optim", "ops", "more_ops"]


def read(paths):
    values, meta, order = {}, {}, []
    for path in paths:
        with open(path) as f:
            for line in f:
                line = line.strip()
                if not line.startswith("{"):
                    continue
                try:
                    rec = json.loads(line)
                except ValueError:
                    continue
                if "meta" in rec:
                    meta.setdefault((rec.get("impl"), rec["meta"]), rec.get("value"))
                    continue
                if not {"impl", "workload", "unit", "value"} <= rec.keys() or rec["value"] is None:
                    continue
                key = (rec["workload"], rec["unit"])
                if key not in values:
                    values[key] = {"group": rec.get("group", ""), "kindling": [], "pytorch": []}
                    order.append(key)
                values[key].setdefault(rec["impl"], []).append(float(rec["value"]))
    # by group, then each workload followed by its informational companions (heap per step, foreach off, vs cblas)
    rank = {g: i for i, g in enumerate(GROUP_ORDER)}
    first = {}
    for i, (w, _) in enumerate(order):
        first.setdefault(base(w), i)
    order.sort(key=lambda k: (rank.get(values[k]["group"], len(rank)), first[base(k[0])], base(k[0]) != k[0]))
    return values, meta, order


COMPANION_SUFFIXES = ("_heap_bytes_per_step", "_torch_single_tensor", "_vs_cblas")


def base(workload):
    for suffix in COMPANION_SUFFIXES:
        if workload.endswith(suffix):
            return workload[:-len(suffix)]
    return workload


def ratio(unit, kindling, pytorch):
    if kindling is None or pytorch is None or kindling <= 0 or pytorch <= 0:
        return None
    if unit in HIGHER_IS_BETTER:
        return kindling / pytorch
    if unit in LOWER_IS_BETTER:
        return pytorch / kindling
    return None


def fmt(unit, v):
    if v is None:
        return "—"
    if unit in ("samples/s", "steps/s", "bytes/step"):
        return f"{v:,.0f}"
    if unit == "ms":
        return f"{v:#.3g}" if v >= 0.1 else f"{v * 1000:#.3g} µs"
    if unit in ("MiB", "%"):
        return f"{v:.1f}"
    return f"{v:.4g}"


def main():
    ap = argparse.ArgumentParser(description="Kindling vs PyTorch table from suite JSON lines")
    ap.add_argument("raw", nargs="+", help="files holding the lines printed by Suite.java / suite.py")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--reps", type=int, default=None, help="repetitions requested (shown in the header)")
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--out", help="also write the per-workload JSON lines here")
    args = ap.parse_args()
    values, meta, order = read(args.raw)
    date = datetime.datetime.now().astimezone().isoformat(timespec="seconds")

    print(f"## Kindling vs PyTorch — medians, {args.threads} threads, {date}")
    if args.quick:
        print("\n**QUICK RUN: small sizes and few iterations to check the harness. These numbers are NOT "
              "comparable with full runs (nor, often, with each other).**")
    for (impl, key), v in sorted(meta.items(), key=lambda kv: kv[0][0] or ""):   # stable: keeps file order
        print(f"- {impl} {key}: {v}")
    print("\nRatio: > 1 means Kindling is better (Kindling/PyTorch for samples/s and steps/s; "
          "PyTorch/Kindling for ms and MiB). Rows without a ratio are informational.\n")
    print("| group | workload | unit | Kindling | PyTorch | ratio | reps |")
    print("|---|---|---|---:|---:|---:|---:|")
    lines = []
    for key in order:
        workload, unit = key
        rec = values[key]
        k, p = rec.get("kindling", []), rec.get("pytorch", [])
        km = float("%.6g" % statistics.median(k)) if k else None
        pm = float("%.6g" % statistics.median(p)) if p else None
        r = ratio(unit, km, pm)
        reps = max(len(k), len(p))
        print(f"| {rec['group']} | {workload} | {unit} | {fmt(unit, km)} | {fmt(unit, pm)} | "
              f"{'—' if r is None else f'{r:.2f}'} | {reps} |")
        lines.append({"workload": workload, "unit": unit, "kindling_median": km, "pytorch_median": pm,
                      "ratio": None if r is None else round(r, 4), "reps": reps, "threads": args.threads,
                      "date": date, "group": rec["group"], "quick": args.quick,
                      "kindling_values": k, "pytorch_values": p})
    print()
    out = open(args.out, "w") if args.out else None
    for rec in lines:
        s = json.dumps(rec, ensure_ascii=False)
        print(s)
        if out:
            out.write(s + "\n")
    if out:
        out.close()
    if not order:
        print("aggregate.py: no result lines found in " + ", ".join(args.raw), file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
