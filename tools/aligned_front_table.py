#!/usr/bin/python3
"""Writes the accuracy-latency tables of docs/results/performance/aligned-compaction.md from an experiment folder.

Usage: tools/aligned_front_table.py RUNS/EXPERIMENT > tables.md
Each pruning run folder holds its result.json and bench.json (`shear bench infer --model-dir RUN --baseline DENSE
--json RUN/bench.json`). Rows are (method, channel multiple, budget) over seeds: top-1 mean +- std, latency means,
sorted by measured ONNX Runtime latency at batch 64. The second table answers the issue's question at equal latency:
for every unaligned point, the most accurate aligned point of the same method that runs at most as slowly.
Nothing is typed by hand.
"""
import json
import statistics
import sys
from collections import defaultdict
from pathlib import Path


def mean_std(values):
    return statistics.mean(values), (statistics.stdev(values) if len(values) > 1 else 0.0)


def load(folder):
    groups = defaultdict(list)
    dense = []
    for run in sorted(Path(folder).iterdir()):
        result_file, bench_file = run / "result.json", run / "bench.json"
        if not result_file.exists():
            continue
        result = json.load(open(result_file))
        if result.get("command") != "prune":
            dense.append(result["final"]["testAccuracy"] * 100)
            continue
        if not bench_file.exists():
            continue
        bench = json.load(open(bench_file))
        fig = {(f["model"], f["runtime"], f["batch"]): f["medianMs"] for f in bench["figures"] if f["threads"] == 1}
        key = (result["method"], result["request"]["method"]["channelMultiple"], result["request"]["sparsity"])
        kept = [g["kept"] for g in result["compaction"]["groups"]]
        groups[key].append(dict(top1=result["test"]["top1"] * 100, macs=result["compaction"]["macsAfter"], kept=(min(kept), max(kept)),
                                ms64=fig[("model", "onnxruntime", 64)], ms1=fig[("model", "onnxruntime", 1)],
                                dense64=fig[("baseline", "onnxruntime", 64)], dense1=fig[("baseline", "onnxruntime", 1)]))
    return groups, dense


def summarise(groups):
    rows = []
    for (method, multiple, sparsity), runs in groups.items():
        top1, std = mean_std([r["top1"] for r in runs])
        rows.append(dict(method=method, multiple=multiple, sparsity=sparsity, n=len(runs), top1=top1, std=std,
                         macs=statistics.mean(r["macs"] for r in runs), kept=(min(r["kept"][0] for r in runs), max(r["kept"][1] for r in runs)),
                         ms64=statistics.mean(r["ms64"] for r in runs), ms1=statistics.mean(r["ms1"] for r in runs),
                         dense64=statistics.mean(r["dense64"] for r in runs), dense1=statistics.mean(r["dense1"] for r in runs)))
    return sorted(rows, key=lambda r: r["ms64"])


def best_as_fast(curve, ms, field):
    """The most accurate aligned point that is at most as slow as ms; None when every aligned point is slower."""
    candidates = [r for r in curve if r[field] <= ms]
    return max(candidates, key=lambda r: r["top1"]) if candidates else None


def main(folder):
    groups, dense = load(folder)
    rows = summarise(groups)
    print("| method | multiple | channels removed | seeds | top-1 (%) | MACs | channels per group | ORT ms, batch 64 (dense) | ORT ms, batch 1 (dense) |")
    print("|---|---:|---:|---:|---:|---:|---|---:|---:|")
    if dense:
        m, s = mean_std(dense)
        print(f"| dense | | 0 % | {len(dense)} | {m:.2f} ± {s:.2f} | | | | |")
    for r in rows:
        print(f"| {r['method']} | {r['multiple']} | {r['sparsity'] * 100:.0f} % | {r['n']} | {r['top1']:.2f} ± {r['std']:.2f} | {r['macs']:,.0f} | "
              f"{r['kept'][0]}-{r['kept'][1]} | {r['ms64']:.2f} ({r['dense64']:.2f}) | {r['ms1']:.3f} ({r['dense1']:.3f}) |")
    print()
    print("| method | unaligned budget | batch | its ORT ms | its top-1 (%) | best aligned at most as slow: budget, ms | its top-1 (%) | difference (pp) | within one std |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---|")
    for batch, field in ((64, "ms64"), (1, "ms1")):
        for method in sorted({r["method"] for r in rows}):
            aligned = [r for r in rows if r["method"] == method and r["multiple"] != 1]
            for r in sorted((r for r in rows if r["method"] == method and r["multiple"] == 1), key=lambda r: r[field]):
                best = best_as_fast(aligned, r[field], field)
                if best is None:
                    print(f"| {method} | {r['sparsity'] * 100:.0f} % | {batch} | {r[field]:.3f} | {r['top1']:.2f} | none | | | |")
                    continue
                diff = best["top1"] - r["top1"]
                verdict = "aligned better" if diff > 0 else ("yes" if -diff <= max(best["std"], r["std"]) else "**no**")
                print(f"| {method} | {r['sparsity'] * 100:.0f} % | {batch} | {r[field]:.3f} | {r['top1']:.2f} | {best['sparsity'] * 100:.0f} %, {best[field]:.3f} | "
                      f"{best['top1']:.2f} ± {best['std']:.2f} | {diff:+.2f} | {verdict} |")


if __name__ == "__main__":
    main(sys.argv[1])
