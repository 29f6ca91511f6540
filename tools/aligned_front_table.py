#!/usr/bin/python3
"""Writes the accuracy-latency table of docs/results/performance/aligned-compaction.md from an experiment folder.

Usage: tools/aligned_front_table.py RUNS/EXPERIMENT > table.md
Each pruning run folder holds its result.json and bench.json (`shear bench infer --model-dir RUN --baseline DENSE
--json RUN/bench.json`); rows are sorted by measured ONNX Runtime latency at batch 64. Nothing is typed by hand.
"""
import json
import sys
from pathlib import Path


def main(folder):
    rows = []
    dense = None
    for run in sorted(Path(folder).iterdir()):
        result_file, bench_file = run / "result.json", run / "bench.json"
        if not result_file.exists():
            continue
        result = json.load(open(result_file))
        if result.get("command") != "prune":
            dense = result
            continue
        if not bench_file.exists():
            continue
        bench = json.load(open(bench_file))
        fig = {(f["model"], f["runtime"], f["batch"]): f["medianMs"] for f in bench["figures"] if f["threads"] == 1}
        options = result["request"]["method"]
        kept = [g["kept"] for g in result["compaction"]["groups"]]
        rows.append((fig[("model", "onnxruntime", 64)], result["method"], options["channelMultiple"], result["request"]["sparsity"],
                     result["test"]["top1"], result["compaction"]["macsAfter"], fig[("model", "onnxruntime", 1)],
                     fig[("baseline", "onnxruntime", 64)], fig[("baseline", "onnxruntime", 1)], f"{min(kept)}-{max(kept)}"))
    print("| method | multiple | channels removed | top-1 (%) | MACs | channels per group | ORT ms, batch 64 (dense) | ORT ms, batch 1 (dense) |")
    print("|---|---:|---:|---:|---:|---|---:|---:|")
    if dense is not None:
        print(f"| dense | | 0 % | {dense['final']['testAccuracy'] * 100:.2f} | | | | |")
    for ms64, method, multiple, sparsity, top1, macs, ms1, dense64, dense1, kept in sorted(rows):
        print(f"| {method} | {multiple} | {sparsity * 100:.0f} % | {top1 * 100:.2f} | {macs:,} | {kept} | {ms64:.2f} ({dense64:.2f}) | {ms1:.3f} ({dense1:.3f}) |")


if __name__ == "__main__":
    main(sys.argv[1])
