#!/usr/bin/python3
"""Writes the tables of docs/results/performance/sparse-inference.md from the JSON of tools/sparse_inference_bench.sh.

Usage: tools/sparse_inference_table.py BENCH_FOLDER > tables.md
BENCH_FOLDER holds <model>-s<sparsity>.json (`shear bench infer --json`, baseline = the dense model), kernels.json
(`shear bench kernels --json`) and, for cdp-dtc's stripe-sparse models, cdp-<model>.json with the run's
cdp-<model>-result.json (its executed and effective MACs). Every figure is a median of alternating blocks; nothing is typed by hand.
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
    cdp = sorted(folder.glob("cdp-*-result.json"))
    if cdp:
        print()
        print("| model (cdp-dtc) | threads | batch | MACs: dense / executed / effective | executed-MAC ratio | effective-MAC ratio "
              "| ORT dense ms | ORT compacted ms | shear-sparse ms | ORT compacted vs ORT dense | shear-sparse vs ORT dense "
              "| share of the effective ratio |")
        print("|---|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|")
        for result_path in cdp:
            name = result_path.name[len("cdp-"):-len("-result.json")]
            bench = json.load(open(folder / f"cdp-{name}.json"))
            result = json.load(open(result_path))
            dense = next(m["macs"] for m in bench["models"] if m["label"] == "baseline")
            executed, effective = result["sparsity"]["macsExecuted"], result["sparsity"]["macsEffective"]
            fig = figures(folder / f"cdp-{name}.json")
            for threads in sorted({k[2] for k in fig}):
                for batch in (1, 64):
                    ort = fig[("baseline", "onnxruntime", threads, batch)]
                    ort_model = fig[("model", "onnxruntime", threads, batch)]
                    engine = fig[("model", "shear-sparse", threads, batch)]
                    print(f"| {name} | {threads} | {batch} | {dense:,} / {executed:,} / {effective:,} | {dense / executed:.2f} "
                          f"| {dense / effective:.2f} | {ort:.3f} | {ort_model:.3f} | {engine:.3f} | {ort / ort_model:.2f} "
                          f"| **{ort / engine:.2f}** | {ort / engine / (dense / effective):.2f} |")
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
