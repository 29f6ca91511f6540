#!/usr/bin/env bash
# Issue 20's goal as a user meets it: each torchvision CNN exported by PyTorch 1.13 (peers/torchvision_onnx_export.py,
# tests/fixtures/peers/torchvision/) is imported, pruned structurally (l1-filter, 30 % of every channel group,
# aligned compaction), fine-tuned one epoch on a small synthetic 3x64x64 set and exported to ONNX again; prints a
# Markdown table. (That ONNX Runtime agrees with Shear on every result is TorchvisionRoundTripTests' assertion.)
#   tools/torchvision_interchange.sh OUT > docs/results/mobile/interchange.md
set -euo pipefail
out=${1:?usage: tools/torchvision_interchange.sh OUT}
shear=${SHEAR:-./shear}
fixtures=tests/fixtures/peers/torchvision
mkdir -p "$out"
# 200 training and 50 test images of 3x64x64, 10 classes, each class brightening its own band of rows.
/usr/bin/python3 - "$out/synthetic.npz" <<'PY'
import io, sys, zipfile
import numpy as np
rng = np.random.default_rng(0)
def npy(a):
    b = io.BytesIO(); np.save(b, a); return b.getvalue()
with zipfile.ZipFile(sys.argv[1], "w") as z:
    for split, n in (("train", 200), ("test", 50)):
        y = np.arange(n) % 10
        x = (rng.random((n, 3, 64, 64)) * 128).astype(np.uint8)
        for i, label in enumerate(y):
            x[i, :, label * 6:(label + 1) * 6, :] += 100
        z.writestr(f"x_{split}.npy", npy(x)); z.writestr(f"y_{split}.npy", npy(y.astype(np.int64)))
PY
echo "| model (torchvision, opset 13) | imported nodes | parameters: imported / pruned | MACs: imported / pruned | channels removed | fine-tuned top-1 (synthetic) | exported |"
echo "|---|---:|---:|---:|---:|---:|---|"
for model in resnet18 mobilenet_v2 mobilenet_v3_small squeezenet1_1 efficientnet_b0; do
  run=$out/$model
  rm -rf "$run-imported" "$run-pruned"
  $shear import "$fixtures/$model-opset13.onnx" --out "$run-imported" > "$run-import.txt" 2>/dev/null
  $shear prune --from "$run-imported" --method l1-filter --sparsity 0.3 --finetune-epochs 1 --data "$out/synthetic.npz" \
    --threads 1 --out "$run-pruned" > "$run-prune.txt" 2>/dev/null
  $shear export "$run-pruned" --format onnx --out "$run-pruned.onnx" > "$run-export.txt" 2>/dev/null
  /usr/bin/python3 - "$model" "$run-imported" "$run-pruned" "$run-pruned.onnx" <<'PY'
import json, os, sys
model, imported, pruned, onnx = sys.argv[1:]
nodes = len(json.load(open(os.path.join(imported, "model.json")))["description"]["nodes"])
r = json.load(open(os.path.join(pruned, "result.json")))
c = r["compaction"]
removed = 1 - sum(g["kept"] for g in c["groups"]) / sum(g["channels"] for g in c["groups"])
print(f"| {model} | {nodes} | {c['parametersBefore']:,} / {c['parametersAfter']:,} | {c['macsBefore']:,} / {c['macsAfter']:,} "
      f"| {removed * 100:.1f} % | {r['test']['top1'] * 100:.1f} % | {os.path.getsize(onnx) / 1e6:.2f} MB |")
PY
done
