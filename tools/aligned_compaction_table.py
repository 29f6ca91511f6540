#!/usr/bin/python3
"""Writes the Markdown table of docs/results/performance/aligned-compaction.md from `shear bench infer --json` files.

Usage: tools/aligned_compaction_table.py BENCH.json... > table.md
Each file times one compacted model against its dense model; its folder name gives model, sparsity and channel
multiple (<model>-l1-s<sparsity>-m<multiple>). Nothing in the table is typed by hand.
"""
import json
import re
import sys


def main(paths):
    rows = []
    for path in paths:
        doc = json.load(open(path))
        base, model = doc["models"]
        name = re.search(r"([a-z0-9]+)-l1-s([0-9.]+)-m([0-9]+)", model["folder"])
        mac_ratio = base["macs"] / model["macs"]
        fig = {(f["model"], f["runtime"], f["threads"], f["batch"]): f["medianMs"] for f in doc["figures"]}
        cells = []
        for runtime in ("onnxruntime", "shear"):
            for threads in (1, 2):
                for batch in (1, 64):
                    speed = fig[("baseline", runtime, threads, batch)] / fig[("model", runtime, threads, batch)]
                    cells.append(f"{speed:.2f} ({speed / mac_ratio:.2f})")
        dense_ms = [fig[("baseline", "onnxruntime", 1, b)] for b in (1, 64)]
        rows.append((name.group(1), float(name.group(2)), int(name.group(3)), model["macs"], mac_ratio, dense_ms, cells))
    print("| model | channels removed | multiple | MACs | MAC ratio | ORT dense ms (b1, b64; 1 thread) "
          "| ORT 1t b1 | ORT 1t b64 | ORT 2t b1 | ORT 2t b64 | Shear 1t b1 | Shear 1t b64 | Shear 2t b1 | Shear 2t b64 |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for model, sparsity, multiple, macs, ratio, dense, cells in sorted(rows):
        print(f"| {model} | {sparsity * 100:.0f} % | {multiple} | {macs:,} | {ratio:.2f} | {dense[0]:.3f}, {dense[1]:.2f} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main(sys.argv[1:])
