#!/usr/bin/python3
"""Prints a Markdown table (mean ± sample std over seeds, n) of the result.json files under the given folders.

A stop-gap until `shear results compare` (issue 6):  /usr/bin/python3 tools/summarize_runs.py runs/baselines
"""
import json
import statistics
import sys
from collections import defaultdict
from pathlib import Path


def row_key(result):
    if result["command"] == "train":
        return (result["model"]["key"], "dense", 0.0)
    return (result["model"]["key"], result["method"], round(result["request"]["sparsity"], 4))


def main(folders):
    groups = defaultdict(list)
    for folder in folders:
        for path in sorted(Path(folder).rglob("result.json")):
            if path.parent.parent.name in ("phases",):
                continue
            result = json.loads(path.read_text())
            top1 = result["test"]["top1"] if result["command"] == "prune" else result["final"]["testAccuracy"]
            sparsity = result["sparsity"]["sparsity"] if result["command"] == "prune" else 0.0
            epochs = result.get("totalEpochs", len(result.get("history", [])))
            groups[row_key(result)].append((top1, sparsity, epochs))
    print("| model | method | target sparsity | measured sparsity | top-1 (mean ± std) | n | epochs |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for (model, method, target), rows in sorted(groups.items()):
        accs = [r[0] * 100 for r in rows]
        std = statistics.stdev(accs) if len(accs) > 1 else 0.0
        print(f"| {model} | {method} | {target * 100:.0f} % | {statistics.mean(r[1] for r in rows) * 100:.2f} % "
              f"| {statistics.mean(accs):.2f} ± {std:.2f} % | {len(rows)} | {rows[0][2]} |")


if __name__ == "__main__":
    main(sys.argv[1:] or ["runs"])
