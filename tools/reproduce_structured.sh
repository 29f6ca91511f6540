#!/usr/bin/env bash
# Issue 7: the structured methods on Fashion-MNIST at about 2x fewer MACs (30 % of the channels of every channel
# group removed; MACs fall roughly with the square of the channels kept), one seed:
#   dense:      E epochs
#   l1-filter:  the dense model, filters ranked by L1 norm, compacted, fine-tuned F epochs       (budget E + F)
#   slimming:   E epochs with the L1 penalty on BN scales, |gamma| ranked, compacted, F epochs   (budget E + F)
# MODEL=vgg11 (WIDTH 0.25, full data, E=2 F=1) or MODEL=resnet20 (the embedded 10k/2k subset, E=3 F=1: a full
# epoch of ResNet-20 takes about 9 minutes on one core here). Restartable: finished runs are skipped.
# Then: shear bench infer --model-dir OUT/l1-filter --baseline OUT/dense, and shear results compare OUT.
set -euo pipefail
cd "$(dirname "$0")/.."
model=${MODEL:-vgg11}
out=${OUT:-runs/structured-$model}
shear="dotnet ${SHEAR_DLL:-artifacts/bin/Shear.Cli/release/shear.dll}"
case $model in
  vgg11) flags="--width ${WIDTH:-0.25} --data fashion-mnist"; e=2 f=1 ;;
  resnet20) flags="--data fashion-mnist-subset"; e=3 f=1 ;;
  *) echo "MODEL must be vgg11 or resnet20" >&2; exit 2 ;;
esac
s=${SPARSITY:-0.3}
mkdir -p "$out"
run() { local folder=$1; shift; [ -f "$folder/result.json" ] || $shear "$@" --model $model $flags --threads 1 --seed 1 --out "$folder" > "$folder.log" 2>&1; }
run $out/dense train --epochs $e
run $out/l1-filter prune --method l1-filter --sparsity $s --from $out/dense --finetune-epochs $f &
run $out/slimming prune --method slimming --sparsity $s --epochs $e --finetune-epochs $f &
wait
