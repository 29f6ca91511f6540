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
for model in ${MODELS:-mlp lenet5 vgg11}; do
  folder=${RUNS:-runs}/pmp-$model
  [ -d "$folder" ] || { echo "skipping $model: no $folder" >&2; continue; }
  $shear results compare "$folder" --markdown $out/$model.md --json $out/$model.json --layers-markdown $out/$model-layers.md > /dev/null
done
for experiment in layerwise-mlp layerwise-lenet5 converged-mlp pmp-choose-vgg11; do
  folder=${RUNS:-runs}/$experiment
  [ -d "$folder" ] || { echo "skipping $experiment: no $folder" >&2; continue; }
  name=${experiment#pmp-}
  $shear results compare "$folder" --markdown $out/$name.md --json $out/$name.json --layers-markdown $out/$name-layers.md > /dev/null
done
if [ -d ${RUNS:-runs}/dpp-cal ]; then
  $shear results compare ${RUNS:-runs}/dpp-cal --markdown $out/dpp-calibration.md --json $out/dpp-calibration.json --layers-markdown $out/dpp-calibration-layers.md > /dev/null
fi
ls -l $out
