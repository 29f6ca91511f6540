#!/usr/bin/env bash
# Writes the generated tables of docs/results/pmp-dpp/ from the run folders of configs/experiments/pmp-dpp/*.yaml
# (runs/pmp-MODEL and, for dpp-calibration-*.yaml, runs/dpp-cal; see docs/results/pmp-dpp/README.md). Nothing in
# those tables is typed by hand: each is `shear results compare` over result.json files.
# Issue 23's rows: layerwise-MODEL.md (per-layer magnitude and random beside global magnitude and dpp, the pmp-MODEL
# budgets) and converged-mlp.md (dpp on a 30-epoch model), from runs/layerwise-MODEL and runs/converged-mlp
# (RUNS=folder holding them; default runs). choose-vgg11.md: pmp's ramp length on VGG-11 chosen on held-out data
# (runs/pmp-choose-vgg11). Every folder is looked for under RUNS.
set -euo pipefail
cd "$(dirname "$0")/.."
shear="dotnet ${SHEAR_DLL:-artifacts/bin/Shear.Cli/release/shear.dll}"
out=docs/results/pmp-dpp
mkdir -p $out
# One table: the runs of experiment folder $1 (under RUNS) into $out/$2.md, .json and -layers.md.
table() {
  local folder=${RUNS:-runs}/$1 name=$2
  [ -d "$folder" ] || { echo "skipping $name: no $folder" >&2; return 0; }
  $shear results compare "$folder" --markdown $out/$name.md --json $out/$name.json --layers-markdown $out/$name-layers.md > /dev/null
}
for model in ${MODELS:-mlp lenet5 vgg11}; do
  table pmp-$model $model
done
for experiment in layerwise-mlp layerwise-lenet5 converged-mlp; do
  table $experiment $experiment
done
table pmp-choose-vgg11 choose-vgg11
table dpp-cal dpp-calibration
ls -l $out
