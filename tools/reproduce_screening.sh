#!/usr/bin/env bash
# Issue 9: screening pruning against the baselines, 3 seeds, the same epoch budget per row.
#   MODEL=mlp|lenet5   unstructured, at 80, 90 and 95 % sparsity, in the issue-8 folder runs/pmp-MODEL (its dense
#                      E-epoch models, magnitude + F and SNIP rows are reused when present, made when not):
#                      screening (|w| x F of the source unit) and screening with --screening-unit both, each from the
#                      dense E-epoch model + F fine-tune epochs (mlp E=5 F=5, lenet5 E=2 F=2, pmp's recipe).
#   MODEL=vgg11|resnet20  channel-structured, in runs/screening-MODEL: 30 % and 50 % of every channel group removed
#                      (about 2x and 4x fewer MACs) by screening (F x filter L1) and l1-filter, both from the same
#                      dense model + F epochs, and slimming (E epochs with its penalty + F). vgg11: 1/8 width, full
#                      data, E=2 F=1; resnet20: 1/2 width, the 10k/2k subset, E=3 F=1; pmp's recipe for all.
# Usage: MODEL=lenet5 tools/reproduce_screening.sh   (JOBS parallel runs, 1 libtorch thread each; restartable:
# finished runs are skipped). Tables: tools/screening_tables.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
model=${MODEL:-mlp}
jobs=${JOBS:-2}
export SHEAR="dotnet ${SHEAR_DLL:-artifacts/bin/Shear.Cli/release/shear.dll}"
case $model in
  mlp)      out=${OUT:-runs/pmp-mlp};    export E=5 F=5 MODEL_FLAGS="" ;;
  lenet5)   out=${OUT:-runs/pmp-lenet5}; export E=2 F=2 MODEL_FLAGS="" ;;
  vgg11)    out=${OUT:-runs/screening-vgg11};    export E=2 F=1 MODEL_FLAGS="--width 0.125 --data fashion-mnist" ;;
  resnet20) out=${OUT:-runs/screening-resnet20}; export E=3 F=1 MODEL_FLAGS="--width 0.5 --data fashion-mnist-subset" ;;
  *) echo "MODEL must be mlp, lenet5, vgg11 or resnet20" >&2; exit 2 ;;
esac
export MODEL_KEY=$model
mkdir -p "$out"
run() { local folder=$1; shift; [ -f "$folder/result.json" ] || $SHEAR "$@" --model $MODEL_KEY $MODEL_FLAGS --recipe pmp --threads 1 --out "$folder" > "$folder.log" 2>&1; }
export -f run
# One job per line; a seed's chain starts with its dense run, so --from never races it.
{
  for seed in 1 2 3; do
    dense="$out/dense-e\$E-seed$seed"
    chain="run $dense train --epochs \$E --seed $seed"
    case $model in
      mlp|lenet5)
        for s in 0.8 0.9 0.95; do
          chain+=" && run $out/magnitude-s$s-seed$seed prune --method magnitude --sparsity $s --from $dense --finetune-epochs \$F --seed $seed"
          chain+=" && run $out/screening-s$s-seed$seed prune --method screening --sparsity $s --from $dense --finetune-epochs \$F --seed $seed"
          chain+=" && run $out/screening-both-s$s-seed$seed prune --method screening --screening-unit both --sparsity $s --from $dense --finetune-epochs \$F --seed $seed"
          echo "run $out/snip-s$s-seed$seed prune --method snip --sparsity $s --epochs \$E --finetune-epochs \$F --seed $seed"
        done ;;
      *)
        for s in 0.3 0.5; do
          chain+=" && run $out/l1-filter-s$s-seed$seed prune --method l1-filter --sparsity $s --from $dense --finetune-epochs \$F --seed $seed"
          chain+=" && run $out/screening-s$s-seed$seed prune --method screening --structure channel --sparsity $s --from $dense --finetune-epochs \$F --seed $seed"
          echo "run $out/slimming-s$s-seed$seed prune --method slimming --sparsity $s --epochs \$E --finetune-epochs \$F --seed $seed"
        done ;;
    esac
    echo "$chain"
  done
} | xargs -P "$jobs" -I{} bash -c '{}'
