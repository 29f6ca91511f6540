#!/usr/bin/env bash
# Issue 8's "magnitude as dpp" rows: global magnitude at exactly the sparsity dpp reached, from dpp's own dense
# model and with its fine-tune epochs, per seed of the pmp-dpp sweep (run configs/experiments/pmp-dpp/$MODEL.yaml
# first: it makes the dense and dpp runs). A config cannot name another run's realised sparsity as a target yet,
# so these rows are the one part of the reproductions still made by a script. Restartable.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${OUT:-runs/pmp-${MODEL:-mlp}}
shear="dotnet ${SHEAR_DLL:-artifacts/bin/Shear.Cli/release/shear.dll}"
for dpp in "$out"/dpp-s0-seed*-*/; do
  seed=$(basename "$dpp" | sed 's/^dpp-s0-seed\([0-9]*\)-.*/\1/')
  dense=$(sed -n 's/.*"startedFrom": *"\([^"]*\)".*/\1/p' "$dpp/result.json" | head -1)
  finetune=$(sed -n 's/.*"finetuneEpochs": *\([0-9]*\).*/\1/p' "$dpp/result.json" | head -1)
  folder=$out/magnitude-as-dpp-seed$seed
  [ -f "$folder/result.json" ] || $shear prune --method magnitude --sparsity-of "$dpp" --from "$dense" --finetune-epochs "$finetune" \
    --seed "$seed" --recipe pmp --threads 1 --out "$folder" > "$folder.log" 2>&1
done
