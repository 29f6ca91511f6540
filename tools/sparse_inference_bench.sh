#!/usr/bin/env bash
# Issue 19's table: the four models of docs/results/performance/sparse-inference.md, dense and magnitude-pruned
# layer by layer (every conv and linear layer at the same sparsity), timed in Shear's engine, libtorch and ONNX
# Runtime at batch 1 and 64, one and two threads. Latency does not depend on accuracy, so the pruned models are not
# fine-tuned (their dense models train 1 epoch on the Fashion-MNIST subset). Then cdp-dtc's stripe-sparse models.
#   tools/sparse_inference_bench.sh OUT [prepare|bench]   (both by default; bench on a quiet machine)
#   tools/sparse_inference_table.py OUT/bench
set -euo pipefail
out=${1:?usage: tools/sparse_inference_bench.sh OUT [prepare|bench]}
stage=${2:-all}
shear=${SHEAR:-./shear}
sparsities="0 0.5 0.8 0.9 0.95 0.98"
mkdir -p "$out/bench"
for model in mlp lenet5 vgg11 resnet20; do
  dense=$out/$model-dense
  for s in $sparsities; do
    folder=$dense
    [ "$s" = 0 ] || folder=$out/$model-s$s
    if [ "$stage" != bench ]; then
      [ -f "$dense/result.json" ] || $shear train --model "$model" --data fashion-mnist-subset --epochs 1 --threads 2 --out "$dense"
      [ -f "$folder/result.json" ] || $shear prune --model "$model" --method magnitude --selection layerwise --sparsity "$s" \
        --from "$dense" --finetune-epochs 0 --data fashion-mnist-subset --threads 2 --out "$folder"
    fi
    if [ "$stage" != prepare ]; then
      $shear bench infer --model-dir "$folder" --baseline "$dense" --thread-counts 1,2 --batches 1,64 --repeats "${REPEATS:-5}" \
        --json "$out/bench/$model-s$s.json" > "$out/bench/$model-s$s.txt"
    fi
  done
done
# cdp-dtc's stripe-sparse models at the widths and budgets of docs/results/screening-cdp (seed 1, no fine-tune), against
# a dense model of the same width: the rows that compare executed, effective and measured speed-ups.
cdp_models="resnet20:0.5:fashion-mnist-subset:4:0.0055 vgg11:0.125:fashion-mnist:3:0.0011"
for spec in $cdp_models; do
  IFS=: read -r model width data epochs prop <<< "$spec"
  dense=$out/$model-w$width-dense
  folder=$out/$model-w$width-cdp-dtc
  if [ "$stage" != bench ]; then
    [ -f "$dense/result.json" ] || $shear train --model "$model" --width "$width" --recipe pmp --data "$data" --epochs 1 \
      --threads 2 --out "$dense"
    [ -f "$folder/result.json" ] || $shear prune --model "$model" --width "$width" --recipe pmp --data "$data" \
      --method cdp-dtc --epochs "$epochs" --finetune-epochs 0 --cdp-prop "$prop" --channel-multiple 1 --threads 2 --out "$folder"
  fi
  if [ "$stage" != prepare ]; then
    $shear bench infer --model-dir "$folder" --baseline "$dense" --thread-counts 1,2 --batches 1,64 --repeats "${REPEATS:-5}" \
      --json "$out/bench/cdp-$model.json" > "$out/bench/cdp-$model.txt"
    cp "$folder/result.json" "$out/bench/cdp-$model-result.json"
  fi
done
[ "$stage" = prepare ] || $shear bench kernels --json "$out/bench/kernels.json" > "$out/bench/kernels.txt"
