#!/usr/bin/env bash
# Issue 9: CDP + DTC on VGG-11 and ResNet-20, 3 seeds, beside the channel-structured rows of
# tools/reproduce_screening.sh (same folder, model, data, recipe and budget E + F):
#   cdp-dtc        E + F epochs from scratch with filter skeletons, the intended-form penalty (prop P) and the
#                  dynamic threshold container (t = 0.01), then the final stripe/filter pruning and compaction, with
#                  no fine-tune (the public code has none, and a restarted learning rate on the folded model lost
#                  several points in the calibration runs)
#   cdp-dtc, prop 0  the ablation: the same skeletons, thresholds and pruning without any penalty
#   cdp-dtc + FT   E = B - 1 epochs with skeletons (prop PFT, the same prop x steps as P), pruning, compaction, then
#                  one fine-tune epoch at lr 0.01 (the same budget as the l1-filter and screening rows; lr 0.1 on the
#                  folded, small-norm kernels behind BN disrupted the model)
# MODEL=vgg11 (1/8 width, full data, E + F = 3) or MODEL=resnet20 (1/2 width, the 10k/2k subset, E + F = 4). P was
# chosen from the calibration runs (runs/cdp-cal, docs/results/screening-cdp/README.md) to aim at about 2x fewer
# executed MACs; the step from no pruning to collapse is narrow at these budgets. Restartable: finished runs are
# skipped.
set -euo pipefail
cd "$(dirname "$0")/.."
model=${MODEL:-vgg11}
jobs=${JOBS:-2}
export SHEAR="dotnet ${SHEAR_DLL:-artifacts/bin/Shear.Cli/release/shear.dll}"
case $model in
  vgg11)    out=${OUT:-runs/screening-vgg11};    export B=3 P=${P:-0.0011} PFT=${PFT:-0.00165} MODEL_FLAGS="--width 0.125 --data fashion-mnist" ;;
  resnet20) out=${OUT:-runs/screening-resnet20}; export B=4 P=${P:-0.0055} PFT=${PFT:-0.0073} MODEL_FLAGS="--width 0.5 --data fashion-mnist-subset" ;;
  *) echo "MODEL must be vgg11 or resnet20" >&2; exit 2 ;;
esac
export MODEL_KEY=$model
mkdir -p "$out"
run() { local folder=$1; shift; [ -f "$folder/result.json" ] || $SHEAR "$@" --model $MODEL_KEY $MODEL_FLAGS --recipe pmp --threads 1 --out "$folder" > "$folder.log" 2>&1; }
export -f run
{
  for seed in 1 2 3; do
    echo "run $out/cdp-dtc-seed$seed prune --method cdp-dtc --cdp-prop \$P --epochs \$B --finetune-epochs 0 --seed $seed"
    echo "run $out/cdp-dtc-noprop-seed$seed prune --method cdp-dtc --cdp-prop 0 --epochs \$B --finetune-epochs 0 --seed $seed"
    echo "run $out/cdp-dtc-ft-seed$seed prune --method cdp-dtc --cdp-prop \$PFT --epochs \$((B - 1)) --finetune-epochs 1 --finetune-lr 0.01 --seed $seed"
  done
} | xargs -P "$jobs" -I{} bash -c '{}'
