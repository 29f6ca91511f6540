#!/usr/bin/env bash
# Issue 8: deterministic-probabilistic pruning (dpp, default settings) on full Fashion-MNIST, 3 seeds, next to the
# pmp reproduction of tools/reproduce_pmp.sh (run that first: dpp prunes its E-epoch dense models). Per seed:
#   dpp:                 the seed's E-epoch dense model, pruned to the sparsity dpp chooses, fine-tuned F epochs
#   magnitude as dpp:    the same dense model, global magnitude at exactly dpp's realised sparsity (--sparsity-of),
#                        fine-tuned F epochs: the same budget E + F, only the per-layer allocation differs
# E and F are the pmp script's: mlp 5 + 5, lenet5 2 + 2, vgg11 and conv6 (1/8 width) 1 + 1.
# Usage: MODEL=mlp tools/reproduce_dpp.sh  (restartable). Tabulate with: shear results compare runs/pmp-$MODEL
set -euo pipefail
cd "$(dirname "$0")/.."
model=${MODEL:-mlp}
out=${OUT:-runs/pmp-$model}
shear="dotnet ${SHEAR_DLL:-artifacts/bin/Shear.Cli/release/shear.dll}"
case $model in
  mlp) e=5 f=5 flags="" ;;
  lenet5) e=2 f=2 flags="" ;;
  vgg11|conv6) e=1 f=1 flags="--width ${WIDTH:-0.125}" ;;
  *) echo "MODEL must be mlp, lenet5, vgg11 or conv6" >&2; exit 2 ;;
esac
run() { local folder=$1; shift; [ -f "$folder/result.json" ] || $shear "$@" --model $model $flags --recipe pmp --threads 1 --out "$folder" > "$folder.log" 2>&1; }
for seed in 1 2 3; do
  dense=$out/dense-e$e-seed$seed
  [ -f "$dense/result.json" ] || { echo "$dense is missing: run tools/reproduce_pmp.sh first" >&2; exit 1; }
done
for seed in 1 2 3; do  # one lane per seed, 1 libtorch thread each
  dense=$out/dense-e$e-seed$seed
  ( run $out/dpp-seed$seed prune --method dpp --from $dense --finetune-epochs $f --seed $seed &&
    run $out/magnitude-as-dpp-seed$seed prune --method magnitude --sparsity-of $out/dpp-seed$seed --from $dense --finetune-epochs $f --seed $seed ) &
done
wait
