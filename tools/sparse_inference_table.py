#!/usr/bin/python3
"""Writes the tables of docs/results/performance/sparse-inference.md from the JSON of tools/sparse_inference_bench.sh.

Usage: tools/sparse_inference_table.py BENCH_FOLDER > tables.md
BENCH_FOLDER holds <model>-s<sparsity>.json (`shear bench infer --json`, baseline = the dense model) and kernels.json
(`shear bench kernels --json`). Every figure is a median of alternating blocks; nothing is typed by hand.
"""
import json
import sys
from pathlib import Path

MODELS = ["mlp", "lenet5", "vgg11", "resnet20"]


def figures(path):
    bench = json.load(open(path))
    return {(f["model"], f["runtime"], f["threads"], f["batch"]): f["medianMs"] for f in bench["figures"]}


def main(folder):
    folder = Path(folder)
    print("| model | sparsity | threads | ORT dense ms, b1 | libtorch ms, b1 | shear-sparse ms, b1 | vs ORT dense, b1 "
          "| ORT dense ms, b64 | libtorch ms, b64 | shear-sparse ms, b64 | vs ORT dense, b64 |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for model in MODELS:
        files = sorted(folder.glob(f"{model}-s*.json"), key=lambda p: float(p.stem.split("-s")[1]))
        for path in files:
            sparsity = float(path.stem.split("-s")[1])
            fig = figures(path)
            for threads in sorted({k[2] for k in fig}):
                cells = []
                for batch in (1, 64):
                    ort = fig[("baseline", "onnxruntime", threads, batch)]
                    torch = fig[("model", "shear", threads, batch)]
                    engine = fig[("model", "shear-sparse", threads, batch)]
                    cells += [f"{ort:.3f}", f"{torch:.3f}", f"{engine:.3f}", f"**{ort / engine:.2f}**"]
                print(f"| {model} | {sparsity * 100:.0f} % | {threads} | " + " | ".join(cells) + " |")
    kernels = folder / "kernels.json"
    if kernels.exists():
        data = json.load(open(kernels))
        print()
        print("| layer (one thread) | batch | sparse kernel faster from | speed-up over the dense kernel at 90 % |")
        print("|---|---:|---:|---:|")
        at90 = {(f["layer"], f["batch"]): f["denseMs"] / f["sparseMs"] for f in data["figures"] if abs(f["sparsity"] - 0.9) < 1e-9}
        for b in data["breakEvens"]:
            even = "never" if b["breakEven"] is None else f"{b['breakEven'] * 100:.0f} %"
            speed = at90.get((b["layer"], b["batch"]))
            print(f"| {b['layer']} | {b['batch']} | {even} | {'' if speed is None else f'{speed:.2f}'} |")


if __name__ == "__main__":
    main(sys.argv[1])
